/** Scores for an audit's pages: each case's progress and the roll-up, from the one scoring module. */
import { todayInLondon } from "~/lib/dates";
import { caseScore, rollUp } from "~/lib/scoring";
import type { Db } from "~/utils/db.server";
import type { AuditWithTemplate } from "./audits.server";
import { listCasesForScoring } from "./cases.server";

/** Date rules are judged as of today while an audit is open, and as of completion once complete. */
export function auditAsOf(audit: Pick<AuditWithTemplate, "completed_at">) {
  return audit.completed_at ? audit.completed_at.slice(0, 10) : todayInLondon();
}

export async function auditProgress(db: Db, audit: AuditWithTemplate) {
  const asOf = auditAsOf(audit);
  const cases = await listCasesForScoring(db, audit.id);
  const rows = cases.map((c) => {
    const s = caseScore(audit.template, c, asOf, audit.settingValues);
    return { id: c.id, caseRef: c.caseRef, serviceName: c.serviceName, teamName: c.teamName, answered: s.answered, total: s.total, complete: s.complete, percent: s.figure.percent, rag: s.figure.rag };
  });
  return { cases: rows, complete: rows.filter((r) => r.complete).length, total: rows.length };
}

export async function auditResults(db: Db, audit: AuditWithTemplate) {
  const asOf = auditAsOf(audit);
  const cases = await listCasesForScoring(db, audit.id);
  return { asOf, caseCount: cases.length, rollup: rollUp(audit.template, cases, asOf, audit.settingValues) };
}
