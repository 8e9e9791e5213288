import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWorkingDays, workingDaysBetween } from "~/lib/working-days";
import { todayInLondon } from "~/lib/dates";
import { allCriteria, type Template } from "~/schemas/template";
import { loadTemplates, listLatestTemplates, getTemplateVersion } from "~/models/templates.server";
import * as auditsIndex from "~/routes/audits._index";
import * as newAudit from "~/routes/audits.new";
import * as auditPage from "~/routes/audits.$auditId._index";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as editCase from "~/routes/audits.$auditId.cases.$caseId.edit";
import * as editAudit from "~/routes/audits.$auditId.edit";
import * as results from "~/routes/audits.$auditId.results";
import * as templatesIndex from "~/routes/templates._index";
import * as templateView from "~/routes/templates.$key.$version";
import * as compareVersions from "~/routes/templates.$key.compare";
import { changeSetting } from "~/models/settings.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, userWithSession } from "./helpers";
import { useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: string, auditor: string, reviewer: string, manager: string;
let serviceA: number, serviceB: number, otherService: number, teamA: number, teamB: number;
let templateVersionId: number;
let template: Template;

async function insertService(name: string, providerId: number) {
  const now = nowIso();
  return (await db.insertInto("services").values({ provider_id: providerId, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  const loaded = await loadTemplates(db);
  expect(loaded.problems).toEqual([]);
  const t01 = (await listLatestTemplates(db)).find((t) => t.key === "lac-iha")!;
  templateVersionId = t01.id;
  template = (await getTemplateVersion(db, t01.id))!.template;
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  serviceA = await insertService("LAC health team", provider.id);
  serviceB = await insertService("Health visiting", provider.id);
  otherService = await insertService("Emergency department", provider.id);
  teamA = (await db.insertInto("teams").values({ service_id: serviceA, name: "North", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  teamB = (await db.insertInto("teams").values({ service_id: serviceB, name: "South", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  admin = (await userWithSession(db, "administrator")).cookie;
  auditor = (await userWithSession(db, "auditor")).cookie;
  reviewer = (await userWithSession(db, "reviewer")).cookie;
  manager = (await userWithSession(db, "manager")).cookie;
});

afterAll(async () => env.cleanup());

const auditFields = (over: Record<string, string | string[]> = {}) => ({
  templateVersionId: String(templateVersionId),
  title: "IHA audit Q1",
  serviceIds: [String(serviceA), String(serviceB)],
  "periodStart.day": "1",
  "periodStart.month": "1",
  "periodStart.year": "2026",
  "periodEnd.day": "31",
  "periodEnd.month": "3",
  "periodEnd.year": "2026",
  ...over,
});

async function createAudit(cookie = auditor) {
  const res = await callAction(newAudit.action, "/audits/new", auditFields(), { cookie });
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

/** Case fields for T01 with the given ISO dates. */
function caseFields(ref: string, dates: { dob?: string; lookedAfter?: string; seen?: string; reportSent?: string }, over: Record<string, string> = {}) {
  const parts = (name: string, iso?: string) => {
    if (!iso) return {};
    const [y, m, d] = iso.split("-");
    return { [`fields.${name}.day`]: String(Number(d)), [`fields.${name}.month`]: String(Number(m)), [`fields.${name}.year`]: y };
  };
  return {
    caseRef: ref,
    serviceId: String(serviceA),
    teamId: "",
    caseType: "LAC",
    ...parts("date_of_birth", dates.dob ?? "2015-05-01"),
    ...parts("date_looked_after", dates.lookedAfter),
    ...parts("iha_seen", dates.seen),
    ...parts("iha_report_sent", dates.reportSent),
    ...over,
  };
}

async function addCase(auditId: number, fields: Record<string, string>) {
  return callAction(newCase.action, `/audits/${auditId}/cases/new`, fields, { cookie: auditor, params: { auditId: String(auditId) } });
}

describe("creating an audit", () => {
  it("creates a draft audit pinned to the template version, with its services, and logs it", async () => {
    const id = await createAudit();
    const audit = await db.selectFrom("audits").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ status: "draft", template_version_id: templateVersionId, period_start: "2026-01-01", period_end: "2026-03-31" });
    const services = await db.selectFrom("audit_services").select("service_id").where("audit_id", "=", id).execute();
    expect(services.map((s) => s.service_id).sort()).toEqual([serviceA, serviceB].sort());
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "audit").where("entity_id", "=", String(id)).execute();
    expect(log).toHaveLength(1);
    expect(log[0].action).toBe("create");
  });

  it("gives a message for every missing answer and saves nothing", async () => {
    const before = await db.selectFrom("audits").select("id").execute();
    const res = await callAction(newAudit.action, "/audits/new", {}, { cookie: auditor });
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({
      templateVersionId: "Select the template to audit against",
      title: "Enter a title for the audit",
      serviceIds: "Select at least one service in scope",
      periodStart: "Enter the start of the audit period",
    });
    expect(await db.selectFrom("audits").select("id").execute()).toHaveLength(before.length);
  });

  it("refuses impossible, future and reversed dates with GOV.UK messages, keeping the answers", async () => {
    const res = await callAction(newAudit.action, "/audits/new", auditFields({ "periodStart.day": "31", "periodStart.month": "2" }), { cookie: auditor });
    expect(res.status).toBe(400);
    expect(res.data.errors.periodStart).toBe("Start of the audit period must be a real date");
    expect(res.data.values.title).toBe("IHA audit Q1");
    const future = Number(todayInLondon().slice(0, 4)) + 1;
    const res2 = await callAction(newAudit.action, "/audits/new", auditFields({ "periodStart.year": String(future), "periodEnd.year": String(future) }), { cookie: auditor });
    expect(res2.data.errors.periodStart).toBe("Start of the audit period must be today or in the past");
    const res3 = await callAction(newAudit.action, "/audits/new", auditFields({ "periodEnd.month": "1", "periodEnd.day": "1", "periodStart.day": "2" }), { cookie: auditor });
    expect(res3.data.errors.periodEnd).toBe("End of the audit period must be the same as or after the start");
  });

  it("refuses crafted template and service ids", async () => {
    const res = await callAction(newAudit.action, "/audits/new", auditFields({ templateVersionId: "9999" }), { cookie: auditor });
    expect(res.status).toBe(400);
    expect(res.data.errors.templateVersionId).toBe("Select the template to audit against");
    const res2 = await callAction(newAudit.action, "/audits/new", auditFields({ serviceIds: ["9999"] }), { cookie: auditor });
    expect(res2.status).toBe(400);
    expect(res2.data.errors.serviceIds).toBe("Select services from the list");
  });
});

describe("adding cases", () => {
  let auditId: number;
  beforeAll(async () => {
    auditId = await createAudit();
  });

  it("adds a case, moves the audit to in progress and opens the case for scoring", async () => {
    const res = await addCase(auditId, caseFields("LAC-0001", { lookedAfter: "2025-12-01", seen: "2025-12-20", reportSent: "2025-12-31" }, { teamId: String(teamA) }));
    expect(res.status).toBe(302);
    expect(res.location).toMatch(new RegExp(`^/audits/${auditId}/cases/\\d+$`));
    const row = await db.selectFrom("cases").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow();
    expect(row.case_ref).toBe("LAC-0001");
    expect(JSON.parse(row.fields)).toMatchObject({ date_looked_after: "2025-12-01", iha_seen: "2025-12-20", iha_report_sent: "2025-12-31" });
    const audit = await db.selectFrom("audits").select("status").where("id", "=", auditId).executeTakeFirstOrThrow();
    expect(audit.status).toBe("in_progress");
  });

  it.each([
    ["a duplicate reference", { caseRef: "lac-0001" }, "caseRef", "Case reference LAC-0001 is already in this audit. Enter a different case reference"],
    ["an NHS number", { caseRef: "9434765919" }, "caseRef", "Case reference must not be an NHS number. Enter your service's pseudonymous reference instead"],
    ["a spaced NHS number", { caseRef: "943-476-5919" }, "caseRef", "Case reference must not be an NHS number. Enter your service's pseudonymous reference instead"],
    ["a name", { caseRef: "Jane Smith" }, "caseRef", "Case reference must only include letters, numbers, hyphens, slashes, dots and underscores, with no spaces"],
    ["an empty reference", { caseRef: "" }, "caseRef", "Enter the case reference"],
    ["a service outside the audit", { serviceId: "$otherService" }, "serviceId", "Select a service that is in scope for this audit"],
    ["a team of another service", { teamId: "$teamB" }, "teamId", "Select a team that belongs to the chosen service"],
    ["an impossible date", { "fields.date_looked_after.day": "31", "fields.date_looked_after.month": "2" }, "fields.date_looked_after", "must be a real date"],
    ["a date in the future", { "fields.date_of_birth.year": String(Number(todayInLondon().slice(0, 4)) + 1) }, "fields.date_of_birth", "must be today or in the past"],
    ["a date missing its month", { "fields.date_looked_after.month": "" }, "fields.date_looked_after", "must include a month"],
  ])("refuses %s with a clear message and saves nothing", async (_label, over, field, message) => {
    const count = (await db.selectFrom("cases").select("id").where("audit_id", "=", auditId).execute()).length;
    // Ids only exist once beforeAll has run, so the table names them and they are looked up here.
    const ids: Record<string, string> = { $otherService: String(otherService), $teamB: String(teamB) };
    const resolved = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, ids[v] ?? v]));
    const res = await addCase(auditId, { ...caseFields("LAC-0002", { lookedAfter: "2025-12-01" }), ...resolved });
    expect(res.status).toBe(400);
    expect(res.data.errors[field]).toContain(message);
    expect((await db.selectFrom("cases").select("id").where("audit_id", "=", auditId).execute()).length).toBe(count);
  });

  it("refuses an IHA date before the child became looked after", async () => {
    const res = await addCase(auditId, caseFields("LAC-0003", { lookedAfter: "2025-12-01", seen: "2025-11-20" }));
    expect(res.status).toBe(400);
    expect(res.data.errors["fields.iha_seen"]).toMatch(/must be the same as or after the date the child became looked after/);
  });

  it("requires the date the child became looked after", async () => {
    const res = await addCase(auditId, caseFields("LAC-0004", {}));
    expect(res.status).toBe(400);
    expect(res.data.errors["fields.date_looked_after"]).toBe("Enter the date the child became looked after");
  });

  it("changes and removes a case, logging before and after", async () => {
    const add = await addCase(auditId, caseFields("LAC-0009", { lookedAfter: "2025-12-01" }));
    const caseId = add.location!.split("/").pop()!;
    const params = { auditId: String(auditId), caseId };
    const upd = await callAction(editCase.action, `/audits/${auditId}/cases/${caseId}/edit`, caseFields("LAC-0010", { lookedAfter: "2025-12-02" }), { cookie: auditor, params });
    expect(upd.status).toBe(302);
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "case").where("entity_id", "=", caseId).where("action", "=", "update").executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!).case_ref).toBe("LAC-0009");
    expect(JSON.parse(log.after!).case_ref).toBe("LAC-0010");
    const del = await callAction(editCase.action, `/audits/${auditId}/cases/${caseId}/edit`, { intent: "delete" }, { cookie: auditor, params });
    expect(del.status).toBe(302);
    expect(await db.selectFrom("cases").select("id").where("id", "=", Number(caseId)).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("audit_log").select("id").where("entity", "=", "case").where("entity_id", "=", caseId).where("action", "=", "delete").executeTakeFirst()).toBeDefined();
  });
});

describe("scoring and results", () => {
  let auditId: number;
  let case1: string, case2: string;
  let scorable: ReturnType<typeof allCriteria>;

  beforeAll(async () => {
    auditId = await createAudit();
    scorable = allCriteria(template).filter((c) => !c.rule);
    // Case 1: entered care Mon 1 Dec 2025, due Wed 31 Dec 2025 (25 and 26 Dec excluded); seen and report sent on time.
    const r1 = await addCase(auditId, caseFields("LAC-1001", { lookedAfter: "2025-12-01", seen: "2025-12-30", reportSent: "2025-12-31" }));
    // Case 2: entered care Fri 20 Mar 2026, due Tue 21 Apr 2026 (Easter excluded); seen a day late.
    const r2 = await addCase(auditId, { ...caseFields("LAC-1002", { lookedAfter: "2026-03-20", seen: addWorkingDays("2026-03-20", 21), reportSent: "2026-04-30" }), serviceId: String(serviceB) });
    case1 = r1.location!.split("/").pop()!;
    case2 = r2.location!.split("/").pop()!;
  });

  const post = (caseId: string, fields: Record<string, string>, cookie = auditor) =>
    callAction(casePage.action, `/audits/${auditId}/cases/${caseId}`, fields, { cookie, params: { auditId: String(auditId), caseId } });

  it("saves an answer as it is given and logs it", async () => {
    const c = scorable[0];
    const res = await post(case1, { [`answers.${c.id}.answer`]: "met" });
    expect(res.data.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.data.saved).toEqual([c.id]);
    const row = await db.selectFrom("answers").selectAll().where("case_id", "=", Number(case1)).where("criterion_id", "=", c.id).executeTakeFirstOrThrow();
    expect(row.answer).toBe("met");
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "answer").where("entity_id", "=", `${case1}/${c.id}`).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toEqual({ answer: "met", note: null, detail: null, override_reason: null });
  });

  it("requires a note for not met, and saves nothing from a post with any invalid answer", async () => {
    const [a, b] = scorable.filter((c) => c.noteRequiredFor.includes("not_met"));
    const res = await post(case1, { [`answers.${a.id}.answer`]: "met", [`answers.${b.id}.answer`]: "not_met", [`answers.${b.id}.note`]: "  " });
    expect(res.status).toBe(400);
    expect(res.data.errors[`answers.${b.id}.note`]).toBe("Enter a note to say why this is not met");
    const saved = await db.selectFrom("answers").select("criterion_id").where("case_id", "=", Number(case1)).where("criterion_id", "in", [a.id, b.id]).execute();
    expect(saved.map((s) => s.criterion_id)).not.toContain(b.id);
    if (a.id !== scorable[0].id) expect(saved.map((s) => s.criterion_id)).not.toContain(a.id);
  });

  it("refuses an answer the template does not allow", async () => {
    const c = scorable.find((x) => !x.answers.includes("na"))!;
    const res = await post(case1, { [`answers.${c.id}.answer`]: "na" });
    expect(res.status).toBe(400);
    expect(res.data.errors[`answers.${c.id}.answer`]).toMatch(/^Select whether this is /);
    const res2 = await post(case1, { [`answers.${c.id}.answer`]: "banana" });
    expect(res2.status).toBe(400);
  });

  it("refuses a criterion that is not in the audit, and ignores an answer crafted for a date-rule criterion", async () => {
    const res = await post(case1, { "answers.not-a-criterion.answer": "met" });
    expect(res.status).toBe(400);
    expect(res.data.errors.answers).toBe("The answers include a criterion that is not in this audit's template");
    const rule = allCriteria(template).find((c) => c.rule)!;
    // The page posts only a note for a rule criterion; an answer smuggled in is dropped, never stored.
    const res2 = await post(case1, { [`answers.${rule.id}.answer`]: "met" });
    expect(res2.data.saved ?? []).not.toContain(rule.id);
    expect(await db.selectFrom("answers").select("id").where("criterion_id", "=", rule.id).executeTakeFirst()).toBeUndefined();
  });

  it("refuses a case id from another audit", async () => {
    const otherAudit = await createAudit();
    const res = await callAction(casePage.action, `/audits/${otherAudit}/cases/${case1}`, { [`answers.${scorable[0].id}.answer`]: "met" }, { cookie: auditor, params: { auditId: String(otherAudit), caseId: case1 } });
    expect(res.status).toBe(404);
    const res2 = await callLoader(casePage.loader, `/audits/${otherAudit}/cases/${case1}`, { cookie: auditor, params: { auditId: String(otherAudit), caseId: case1 } });
    expect(res2.status).toBe(404);
  });

  it("shows the IHA date rule with its dates, due date and working days", async () => {
    const res = await callLoader(casePage.loader, `/audits/${auditId}/cases/${case2}`, { cookie: reviewer, params: { auditId: String(auditId), caseId: case2 } });
    expect(res.status).toBe(200);
    // Seen on working day 21 (one day late); the report went on 30 April.
    expect(res.data.rules["iha-timely"]).toMatchObject({ answer: "not_met", dueDate: "2026-04-21", workingDaysElapsed: workingDaysBetween("2026-03-20", "2026-04-30") });
    const one = await callLoader(casePage.loader, `/audits/${auditId}/cases/${case1}`, { cookie: reviewer, params: { auditId: String(auditId), caseId: case1 } });
    expect(one.data.rules["iha-timely"]).toMatchObject({ answer: "met", dueDate: "2025-12-31" });
  });

  /** Criteria the case's data make "not applicable" (answering them needs a reason). */
  const autoNaOf = async (caseId: string) =>
    new Set<string>((await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: auditor, params: { auditId: String(auditId), caseId } })).data.autoNa);

  it("rolls up by criterion, service and overall with N/A left out", async () => {
    // Case 1: every auditor criterion met (answering the automatically not applicable ones anyway,
    // with a reason). Case 2: not met (with a note) or N/A where allowed, leaving automatic N/A alone.
    const auto1 = await autoNaOf(case1);
    const auto2 = await autoNaOf(case2);
    const all1: Record<string, string> = {};
    const all2: Record<string, string> = {};
    for (const c of scorable) {
      if (c.measure?.type === "ratio") Object.assign(all1, { [`answers.${c.id}.numerator`]: "2", [`answers.${c.id}.denominator`]: "2" });
      else all1[`answers.${c.id}.answer`] = "met";
      if (auto1.has(c.id)) all1[`answers.${c.id}.overrideReason`] = "The record shows it applies";
      if (auto2.has(c.id)) continue;
      if (c.answers.includes("na")) all2[`answers.${c.id}.answer`] = "na";
      else {
        if (c.measure?.type === "ratio") Object.assign(all2, { [`answers.${c.id}.numerator`]: "0", [`answers.${c.id}.denominator`]: "2" });
        else all2[`answers.${c.id}.answer`] = "not_met";
        all2[`answers.${c.id}.note`] = "No evidence in the record";
      }
    }
    expect((await post(case1, all1)).status).toBe(200);
    expect((await post(case2, all2)).status).toBe(200);
    const res = await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: manager, params: { auditId: String(auditId) } });
    expect(res.status).toBe(200);
    const { rollup } = res.data;
    const rules = allCriteria(template).filter((c) => c.rule);
    const notMet2 = scorable.filter((c) => !c.answers.includes("na") && !auto2.has(c.id)).length;
    const na2 = scorable.length - notMet2;
    // Date rules: case 1 met on every rule with dates; case 2 not met for IHA timeliness.
    const timely = rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === "iha-timely");
    expect(timely).toMatchObject({ met: 1, notMet: 1, denominator: 2, percent: 50, rag: "red" });
    const serviceATotals = rollup.byService.find((s: { serviceId: number }) => s.serviceId === serviceA);
    expect(serviceATotals.met).toBeGreaterThanOrEqual(scorable.length);
    expect(serviceATotals.met + serviceATotals.partial + serviceATotals.notMet).toBe(serviceATotals.denominator);
    const serviceBTotals = rollup.byService.find((s: { serviceId: number }) => s.serviceId === serviceB);
    expect(serviceBTotals.na).toBe(na2);
    expect(serviceBTotals.notMet).toBeGreaterThanOrEqual(notMet2);
    expect(rollup.overall.denominator).toBe(rollup.overall.met + rollup.overall.partial + rollup.overall.notMet);
    expect(rollup.overall.percent).toBeCloseTo((100 * rollup.overall.met) / rollup.overall.denominator, 9);
    expect(rules.length).toBeGreaterThan(0);
    // A criterion answered N/A by case 2 and met by case 1 is 100% from a denominator of 1, not 50%.
    const naCriterion = scorable.find((c) => c.answers.includes("na"));
    if (naCriterion) {
      const fig = rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === naCriterion.id);
      expect(fig).toMatchObject({ met: 1, na: 1, denominator: 1, percent: 100, rag: "green" });
    }
  });

  it("shows progress: a case is complete once every criterion has an answer", async () => {
    const res = await callLoader(auditPage.loader, `/audits/${auditId}`, { cookie: auditor, params: { auditId: String(auditId) } });
    expect(res.data.progress).toEqual({ complete: 2, total: 2 });
    const m = await callLoader(auditPage.loader, `/audits/${auditId}`, { cookie: manager, params: { auditId: String(auditId) } });
    expect(m.data.cases).toBeNull();
  });
});

describe("who may do what (every audit route checks the role on the server)", () => {
  let auditId: number;
  let caseId: string;
  beforeAll(async () => {
    auditId = await createAudit(admin);
    const r = await addCase(auditId, caseFields("LAC-5001", { lookedAfter: "2025-12-01" }));
    caseId = r.location!.split("/").pop()!;
  });

  const roles = () => ({ administrator: admin, auditor, reviewer, manager });
  type Case = { name: string; run: (cookie?: string) => ReturnType<typeof callLoader>; allowed: string[] };
  const cases = (): Case[] => {
    const p = { auditId: String(auditId), caseId, key: "lac-iha", version: String(template.version) };
    const loader = (mod: { loader: any }, url: string) => (cookie?: string) => callLoader(mod.loader, url, { cookie, params: p });
    const action = (mod: { action: any }, url: string, fields: Record<string, string>) => (cookie?: string) => callAction(mod.action, url, fields, { cookie, params: p });
    const all = ["administrator", "auditor", "reviewer", "manager"];
    const editors = ["administrator", "auditor"];
    return [
      { name: "GET /audits", run: loader(auditsIndex, "/audits"), allowed: all },
      { name: "GET /audits/new", run: loader(newAudit, "/audits/new"), allowed: editors },
      { name: "POST /audits/new", run: action(newAudit, "/audits/new", {}), allowed: editors },
      { name: "GET /audits/:id", run: loader(auditPage, `/audits/${auditId}`), allowed: all },
      { name: "GET /audits/:id/edit", run: loader(editAudit, `/audits/${auditId}/edit`), allowed: editors },
      { name: "POST /audits/:id/edit", run: action(editAudit, `/audits/${auditId}/edit`, {}), allowed: editors },
      { name: "GET /audits/:id/cases/new", run: loader(newCase, `/audits/${auditId}/cases/new`), allowed: editors },
      { name: "POST /audits/:id/cases/new", run: action(newCase, `/audits/${auditId}/cases/new`, {}), allowed: editors },
      { name: "GET case", run: loader(casePage, `/audits/${auditId}/cases/${caseId}`), allowed: ["administrator", "auditor", "reviewer"] },
      { name: "POST case answers", run: action(casePage, `/audits/${auditId}/cases/${caseId}`, {}), allowed: editors },
      { name: "GET case edit", run: loader(editCase, `/audits/${auditId}/cases/${caseId}/edit`), allowed: editors },
      { name: "POST case edit", run: action(editCase, `/audits/${auditId}/cases/${caseId}/edit`, {}), allowed: editors },
      { name: "GET results", run: loader(results, `/audits/${auditId}/results`), allowed: all },
      { name: "GET /templates", run: loader(templatesIndex, "/templates"), allowed: all },
      { name: "GET /templates/:key/:version", run: loader(templateView, `/templates/lac-iha/${template.version}`), allowed: all },
      { name: "GET /templates/:key/compare", run: loader(compareVersions, `/templates/lac-iha/compare?from=${template.version}&to=${template.version}`), allowed: all },
    ];
  };

  it("allows exactly the right roles, refuses the others with 403 and sends signed-out users to sign in", async () => {
    for (const c of cases()) {
      for (const [role, cookie] of Object.entries(roles())) {
        const res = await c.run(cookie);
        if (c.allowed.includes(role)) expect([200, 302, 400], `${c.name} as ${role}`).toContain(res.status);
        else expect(res.status, `${c.name} as ${role}`).toBe(403);
      }
      const anon = await c.run(undefined);
      expect(anon.status, `${c.name} signed out`).toBe(302);
      expect(anon.location, `${c.name} signed out`).toMatch(/^\/sign-in\?redirectTo=/);
    }
  });

  it("refuses a post without this browser's CSRF token", async () => {
    const res = await callAction(newAudit.action, "/audits/new", auditFields(), { cookie: auditor, csrf: false });
    expect(res.status).toBe(403);
    const res2 = await callAction(newAudit.action, "/audits/new", auditFields(), { cookie: auditor, csrf: "forged-token" });
    expect(res2.status).toBe(403);
  });
});

describe("applicability, measures and local settings", () => {
  let auditId: number;
  let caseId: string;
  const params = () => ({ auditId: String(auditId), caseId });
  const post = (fields: Record<string, string>) => callAction(casePage.action, `/audits/${auditId}/cases/${caseId}`, fields, { cookie: auditor, params: params() });
  const page = () => callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: auditor, params: params() });

  beforeAll(async () => {
    auditId = await createAudit();
    const r = await addCase(auditId, caseFields("LAC-6001", { lookedAfter: "2025-12-01", seen: "2025-12-30", reportSent: "2025-12-31" }, { "fields.uasc": "no", "fields.iha_request_received.day": "9", "fields.iha_request_received.month": "12", "fields.iha_request_received.year": "2025" }));
    caseId = r.location!.split("/").pop()!;
  });

  it("answers a UASC-only criterion not applicable from the case details and says why", async () => {
    const res = await page();
    expect(res.data.autoNa).toContain("iha-uasc");
    expect(res.data.applicability["iha-uasc"]).toEqual({ applicable: false, reason: expect.stringMatching(/^Not applicable: “Unaccompanied asylum-seeking child” is No/) });
    const rollup = (await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: manager, params: { auditId: String(auditId) } })).data.rollup;
    expect(rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === "iha-uasc")).toMatchObject({ na: 1, unanswered: 0, denominator: 0 });
  });

  it("lets the auditor answer it anyway only with a reason, which is stored and logged", async () => {
    const refused = await post({ "answers.iha-uasc.answer": "met" });
    expect(refused.status).toBe(400);
    expect(refused.data.errors["answers.iha-uasc.overrideReason"]).toBe("Enter why this applies to this case even though the case details say it does not");
    expect(await db.selectFrom("answers").select("id").where("case_id", "=", Number(caseId)).where("criterion_id", "=", "iha-uasc").executeTakeFirst()).toBeUndefined();

    const ok = await post({ "answers.iha-uasc.answer": "met", "answers.iha-uasc.overrideReason": "Status changed after the IHA: now UASC" });
    expect(ok.status).toBe(200);
    const row = await db.selectFrom("answers").selectAll().where("case_id", "=", Number(caseId)).where("criterion_id", "=", "iha-uasc").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answer: "met", override_reason: "Status changed after the IHA: now UASC" });
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "answer").where("entity_id", "=", `${caseId}/iha-uasc`).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ answer: "met", override_reason: "Status changed after the IHA: now UASC" });
    const rollup = (await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: manager, params: { auditId: String(auditId) } })).data.rollup;
    expect(rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === "iha-uasc")).toMatchObject({ met: 1, na: 0 });
  });

  it("works out a SMART-plan answer from the counts, and refuses counts that do not add up", async () => {
    const bad = await post({ "answers.hp-smart.numerator": "3", "answers.hp-smart.denominator": "2", "answers.hp-smart.note": "x" });
    expect(bad.status).toBe(400);
    expect(bad.data.errors["answers.hp-smart.numerator"]).toMatch(/must not be more than/);
    const typo = await post({ "answers.hp-smart.numerator": "two", "answers.hp-smart.denominator": "4" });
    expect(typo.data.errors["answers.hp-smart.numerator"]).toMatch(/as a whole number, like 3$/);
    const noCounts = await post({ "answers.hp-smart.answer": "met" });
    expect(noCounts.status).toBe(400);

    const ok = await post({ "answers.hp-smart.answer": "met", "answers.hp-smart.numerator": "2", "answers.hp-smart.denominator": "4", "answers.hp-smart.note": "Two actions have no owner" });
    expect(ok.status).toBe(200);
    const row = await db.selectFrom("answers").select(["answer", "detail"]).where("case_id", "=", Number(caseId)).where("criterion_id", "=", "hp-smart").executeTakeFirstOrThrow();
    // 2 of 4 actions meet all four tests: partially met, whatever radio was sent.
    expect(row).toEqual({ answer: "partial", detail: JSON.stringify({ numerator: 2, denominator: 4 }) });
    expect((await page()).data.answers["hp-smart"]).toMatchObject({ answer: "partial", numerator: "2", denominator: "4" });
  });

  it("keeps a note on a date-rule criterion without changing the answer the rule gives", async () => {
    const ok = await post({ "answers.iha-timely.note": "Consent from the parent arrived late" });
    expect(ok.status).toBe(200);
    const row = await db.selectFrom("answers").select(["answer", "note"]).where("case_id", "=", Number(caseId)).where("criterion_id", "=", "iha-timely").executeTakeFirstOrThrow();
    expect(row).toEqual({ answer: null, note: "Consent from the parent arrived late" });
    const res = await page();
    expect(res.data.rules["iha-timely"].answer).toBe("met");
    expect(res.data.answers["iha-timely"].note).toBe("Consent from the parent arrived late");
    // An answer posted for a rule criterion is not taken: the schema only has a note for it.
    const forced = await post({ "answers.iha-timely.answer": "not_met", "answers.iha-timely.note": "x" });
    expect(forced.status).toBe(200);
    expect((await page()).data.rules["iha-timely"].answer).toBe("met");
    // Emptying the note removes it, and the removal is logged.
    expect((await post({ "answers.iha-timely.note": "" })).status).toBe(200);
    expect(await db.selectFrom("answers").select("id").where("case_id", "=", Number(caseId)).where("criterion_id", "=", "iha-timely").executeTakeFirst()).toBeUndefined();
    const log = await db.selectFrom("audit_log").select("action").where("entity", "=", "answer").where("entity_id", "=", `${caseId}/iha-timely`).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(log.action).toBe("delete");
  });

  it("pins the local settings when an audit is created: a later change applies to new audits only", async () => {
    // Request received on working day 6 after 1 Dec 2025: late against the default of 5.
    const before = (await page()).data.rules["iha-notified"];
    expect(before).toMatchObject({ answer: "not_met", settingsUsed: [{ id: "iha-request-working-days", value: 5 }] });

    const adminUser = await db.selectFrom("users").select(["id", "email"]).where("role", "=", "administrator").executeTakeFirstOrThrow();
    await changeSetting(db, adminUser, "iha-request-working-days", 10);
    expect((await page()).data.rules["iha-notified"]).toMatchObject({ answer: "not_met", settingsUsed: [{ id: "iha-request-working-days", value: 5 }] });

    const newer = await createAudit();
    const r = await addCase(newer, caseFields("LAC-6002", { lookedAfter: "2025-12-01" }, { "fields.iha_request_received.day": "9", "fields.iha_request_received.month": "12", "fields.iha_request_received.year": "2025" }));
    const newCaseId = r.location!.split("/").pop()!;
    const res = await callLoader(casePage.loader, `/audits/${newer}/cases/${newCaseId}`, { cookie: auditor, params: { auditId: String(newer), caseId: newCaseId } });
    expect(res.data.rules["iha-notified"]).toMatchObject({ answer: "met", settingsUsed: [{ id: "iha-request-working-days", value: 10 }] });
    await changeSetting(db, adminUser, "iha-request-working-days", 5);
  });
});

describe("changing and deleting an audit", () => {
  it("changes title, period and scope, logging before and after", async () => {
    const auditId = await createAudit();
    const params = { auditId: String(auditId) };
    const res = await callAction(editAudit.action, `/audits/${auditId}/edit`, { ...auditFields({ title: "IHA audit, first quarter", serviceIds: [String(serviceA)] }) }, { cookie: auditor, params });
    expect(res.status).toBe(302);
    const audit = await db.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirstOrThrow();
    expect(audit.title).toBe("IHA audit, first quarter");
    expect((await db.selectFrom("audit_services").select("service_id").where("audit_id", "=", auditId).execute()).map((r) => r.service_id)).toEqual([serviceA]);
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "audit").where("entity_id", "=", String(auditId)).where("action", "=", "update").executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toMatchObject({ title: "IHA audit Q1" });
    expect(JSON.parse(log.after!)).toMatchObject({ title: "IHA audit, first quarter", serviceIds: [serviceA] });
  });

  it("refuses to take a service with cases out of scope", async () => {
    const auditId = await createAudit();
    await addCase(auditId, { ...caseFields("LAC-7001", { lookedAfter: "2025-12-01" }), serviceId: String(serviceB) });
    const res = await callAction(editAudit.action, `/audits/${auditId}/edit`, auditFields({ serviceIds: [String(serviceA)] }), { cookie: auditor, params: { auditId: String(auditId) } });
    expect(res.status).toBe(400);
    expect(res.data.errors.serviceIds).toBe("Health visiting still has cases in this audit. Keep it in scope, or move or remove those cases first");
    expect((await db.selectFrom("audit_services").select("service_id").where("audit_id", "=", auditId).execute()).length).toBe(2);
  });

  it("lets only an administrator delete an audit, with its cases and answers, and logs what went", async () => {
    const auditId = await createAudit();
    const added = await addCase(auditId, caseFields("LAC-8001", { lookedAfter: "2025-12-01" }));
    const caseId = Number(added.location!.split("/").pop());
    const scorable = allCriteria(template).filter((c) => !c.rule);
    await callAction(casePage.action, `/audits/${auditId}/cases/${caseId}`, { [`answers.${scorable[0].id}.answer`]: "met" }, { cookie: auditor, params: { auditId: String(auditId), caseId: String(caseId) } });
    const params = { auditId: String(auditId) };
    const refused = await callAction(editAudit.action, `/audits/${auditId}/edit`, { intent: "delete" }, { cookie: auditor, params });
    expect(refused.status).toBe(403);
    expect(await db.selectFrom("audits").select("id").where("id", "=", auditId).executeTakeFirst()).toBeDefined();
    const res = await callAction(editAudit.action, `/audits/${auditId}/edit`, { intent: "delete" }, { cookie: admin, params });
    expect(res.location).toBe("/audits");
    expect(await db.selectFrom("audits").select("id").where("id", "=", auditId).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("cases").select("id").where("audit_id", "=", auditId).execute()).toEqual([]);
    expect(await db.selectFrom("answers").select("id").where("case_id", "=", caseId).execute()).toEqual([]);
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "audit").where("entity_id", "=", String(auditId)).where("action", "=", "delete").executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toMatchObject({ cases: ["LAC-8001"], answerCount: 1 });
  });
});
