/**
 * Work allocation: assigning an audit's sampled cases to auditors (evenly or by hand), and each
 * auditor's "My cases" with progress. Only sampled, not-excluded cases are assigned or counted.
 */
import { can } from "~/lib/permissions";
import { compareCodePoints } from "~/lib/sampling";
import { caseScore } from "~/lib/scoring";
import type { AssignEvenlyInput } from "~/schemas/sampling";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";
import { getAudit } from "./audits.server";
import { listCasesForScoring } from "./cases.server";
import { auditAsOf } from "./results.server";

/** People who can be given cases: active users whose role scores cases (auditors and administrators), by name. */
export async function listAssignableUsers(db: Db) {
  const users = await db.selectFrom("users").select(["id", "name", "email", "role"]).where("disabled_at", "is", null).orderBy("name").orderBy("id").execute();
  return users.filter((u) => can(u.role, "editCases")).map((u) => ({ id: u.id, name: u.name, email: u.email }));
}

/** The audit's sampled, not-excluded cases with who each is assigned to, in case-reference order. */
export async function listCasesToAssign(db: Db, auditId: number) {
  const rows = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .leftJoin("users", "users.id", "cases.assigned_to")
    .select(["cases.id", "cases.case_ref", "services.name as service_name", "teams.name as team_name", "cases.assigned_to", "users.name as assignee_name"])
    .where("cases.audit_id", "=", auditId)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .execute();
  return rows.sort((a, b) => compareCodePoints(a.case_ref, b.case_ref));
}

async function requireAssignable(db: Db, userIds: number[], field: string) {
  const allowed = new Map((await listAssignableUsers(db)).map((u) => [u.id, u]));
  for (const id of userIds) if (!allowed.has(id)) throw new UserInputError(field === "userIds" ? "Select auditors from the list" : "Select an auditor from the list", field);
  return allowed;
}

/**
 * Shares cases out evenly among the chosen auditors. Cases are taken in case-reference order;
 * each goes to the chosen auditor with the fewest cases in this audit so far, ties going in
 * name order. With scope "all" every sampled case is shared out again from nothing (a plain
 * round robin); with "unassigned" only cases without an auditor are given out, topping up
 * whoever has fewest. Logged as one event with every change.
 */
export async function assignEvenly(db: Db, actor: NonNullable<Actor>, auditId: number, input: AssignEvenlyInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(input.userIds.map(Number))];
    const allowed = await requireAssignable(trx, ids, "userIds");
    // Stable order: by name, then id (listAssignableUsers' order).
    const chosen = [...allowed.values()].filter((u) => ids.includes(u.id));
    const cases = await listCasesToAssign(trx, auditId);
    const toAssign = input.scope === "all" ? cases : cases.filter((c) => c.assigned_to === null);
    if (toAssign.length === 0) {
      throw new UserInputError(input.scope === "all" ? "There are no cases in the sample to share out" : "Every case in the sample already has an auditor. Choose all cases to share them out again", "scope");
    }
    const load = new Map(chosen.map((u) => [u.id, 0]));
    if (input.scope === "unassigned") for (const c of cases) if (c.assigned_to !== null && load.has(c.assigned_to)) load.set(c.assigned_to, load.get(c.assigned_to)! + 1);
    const changes: { caseId: number; caseRef: string; from: number | null; to: number }[] = [];
    for (const c of toAssign) {
      let pick = chosen[0];
      for (const u of chosen) if (load.get(u.id)! < load.get(pick.id)!) pick = u;
      load.set(pick.id, load.get(pick.id)! + 1);
      if (c.assigned_to !== pick.id) changes.push({ caseId: c.id, caseRef: c.case_ref, from: c.assigned_to, to: pick.id });
    }
    await applyAssignments(trx, actor, auditId, changes, { how: "evenly", scope: input.scope, auditors: chosen.map((u) => u.email) }, request);
    return { assigned: toAssign.length, changed: changes.length };
  });
}

/** Assigns cases by hand: `assignments` maps case id → user id (or null for nobody). Only changes are saved and logged. */
export async function assignByHand(db: Db, actor: NonNullable<Actor>, auditId: number, assignments: Record<number, number | null>, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const wanted = Object.entries(assignments).map(([caseId, userId]) => ({ caseId: Number(caseId), userId }));
    await requireAssignable(trx, [...new Set(wanted.flatMap((w) => (w.userId === null ? [] : [w.userId])))], "assign");
    const cases = new Map((await listCasesToAssign(trx, auditId)).map((c) => [c.id, c]));
    const changes: { caseId: number; caseRef: string; from: number | null; to: number | null }[] = [];
    for (const w of wanted) {
      const c = cases.get(w.caseId);
      if (!c) throw new UserInputError("A case in the list is no longer in this audit's sample. Refresh the page and try again", "assign");
      if (c.assigned_to !== w.userId) changes.push({ caseId: c.id, caseRef: c.case_ref, from: c.assigned_to, to: w.userId });
    }
    await applyAssignments(trx, actor, auditId, changes, { how: "by hand" }, request);
    return { changed: changes.length };
  });
}

async function applyAssignments(
  trx: Db,
  actor: NonNullable<Actor>,
  auditId: number,
  changes: { caseId: number; caseRef: string; from: number | null; to: number | null }[],
  details: Record<string, unknown>,
  request?: Request,
) {
  if (changes.length === 0) return;
  const now = nowIso();
  for (const ch of changes) await trx.updateTable("cases").set({ assigned_to: ch.to, updated_at: now }).where("id", "=", ch.caseId).execute();
  await logEvent(trx, {
    actor,
    action: "assign-cases",
    entity: "audit",
    entityId: auditId,
    before: { assignments: Object.fromEntries(changes.map((c) => [c.caseRef, c.from])) },
    after: { ...details, assignments: Object.fromEntries(changes.map((c) => [c.caseRef, c.to])) },
    request,
  });
}

/**
 * "My cases": each audit with cases assigned to this user (sampled, not excluded), newest audit
 * first, with each case's progress and the audit's "3 of 8 cases complete".
 */
export async function listMyCases(db: Db, userId: number) {
  const auditIds = (
    await db
      .selectFrom("cases")
      .innerJoin("audits", "audits.id", "cases.audit_id")
      .select(["cases.audit_id", "audits.created_at"])
      .distinct()
      .where("cases.assigned_to", "=", userId)
      .where("cases.in_sample", "=", 1)
      .where("cases.excluded_at", "is", null)
      .orderBy("audits.created_at", "desc")
      .orderBy("cases.audit_id", "desc")
      .execute()
  ).map((r) => r.audit_id);
  const out = [];
  for (const id of auditIds) {
    const audit = await getAudit(db, id);
    if (!audit) continue;
    const asOf = auditAsOf(audit);
    const cases = (await listCasesForScoring(db, id))
      .filter((c) => c.assignedTo === userId)
      .map((c) => {
        const s = caseScore(audit.template, c, asOf, audit.settingValues);
        return { id: c.id, caseRef: c.caseRef, serviceName: c.serviceName, teamName: c.teamName, answered: s.answered, total: s.total, complete: s.complete };
      });
    out.push({
      audit: { id: audit.id, title: audit.title, status: audit.status, periodStart: audit.period_start, periodEnd: audit.period_end },
      cases,
      complete: cases.filter((c) => c.complete).length,
      total: cases.length,
    });
  }
  return out;
}
