/**
 * Pure helpers for the benchmark (app/cli/bench.ts): percentiles, the warm runs, the options
 * and number formatting. No database, no clock: unit-tested in tests/unit/bench.test.ts.
 */

/** The median: the middle value, or the mean of the two middle values. NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest value with at
 * least p% of the values at or below it. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError("p must be more than 0 and at most 100");
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

/** The runs that count: the first `discard` (cold) runs are dropped. */
export function warmRuns(times: readonly number[], discard = 3): number[] {
  return times.slice(Math.min(discard, times.length));
}

export type BenchOptions = { sizes: number[]; runs: number };
export const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
export const DEFAULT_RUNS = 30;

/** `--sizes 10000,100000 --runs 30` → options, or a message. */
export function parseBenchArgs(args: readonly string[]): BenchOptions | string {
  const o: BenchOptions = { sizes: DEFAULT_SIZES, runs: DEFAULT_RUNS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === "--sizes") {
      if (v === undefined) return "--sizes needs a value, for example --sizes 10000,100000";
      const sizes = v.split(",").map((x) => Number(x.trim().replace(/_/g, "")));
      if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) return `--sizes must be whole numbers above 0, separated by commas (got "${v}")`;
      o.sizes = sizes;
      i++;
    } else if (a === "--runs") {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 4) return `--runs must be a whole number, 4 or more (the first 3 runs are discarded) (got "${v ?? ""}")`;
      o.runs = n;
      i++;
    } else return `Unknown option ${a}. Usage: npm run bench -- [--sizes 10000,100000,1000000] [--runs 30]`;
  }
  return o;
}

/** 1234567 → "1,234,567". */
export const thousands = (n: number) => Math.round(n).toLocaleString("en-GB");

/** Milliseconds with one decimal place; "–" when not measured. */
export const ms = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(1));
