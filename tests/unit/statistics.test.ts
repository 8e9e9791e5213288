import { describe, expect, it } from "vitest";
import {
  SMALL_SAMPLE_THRESHOLD,
  Z_95,
  describeChange,
  erf,
  erfc,
  formatPValue,
  formatPercentagePoints,
  normalCdf,
  smallSample,
  twoProportionTest,
  twoSidedPValue,
  wilsonInterval,
  type TwoProportionResult,
} from "~/lib/statistics";

describe("wilsonInterval", () => {
  // Newcombe RG (1998) "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Stat Med 17:857–872, Table II, method 3 (score interval without continuity
  // correction), and the 0/10 and 10/10 rows used by Wallis (2013).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
  ])("matches the published interval for %d/%d", (x, n, low, high) => {
    const ci = wilsonInterval(x, n);
    expect(ci).not.toBeNull();
    expect(ci!.low).toBeCloseTo(low, 4);
    expect(ci!.high).toBeCloseTo(high, 4);
  });

  it("is exactly 0 at the bottom for no successes and exactly 1 at the top for all", () => {
    expect(wilsonInterval(0, 7)!.low).toBe(0);
    expect(wilsonInterval(7, 7)!.high).toBe(1);
    expect(wilsonInterval(1, 1)).toEqual({ low: expect.closeTo(0.2065, 4), high: 1 });
  });

  it("is symmetric about one half: x/n mirrors (n−x)/n", () => {
    const a = wilsonInterval(3, 17)!;
    const b = wilsonInterval(14, 17)!;
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it("is centred on ½ for half the cases and contains the observed proportion", () => {
    const ci = wilsonInterval(5, 10)!;
    expect(ci.low).toBeCloseTo(0.2366, 4);
    expect(ci.high).toBeCloseTo(0.7634, 4);
    expect((ci.low + ci.high) / 2).toBeCloseTo(0.5, 12);
  });

  it("accepts a fractional numerator (partial credit) and lies between its integer neighbours", () => {
    // 7 met + 1 partial at 0.5 credit out of 10: 7.5/10.
    const ci = wilsonInterval(7.5, 10)!;
    expect(ci.low).toBeCloseTo(0.4422, 4);
    expect(ci.high).toBeCloseTo(0.9191, 4);
    expect(ci.low).toBeGreaterThan(wilsonInterval(7, 10)!.low);
    expect(ci.low).toBeLessThan(wilsonInterval(8, 10)!.low);
  });

  it("narrows as the sample grows", () => {
    const small = wilsonInterval(8, 10)!;
    const large = wilsonInterval(80, 100)!;
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it("takes another z (90%: 1.6449) and gives a narrower interval (0.2633–0.3566)", () => {
    const ci = wilsonInterval(81, 263, 1.6448536269514722)!;
    expect(ci.low).toBeCloseTo(0.2633, 4);
    expect(ci.high).toBeCloseTo(0.3566, 4);
    const ci95 = wilsonInterval(81, 263)!;
    expect(ci.high - ci.low).toBeLessThan(ci95.high - ci95.low);
  });

  it("returns null when there are no applicable cases", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("rejects impossible counts", () => {
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, -1)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Infinity)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(RangeError);
  });

  it("uses z = 1.959963984540054 by default", () => {
    expect(Z_95).toBe(1.959963984540054);
    expect(wilsonInterval(81, 263)).toEqual(wilsonInterval(81, 263, Z_95));
  });
});

describe("normal distribution", () => {
  // Reference values: erf/erfc tables (Abramowitz & Stegun Table 7.1) and the standard
  // normal quantiles z(0.95) = 1.6448536269514722, z(0.975) = 1.959963984540054,
  // z(0.995) = 2.5758293035489004, z(0.9995) = 3.2905267314919255.
  it("erf and erfc match tabulated values", () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497149, 14);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
  });

  it("keeps its relative precision far into the tail", () => {
    for (const [x, expected] of [
      [2.5, 4.069520174449589e-4],
      [3, 2.2090496998585438e-5],
      [6, 2.1519736712498916e-17],
    ]) {
      expect(Math.abs(erfc(x) / expected - 1)).toBeLessThan(1e-12);
    }
  });

  it("is continuous where the method changes (x = 2.5)", () => {
    expect(Math.abs(erfc(2.5 - 1e-12) - erfc(2.5))).toBeLessThan(1e-14);
  });

  it("normalCdf gives the standard normal probabilities", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Z_95)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
  });

  it.each([
    [1.959963984540054, 0.05],
    [1.6448536269514722, 0.1],
    [2.5758293035489004, 0.01],
    [3.2905267314919255, 0.001],
    [-1.959963984540054, 0.05],
  ])("two-sided p-value of z = %s is %s", (z, p) => {
    expect(twoSidedPValue(z)).toBeCloseTo(p, 12);
  });

  it("z = 1.96 gives p ≈ 0.05 (0.04999579), z = 0 gives p = 1, z = 5 gives 5.733e-7", () => {
    expect(twoSidedPValue(1.96)).toBeCloseTo(0.04999579029644087, 12);
    expect(twoSidedPValue(0)).toBe(1);
    expect(twoSidedPValue(5) / 5.733031437583892e-7 - 1).toBeCloseTo(0, 10);
  });
});

describe("twoProportionTest", () => {
  /** Pearson's chi-squared (no continuity correction) for the 2×2 table, computed independently. */
  function chiSquared(x1: number, n1: number, x2: number, n2: number): number {
    const table = [
      [x1, n1 - x1],
      [x2, n2 - x2],
    ];
    const total = n1 + n2;
    const colTotals = [x1 + x2, total - x1 - x2];
    const rowTotals = [n1, n2];
    let chi = 0;
    for (let r = 0; r < 2; r += 1) {
      for (let c = 0; c < 2; c += 1) {
        const expected = (rowTotals[r] * colTotals[c]) / total;
        chi += (table[r][c] - expected) ** 2 / expected;
      }
    }
    return chi;
  }

  it("computes the pooled z-test by hand: 30/60 → 45/60", () => {
    // p1 = 0.5, p2 = 0.75, pooled = 75/120 = 0.625,
    // SE = √(0.625 × 0.375 × (1/60 + 1/60)) = √0.0078125 = 0.0883883…, z = 0.25 / SE = 2√2.
    const r = twoProportionTest(30, 60, 45, 60)!;
    expect(r.p1).toBe(0.5);
    expect(r.p2).toBe(0.75);
    expect(r.difference).toBeCloseTo(0.25, 12);
    expect(r.z).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(r.pValue).toBeCloseTo(0.004677734981047271, 10);
    expect(r.significant).toBe(true);
  });

  it("is not significant for 40/50 → 45/50 (z = 1.4003, p = 0.1614)", () => {
    const r = twoProportionTest(40, 50, 45, 50)!;
    expect(r.z).toBeCloseTo(1.4002800840280094, 10);
    expect(r.pValue).toBeCloseTo(0.16142946236708333, 10);
    expect(r.significant).toBe(false);
  });

  it("has z² equal to Pearson's chi-squared for the same 2×2 table", () => {
    for (const [x1, n1, x2, n2] of [
      [12, 20, 15, 20],
      [81, 263, 40, 100],
      [3, 9, 9, 11],
      [50, 70, 20, 45],
    ]) {
      const r = twoProportionTest(x1, n1, x2, n2)!;
      expect(r.z ** 2).toBeCloseTo(chiSquared(x1, n1, x2, n2), 10);
    }
  });

  it("gives a negative z and difference when the second audit is worse, with the same p", () => {
    const up = twoProportionTest(30, 60, 45, 60)!;
    const down = twoProportionTest(45, 60, 30, 60)!;
    expect(down.difference).toBeCloseTo(-0.25, 12);
    expect(down.z).toBeCloseTo(-up.z, 12);
    expect(down.pValue).toBeCloseTo(up.pValue, 14);
  });

  it("uses p < 0.05 strictly for significance, on either side of the boundary", () => {
    // 25/50 → 35/50: z = 0.2/√(0.6·0.4·0.04) = 2.0412, p = 0.0412 (significant).
    expect(twoProportionTest(25, 50, 35, 50)!.significant).toBe(true);
    // 25/50 → 34/50: z = 1.8248, p = 0.068 (not significant).
    const r = twoProportionTest(25, 50, 34, 50)!;
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.significant).toBe(false);
    // Either side of 0.05 by a hair: 39/50 → 46/50 (z = 1.96039, p = 0.049950) is significant,
    // 44/50 → 49/50 (z = 1.95965, p = 0.050036) is not.
    const justIn = twoProportionTest(39, 50, 46, 50)!;
    expect(justIn.pValue).toBeCloseTo(0.04994997645474646, 10);
    expect(justIn.significant).toBe(true);
    const justOut = twoProportionTest(44, 50, 49, 50)!;
    expect(justOut.pValue).toBeCloseTo(0.050036186176232705, 10);
    expect(justOut.significant).toBe(false);
  });

  it("gives z = 0 and p = 1 for no change", () => {
    const r = twoProportionTest(7, 10, 14, 20)!;
    expect(r.difference).toBeCloseTo(0, 15);
    expect(r.pValue).toBeCloseTo(1, 12);
    expect(r.significant).toBe(false);
  });

  it("accepts fractional numerators (partial credit)", () => {
    const r = twoProportionTest(7.5, 10, 9.5, 10)!;
    expect(r.p1).toBe(0.75);
    expect(r.p2).toBe(0.95);
    // pooled 0.85: SE = √(0.85 × 0.15 × 0.2) = 0.159687…, z = 1.25245
    expect(r.z).toBeCloseTo(0.2 / Math.sqrt(0.85 * 0.15 * 0.2), 12);
  });

  it("returns null without applicable cases or when the pooled proportion is 0 or 1", () => {
    expect(twoProportionTest(0, 0, 5, 10)).toBeNull();
    expect(twoProportionTest(5, 10, 0, 0)).toBeNull();
    expect(twoProportionTest(10, 10, 20, 20)).toBeNull();
    expect(twoProportionTest(0, 10, 0, 20)).toBeNull();
  });

  it("rejects impossible counts", () => {
    expect(() => twoProportionTest(11, 10, 5, 10)).toThrow(RangeError);
    expect(() => twoProportionTest(5, 10, -1, 10)).toThrow(RangeError);
    expect(() => twoProportionTest(5, Number.NaN, 5, 10)).toThrow(RangeError);
  });
});

describe("describeChange", () => {
  const result = (difference: number, pValue: number): TwoProportionResult => ({
    p1: 0.5,
    p2: 0.5 + difference,
    difference,
    z: 0,
    pValue,
    significant: pValue < 0.05,
  });

  it("says a significant change is larger than chance would usually explain", () => {
    expect(describeChange(result(0.125, 0.03))).toBe(
      "The change of +12.5 percentage points is larger than chance alone would usually explain (p = 0.03).",
    );
  });

  it("says a non-significant change could be due to chance", () => {
    expect(describeChange(result(-0.03, 0.41))).toBe(
      "The change of -3.0 percentage points could be due to chance (p = 0.41).",
    );
  });

  it("describes a real test result end to end", () => {
    expect(describeChange(twoProportionTest(30, 60, 45, 60))).toBe(
      "The change of +25.0 percentage points is larger than chance alone would usually explain (p = 0.005).",
    );
    expect(describeChange(twoProportionTest(40, 50, 45, 50))).toBe(
      "The change of +10.0 percentage points could be due to chance (p = 0.16).",
    );
  });

  it("never shows a significant p as 0.05, nor a non-significant one below it", () => {
    expect(describeChange(twoProportionTest(39, 50, 46, 50))).toBe(
      "The change of +14.0 percentage points is larger than chance alone would usually explain (p = 0.0499).",
    );
    expect(describeChange(twoProportionTest(44, 50, 49, 50))).toBe(
      "The change of +10.0 percentage points could be due to chance (p = 0.05).",
    );
  });

  it("explains when there is nothing to test", () => {
    expect(describeChange(null)).toMatch(/cannot be tested/);
  });

  it("formats p-values so that a significant one never reads as 0.05 or more", () => {
    expect(formatPValue(0.0004)).toBe("p < 0.001");
    expect(formatPValue(0.004677)).toBe("p = 0.005");
    expect(formatPValue(0.0412)).toBe("p = 0.04");
    expect(formatPValue(0.046)).toBe("p = 0.046");
    expect(formatPValue(0.0496)).toBe("p = 0.0496");
    expect(formatPValue(0.04999)).toBe("p = 0.04999");
    expect(formatPValue(0.05)).toBe("p = 0.05");
    expect(formatPValue(0.0549)).toBe("p = 0.05");
    expect(formatPValue(0.4123)).toBe("p = 0.41");
    expect(formatPValue(1)).toBe("p = 1.00");
  });

  it("formats percentage points with a sign and one decimal", () => {
    expect(formatPercentagePoints(0.125)).toBe("+12.5");
    expect(formatPercentagePoints(-0.04)).toBe("-4.0");
    expect(formatPercentagePoints(0)).toBe("0.0");
    expect(formatPercentagePoints(0.0004)).toBe("0.0");
  });
});

describe("smallSample", () => {
  it("marks fewer than 10 applicable cases", () => {
    expect(SMALL_SAMPLE_THRESHOLD).toBe(10);
    expect(smallSample(9)).toBe(true);
    expect(smallSample(10)).toBe(false);
    expect(smallSample(1)).toBe(true);
    expect(smallSample(250)).toBe(false);
  });

  it("counts no applicable cases as a small sample", () => {
    expect(smallSample(0)).toBe(true);
  });

  it("rejects a negative or non-finite count", () => {
    expect(() => smallSample(-1)).toThrow(RangeError);
    expect(() => smallSample(Number.NaN)).toThrow(RangeError);
  });
});
