/**
 * Demonstration data (issue #5): the generator's counts, determinism from the seed, the
 * deteriorating service's SPC series, refusing to load twice, and removal that leaves every
 * other row alone. Also the command's messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCommand } from "~/cli/demo";
import { DemoDataExistsError, demoQuarters, generateDemoData, removeDemoData } from "~/models/demo-data.server";
import { latestTemplateVersion, templateTrends } from "~/models/trends.server";
import { allCriteria } from "~/schemas/template";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { userWithSession, useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: { id: number; email: string };
const TODAY = "2026-05-14";

async function count(table: "providers" | "services" | "teams" | "audits" | "cases" | "answers" | "audit_services" | "result_cells" | "result_criteria"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everything generated, without ids, in a stable order: what determinism compares. */
async function snapshot() {
  const audits = await db.selectFrom("audits").select(["title", "period_start", "period_end", "status", "completed_at"]).where("title", "like", "[Demo] %").orderBy("id").execute();
  const cases = await db
    .selectFrom("cases")
    .innerJoin("audits", "audits.id", "cases.audit_id")
    .innerJoin("services", "services.id", "cases.service_id")
    .select(["cases.case_ref", "cases.case_type", "cases.fields", "services.name", "audits.title"])
    .where("audits.title", "like", "[Demo] %")
    .orderBy("cases.case_ref")
    .execute();
  const answers = await db
    .selectFrom("answers")
    .innerJoin("cases", "cases.id", "answers.case_id")
    .select(["cases.case_ref", "answers.criterion_id", "answers.answer", "answers.note"])
    .where("cases.case_ref", "like", "DEMO-%")
    .orderBy("cases.case_ref")
    .orderBy("answers.criterion_id")
    .execute();
  return { audits, cases, answers };
}

/** A provider, service, team and completed audit that are not demonstration data. */
async function realData() {
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Real Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  const service = await db.insertInto("services").values({ provider_id: provider.id, name: "Real service", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("teams").values({ service_id: service.id, name: "Real team", created_at: now, updated_at: now }).execute();
  const tv = await db.selectFrom("template_versions").select("id").where("key", "=", "lac-iha").executeTakeFirstOrThrow();
  const audit = await db
    .insertInto("audits")
    .values({ template_version_id: tv.id, title: "[Demo] looks like demo but is real", period_start: "2025-04-01", period_end: "2025-06-30", status: "complete", created_by: admin.id, completed_at: "2025-06-30T23:59:59.999Z", created_at: now, updated_at: now, settings: null, closed_at: null, reaudit_of: null, reaudit_due: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("audit_services").values({ audit_id: audit.id, service_id: service.id }).execute();
  const c = await db
    .insertInto("cases")
    .values({ audit_id: audit.id, case_ref: "REAL-0001", service_id: service.id, team_id: null, case_type: "LAC", fields: "{}", created_by: admin.id, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("answers").values({ case_id: c.id, criterion_id: "x", answer: "met", note: null, answered_by: admin.id, answered_at: now, detail: null, override_reason: null, changed_reason: null }).execute();
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
});
afterAll(async () => env.cleanup());

describe("demo command without users", () => {
  it("asks for the first administrator when there is no user at all", async () => {
    const err: string[] = [];
    const code = await demoCommand([], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.join("\n")).toBe("Create the first administrator account first (npm start, then open the app)");
    expect(await count("providers")).toBe(0);
  });

  it("answers bad usage with exit code 2, the problem and the usage, changing nothing", async () => {
    for (const [args, problem] of [
      [["--bogus"], "Unknown option --bogus."],
      [["--seed"], "--seed needs a value."],
      [["--seed", " "], "--seed needs a value."],
      [["extra"], "Unknown argument extra."],
    ] as const) {
      const err: string[] = [];
      expect(await demoCommand([...args], { out: () => {}, err: (l) => err.push(l) }), args.join(" ")).toBe(2);
      expect(err.join("\n")).toMatch(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}\n\nUsage: npm run cli -- demo`));
    }
    expect(await count("providers")).toBe(0);
  });
});

describe("generateDemoData", () => {
  beforeAll(async () => {
    admin = (await userWithSession(db, "administrator")).user;
  });

  it("gives eight financial quarters ending with the last full one", () => {
    const q = demoQuarters(TODAY, 8);
    expect(q).toHaveLength(8);
    expect(q[7]).toEqual({ start: "2026-01-01", end: "2026-03-31", label: "Q4 2025/26" });
    expect(q[0]).toEqual({ start: "2024-04-01", end: "2024-06-30", label: "Q1 2024/25" });
  });

  it("loads the trust, 8 completed audits per template and an answer per case × criterion, marked as demonstration data (loading the templates first)", async () => {
    expect(await count("audits")).toBe(0);
    const counts = await generateDemoData(db, admin, { today: TODAY });
    expect(counts.providers).toBe(2);
    expect(counts.audits).toBe(32);
    expect(counts.cases).toBe(32 * 12);
    expect(counts.answers).toBeGreaterThan(counts.cases * 5);
    expect({ providers: await count("providers"), services: await count("services"), teams: await count("teams"), audits: await count("audits"), cases: await count("cases"), answers: await count("answers") }).toEqual(counts);

    const providers = await db.selectFrom("providers").select("name").execute();
    for (const p of providers) expect(p.name).toMatch(/ \(demonstration data\)$/);
    const audits = await db.selectFrom("audits").innerJoin("template_versions as tv", "tv.id", "audits.template_version_id").select(["audits.title", "audits.status", "audits.completed_at", "audits.period_end", "tv.key"]).execute();
    for (const a of audits) {
      expect(a.title.startsWith("[Demo] ")).toBe(true);
      expect(a.status).toBe("complete");
      expect(a.completed_at!.slice(0, 10)).toBe(a.period_end);
    }
    for (const key of ["lac-iha", "lac-rha", "hv-school-nursing", "maternity"]) expect(audits.filter((a) => a.key === key)).toHaveLength(8);
    const refs = await db.selectFrom("cases").select("case_ref").orderBy("id").execute();
    expect(refs[0].case_ref).toBe("DEMO-0001");
    expect(new Set(refs.map((r) => r.case_ref)).size).toBe(refs.length);
    const log = await db.selectFrom("audit_log").select(["action", "user_id"]).where("action", "=", "demo-data-load").execute();
    expect(log).toEqual([{ action: "demo-data-load", user_id: admin.id }]);
  });

  it("charts lac-iha with 8 points, figures that vary, and the deteriorating service getting worse", async () => {
    const all = (await templateTrends(db, "lac-iha"))!;
    expect(all.cycleCount).toBe(8);
    expect(all.overall.points).toHaveLength(8);
    expect(new Set(all.overall.points.map((p) => p.percent)).size).toBeGreaterThan(4);

    const south = await db.selectFrom("services").select("id").where("name", "=", "Looked after children's health: South").executeTakeFirstOrThrow();
    const trend = (await templateTrends(db, "lac-iha", { serviceId: south.id }))!;
    const points = trend.overall.points.map((p) => p.percent);
    expect(points).toHaveLength(8);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(points.slice(-2))).toBeLessThan(mean(points.slice(0, 2)) - 10);

    const improving = await db.selectFrom("services").select("id").where("name", "=", "Community paediatrics").executeTakeFirstOrThrow();
    const up = (await templateTrends(db, "lac-iha", { serviceId: improving.id }))!.overall.points.map((p) => p.percent);
    expect(mean(up.slice(-2))).toBeGreaterThan(mean(up.slice(0, 2)) + 10);

    // Date-rule criteria are decided from the generated dates (in time or late), not left undecided.
    const template = (await latestTemplateVersion(db, "lac-iha"))!.template;
    const ruleIds = allCriteria(template).filter((c) => c.rule).map((c) => c.id);
    expect(ruleIds.length).toBeGreaterThan(0);
    for (const id of ruleIds) {
      const s = all.criteria.find((x) => x.criterionId === id)!;
      expect(s.points, id).toHaveLength(8);
      expect(s.points.some((p) => p.percent < 100), id).toBe(true);
    }
  });

  it("refuses to load twice, adding nothing", async () => {
    const before = await snapshot();
    await expect(generateDemoData(db, admin, { today: TODAY })).rejects.toBeInstanceOf(DemoDataExistsError);
    const err: string[] = [];
    expect(await demoCommand([], { out: () => {}, err: (l) => err.push(l) })).toBe(1);
    expect(err.join("\n")).toMatch(/already loaded.*demo --remove/);
    expect(await snapshot()).toEqual(before);
    expect(await count("audits")).toBe(32);
  });

  it("is deterministic from the seed", async () => {
    const first = await snapshot();
    await removeDemoData(db, admin);
    await generateDemoData(db, admin, { today: TODAY });
    expect(await snapshot()).toEqual(first);
    await removeDemoData(db, admin);
    await generateDemoData(db, admin, { today: TODAY, seed: "another" });
    expect((await snapshot()).answers).not.toEqual(first.answers);
  });

  it("removes exactly the demonstration data, in one logged step, leaving other data untouched", async () => {
    await realData();
    const real = {
      providers: await db.selectFrom("providers").selectAll().where("name", "not like", "%(demonstration data)").execute(),
      audits: await db.selectFrom("audits").selectAll().where("created_by", "=", admin.id).where("title", "like", "%is real").execute(),
      cases: await db.selectFrom("cases").selectAll().where("case_ref", "=", "REAL-0001").execute(),
    };
    const counts = await removeDemoData(db, admin);
    expect(counts).toMatchObject({ providers: 2, audits: 32, cases: 384 });
    expect(await count("providers")).toBe(1);
    expect(await count("services")).toBe(1);
    expect(await count("teams")).toBe(1);
    expect(await count("audits")).toBe(1);
    expect(await count("cases")).toBe(1);
    expect(await count("answers")).toBe(1);
    expect(await count("audit_services")).toBe(1);
    // The stored results of the demonstration audits go too (the real audit is not finished).
    expect(await count("result_cells")).toBe(0);
    expect(await count("result_criteria")).toBe(0);
    expect(await db.selectFrom("providers").selectAll().execute()).toEqual(real.providers);
    expect(await db.selectFrom("audits").selectAll().execute()).toEqual(real.audits);
    expect(await db.selectFrom("cases").selectAll().execute()).toEqual(real.cases);
    const log = await db.selectFrom("audit_log").select(["action", "before"]).where("action", "=", "demo-data-remove").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toEqual(counts);
    // Nothing left to remove; the command says so.
    const out: string[] = [];
    expect(await demoCommand(["--remove"], { out: (l) => out.push(l), err: () => {} })).toBe(0);
    expect(out.join("\n")).toBe("There is no demonstration data to remove.");
  });

  it("refuses to remove a demonstration service that a real audit uses, changing nothing", async () => {
    await generateDemoData(db, admin, { today: TODAY });
    const demoService = await db.selectFrom("services").select("id").where("name", "=", "School nursing").executeTakeFirstOrThrow();
    const realAudit = await db.selectFrom("audits").select("id").where("title", "like", "%is real").executeTakeFirstOrThrow();
    await db.insertInto("audit_services").values({ audit_id: realAudit.id, service_id: demoService.id }).execute();
    const audits = await count("audits");
    await expect(removeDemoData(db, admin)).rejects.toThrow(`audit ${realAudit.id} is not demonstration data but uses a demonstration service`);
    expect(await count("audits")).toBe(audits);
    expect(await count("providers")).toBe(3);
  });
});
