/** The benchmark's pure helpers (app/cli/bench-stats.ts): median, nearest-rank p95, warm runs, options. */
import { describe, expect, it } from "vitest";
import { DEFAULT_RUNS, DEFAULT_SIZES, median, ms, parseBenchArgs, percentile, thousands, warmRuns } from "~/cli/bench-stats";

describe("median", () => {
  it("is the middle value of an odd count, whatever the order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([9, 2, 7, 4, 100])).toBe(7);
  });
  it("is the mean of the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });
  it("is NaN for no values and does not reorder its input", () => {
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe("percentile (nearest rank)", () => {
  const oneTo100 = Array.from({ length: 100 }, (_, i) => 100 - i);
  it("p95 of 1..100 is 95 and p50 is 50", () => {
    expect(percentile(oneTo100, 95)).toBe(95);
    expect(percentile(oneTo100, 50)).toBe(50);
    expect(percentile(oneTo100, 100)).toBe(100);
  });
  it("p95 of 1..20 is 19, of 27 runs the 26th smallest, of one value that value", () => {
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile(Array.from({ length: 27 }, (_, i) => (i + 1) * 10), 95)).toBe(260);
    expect(percentile([42], 95)).toBe(42);
  });
  it("catches a slow outlier only when it is in the top 5%", () => {
    const times = [...Array(19).fill(10), 500];
    expect(percentile(times, 95)).toBe(10);
    expect(percentile([...times, 500], 95)).toBe(500);
  });
  it("is NaN for no values and refuses a p outside (0, 100]", () => {
    expect(percentile([], 95)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("warmRuns", () => {
  it("drops the first 3 runs (or all when there are fewer)", () => {
    expect(warmRuns([100, 50, 40, 10, 11, 12])).toEqual([10, 11, 12]);
    expect(warmRuns([1, 2])).toEqual([]);
    expect(warmRuns([1, 2, 3, 4], 1)).toEqual([2, 3, 4]);
  });
});

describe("parseBenchArgs", () => {
  it("defaults to 10,000, 100,000 and 1,000,000 answers and 30 runs", () => {
    expect(parseBenchArgs([])).toEqual({ sizes: DEFAULT_SIZES, runs: DEFAULT_RUNS });
    expect(DEFAULT_SIZES).toEqual([10_000, 100_000, 1_000_000]);
    expect(DEFAULT_RUNS).toBe(30);
  });
  it("reads --sizes and --runs", () => {
    expect(parseBenchArgs(["--sizes", "10000,100_000", "--runs", "12"])).toEqual({ sizes: [10_000, 100_000], runs: 12 });
  });
  it("refuses bad values and unknown options with a message", () => {
    expect(parseBenchArgs(["--sizes", "10k"])).toMatch(/--sizes must be whole numbers/);
    expect(parseBenchArgs(["--sizes"])).toMatch(/--sizes needs a value/);
    expect(parseBenchArgs(["--runs", "3"])).toMatch(/--runs must be a whole number, 4 or more/);
    expect(parseBenchArgs(["--fast"])).toMatch(/Unknown option --fast/);
  });
});

describe("formatting", () => {
  it("writes thousands with commas and milliseconds to one decimal place", () => {
    expect(thousands(1_004_210)).toBe("1,004,210");
    expect(ms(7832.84)).toBe("7832.8");
    expect(ms(null)).toBe("–");
    expect(ms(NaN)).toBe("–");
  });
});
