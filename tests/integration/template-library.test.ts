/**
 * Every template in the library, end to end through the same actions the pages use: create an
 * audit, add a case with plausible data (dates worked out so that each date rule can decide),
 * answer every auditor-answered criterion (with its measure), and check the results count
 * every criterion as answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, addMonthsClamped } from "~/lib/dates";
import type { Answer } from "~/lib/answers";
import { listLatestTemplates, getTemplateVersion, loadTemplates } from "~/models/templates.server";
import * as newAudit from "~/routes/audits.new";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as results from "~/routes/audits.$auditId.results";
import * as templatesIndex from "~/routes/templates._index";
import * as templateView from "~/routes/templates.$key.$version";
import * as compare from "~/routes/templates.$key.compare";
import { allCriteria, type Rule, type Template } from "~/schemas/template";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let auditor: string;
let reviewer: string;
let admin: string;
let serviceId: number;
let library: { id: number; key: string; version: number; template: Template }[] = [];

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  expect((await loadTemplates(db)).problems).toEqual([]);
  for (const t of await listLatestTemplates(db)) library.push({ ...t, template: (await getTemplateVersion(db, t.id))!.template });
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Library Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  serviceId = (await db.insertInto("services").values({ provider_id: provider.id, name: "All services", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  auditor = (await userWithSession(db, "auditor")).cookie;
  reviewer = (await userWithSession(db, "reviewer")).cookie;
  admin = (await userWithSession(db, "administrator")).cookie;
});
afterAll(async () => env.cleanup());

/**
 * Dates that let each rule decide (met), filled in rule order without overwriting a date an
 * earlier rule set. Anchored in 2025 so nothing is in the future.
 */
function plausibleDates(t: Template): Record<string, string> {
  const d: Record<string, string> = {};
  const set = (k: string, v: string) => {
    if (!(k in d)) d[k] = v;
  };
  const rules = allCriteria(t).flatMap((c) => (c.rule ? [c.rule] : [])) as Rule[];
  for (const r of rules) {
    switch (r.type) {
      case "within_working_days":
      case "within_calendar_days":
        set(r.from, "2025-06-02");
        set(r.to, d[r.from]);
        break;
      case "within_months":
        set(r.from, "2025-03-03");
        set(r.to, addMonthsClamped(d[r.from], 1));
        break;
      case "iha_timeliness":
        set(r.lookedAfter, "2025-06-02");
        set(r.seen, addDays(d[r.lookedAfter], 7));
        set(r.reportSent, addDays(d[r.lookedAfter], 14));
        break;
      case "review_interval":
        set(r.dateOfBirth, "2014-02-10");
        set(r.previous, "2024-11-04");
        set(r.current, addMonthsClamped(d[r.previous], 5));
        break;
      case "before_birthday":
        set(r.dateOfBirth, "2007-09-20");
        set(r.event, addMonthsClamped(d[r.dateOfBirth], 12 * r.age - 2));
        break;
      case "gestation_window": {
        set(r.dueDate, "2025-10-15");
        const from = typeof r.fromWeeks === "number" ? r.fromWeeks : r.fromWeeks ? 28 : 8;
        set(r.event, addDays(addDays(d[r.dueDate], -280), from * 7 + 3));
        break;
      }
      case "age_window": {
        set(r.dateOfBirth, "2023-01-09");
        const start = "months" in r.from ? addMonthsClamped(d[r.dateOfBirth], r.from.months) : addDays(d[r.dateOfBirth], "weeks" in r.from ? r.from.weeks * 7 : r.from.days);
        set(r.event, start);
        break;
      }
    }
  }
  return d;
}

/** A case form for the template: dates as three boxes, the first option of choices, yes for yes/no. */
function caseForm(t: Template, ref: string): Record<string, string> {
  const dates = plausibleDates(t);
  const out: Record<string, string> = { caseRef: ref, serviceId: String(serviceId), teamId: "", caseType: t.caseTypes[0] };
  for (const f of t.caseFields) {
    if (f.type === "date") {
      const iso = dates[f.id] ?? (f.id.includes("birth") ? "2012-04-16" : f.required ? "2025-05-01" : undefined);
      if (!iso) continue;
      const [y, m, day] = iso.split("-");
      Object.assign(out, { [`fields.${f.id}.day`]: String(Number(day)), [`fields.${f.id}.month`]: String(Number(m)), [`fields.${f.id}.year`]: y });
    } else if (f.type === "choice") out[`fields.${f.id}`] = f.options[0].value;
    else out[`fields.${f.id}`] = "yes";
  }
  return out;
}

describe.each(["lac-iha", "lac-rha", "care-leaver-health", "maternity", "hv-school-nursing", "ed-under-18", "paediatric-self-harm", "ed-adult-think-family", "adult-mental-health-think-family", "adult-substance-misuse-think-family", "yp-substance-misuse", "sexual-health-under-18", "gp-practice", "camhs", "mash-health-enquiry", "cp-medical"])("%s", (key) => {
  it("audits a case with every criterion answered, through the same actions as the pages", async () => {
    const entry = library.find((l) => l.key === key);
    expect(entry, `template ${key} is loaded`).toBeDefined();
    const { template } = entry!;
    const create = await callAction(
      newAudit.action,
      "/audits/new",
      {
        templateVersionId: String(entry!.id),
        title: `${template.title} audit`,
        serviceIds: String(serviceId),
        "periodStart.day": "1",
        "periodStart.month": "4",
        "periodStart.year": "2025",
        "periodEnd.day": "31",
        "periodEnd.month": "3",
        "periodEnd.year": "2026",
      },
      { cookie: auditor },
    );
    expect(create.status, JSON.stringify(create.data)).toBe(302);
    const auditId = create.location!.split("/").pop()!;

    const added = await callAction(newCase.action, `/audits/${auditId}/cases/new`, caseForm(template, `${key.toUpperCase().slice(0, 6)}-0001`), { cookie: auditor, params: { auditId } });
    expect(added.status, JSON.stringify(added.data)).toBe(302);
    const caseId = added.location!.split("/").pop()!;
    const params = { auditId, caseId };

    const page = await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: auditor, params });
    expect(page.status).toBe(200);
    const autoNa = new Set<string>(page.data.autoNa);
    // Every date rule decides with these dates (or is not applicable): none is left "cannot be determined".
    for (const [id, rule] of Object.entries(page.data.rules as Record<string, { answer: Answer | null; summary: string }>)) {
      const na = page.data.applicability[id]?.applicable === false;
      expect(na || rule.answer !== null, `${id}: ${rule.summary}`).toBe(true);
    }

    // Answer every criterion the auditor answers, as the no-JavaScript form posts them.
    const form: Record<string, string> = {};
    for (const c of allCriteria(template)) {
      if (c.rule) continue;
      const k = `answers.${c.id}`;
      const m = c.measure;
      if (m?.type === "ratio") {
        form[`${k}.numerator`] = "3";
        form[`${k}.denominator`] = "3";
      } else {
        form[`${k}.answer`] = c.answers.includes("met") ? "met" : c.answers[0];
        if (m?.type === "number") form[`${k}.number`] = String(m.min);
        if (m?.type === "choice") form[`${k}.choice`] = m.options[0].value;
      }
      if (c.noteRequiredFor.includes("met")) form[`${k}.note`] = "Seen in the record.";
      if (autoNa.has(c.id)) form[`${k}.overrideReason`] = "The record shows it applies.";
    }
    const saved = await callAction(casePage.action, `/audits/${auditId}/cases/${caseId}`, form, { cookie: auditor, params });
    expect(saved.status, JSON.stringify(saved.data?.errors)).toBe(200);

    const res = await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: reviewer, params: { auditId } });
    expect(res.status).toBe(200);
    const criteria = allCriteria(template);
    const byCriterion = res.data.rollup.byCriterion as { criterionId: string; unanswered: number; met: number; na: number }[];
    expect(byCriterion.map((c) => c.criterionId)).toEqual(criteria.map((c) => c.id));
    expect(byCriterion.filter((c) => c.unanswered > 0).map((c) => c.criterionId)).toEqual([]);
    expect(res.data.rollup.overall.unanswered).toBe(0);
    // Ratio measures decided "met" from 3 of 3; stored with their counts.
    const ratio = criteria.find((c) => c.measure?.type === "ratio" && !autoNa.has(c.id));
    if (ratio) {
      const row = await db.selectFrom("answers").select(["answer", "detail"]).where("case_id", "=", Number(caseId)).where("criterion_id", "=", ratio.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ answer: "met", detail: JSON.stringify({ numerator: 3, denominator: 3 }) });
    }
  });

  it("has a library page any signed-in user can read, with every criterion, its guidance and its sources", async () => {
    const entry = library.find((l) => l.key === key)!;
    const res = await callLoader(templateView.loader, `/templates/${key}/${entry.version}`, { cookie: reviewer, params: { key, version: String(entry.version) } });
    expect(res.status).toBe(200);
    expect(res.data.template.sections.flatMap((s: { criteria: unknown[] }) => s.criteria)).toHaveLength(allCriteria(entry.template).length);
    for (const c of allCriteria(entry.template)) {
      expect(c.sources.length, c.id).toBeGreaterThan(0);
      if (c.rule) expect(res.data.explain[c.id].rule, c.id).toMatch(/\S/);
      if (c.applicableWhen) expect(res.data.explain[c.id].applies, c.id).toMatch(/^Applies only when/);
    }
    expect(res.data.usage).toBeNull(); // only administrators see which audits use a version
  });
});

describe("the library index", () => {
  it("lists every template with its headline families, so each family is easy to find", async () => {
    const res = await callLoader(templatesIndex.loader, "/templates", { cookie: reviewer });
    expect(res.status).toBe(200);
    const templates = res.data.templates as { key: string; families: { family: string; criterionId: string }[] }[];
    expect(templates).toHaveLength(16);
    const iha = templates.find((t) => t.key === "lac-iha")!;
    expect(iha.families.map((f) => f.family)).toEqual(expect.arrayContaining(["iha-timeliness", "smart-plans", "voice-of-the-child"]));
    expect(iha.families.find((f) => f.family === "iha-timeliness")!.criterionId).toBe("iha-timely");
    for (const family of ["iha-timeliness", "smart-plans", "voice-of-the-child", "significant-males", "chronology"]) {
      expect(templates.some((t) => t.families.some((f) => f.family === family)), family).toBe(true);
    }
  });

  it("shows an administrator which audits use a version, and compares two versions by criterion id", async () => {
    const entry = library.find((l) => l.key === "lac-iha")!;
    const page = await callLoader(templateView.loader, `/templates/lac-iha/${entry.version}`, { cookie: admin, params: { key: "lac-iha", version: String(entry.version) } });
    expect(page.data.usage.map((a: { title: string }) => a.title)).toContain(`${entry.template.title} audit`);

    const res = await callLoader(compare.loader, `/templates/lac-iha/compare?from=${entry.version}&to=${entry.version}`, { cookie: reviewer, params: { key: "lac-iha" } });
    expect(res.status).toBe(200);
    expect(res.data.diff.changes).toEqual([]);
    expect(res.data.diff.unchanged).toBe(allCriteria(entry.template).length);
    const missing = await callLoader(compare.loader, "/templates/lac-iha/compare?from=99&to=1", { cookie: reviewer, params: { key: "lac-iha" } });
    expect(missing.status).toBe(404);
  });
});
