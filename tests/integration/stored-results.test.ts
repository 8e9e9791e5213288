/**
 * Stored results of finished audits (issue #5, performance): on the demonstration trust, every
 * audit's stored tallies give exactly the figures the live scoring gives (per service and per
 * criterion); results missing for a finished audit are computed on first read; reopening clears
 * them and completing stores them again; deleting the audit removes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCounts, emptyCounts, figureOf, type Counts } from "~/lib/result-cells";
import { completeAudit, deleteAudit, getAudit, reopenAudit } from "~/models/audits.server";
import { dashboardData, pooledResults } from "~/models/dashboard.server";
import { generateDemoData } from "~/models/demo-data.server";
import { auditResults } from "~/models/results.server";
import { storedCells, storedCriteria } from "~/models/stored-results.server";
import { templateTrends } from "~/models/trends.server";
import type { Db } from "~/utils/db.server";
import { userWithSession, useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: Awaited<ReturnType<typeof userWithSession>>;
const TODAY = "2026-05-14";

const finishedAudits = () => db.selectFrom("audits").select(["id", "results_at"]).where("status", "in", ["complete", "closed"]).orderBy("id").execute();
const rowCount = async (table: "result_cells" | "result_criteria", auditId?: number) => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"));
  if (auditId !== undefined) q = q.where("audit_id", "=", auditId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const figureFields = (f: { met: number; partial: number; notMet: number; na: number; unanswered: number; numerator: number; denominator: number; percent: number | null; rag: string | null }) => ({
  met: f.met,
  partial: f.partial,
  notMet: f.notMet,
  na: f.na,
  unanswered: f.unanswered,
  numerator: f.numerator,
  denominator: f.denominator,
  percent: f.percent,
  rag: f.rag,
});

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = await userWithSession(db, "administrator");
  await generateDemoData(db, admin.user, { seed: "stored-results-test", today: TODAY });
}, 120_000);

afterAll(async () => env.cleanup());

describe("stored results", () => {
  it("are stored when demonstration audits are loaded, and equal the live scoring for every audit, service and criterion", async () => {
    const audits = await finishedAudits();
    expect(audits.length).toBeGreaterThan(20);
    for (const { id, results_at } of audits) {
      expect(results_at).not.toBeNull();
      const audit = (await getAudit(db, id))!;
      const t = audit.template;
      const live = (await auditResults(db, audit)).rollup;

      const byService = new Map<number, Counts>();
      const cells = await storedCells(db, [id]);
      for (const c of cells) byService.set(c.serviceId, addCounts(byService.get(c.serviceId) ?? emptyCounts(), c));
      expect(live.byService.length).toBe(byService.size);
      for (const s of live.byService) expect(figureOf(byService.get(s.serviceId)!, t.rag, t.partialCredit)).toEqual(figureFields(s));
      // Every sampled case is counted once.
      expect(cells.reduce((n, c) => n + c.cases, 0)).toBe((await auditResults(db, audit)).caseCount);

      const byCriterion = new Map<string, Counts>();
      for (const c of await storedCriteria(db, [id])) byCriterion.set(c.criterionId, addCounts(byCriterion.get(c.criterionId) ?? emptyCounts(), c));
      for (const c of live.byCriterion) expect(figureOf(byCriterion.get(c.criterionId)!, t.rag, t.partialCredit)).toEqual(figureFields(c));
      const all = [...byCriterion.values()].reduce((a, c) => addCounts(a, c), emptyCounts());
      expect(figureOf(all, t.rag, t.partialCredit)).toEqual(figureFields(live.overall));
    }
  });

  it("are computed on first read for a finished audit that has none, giving the same dashboard, trends and pooled results", async () => {
    const before = {
      dashboard: await dashboardData(db, TODAY),
      trends: await templateTrends(db, "lac-iha"),
      pooled: await pooledResults(db, { groupBy: "team", template: null, from: null, to: null, caseType: null }),
    };
    await db.deleteFrom("result_cells").execute();
    await db.deleteFrom("result_criteria").execute();
    await db.updateTable("audits").set({ results_at: null }).execute();

    expect(await dashboardData(db, TODAY)).toEqual(before.dashboard);
    expect(await templateTrends(db, "lac-iha")).toEqual(before.trends);
    expect(await pooledResults(db, { groupBy: "team", template: null, from: null, to: null, caseType: null })).toEqual(before.pooled);
    expect(await rowCount("result_cells")).toBeGreaterThan(0);
    expect((await finishedAudits()).every((a) => a.results_at !== null)).toBe(true);
  });

  it("are cleared when an audit is reopened (it leaves the dashboard) and stored again when it is completed", async () => {
    const before = await dashboardData(db, "2099-12-31");
    const row = before.templates.find((t) => t.key === "lac-iha")!.rows[0];
    const latestId = row.audit.id;
    await reopenAudit(db, admin.user, latestId, "A case was scored against the wrong record");
    expect(await rowCount("result_cells", latestId)).toBe(0);
    expect(await rowCount("result_criteria", latestId)).toBe(0);
    expect((await db.selectFrom("audits").select("results_at").where("id", "=", latestId).executeTakeFirstOrThrow()).results_at).toBeNull();
    const reopened = (await dashboardData(db, "2099-12-31")).templates.find((t) => t.key === "lac-iha")!.rows.find((r) => r.serviceId === row.serviceId)!;
    expect(reopened.audit.id).toBe(row.previous!.auditId);

    await completeAudit(db, admin.user, (await getAudit(db, latestId))!);
    expect(await rowCount("result_cells", latestId)).toBeGreaterThan(0);
    const again = (await dashboardData(db, "2099-12-31")).templates.find((t) => t.key === "lac-iha")!.rows.find((r) => r.serviceId === row.serviceId)!;
    expect(again.audit.id).toBe(latestId);
  });

  it("go with the audit when it is deleted", async () => {
    const [{ id }] = await finishedAudits();
    expect(await rowCount("result_criteria", id)).toBeGreaterThan(0);
    expect(await deleteAudit(db, admin.user, id)).toBe(true);
    expect(await rowCount("result_cells", id)).toBe(0);
    expect(await rowCount("result_criteria", id)).toBe(0);
  });
});
