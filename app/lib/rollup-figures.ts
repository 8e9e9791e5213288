/**
 * Roll-up figures a reader can judge (issue 5): each compliance figure from the scoring module
 * gains its 95% Wilson confidence interval (0–100) and the "small sample" mark, and the
 * criteria are ranked worst first against the template's green threshold.
 *
 * The interval is on numerator / denominator, the same numbers the percentage is made of, so
 * with partial credit the numerator may be fractional (met + w × partial). The small-sample
 * mark is for fewer than 10 applicable cases: for a criterion that is its denominator (one
 * answer per case); for a pooled figure (overall, section, service) it is the number of cases
 * with at least one applicable answer in it, which `rollUpWithConfidence` counts.
 */
import type { Answer } from "~/lib/answers";
import { formatPercent, rollUpScored, scoreCases, type CaseForScoring, type Figure, type RagThresholds, type Rollup } from "~/lib/scoring";
import type { SettingValues } from "~/lib/settings";
import { smallSample, wilsonInterval } from "~/lib/statistics";
import { allCriteria, type Template } from "~/schemas/template";

export type Confidence = {
  /** Lower bound of the 95% Wilson interval, 0–100, full precision; null with no applicable cases. */
  ciLow: number | null;
  /** Upper bound of the 95% Wilson interval, 0–100, full precision; null with no applicable cases. */
  ciHigh: number | null;
  /** Cases with at least one applicable answer in the figure. */
  applicableCases: number;
  /** Fewer than 10 applicable cases (also true with none). */
  smallSample: boolean;
};

export type FigureWithConfidence<F extends Figure = Figure> = F & Confidence;

/**
 * Adds the 95% Wilson interval and the small-sample mark to a figure. `applicableCases`
 * defaults to the denominator, which is right for a single criterion (one answer per case).
 */
export function withConfidence<F extends Figure>(figure: F, applicableCases: number = figure.denominator): FigureWithConfidence<F> {
  const ci = wilsonInterval(figure.numerator, figure.denominator);
  return {
    ...figure,
    ciLow: ci ? 100 * ci.low : null,
    ciHigh: ci ? 100 * ci.high : null,
    applicableCases,
    smallSample: smallSample(applicableCases),
  };
}

/** "95% CI 61.2% to 84.0%", or "" when there are no applicable cases. */
export function formatInterval(f: Pick<Confidence, "ciLow" | "ciHigh">): string {
  if (f.ciLow === null || f.ciHigh === null) return "";
  return `95% CI ${formatPercent(f.ciLow)} to ${formatPercent(f.ciHigh)}`;
}

/** A numerator as people read it: whole numbers as they are, partial credit to one decimal place ("14.5"). */
export function formatNumerator(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}

/** Rounded to 9 decimal places so floating-point noise cannot reorder equal figures. */
const clean = (x: number) => Math.round(x * 1e9) / 1e9;

/** How results across audits can be grouped (the page's "Group by"; shared with the browser). */
export const GROUP_BY = ["provider", "service", "team"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export type RankedCriterion<C> = C & {
  /** Percentage points below the green threshold (0 or negative when at or above it). */
  belowGreen: number;
};

/**
 * Criteria ranked by how far below the green threshold they are, worst first. Criteria with no
 * applicable cases are left out (there is nothing to rank). Ties go to the figure on more
 * applicable cases (stronger evidence), then keep the template's order.
 */
export function worstCriteria<C extends Figure>(byCriterion: C[], rag: RagThresholds): RankedCriterion<C>[] {
  return byCriterion
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.percent !== null && c.denominator > 0)
    .map(({ c, index }) => ({ ranked: { ...c, belowGreen: clean(rag.green - (c.percent as number)) }, index }))
    .sort((a, b) => b.ranked.belowGreen - a.ranked.belowGreen || b.ranked.denominator - a.ranked.denominator || a.index - b.index)
    .map(({ ranked }) => ranked);
}

export type RollupWithConfidence = {
  overall: FigureWithConfidence;
  bySection: FigureWithConfidence<Rollup["bySection"][number]>[];
  byCriterion: FigureWithConfidence<Rollup["byCriterion"][number]>[];
  byService: FigureWithConfidence<Rollup["byService"][number]>[];
};

const applicable = (a: Answer | null) => a === "met" || a === "partial" || a === "not_met";

/**
 * `rollUp` with every figure's confidence interval and small-sample mark, counting for each
 * pooled figure the cases that have at least one applicable answer in it.
 */
export function rollUpWithConfidence(template: Template, cases: CaseForScoring[], asOf: string, settings: SettingValues = {}): RollupWithConfidence {
  const scored = scoreCases(template, cases, asOf, settings);
  const rollup = rollUpScored(template, scored);
  const sectionOf = new Map(allCriteria(template).map((c) => [c.id, c.sectionId]));
  let overall = 0;
  const bySection = new Map<string, number>();
  const byService = new Map<number, number>();
  for (const { c, answers } of scored) {
    const sections = new Set<string>();
    for (const [criterionId, a] of Object.entries(answers)) {
      if (applicable(a.answer)) sections.add(sectionOf.get(criterionId)!);
    }
    if (sections.size === 0) continue;
    overall += 1;
    byService.set(c.serviceId, (byService.get(c.serviceId) ?? 0) + 1);
    for (const s of sections) bySection.set(s, (bySection.get(s) ?? 0) + 1);
  }
  return {
    overall: withConfidence(rollup.overall, overall),
    bySection: rollup.bySection.map((s) => withConfidence(s, bySection.get(s.sectionId) ?? 0)),
    byCriterion: rollup.byCriterion.map((c) => withConfidence(c)),
    byService: rollup.byService.map((s) => withConfidence(s, byService.get(s.serviceId) ?? 0)),
  };
}
