/**
 * The tallies stored for a finished audit (issue #5, performance), and figures made from them.
 * Pure: `tallyAudit` scores every case with the one scoring module (`caseAnswers`) and adds the
 * answers up per service × team × case type ("cells") and per service × case type × criterion, so any
 * roll-up across audits is a sum of small rows, never a rescan of the answers. Every figure is
 * a sum of case × criterion answers (as `rollUp` computes them), so sums of cells give exactly
 * the figures `rollUp` gives for the same cases (tested).
 */
import type { Template } from "~/schemas/template";
import type { SettingValues } from "~/lib/settings";
import { caseAnswers, ragFor, type CaseForScoring, type Figure, type RagThresholds } from "~/lib/scoring";

export type Counts = { met: number; partial: number; notMet: number; na: number; unanswered: number; numerator: number };

export type ResultCell = Counts & {
  serviceId: number;
  teamId: number | null;
  caseType: string;
  cases: number;
  /** Cases with at least one criterion met, partially met or not met. */
  applicableCases: number;
};

export type ResultCriterion = Counts & { serviceId: number; caseType: string; criterionId: string };

export type CaseForTally = Pick<CaseForScoring, "serviceId" | "fields" | "answers" | "overrides" | "agreed"> & {
  teamId: number | null;
  caseType: string;
};

export const emptyCounts = (): Counts => ({ met: 0, partial: 0, notMet: 0, na: 0, unanswered: 0, numerator: 0 });

/** Adds `b` into `a` (mutating `a`) and returns `a`. */
export function addCounts<C extends Counts>(a: C, b: Counts): C {
  a.met += b.met;
  a.partial += b.partial;
  a.notMet += b.notMet;
  a.na += b.na;
  a.unanswered += b.unanswered;
  a.numerator += b.numerator;
  return a;
}

/**
 * A figure (as `tally` makes it) from summed counts, with RAG from `rag`. Given the one
 * template's `partialCredit`, the numerator is recomputed from the counts exactly as `tally`
 * does; without it (counts pooled across templates) the summed numerators stand.
 */
export function figureOf(c: Counts, rag: RagThresholds, partialCredit?: number): Figure {
  const numerator = partialCredit === undefined ? c.numerator : c.met + partialCredit * c.partial;
  const denominator = c.met + c.partial + c.notMet;
  const percent = denominator === 0 ? null : (100 * numerator) / denominator;
  return { met: c.met, partial: c.partial, notMet: c.notMet, na: c.na, unanswered: c.unanswered, numerator, denominator, percent, rag: ragFor(percent, rag) };
}

/**
 * Every case of an audit scored as of `asOf` with the pinned `settings`, tallied per
 * service × team × case type and per service × case type × criterion (every criterion of the
 * template appears for every service and case type with cases, with zero counts where nothing
 * was answered).
 */
export function tallyAudit(template: Template, cases: CaseForTally[], asOf: string, settings: SettingValues = {}): { cells: ResultCell[]; criteria: ResultCriterion[] } {
  const credit = template.partialCredit;
  const cells = new Map<string, ResultCell>();
  const criteria = new Map<string, ResultCriterion>();
  const ids = template.sections.flatMap((s) => s.criteria.map((c) => c.id));
  for (const c of cases) {
    const cellKey = `${c.serviceId}|${c.teamId ?? ""}|${c.caseType}`;
    let cell = cells.get(cellKey);
    if (!cell) {
      cell = { serviceId: c.serviceId, teamId: c.teamId, caseType: c.caseType, cases: 0, applicableCases: 0, ...emptyCounts() };
      cells.set(cellKey, cell);
    }
    const answers = caseAnswers(template, c, asOf, settings);
    let applicable = false;
    for (const id of ids) {
      const critKey = `${c.serviceId}|${c.caseType}|${id}`;
      let crit = criteria.get(critKey);
      if (!crit) {
        crit = { serviceId: c.serviceId, caseType: c.caseType, criterionId: id, ...emptyCounts() };
        criteria.set(critKey, crit);
      }
      const a = answers[id]?.answer ?? null;
      for (const target of [cell, crit]) {
        if (a === "met") target.met += 1;
        else if (a === "partial") target.partial += 1;
        else if (a === "not_met") target.notMet += 1;
        else if (a === "na") target.na += 1;
        else target.unanswered += 1;
      }
      if (a === "met" || a === "partial" || a === "not_met") applicable = true;
    }
    cell.cases += 1;
    if (applicable) cell.applicableCases += 1;
  }
  const withNumerator = <C extends Counts>(c: C): C => ({ ...c, numerator: c.met + credit * c.partial });
  return { cells: [...cells.values()].map(withNumerator), criteria: [...criteria.values()].map(withNumerator) };
}
