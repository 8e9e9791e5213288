/**
 * Pure statistics for roll-ups and re-audit comparisons (issues 5 and 6).
 *
 * - `wilsonInterval`: 95% Wilson score interval for a compliance proportion (no continuity
 *   correction; Newcombe 1998 "method 3"). The numerator may be fractional, because with
 *   partial credit (domain.md rule 29) it is met + w × partial.
 * - `twoProportionTest` / `describeChange`: the pooled two-sample z-test for "is the change
 *   between audit and re-audit larger than chance alone would usually explain?", in words.
 * - `smallSample`: the "small sample" mark for fewer than 10 applicable cases.
 *
 * Everything here works on proportions 0–1; callers multiply by 100 for display.
 */

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

/** Figures based on fewer applicable cases than this carry the "small sample" mark. */
export const SMALL_SAMPLE_THRESHOLD = 10;

/** Two-sided significance level used by `twoProportionTest`. */
export const SIGNIFICANCE_LEVEL = 0.05;

export type Interval = { low: number; high: number };

function assertFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number (got ${String(value)})`);
  }
}

function assertCounts(successesName: string, successes: number, nName: string, n: number): void {
  assertFinite(successesName, successes);
  assertFinite(nName, n);
  if (n < 0) throw new RangeError(`${nName} must not be negative (got ${n})`);
  if (successes < 0 || successes > n) {
    throw new RangeError(`${successesName} must be between 0 and ${nName} (got ${successes} of ${n})`);
  }
}

/**
 * Wilson score interval for `successes` out of `n`, as proportions 0–1:
 *
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) × √( p(1−p)/n + z²/4n² )
 *
 * `successes` need not be an integer (partial credit). Returns null when n = 0 (no
 * applicable cases: there is no proportion to bound). The bounds are exactly 0 when
 * successes = 0 and exactly 1 when successes = n, and are always clamped to [0, 1].
 * Throws RangeError for negative n, successes outside [0, n], non-finite input or z ≤ 0.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval | null {
  assertCounts("successes", successes, "n", n);
  assertFinite("z", z);
  if (z <= 0) throw new RangeError(`z must be positive (got ${z})`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === n ? 1 : Math.min(1, centre + half);
  return { low, high };
}

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function erfc(x), accurate to about 1e-14 relative error.
 *
 * For |x| < 2.5 it uses the all-positive series
 *   erf(x) = (2/√π) e^(−x²) Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 * (no cancellation between terms); for x ≥ 2.5 the continued fraction
 *   erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
 * evaluated with the modified Lentz method, which keeps full relative precision far into
 * the tail (so tiny p-values are still right). erfc(−x) = 2 − erfc(x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n += 1) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const erf = (2 / SQRT_PI) * Math.exp(-x * x) * sum;
    return 1 - erf;
  }
  // Continued fraction K = 1/(x + a1/(x + a2/(x + …))) with a_k = k/2, by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k += 1) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Error function erf(x) = 1 − erfc(x). */
export function erf(x: number): number {
  return 1 - erfc(x);
}

/** Standard normal cumulative distribution function Φ(x) = ½ erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Two-sided p-value for a standard normal test statistic: P(|Z| ≥ |z|) = erfc(|z|/√2). */
export function twoSidedPValue(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export type TwoProportionResult = {
  /** First (e.g. original audit) proportion x1/n1, 0–1. */
  p1: number;
  /** Second (e.g. re-audit) proportion x2/n2, 0–1. */
  p2: number;
  /** p2 − p1, as a proportion (multiply by 100 for percentage points). */
  difference: number;
  /** (p2 − p1) / pooled standard error; positive when the second proportion is higher. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  /** pValue < 0.05. */
  significant: boolean;
};

/**
 * Pooled two-proportion z-test (two-sided), comparing a first sample x1/n1 (e.g. the original
 * audit) with a second x2/n2 (e.g. the re-audit):
 *
 *   p̂ = (x1 + x2) / (n1 + n2),  SE = √( p̂(1−p̂)(1/n1 + 1/n2) ),  z = (p2 − p1) / SE.
 *
 * z² equals Pearson's chi-squared (no continuity correction) for the 2×2 table. Counts may be
 * fractional (partial credit). Returns null when either n is 0 or the pooled proportion is
 * 0 or 1 (every case met, or none did, in both audits: there is no variation to test).
 * The normal approximation is rough for small samples; pair it with `smallSample`.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionResult | null {
  assertCounts("x1", x1, "n1", n1);
  assertCounts("x2", x2, "n2", n2);
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled <= 0 || pooled >= 1) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const difference = p2 - p1;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = difference / se;
  const pValue = twoSidedPValue(z);
  return { p1, p2, difference, z, pValue, significant: pValue < SIGNIFICANCE_LEVEL };
}

/**
 * A p-value for people: "p < 0.001"; three decimals below 0.01, otherwise two ("p = 0.03",
 * "p = 0.41"), with more decimals where rounding would put the shown value on the other side
 * of 0.05 from the real one (p = 0.0496 shows as "p = 0.0496", never "p = 0.05").
 */
export function formatPValue(p: number): string {
  if (p < 0.001) return "p < 0.001";
  const significant = p < SIGNIFICANCE_LEVEL;
  let decimals = p < 0.01 ? 3 : 2;
  while (decimals < 6 && (Number(p.toFixed(decimals)) < SIGNIFICANCE_LEVEL) !== significant) decimals += 1;
  return `p = ${p.toFixed(decimals)}`;
}

/** "+12.5", "-4.0", "0.0": a change in percentage points, one decimal place. */
export function formatPercentagePoints(difference: number): string {
  const points = Math.round(difference * 1000) / 10;
  if (points === 0) return "0.0";
  return `${points > 0 ? "+" : "-"}${Math.abs(points).toFixed(1)}`;
}

/**
 * One plain-English sentence about a `twoProportionTest` result, e.g.
 * "The change of +12.5 percentage points is larger than chance alone would usually explain (p = 0.03)."
 * or "The change of -3.0 percentage points could be due to chance (p = 0.41)."
 */
export function describeChange(result: TwoProportionResult | null): string {
  if (result === null) {
    return "The change cannot be tested: one of the audits has no applicable cases, or every case had the same result in both.";
  }
  const change = `The change of ${formatPercentagePoints(result.difference)} percentage points`;
  const p = formatPValue(result.pValue);
  return result.significant
    ? `${change} is larger than chance alone would usually explain (${p}).`
    : `${change} could be due to chance (${p}).`;
}

/** True when a figure rests on fewer than 10 applicable cases (the "small sample" mark). */
export function smallSample(n: number): boolean {
  assertFinite("n", n);
  if (n < 0) throw new RangeError(`n must not be negative (got ${n})`);
  return n < SMALL_SAMPLE_THRESHOLD;
}
