/**
 * The trend page: 14 quarterly audits of the re-audit fixture template (10 on version 1, the
 * last 4 on version 2), created through the models in a shuffled order, with known answers:
 * - voice (both versions, reworded in v2): 5,6,5,6,5,6,5 then 9,10,9,10,9,10,9 met of 10 →
 *   a clear improvement in the last 7 (a run of 7 above the mean: special cause, improvement);
 * - chronology: always 10 of 10 (flat at 100%: common cause, consistently passing 90%);
 * - gone (v1 only): 3 of 10; fresh (v2 only, starts at cycle 11): 6 of 10.
 * Cases 1–5 of each audit are in service A, 6–10 in service B; the met answers are the first
 * ones, so service A's voice is always 100% and service B's varies.
 * An in-progress audit (all not met) must not count.
 */
import fs from "node:fs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeAudit, createAudit, getAudit } from "~/models/audits.server";
import { addCase, saveAnswers } from "~/models/cases.server";
import { parseTemplateSource, syncTemplates } from "~/models/templates.server";
import { templateTrends } from "~/models/trends.server";
import * as trendsPage from "~/routes/templates.$key.trends";
import * as templatePage from "~/routes/templates.$key.$version";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callLoader, userWithSession, useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let users: Record<"admin" | "auditor" | "reviewer" | "manager", Awaited<ReturnType<typeof userWithSession>>>;
let serviceA: number, serviceB: number, serviceC: number;
let v1Id: number, v2Id: number;
const auditIds: number[] = []; // by cycle (0 = earliest period)
let openAuditId: number;

const KEY = "reaudit-fixture";
const VOICE = [5, 6, 5, 6, 5, 6, 5, 9, 10, 9, 10, 9, 10, 9];
const pct = (met: number[], of = 10) => met.map((m) => (100 * m) / of);

async function publish(file: string) {
  const loaded = parseTemplateSource(file, fs.readFileSync(file, "utf8"));
  if ("problems" in loaded) throw new Error(JSON.stringify(loaded.problems));
  const result = await syncTemplates(db, [loaded]);
  expect(result.problems).toEqual([]);
  return (await db.selectFrom("template_versions").select("id").where("key", "=", KEY).where("version", "=", loaded.template.version).executeTakeFirstOrThrow()).id;
}

/** Quarter i from January 2023: period start and end. */
function quarter(i: number) {
  const year = 2023 + Math.floor(i / 4);
  const q = i % 4;
  const endMonth = q * 3 + 3;
  const lastDay = [31, 30, 30, 31][q];
  return { start: `${year}-${String(q * 3 + 1).padStart(2, "0")}-01`, end: `${year}-${String(endMonth).padStart(2, "0")}-${lastDay}` };
}

const metFirst = (k: number, n = 10) => Array.from({ length: n }, (_, i) => (i < k ? "met" : "not_met"));

async function makeAudit(title: string, versionId: number, period: { start: string; end: string }, answers: Record<string, string[]>, complete: boolean) {
  const actor = users.auditor.user;
  const created = await createAudit(db, actor, { templateVersionId: versionId, title, serviceIds: [String(serviceA), String(serviceB)], periodStart: period.start, periodEnd: period.end } as never);
  let audit = (await getAudit(db, created.id))!;
  for (let i = 0; i < 10; i += 1) {
    const c = await addCase(db, actor, audit, { caseRef: `T${created.id}-${i + 1}`, serviceId: i < 5 ? serviceA : serviceB, teamId: null, caseType: "CHILD", fields: {} });
    await saveAnswers(db, actor, c.id, Object.fromEntries(Object.entries(answers).map(([criterion, list]) => [criterion, { answer: list[i] }])));
    audit = (await getAudit(db, created.id))!;
  }
  if (complete) await completeAudit(db, actor, (await getAudit(db, created.id))!);
  return created.id;
}

/** Renders a route's page with the loader's data, as the server would (no JavaScript). */
async function render(data: object, Component: () => JSX.Element = trendsPage.default) {
  const handler = createStaticHandler([{ id: "page", path: "*", loader: () => data, Component }]);
  const context = await handler.query(new Request("http://localhost/templates/reaudit-fixture/trends"));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

const url = (q = "") => `/templates/${KEY}/trends${q}`;
const load = (cookie: string, q = "") => callLoader(trendsPage.loader, url(q), { cookie, params: { key: KEY } });

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  v1Id = await publish("tests/fixtures/templates/reaudit/v1.yaml");
  v2Id = await publish("tests/fixtures/templates/reaudit/v2.yaml");
  const now = nowIso();
  const provider = (await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const service = async (name: string) => (await db.insertInto("services").values({ provider_id: provider, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  serviceA = await service("LAC health team");
  serviceB = await service("Health visiting");
  serviceC = await service("Emergency department");
  users = {
    admin: await userWithSession(db, "administrator"),
    auditor: await userWithSession(db, "auditor"),
    reviewer: await userWithSession(db, "reviewer"),
    manager: await userWithSession(db, "manager"),
  };
  // Created latest first, so the order must come from the period, not the id.
  for (let i = 13; i >= 0; i -= 1) {
    const v2 = i >= 10;
    const answers: Record<string, string[]> = { voice: metFirst(VOICE[i]), chronology: metFirst(10) };
    if (v2) answers.fresh = metFirst(6);
    else answers.gone = metFirst(3);
    auditIds[i] = await makeAudit(`Quarter ${i + 1}`, v2 ? v2Id : v1Id, quarter(i), answers, true);
  }
  // A closed audit still counts.
  await db.updateTable("audits").set({ status: "closed", closed_at: nowIso() }).where("id", "=", auditIds[13]).execute();
  // Not complete: never a point, even with a later period.
  openAuditId = await makeAudit("Quarter 15 (in progress)", v2Id, quarter(14), { voice: metFirst(0), chronology: metFirst(0), fresh: metFirst(0) }, false);
}, 120_000);

afterAll(async () => env.cleanup());

describe("templateTrends", () => {
  it("has one point per complete or closed audit, ordered by period end, with the overall compliance", async () => {
    const t = (await templateTrends(db, KEY))!;
    expect(t.template).toMatchObject({ key: KEY, version: 2, green: 90 });
    expect(t.cycleCount).toBe(14);
    expect(t.overall.points.map((p) => p.auditId)).toEqual(auditIds);
    expect(t.overall.points.map((p) => p.auditId)).not.toContain(openAuditId);
    expect(t.overall.points.map((p) => p.periodEnd)).toEqual(auditIds.map((_, i) => quarter(i).end));
    // Overall = (voice + chronology + gone|fresh) met of 30.
    const expected = VOICE.map((v, i) => (100 * (v + 10 + (i >= 10 ? 6 : 3))) / 30);
    t.overall.points.forEach((p, i) => expect(p.percent).toBeCloseTo(expected[i], 10));
    expect(t.overall.points.map((p) => p.templateVersion)).toEqual(auditIds.map((_, i) => (i >= 10 ? 2 : 1)));
  });

  it("flags the improvement in the last 7 cycles as a run (special cause, improvement) and gives the icons", async () => {
    const t = (await templateTrends(db, KEY))!;
    const voice = t.criteria.find((c) => c.id === "voice")!;
    expect(voice.points.map((p) => p.percent)).toEqual(pct(VOICE));
    // Mean 74.29%: the first 7 are all below, the last 7 all above.
    expect(voice.mean).toBeCloseTo((100 * VOICE.reduce((s, v) => s + v, 0)) / 140, 10);
    expect(voice.points.slice(7).every((p) => p.specialCause && p.rules.includes("run") && p.variation === "improvement-high")).toBe(true);
    expect(voice.points.slice(0, 7).every((p) => p.rules.includes("run") && p.variation === "concern-low")).toBe(true);
    expect(voice.variation).toBe("improvement-high");
    expect(voice.tooFewPoints).toBe(false);
    expect(voice.warning).toBeNull();
    // MR̄ = (1×6 + 4 + 1×6)/13 = 16/13 → upper limit 74.29 + 2.66 × 12.31 = 107.0 > 90 > lower limit: hit and miss.
    expect(voice.assurance).toBe("hit-and-miss");

    const chronology = t.criteria.find((c) => c.id === "chronology")!;
    expect(chronology.points.every((p) => p.percent === 100 && !p.specialCause)).toBe(true);
    expect(chronology.variation).toBe("common");
    expect(chronology.assurance).toBe("pass");
  });

  it("matches criteria across the two versions by id: a reworded one continues, a new one starts its own line, a removed one stops", async () => {
    const t = (await templateTrends(db, KEY))!;
    expect(t.criteria.map((c) => c.id)).toEqual(["fresh", "voice", "chronology", "gone"]);
    const voice = t.criteria.find((c) => c.id === "voice")!;
    expect(voice.label).toBe("Does the record show the child's own views, in their words?");
    expect(voice.points).toHaveLength(14);
    const fresh = t.criteria.find((c) => c.id === "fresh")!;
    expect(fresh.points.map((p) => p.auditId)).toEqual(auditIds.slice(10));
    expect(fresh.points.map((p) => p.percent)).toEqual([60, 60, 60, 60]);
    expect(fresh.tooFewPoints).toBe(true);
    expect(fresh.warning).toBe("Fewer than 12 points: the limits are not yet reliable");
    const gone = t.criteria.find((c) => c.id === "gone")!;
    expect(gone.current).toBe(false);
    expect(gone.points.map((p) => p.auditId)).toEqual(auditIds.slice(0, 10));
    expect(gone.points.every((p) => p.percent === 30)).toBe(true);
  });

  it("filters to one service's cases", async () => {
    const a = (await templateTrends(db, KEY, { serviceId: serviceA }))!;
    expect(a.criteria.find((c) => c.id === "voice")!.points.every((p) => p.percent === 100)).toBe(true);
    const b = (await templateTrends(db, KEY, { serviceId: serviceB }))!;
    // Service B holds cases 6–10: met when the audit had more than 5 met.
    expect(b.criteria.find((c) => c.id === "voice")!.points.map((p) => p.percent)).toEqual(VOICE.map((v) => (100 * Math.max(0, v - 5)) / 5));
    expect(b.overall.points.every((p) => p.denominator === 15)).toBe(true);
    // A service in scope of no audit: no cycles.
    expect((await templateTrends(db, KEY, { serviceId: serviceC }))!.cycleCount).toBe(0);
  });

  it("is undefined for an unknown template", async () => {
    expect(await templateTrends(db, "no-such-template")).toBeUndefined();
  });
});

describe("the trend page", () => {
  it("lets every role view trends", async () => {
    for (const role of ["admin", "auditor", "reviewer", "manager"] as const) {
      const res = await load(users[role].cookie);
      expect(res.status, role).toBe(200);
      expect(res.data.overall.points).toHaveLength(14);
    }
  });

  it("sends a signed-out visitor to sign in, and 404s an unknown template", async () => {
    const anon = await callLoader(trendsPage.loader, url(), { params: { key: KEY } });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/sign-in/);
    const missing = await callLoader(trendsPage.loader, "/templates/nope/trends", { cookie: users.manager.cookie, params: { key: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("filters by service with ?service=<id>, listing only the services in scope", async () => {
    const res = await load(users.manager.cookie, `?service=${serviceB}`);
    expect(res.status).toBe(200);
    expect(res.data.service).toEqual({ id: serviceB, name: "Health visiting" });
    expect(res.data.criteria.find((c: { id: string }) => c.id === "voice").points[0].percent).toBe(0);
    expect(res.data.services.map((s: { id: number }) => s.id).sort()).toEqual([serviceA, serviceB].sort());
  });

  it("answers a service that is not in the list with a 400 and a message on the field, never a 500", async () => {
    for (const bad of [String(serviceC), "abc", "0", "99999999999"]) {
      const res = await load(users.manager.cookie, `?service=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.data.errors).toEqual({ service: "Select a service from the list" });
      expect(res.data.overall).toBeNull();
      const html = await render(res.data);
      expect(html).toContain("There is a problem");
      expect(html).toContain('id="service-error"');
    }
  });

  it("renders SVG charts with role=img and a summary, coloured and shaped special-cause points, limits, target and the data table", async () => {
    const res = await load(users.manager.cookie);
    const html = await render(res.data);
    // One chart per series: overall + fresh, voice, chronology, gone.
    expect(html.match(/<svg role="img"/g)).toHaveLength(5);
    expect(html).toMatch(/<svg role="img" aria-label="Overall compliance: 14 audit cycles, period ending 31 Mar 2023 to 30 Jun 2026\. Latest [^"]+"/);
    const voiceChart = html.slice(html.indexOf('id="criterion-voice-chart"'), html.indexOf("</svg>", html.indexOf('id="criterion-voice-chart"')));
    expect(voiceChart).toContain('data-line="mean"');
    expect(voiceChart).toContain('data-line="lower-limit"');
    expect(voiceChart).toContain('data-line="target"');
    // The upper limit (107.0%) is beyond 100%, so not drawn inside the chart.
    expect(voiceChart).not.toContain('data-line="upper-limit"');
    // 7 improvement points: blue squares; 7 concern points: orange diamonds.
    expect(voiceChart.match(/<rect[^>]*fill="#00b0f0"[^>]*data-variation="improvement-high" data-shape="square"/g)).toHaveLength(7);
    expect(voiceChart.match(/<polygon[^>]*fill="#e46c0a"[^>]*data-variation="concern-low" data-shape="diamond"/g)).toHaveLength(7);
    expect(voiceChart).toContain("Compliance (%)");
    expect(voiceChart).toContain("Audit cycle (end of audit period)");
    // Chronology: grey circles only.
    const chronChart = html.slice(html.indexOf('id="criterion-chronology-chart"'), html.indexOf("</svg>", html.indexOf('id="criterion-chronology-chart"')));
    expect(chronChart.match(/<circle[^>]*data-variation="common" data-shape="circle"/g)).toHaveLength(14);

    // The table alternative: cycle, value, special cause and which rule.
    const table = html.slice(html.indexOf('id="criterion-voice-table"'), html.indexOf("</table>", html.indexOf('id="criterion-voice-table"')));
    expect(table).toContain("Data for this chart");
    expect(table.match(/<tr class="nhsuk-table__row" data-special-cause="yes">/g)).toHaveLength(14);
    expect(table).toContain("31 Mar 2023: Quarter 1 (version 1)");
    expect(table).toContain("50.0%");
    expect(table).toContain("Yes: a run of 7 or more points on one side of the mean (improvement, higher values)");
    const chronTable = html.slice(html.indexOf('id="criterion-chronology-table"'), html.indexOf("</table>", html.indexOf('id="criterion-chronology-table"')));
    expect(chronTable.match(/data-special-cause="no"/g)).toHaveLength(14);
    expect(chronTable).toContain("100.0%");

    // Variation and assurance icons in words; the too-few-points warning on the new criterion.
    expect(html).toContain("Special cause variation: improvement, higher values");
    expect(html).toContain("Consistently passing the target");
    expect(html).toContain("Hit and miss: the target will sometimes be met and sometimes not");
    const fresh = html.slice(html.indexOf('id="criterion-fresh"'), html.indexOf('id="criterion-voice"'));
    expect(fresh).toContain("Fewer than 12 points: the limits are not yet reliable");
    const overall = html.slice(html.indexOf('id="overall"'), html.indexOf('id="criterion-fresh"'));
    expect(overall).not.toContain("Fewer than 12 points");
    // The service filter is a plain GET form (works without JavaScript).
    expect(html).toMatch(/<form method="get"/);
    expect(html).toContain(`<option value="${serviceA}">LAC health team (Northshire NHS Trust)</option>`);
  });

  it("is linked from the template page", async () => {
    const res = await callLoader(templatePage.loader, `/templates/${KEY}/2`, { cookie: users.manager.cookie, params: { key: KEY, version: "2" } });
    expect(res.status).toBe(200);
    const html = await render(res.data, templatePage.default);
    expect(html).toContain(`href="/templates/${KEY}/trends"`);
  });
});
