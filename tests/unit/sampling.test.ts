import { describe, expect, it } from "vitest";
import {
  SAMPLING_ALGORITHM,
  compareCodePoints,
  createRng,
  describeSample,
  drawSample,
  drawStratified,
  generateSeed,
  marginOfError,
  sampleSize,
} from "~/lib/sampling";

const refs = (n: number, prefix = "C") => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, "0")}`);

describe("createRng", () => {
  it("gives the same sequence for the same seed", () => {
    const a = createRng("audit-2026-01");
    const b = createRng("audit-2026-01");
    const xs = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(xs);
  });

  it("gives floats in [0, 1)", () => {
    const rng = createRng("range");
    for (let i = 0; i < 10_000; i++) {
      const x = rng();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it("gives different sequences for different seeds, even seeds one character apart", () => {
    const a = createRng("seed-1");
    const b = createRng("seed-2");
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });

  it("keeps producing the pinned sequence, so stored seeds re-draw stored samples (change SAMPLING_ALGORITHM if this fails)", () => {
    const rng = createRng("apples");
    expect([rng(), rng(), rng()]).toEqual([0.893548691412434, 0.5824044595938176, 0.9620315667707473]);
    expect(drawSample(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"], 4, "apples")).toEqual(["H", "C", "A", "D"]);
    expect(SAMPLING_ALGORITHM).toBe("cyrb128-sfc32/sorted-fisher-yates/v1");
  });

  it("refuses an empty seed", () => {
    expect(() => createRng("")).toThrow(RangeError);
  });
});

describe("drawSample", () => {
  const population = refs(200);

  it("gives the same sample for the same seed and population", () => {
    expect(drawSample(population, 30, "s1")).toEqual(drawSample(population, 30, "s1"));
  });

  it("gives a different sample for a different seed", () => {
    expect(drawSample(population, 30, "s1")).not.toEqual(drawSample(population, 30, "s2"));
  });

  it("does not depend on the order of the population", () => {
    const reversed = [...population].reverse();
    const shuffled = drawSample(population, population.length, "shuffle-the-input");
    const expected = drawSample(population, 25, "order");
    expect(drawSample(reversed, 25, "order")).toEqual(expected);
    expect(drawSample(shuffled, 25, "order")).toEqual(expected);
  });

  it("treats the population as a set: duplicates are neither drawn twice nor change the result", () => {
    const withDuplicates = [...population, ...population.slice(0, 50)];
    const sample = drawSample(withDuplicates, 120, "dups");
    expect(new Set(sample).size).toBe(120);
    expect(sample).toEqual(drawSample(population, 120, "dups"));
  });

  it("draws only members of the population, with no duplicates", () => {
    for (let i = 0; i < 100; i++) {
      const sample = drawSample(population, 50, `nodup-${i}`);
      expect(sample).toHaveLength(50);
      expect(new Set(sample).size).toBe(50);
      for (const ref of sample) expect(population).toContain(ref);
    }
  });

  it("returns the whole population (in draw order) when n is larger than it", () => {
    const sample = drawSample(refs(5), 9, "all");
    expect(sample).toHaveLength(5);
    expect([...sample].sort()).toEqual(refs(5));
    expect(drawSample(refs(5), 5, "all")).toEqual(sample);
  });

  it("returns an empty sample for n = 0 or an empty population", () => {
    expect(drawSample(population, 0, "zero")).toEqual([]);
    expect(drawSample([], 3, "empty")).toEqual([]);
  });

  it("returns the first n of a larger draw with the same seed (draw order)", () => {
    expect(drawSample(population, 40, "prefix").slice(0, 10)).toEqual(drawSample(population, 10, "prefix"));
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses n = %s with a RangeError", (n) => {
    expect(() => drawSample(population, n, "bad")).toThrow(RangeError);
  });

  it("sorts by code point, not by UTF-16 code unit", () => {
    // U+1F600 (surrogate pair D83D DE00) is after U+FF5E by code point, before it by code unit.
    expect(compareCodePoints("\u{1F600}", "\uFF5E")).toBe(1);
    expect(compareCodePoints("a", "ab")).toBe(-1);
    expect(compareCodePoints("ab", "ab")).toBe(0);
  });

  describe("is uniform (deterministic seeds, so these cannot flake)", () => {
    const items = refs(10);
    const draws = 20_000;
    const samples = Array.from({ length: draws }, (_, i) => drawSample(items, 3, `uniform-${i}`));

    it("includes each item about 3/10 of the time (within 5 binomial SDs)", () => {
      const p = 3 / 10;
      const sd = Math.sqrt(draws * p * (1 - p));
      const counts = new Map(items.map((x) => [x, 0]));
      for (const s of samples) for (const x of s) counts.set(x, counts.get(x)! + 1);
      for (const x of items) expect(Math.abs(counts.get(x)! - draws * p)).toBeLessThan(5 * sd);
    });

    it("draws each item first about 1/10 of the time (within 5 binomial SDs)", () => {
      const p = 1 / 10;
      const sd = Math.sqrt(draws * p * (1 - p));
      const counts = new Map(items.map((x) => [x, 0]));
      for (const s of samples) counts.set(s[0], counts.get(s[0])! + 1);
      for (const x of items) expect(Math.abs(counts.get(x)! - draws * p)).toBeLessThan(5 * sd);
    });

    it("makes every one of the 120 possible sets about equally likely (chi-squared within 5 SDs of its mean)", () => {
      const counts = new Map<string, number>();
      for (const s of samples) {
        const key = [...s].sort().join("|");
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect(counts.size).toBe(120);
      const expected = draws / 120;
      const chi2 = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
      const df = 119;
      expect(chi2).toBeLessThan(df + 5 * Math.sqrt(2 * df));
    });
  });
});

describe("sampleSize (domain rule 33)", () => {
  it.each([
    [100, 80],
    [200, 132],
    [500, 218],
    [1000, 278],
  ])("95%%, ±5%%, p = 0.5: N = %i → %i", (population, n) => {
    expect(sampleSize({ population, confidence: 0.95 })).toBe(n);
    expect(sampleSize({ population, confidence: 0.95, margin: 0.05, p: 0.5 })).toBe(n);
  });

  it("95%, ±5%, p = 0.7: N = 400 → 179 and N = 300 → 156", () => {
    expect(sampleSize({ population: 400, confidence: 0.95, p: 0.7 })).toBe(179);
    expect(sampleSize({ population: 300, confidence: 0.95, p: 0.7 })).toBe(156);
  });

  it.each([
    [20, 20],
    [30, 28],
    [50, 45],
    [150, 108],
    [300, 169],
  ])("matches the computed table in domain §4.3: N = %i → %i", (population, n) => {
    expect(sampleSize({ population, confidence: 0.95 })).toBe(n);
  });

  it("uses 1.645 at 90% and 1.28 at 80%", () => {
    // 90%: 1.645²·500·0.25 / (0.0025·500 + 1.645²·0.25) = 175.58 → 176
    expect(sampleSize({ population: 500, confidence: 0.9 })).toBe(176);
    // 80%: 1.28²·500·0.25 / (0.0025·500 + 1.28²·0.25) = 123.4 → 124
    expect(sampleSize({ population: 500, confidence: 0.8 })).toBe(124);
  });

  it("does not push an exact whole number up through floating-point error", () => {
    // c = 1.28, p = 0.25, A = 0.16, N = 60: c²·p(1−p) = 0.3072, so
    // n = 0.3072·60 / (0.0256·60 + 0.3072) = 18.432 / 1.8432 = 10 exactly, which floats make 10.000000000000002.
    const c2pq = 1.28 * 1.28 * 0.25 * 0.75;
    expect((c2pq * 60) / (0.16 * 0.16 * 60 + c2pq)).toBeGreaterThan(10);
    expect(sampleSize({ population: 60, confidence: 0.8, margin: 0.16, p: 0.25 })).toBe(10);
    expect(sampleSize({ population: 240, confidence: 0.8, margin: 0.08, p: 0.25 })).toBe(40);
  });

  it("never exceeds the population and gives 0 for an empty population", () => {
    for (let population = 0; population <= 60; population++) {
      expect(sampleSize({ population, confidence: 0.95 })).toBeLessThanOrEqual(population);
    }
    expect(sampleSize({ population: 0, confidence: 0.95 })).toBe(0);
    expect(sampleSize({ population: 1, confidence: 0.95 })).toBe(1);
  });

  it("refuses other confidence levels and impossible inputs", () => {
    expect(() => sampleSize({ population: 100, confidence: 0.99 })).toThrow(RangeError);
    expect(() => sampleSize({ population: 100, confidence: 95 })).toThrow(RangeError);
    expect(() => sampleSize({ population: -1, confidence: 0.95 })).toThrow(RangeError);
    expect(() => sampleSize({ population: 10.5, confidence: 0.95 })).toThrow(RangeError);
    expect(() => sampleSize({ population: 100, confidence: 0.95, margin: 0 })).toThrow(RangeError);
    expect(() => sampleSize({ population: 100, confidence: 0.95, p: 1 })).toThrow(RangeError);
  });
});

describe("marginOfError", () => {
  it("inverts the sample-size formula", () => {
    expect(marginOfError({ sample: 80, population: 100 })).toBeCloseTo(0.049, 10);
    expect(marginOfError({ sample: 278, population: 1000 })).toBeLessThanOrEqual(0.05);
    expect(marginOfError({ sample: 277, population: 1000 })).toBeGreaterThan(0.05);
  });

  it("is 0 for a census and Infinity for an empty sample", () => {
    expect(marginOfError({ sample: 40, population: 40 })).toBe(0);
    expect(marginOfError({ sample: 0, population: 40 })).toBe(Infinity);
    expect(() => marginOfError({ sample: 41, population: 40 })).toThrow(RangeError);
  });
});

describe("drawStratified", () => {
  const strata = { "Team A": refs(60, "A"), "Team B": refs(30, "B"), "Team C": refs(9, "C"), "Team D": refs(1, "D") };

  it("takes each stratum's picks only from that stratum, with no duplicates", () => {
    const result = drawStratified({ strata, seed: "strat", mode: "proportional", total: 40 });
    for (const [key, picks] of Object.entries(result.byStratum)) {
      for (const ref of picks) expect(strata[key as keyof typeof strata]).toContain(ref);
      expect(new Set(picks).size).toBe(picks.length);
    }
    expect(new Set(result.sample).size).toBe(result.sample.length);
    expect(result.sample).toEqual(Object.keys(result.byStratum).flatMap((k) => result.byStratum[k]));
  });

  it("shares a proportional total by largest remainder so it adds up exactly", () => {
    // 40 of 100: quotas 24, 12, 3.6, 0.4 → floors 24, 12, 3, 0 (39); the one left goes to C (remainder 0.6).
    const result = drawStratified({ strata, seed: "strat", mode: "proportional", total: 40 });
    expect(result.allocation).toEqual({ "Team A": 24, "Team B": 12, "Team C": 4, "Team D": 0 });
    expect(result.sample).toHaveLength(40);
    for (const [key, n] of Object.entries(result.allocation)) expect(result.byStratum[key]).toHaveLength(n);
  });

  it("adds up to the total for many totals and stratum sizes", () => {
    const uneven = { a: refs(37, "a"), b: refs(23, "b"), c: refs(11, "c"), d: refs(5, "d"), e: refs(2, "e") };
    for (let total = 0; total <= 78; total++) {
      const result = drawStratified({ strata: uneven, seed: `t${total}`, mode: "proportional", total });
      expect(result.sample).toHaveLength(Math.min(total, 78));
      for (const [key, n] of Object.entries(result.allocation)) expect(n).toBeLessThanOrEqual(uneven[key as keyof typeof uneven].length);
    }
  });

  it("breaks equal remainders in favour of the larger stratum, then by key", () => {
    const result = drawStratified({ strata: { x: refs(1, "x"), y: refs(3, "y"), z: refs(1, "z"), w: refs(3, "w") }, seed: "tie", mode: "proportional", total: 4 });
    // quotas 0.5, 1.5, 0.5, 1.5 → floors 0, 1, 0, 1; the two left go to the larger strata w and y.
    expect(result.allocation).toEqual({ w: 2, x: 0, y: 2, z: 0 });
  });

  it("takes a percentage of the population, rounded up", () => {
    const result = drawStratified({ strata: { a: refs(51, "a"), b: refs(50, "b") }, seed: "pct", mode: "proportional", percent: 10 });
    expect(result.sample).toHaveLength(11); // 10% of 101 = 10.1 → 11
    const exact = drawStratified({ strata: { a: refs(70, "a"), b: refs(30, "b") }, seed: "pct", mode: "proportional", percent: 30 });
    expect(exact.sample).toHaveLength(30);
  });

  it("raises small strata to the minimum (or the whole stratum), which can make the sample larger than the total", () => {
    const result = drawStratified({ strata, seed: "min", mode: "proportional", total: 40, minPerStratum: 5 });
    expect(result.allocation).toEqual({ "Team A": 24, "Team B": 12, "Team C": 5, "Team D": 1 });
    expect(result.sample).toHaveLength(42);
    expect(result.byStratum["Team D"]).toEqual(["D-0001"]);
  });

  it("takes a fixed number from every stratum, capped at its size", () => {
    const result = drawStratified({ strata, seed: "fixed", mode: "fixed", perStratum: 10 });
    expect(result.allocation).toEqual({ "Team A": 10, "Team B": 10, "Team C": 9, "Team D": 1 });
    expect(result.sample).toHaveLength(30);
  });

  it("is deterministic, does not depend on key or member order, and draws each stratum with seed:key", () => {
    const reordered = Object.fromEntries(Object.entries(strata).reverse().map(([k, v]) => [k, [...v].reverse()]));
    const a = drawStratified({ strata, seed: "det", mode: "proportional", total: 25 });
    const b = drawStratified({ strata: reordered, seed: "det", mode: "proportional", total: 25 });
    expect(b).toEqual(a);
    expect(a.byStratum["Team A"]).toEqual(drawSample(strata["Team A"], a.allocation["Team A"], "det:Team A"));
    expect(drawStratified({ strata, seed: "other", mode: "proportional", total: 25 }).sample).not.toEqual(a.sample);
  });

  it("handles empty strata and an empty population", () => {
    const result = drawStratified({ strata: { a: [], b: refs(4, "b") }, seed: "e", mode: "proportional", total: 2, minPerStratum: 1 });
    expect(result.allocation).toEqual({ a: 0, b: 2 });
    expect(drawStratified({ strata: {}, seed: "e", mode: "proportional", total: 5 })).toEqual({ allocation: {}, byStratum: {}, sample: [] });
  });

  it("refuses a reference in two strata, missing or conflicting sizes and bad numbers", () => {
    expect(() => drawStratified({ strata: { a: ["X1", "X2"], b: ["X2"] }, seed: "s", mode: "fixed", perStratum: 1 })).toThrow(/more than one stratum/);
    expect(() => drawStratified({ strata, seed: "s", mode: "proportional" })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "s", mode: "proportional", total: 5, percent: 5 })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "s", mode: "proportional", percent: 0 })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "s", mode: "proportional", total: -1 })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "s", mode: "fixed" })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "s", mode: "fixed", perStratum: 2.5 })).toThrow(RangeError);
    expect(() => drawStratified({ strata, seed: "", mode: "fixed", perStratum: 2 })).toThrow(RangeError);
  });
});

describe("describeSample", () => {
  it("says what a sample can show, in plain English", () => {
    const d = describeSample({ sample: 80, population: 100 });
    expect(d.shows).toBe(
      "With 80 of 100 cases, a compliance figure is within ±5 percentage points of the true figure 95 times in 100 — if the cases were chosen at random.",
    );
    expect(d.margin).toBeCloseTo(0.049, 10);
    expect(d.cannot.join(" ")).toMatch(/chosen at random/);
  });

  it("uses the confidence level and rounds the margin up", () => {
    const d = describeSample({ sample: 20, population: 200, confidence: 0.9 });
    // 1.645·√(0.25·180/4000) = 0.1745 → ±18
    expect(d.shows).toBe(
      "With 20 of 200 cases, a compliance figure is within ±18 percentage points of the true figure 90 times in 100 — if the cases were chosen at random.",
    );
  });

  it("warns about small strata", () => {
    const d = describeSample({
      sample: 60,
      population: 200,
      strata: { "Team A": { sample: 5, population: 40 }, "Team B": { sample: 55, population: 60 }, "Team C": { sample: 0, population: 3 } },
    });
    expect(d.cannot).toContain(
      "It cannot give a precise figure for Team A on its own: with 5 of 40 cases, that figure is only within ±41 percentage points 95 times in 100.",
    );
    expect(d.cannot.join(" ")).not.toMatch(/Team B/);
    expect(d.cannot).toContain("It cannot show anything about Team C: none of its 3 cases are in the sample.");
  });

  it("describes a census and an empty sample", () => {
    expect(describeSample({ sample: 12, population: 12 }).shows).toMatch(/^All 12 cases are audited/);
    expect(describeSample({ sample: 12, population: 12 }).margin).toBe(0);
    expect(describeSample({ sample: 0, population: 12 }).shows).toMatch(/No cases have been sampled/);
    expect(describeSample({ sample: 12, population: 12 }).cannot.length).toBeGreaterThan(0);
  });
});

describe("generateSeed", () => {
  it("makes a readable, fresh seed each time", () => {
    const a = generateSeed();
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(generateSeed()).not.toBe(a);
  });
});
