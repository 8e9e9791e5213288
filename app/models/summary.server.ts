/**
 * An audit's roll-up with confidence intervals: the results page, `npm run cli -- audit-summary`
 * and (later) the API all read it from here, so their figures cannot differ.
 */
import { rollUpWithConfidence, worstCriteria, type FigureWithConfidence } from "~/lib/rollup-figures";
import type { Rag } from "~/lib/scoring";
import type { Db } from "~/utils/db.server";
import type { AuditWithTemplate } from "./audits.server";
import { listCasesForScoring } from "./cases.server";
import { auditAsOf } from "./results.server";

/** The figures in an audit summary, exactly as the JSON carries them. Percentages are 0–100, full precision. */
export type SummaryFigure = {
  met: number;
  partial: number;
  notMet: number;
  na: number;
  numerator: number;
  denominator: number;
  /** null when there are no applicable cases. */
  percent: number | null;
  rag: Rag | null;
  ciLow: number | null;
  ciHigh: number | null;
};

export type AuditSummary = {
  overall: SummaryFigure;
  bySection: (SummaryFigure & { sectionId: string })[];
  byCriterion: (SummaryFigure & { criterionId: string })[];
  byService: (SummaryFigure & { serviceName: string })[];
};

/** The roll-up with intervals and small-sample marks, and the criteria worst first, for the results page. */
export async function auditFigures(db: Db, audit: AuditWithTemplate) {
  const asOf = auditAsOf(audit);
  const cases = await listCasesForScoring(db, audit.id);
  const rollup = rollUpWithConfidence(audit.template, cases, asOf, audit.settingValues);
  return { asOf, caseCount: cases.length, rollup, worst: worstCriteria(rollup.byCriterion, audit.template.rag) };
}

function summaryFigure(f: FigureWithConfidence): SummaryFigure {
  return {
    met: f.met,
    partial: f.partial,
    notMet: f.notMet,
    na: f.na,
    numerator: f.numerator,
    denominator: f.denominator,
    percent: f.percent,
    rag: f.rag,
    ciLow: f.ciLow,
    ciHigh: f.ciHigh,
  };
}

/** `{ overall, bySection, byCriterion, byService }`: the audit's roll-up as the CLI and API give it. */
export async function auditSummary(db: Db, audit: AuditWithTemplate): Promise<AuditSummary> {
  const { rollup } = await auditFigures(db, audit);
  return {
    overall: summaryFigure(rollup.overall),
    bySection: rollup.bySection.map((s) => ({ sectionId: s.sectionId, ...summaryFigure(s) })),
    byCriterion: rollup.byCriterion.map((c) => ({ criterionId: c.criterionId, ...summaryFigure(c) })),
    byService: rollup.byService.map((s) => ({ serviceName: s.serviceName, ...summaryFigure(s) })),
  };
}
