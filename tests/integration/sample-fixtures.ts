/**
 * Shared set-up for the sampling and allocation tests: an organisation with two services and
 * three teams, users of every role, the LAC IHA template, audits, an imported case list
 * (written straight to the table, as the import does: origin "import", in_sample 0) and a way
 * to score a case completely.
 */
import { expect } from "vitest";
import { loadTemplates, listLatestTemplates, getTemplateVersion } from "~/models/templates.server";
import { allCriteria, type Template } from "~/schemas/template";
import * as newAudit from "~/routes/audits.new";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, userWithSession } from "./helpers";

export type World = Awaited<ReturnType<typeof setUpWorld>>;

export async function setUpWorld(db: Db) {
  const loaded = await loadTemplates(db);
  expect(loaded.problems).toEqual([]);
  const t01 = (await listLatestTemplates(db)).find((t) => t.key === "lac-iha")!;
  const template: Template = (await getTemplateVersion(db, t01.id))!.template;
  const now = nowIso();
  const provider = (await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const service = async (name: string) => (await db.insertInto("services").values({ provider_id: provider, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const team = async (serviceId: number, name: string) => (await db.insertInto("teams").values({ service_id: serviceId, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const serviceA = await service("LAC health team");
  const serviceB = await service("Health visiting");
  const north = await team(serviceA, "North");
  const south = await team(serviceA, "South");
  const east = await team(serviceB, "East");
  const users = {
    admin: await userWithSession(db, "administrator", { name: "Ada Admin" }),
    auditor: await userWithSession(db, "auditor", { name: "Bea Auditor" }),
    auditor2: await userWithSession(db, "auditor", { name: "Cal Auditor" }),
    reviewer: await userWithSession(db, "reviewer", { name: "Dee Reviewer" }),
    manager: await userWithSession(db, "manager", { name: "Eve Manager" }),
  };
  return { templateVersionId: t01.id, template, serviceA, serviceB, north, south, east, users };
}

export async function createAudit(w: World, title = "IHA audit Q1") {
  const res = await callAction(
    newAudit.action,
    "/audits/new",
    {
      templateVersionId: String(w.templateVersionId),
      title,
      serviceIds: [String(w.serviceA), String(w.serviceB)],
      "periodStart.day": "1",
      "periodStart.month": "10",
      "periodStart.year": "2025",
      "periodEnd.day": "31",
      "periodEnd.month": "12",
      "periodEnd.year": "2025",
    },
    { cookie: w.users.auditor.cookie },
  );
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

/** Fields for a case whose date rules can all be worked out (so it can be completed). */
export const COMPLETE_DATES = { date_of_birth: "2015-05-01", date_looked_after: "2025-12-01", iha_seen: "2025-12-30", iha_report_sent: "2025-12-31" };

export type ImportRow = { ref: string; serviceId: number; teamId?: number | null };

/** An imported case list: what the import writes (origin "import", not in the sample). */
export async function importCases(db: Db, w: World, auditId: number, rows: ImportRow[]) {
  const now = nowIso();
  const ids: number[] = [];
  for (const r of rows) {
    const row = await db
      .insertInto("cases")
      .values({
        audit_id: auditId,
        case_ref: r.ref,
        service_id: r.serviceId,
        team_id: r.teamId ?? null,
        case_type: "LAC",
        fields: JSON.stringify(COMPLETE_DATES),
        created_by: w.users.auditor.user.id,
        created_at: now,
        updated_at: now,
        origin: "import",
        in_sample: 0,
        sample_reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

/** Fields for the "Add a case" form. */
export function caseForm(w: World, ref: string, over: Record<string, string> = {}) {
  return {
    caseRef: ref,
    serviceId: String(w.serviceA),
    teamId: "",
    caseType: "LAC",
    "fields.date_of_birth.day": "1",
    "fields.date_of_birth.month": "5",
    "fields.date_of_birth.year": "2015",
    "fields.date_looked_after.day": "1",
    "fields.date_looked_after.month": "12",
    "fields.date_looked_after.year": "2025",
    "fields.iha_seen.day": "30",
    "fields.iha_seen.month": "12",
    "fields.iha_seen.year": "2025",
    "fields.iha_report_sent.day": "31",
    "fields.iha_report_sent.month": "12",
    "fields.iha_report_sent.year": "2025",
    ...over,
  };
}

export async function addCaseByHand(w: World, auditId: number, ref: string, over: Record<string, string> = {}) {
  return callAction(newCase.action, `/audits/${auditId}/cases/new`, caseForm(w, ref, over), { cookie: w.users.auditor.cookie, params: { auditId: String(auditId) } });
}

export function postAnswers(w: World, auditId: number, caseId: number, fields: Record<string, string>, cookie = w.users.auditor.cookie) {
  return callAction(casePage.action, `/audits/${auditId}/cases/${caseId}`, fields, { cookie, params: { auditId: String(auditId), caseId: String(caseId) } });
}

/** Answers every criterion of a case the auditor answers (met, with a reason where the case details say "not applicable"). */
export async function scoreCompletely(w: World, auditId: number, caseId: number) {
  const page = await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: { auditId: String(auditId), caseId: String(caseId) } });
  expect(page.status).toBe(200);
  const autoNa = new Set<string>(page.data.autoNa);
  const fields: Record<string, string> = {};
  for (const c of allCriteria(w.template).filter((k) => !k.rule)) {
    if (c.measure?.type === "ratio") Object.assign(fields, { [`answers.${c.id}.numerator`]: "2", [`answers.${c.id}.denominator`]: "2" });
    else fields[`answers.${c.id}.answer`] = "met";
    if (autoNa.has(c.id)) fields[`answers.${c.id}.overrideReason`] = "The record shows it applies";
  }
  const res = await postAnswers(w, auditId, caseId, fields);
  expect(res.data?.errors).toBeUndefined();
  expect(res.status).toBe(200);
}

/** The audit's cases with their sampling columns, by reference. */
export async function casesOf(db: Db, auditId: number) {
  const rows = await db.selectFrom("cases").selectAll().where("audit_id", "=", auditId).execute();
  return new Map(rows.map((r) => [r.case_ref, r]));
}

export const pad = (n: number) => String(n).padStart(3, "0");
