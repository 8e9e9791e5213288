/**
 * Inter-rater agreement for blind moderation (issue #6; domain.md §4.2 and rule 32): how
 * closely a moderator's second, blind scoring of a case matches the first auditor's.
 *
 * Pure: no I/O, no clock, no randomness. Every function takes `pairs`, an array of
 * `[firstAnswer, secondAnswer]` strings, one pair per (case, criterion) scored twice.
 *
 * - Answers are compared as exact strings ("Met" and "met" are different categories).
 *   Normalise before calling, and leave unanswered pairs out: this module has no notion of
 *   "missing", so a blank string is just another category.
 * - Order of the pairs does not matter, and swapping the two raters gives the same results.
 * - "Undefined" statistics are `null`, never 0 or NaN: with no pairs neither figure
 *   exists, and kappa does not exist when chance agreement is 1 (both raters gave every
 *   pair the same single answer), because κ = (po − pe) / (1 − pe) would divide by zero.
 *
 * Kappa is computed from whole-number counts, κ = (n·a − Σ rᵢcᵢ) / (n² − Σ rᵢcᵢ) (a = pairs
 * agreed, rᵢ / cᵢ = how often the first / second rater answered category i), which is the
 * textbook formula multiplied through by n². Only the last step divides, so a kappa that is
 * exactly 0.4 comes out as the double 0.4, not 0.39999999999999997, and lands in the right
 * Landis & Koch band.
 */

/** One case-criterion scored twice: [first auditor's answer, moderator's answer]. */
export type AnswerPair = readonly [first: string, second: string];

type Counts = {
  /** Number of pairs. */
  n: number;
  /** Pairs where the two answers are the same string. */
  agreed: number;
  /** Σ over categories (union of both raters' answers) of first-rater count × second-rater count. */
  chanceProducts: number;
};

function count(pairs: readonly AnswerPair[]): Counts {
  const firstCounts = new Map<string, number>();
  const secondCounts = new Map<string, number>();
  let agreed = 0;
  for (const [first, second] of pairs) {
    if (first === second) agreed += 1;
    firstCounts.set(first, (firstCounts.get(first) ?? 0) + 1);
    secondCounts.set(second, (secondCounts.get(second) ?? 0) + 1);
  }
  // Union of categories: a category only one rater used contributes r·0 = 0, so iterating
  // one rater's categories is enough, but it must be done against the other's counts.
  let chanceProducts = 0;
  for (const [category, r] of firstCounts) chanceProducts += r * (secondCounts.get(category) ?? 0);
  return { n: pairs.length, agreed, chanceProducts };
}

/**
 * Observed agreement po: the PROPORTION (0 to 1, not a percentage) of pairs whose two
 * answers are identical. `null` when there are no pairs. Show it with `formatAgreement`.
 */
export function percentAgreement(pairs: readonly AnswerPair[]): number | null {
  const { n, agreed } = count(pairs);
  return n === 0 ? null : agreed / n;
}

/**
 * Chance agreement pe = Σᵢ (rᵢ/n)(cᵢ/n) over the union of categories either rater used,
 * from the two raters' own marginal proportions (Cohen 1960). `null` when there are no pairs.
 */
export function chanceAgreement(pairs: readonly AnswerPair[]): number | null {
  const { n, chanceProducts } = count(pairs);
  return n === 0 ? null : chanceProducts / (n * n);
}

/**
 * Cohen's kappa, κ = (po − pe) / (1 − pe), unweighted (every disagreement counts the same).
 * 1 = perfect agreement, 0 = no better than chance, negative = worse than chance; never
 * below −1. `null` when there are no pairs or pe = 1 (both raters used one and the same
 * category for every pair: agreement is then 100% but says nothing beyond chance).
 */
export function cohensKappa(pairs: readonly AnswerPair[]): number | null {
  const { n, agreed, chanceProducts } = count(pairs);
  const denominator = n * n - chanceProducts; // n²(1 − pe)
  if (n === 0 || denominator === 0) return null;
  return (n * agreed - chanceProducts) / denominator; // n²(po − pe) / n²(1 − pe)
}

/** Rounds half up through the decimal text, so binary representation cannot bite (as in scoring.ts). */
function roundTo(x: number, dp: number): number {
  const [mantissa, exponent] = x.toExponential().split("e");
  return Number(`${Math.round(Number(`${mantissa}e${Number(exponent) + dp}`))}e-${dp}`);
}

/**
 * A proportion from `percentAgreement` as a percentage with one decimal place, half up:
 * 0.85 → "85.0%", 2/3 → "66.7%". `null` → "No answers to compare".
 */
export function formatAgreement(proportion: number | null): string {
  if (proportion === null) return "No answers to compare";
  if (!Number.isFinite(proportion)) throw new RangeError(`Agreement must be a finite proportion, got ${proportion}`);
  return `${roundTo(roundTo(proportion * 100, 9), 1).toFixed(1)}%`;
}

/** A kappa to two decimal places, halves away from zero, with a true minus sign ("0.40", "−0.60"), or "Not defined" for null. */
export function formatKappa(kappa: number | null): string {
  if (kappa === null) return "Not defined";
  if (!Number.isFinite(kappa)) throw new RangeError(`Kappa must be a finite number, got ${kappa}`);
  // Round the magnitude so −0.605 and 0.605 round alike; a value that rounds to zero is unsigned.
  const magnitude = roundTo(roundTo(Math.abs(kappa), 9), 2);
  return kappa < 0 && magnitude > 0 ? `\u2212${magnitude.toFixed(2)}` : magnitude.toFixed(2);
}

export type KappaBand = "poor" | "slight" | "fair" | "moderate" | "substantial" | "almost perfect";

export const KAPPA_BAND_LABELS: Record<KappaBand, string> = {
  poor: "Poor",
  slight: "Slight",
  fair: "Fair",
  moderate: "Moderate",
  substantial: "Substantial",
  "almost perfect": "Almost perfect",
};

/**
 * Landis & Koch (1977) strength of agreement for a kappa:
 *   κ < 0 poor; 0.00–0.20 slight; 0.21–0.40 fair; 0.41–0.60 moderate;
 *   0.61–0.80 substantial; 0.81–1.00 almost perfect.
 *
 * Boundary convention: the published bands are written to two decimals and leave gaps
 * (0.20 … 0.21); here each band's UPPER bound is inclusive and its lower bound exclusive,
 * so 0 → slight, 0.20 → slight, 0.205 → fair, 0.40 → fair, 0.41 → moderate, 0.80 →
 * substantial, 0.805 → almost perfect. Only strictly negative values are "poor". kappa is
 * rounded to 9 decimal places first so floating-point noise (0.4000000000000001) cannot push
 * a value over a boundary. `null` (undefined kappa) → `null`. Values outside [−1, 1] or not
 * finite throw a RangeError: they cannot be a kappa.
 */
export function interpretKappa(kappa: number | null): KappaBand | null {
  if (kappa === null) return null;
  if (!Number.isFinite(kappa)) throw new RangeError(`Kappa must be a finite number, got ${kappa}`);
  const k = roundTo(kappa, 9);
  if (k < -1 || k > 1) throw new RangeError(`Kappa must lie between -1 and 1, got ${kappa}`);
  if (k < 0) return "poor";
  if (k <= 0.2) return "slight";
  if (k <= 0.4) return "fair";
  if (k <= 0.6) return "moderate";
  if (k <= 0.8) return "substantial";
  return "almost perfect";
}

/** One moderated answer: a criterion of one case, scored by both raters. Extra fields (case id…) are kept. */
export type AgreementRow = { criterionId: string; first: string; second: string };

export type AgreementSummary<R extends AgreementRow = AgreementRow> = {
  /** Number of pairs compared. */
  n: number;
  /** Proportion 0–1 (see `percentAgreement`); null when n = 0. */
  agreement: number | null;
  /** Cohen's kappa; null when n = 0 or chance agreement is 1. */
  kappa: number | null;
  /** The rows whose two answers differ, in input order (the original objects, for a side-by-side view). */
  disagreements: R[];
};

export type CriterionAgreement<R extends AgreementRow = AgreementRow> = AgreementSummary<R> & { criterionId: string };

export type AgreementByCriterion<R extends AgreementRow = AgreementRow> = {
  /** One entry per criterion, in order of the criterion's first appearance in `rows`. */
  byCriterion: CriterionAgreement<R>[];
  /**
   * All rows pooled into one table (every criterion's pairs together, over the union of all
   * answers). This is not the mean of the per-criterion figures: a criterion with more
   * moderated answers weighs more, and a pooled kappa can exist when every per-criterion
   * kappa is null.
   */
  overall: AgreementSummary<R>;
};

function summarise<R extends AgreementRow>(rows: readonly R[]): AgreementSummary<R> {
  const pairs = rows.map((r): AnswerPair => [r.first, r.second]);
  return {
    n: rows.length,
    agreement: percentAgreement(pairs),
    kappa: cohensKappa(pairs),
    disagreements: rows.filter((r) => r.first !== r.second),
  };
}

/** Agreement, kappa and disagreements per criterion and overall. */
export function agreementByCriterion<R extends AgreementRow>(rows: readonly R[]): AgreementByCriterion<R> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const group = groups.get(row.criterionId);
    if (group) group.push(row);
    else groups.set(row.criterionId, [row]);
  }
  return {
    byCriterion: [...groups].map(([criterionId, group]) => ({ criterionId, ...summarise(group) })),
    overall: summarise(rows),
  };
}
