/**
 * Stored results of complete and closed audits (issue #5, performance). A finished audit's
 * figures cannot change unless its answers or its status do, so they are tallied once
 * (app/lib/result-cells.ts) into `result_cells` and `result_criteria`, and the dashboard, the
 * cross-audit results and the trend pages sum those small rows instead of scoring every stored
 * answer on each request: their cost grows with the number of audits and groups shown, not
 * with the number of answers stored.
 *
 * Every write that can change a finished audit's figures calls `refreshAuditResults` inside its
 * own transaction: completing or reopening an audit (reopening clears them), settling a
 * moderation disagreement, importing historical results and loading demonstration data. Other
 * changes to answers and cases are refused once an audit is complete (a designated doctor's
 * change of an answer included), and closing a complete audit does not change its figures. Any
 * new write to a finished audit's answers, cases or status must call it too. A finished audit
 * with no stored results (finished before they were stored) gets them on first read
 * (`ensureStoredResults`).
 */
import { tallyAudit, type Counts } from "~/lib/result-cells";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { listCasesForScoring } from "./cases.server";
import { auditAsOf } from "./results.server";
import { auditSettings } from "./settings.server";
import { getTemplateVersion } from "./templates.server";

export const FINISHED = ["complete", "closed"] as const;

const isFinished = (status: string) => (FINISHED as readonly string[]).includes(status);

/** Rows per insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 200;

/**
 * Recomputes an audit's stored results from its answers, or clears them when the audit is not
 * complete or closed. Call it inside the transaction that changed the audit.
 */
export async function refreshAuditResults(db: Db, auditId: number): Promise<void> {
  await db.deleteFrom("result_cells").where("audit_id", "=", auditId).execute();
  await db.deleteFrom("result_criteria").where("audit_id", "=", auditId).execute();
  const audit = await db
    .selectFrom("audits")
    .select(["id", "status", "template_version_id", "completed_at", "settings"])
    .where("id", "=", auditId)
    .executeTakeFirst();
  if (!audit) return;
  const tv = isFinished(audit.status) ? await getTemplateVersion(db, audit.template_version_id) : undefined;
  if (!tv) {
    await db.updateTable("audits").set({ results_at: null }).where("id", "=", auditId).execute();
    return;
  }
  const cases = await listCasesForScoring(db, auditId);
  const { cells, criteria } = tallyAudit(tv.template, cases, auditAsOf(audit), auditSettings(audit));
  const counts = (c: Counts) => ({ met: c.met, partial: c.partial, not_met: c.notMet, na: c.na, unanswered: c.unanswered, numerator: c.numerator });
  const cellRows = cells.map((c) => ({ audit_id: auditId, service_id: c.serviceId, team_id: c.teamId, case_type: c.caseType, cases: c.cases, applicable_cases: c.applicableCases, ...counts(c) }));
  for (let i = 0; i < cellRows.length; i += CHUNK) await db.insertInto("result_cells").values(cellRows.slice(i, i + CHUNK)).execute();
  const criterionRows = criteria.map((c) => ({ audit_id: auditId, service_id: c.serviceId, case_type: c.caseType, criterion_id: c.criterionId, ...counts(c) }));
  for (let i = 0; i < criterionRows.length; i += CHUNK) await db.insertInto("result_criteria").values(criterionRows.slice(i, i + CHUNK)).execute();
  await db.updateTable("audits").set({ results_at: nowIso() }).where("id", "=", auditId).execute();
}

/** Computes the stored results of any of these finished audits that have none yet. */
export async function ensureStoredResults(db: Db, audits: { id: number; status: string; resultsAt: string | null }[]): Promise<void> {
  const missing = audits.filter((a) => isFinished(a.status) && !a.resultsAt);
  for (const a of missing) await db.transaction().execute((trx) => refreshAuditResults(trx, a.id));
}

const toCounts = (r: { met: number; partial: number; not_met: number; na: number; unanswered: number; numerator: number }): Counts => ({
  met: r.met,
  partial: r.partial,
  notMet: r.not_met,
  na: r.na,
  unanswered: r.unanswered,
  numerator: r.numerator,
});

/** The stored service × team × case type tallies of these audits (call `ensureStoredResults` first). */
export async function storedCells(db: Db, auditIds: number[]) {
  if (auditIds.length === 0) return [];
  const rows = await db
    .selectFrom("result_cells")
    .select(["audit_id", "service_id", "team_id", "case_type", "cases", "applicable_cases", "met", "partial", "not_met", "na", "unanswered", "numerator"])
    .where("audit_id", "in", auditIds)
    .execute();
  return rows.map((r) => ({ auditId: r.audit_id, serviceId: r.service_id, teamId: r.team_id, caseType: r.case_type, cases: r.cases, applicableCases: r.applicable_cases, ...toCounts(r) }));
}

/** The stored service × case type × criterion tallies of these audits, optionally of one service or case type only. */
export async function storedCriteria(db: Db, auditIds: number[], { serviceId = null, caseType = null }: { serviceId?: number | null; caseType?: string | null } = {}) {
  if (auditIds.length === 0) return [];
  let q = db
    .selectFrom("result_criteria")
    .select(["audit_id", "service_id", "case_type", "criterion_id", "met", "partial", "not_met", "na", "unanswered", "numerator"])
    .where("audit_id", "in", auditIds);
  if (serviceId !== null) q = q.where("service_id", "=", serviceId);
  if (caseType !== null) q = q.where("case_type", "=", caseType);
  const rows = await q.execute();
  return rows.map((r) => ({ auditId: r.audit_id, serviceId: r.service_id, caseType: r.case_type, criterionId: r.criterion_id, ...toCounts(r) }));
}
