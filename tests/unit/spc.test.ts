import { describe, expect, it } from "vitest";
import {
  ASSURANCE_ICONS,
  ASSURANCE_LABELS,
  VARIATION_ICONS,
  assuranceFor,
  variationFor,
  xmr,
  type SpcRule,
  type Variation,
  type XmrResult,
} from "~/lib/spc";

/** Indices of the points flagged (by `rule`, or by any rule). */
function flagged(result: XmrResult, rule?: SpcRule): number[] {
  return result.points.filter((p) => (rule ? p.rules.includes(rule) : p.specialCause)).map((p) => p.index);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every number in the result (recursively), to check there is never a NaN. */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

describe("xmr limits", () => {
  it("computes mean, moving ranges and limits for a small series by hand", () => {
    // mean = 60/5 = 12; moving ranges 2, 1, 4, 3 → MR̄ = 10/4 = 2.5;
    // limits 12 ± 2.66 × 2.5 = 12 ± 6.65; close-to-limit zone from 12 ± (2/3)(6.65) = 12 ± 4.4333.
    const r = xmr([10, 12, 11, 15, 12]);
    expect(r.mean).toBe(12);
    expect(r.movingRanges).toEqual([null, 2, 1, 4, 3]);
    expect(r.points.map((p) => p.movingRange)).toEqual([null, 2, 1, 4, 3]);
    expect(r.mrBar).toBe(2.5);
    expect(r.upperLimit).toBeCloseTo(18.65, 12);
    expect(r.lowerLimit).toBeCloseTo(5.35, 12);
    expect(r.upperNearLimit).toBeCloseTo(16.433333333333, 10);
    expect(r.lowerNearLimit).toBeCloseTo(7.566666666667, 10);
    expect(r.baselinePoints).toBe(5);
    expect(flagged(r)).toEqual([]);
    expect(r.variation).toBe("common");
  });

  it("puts the close-to-limit zone 2/3 of the way to the limit (not at 2σ = 2·MR̄/1.128)", () => {
    // Baseline mean 12, MR̄ 4: 2/3 × 2.66 × 4 = 7.09333 → zone above 19.09333;
    // 2σ would be 2 × 4/1.128 = 7.09220 → above 19.09220. 19.0925 is between the two.
    const base = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14];
    const between = xmr([...base, 10, 19.0925, 19.0925, 14, 10], { baseline: 10 });
    expect(between.upperNearLimit).toBeCloseTo(19.093333333333, 10);
    expect(flagged(between)).toEqual([]);
    const beyond = xmr([...base, 10, 19.1, 19.1, 14, 10], { baseline: 10 });
    expect(flagged(beyond, "two-of-three")).toEqual([11, 12]);
  });

  it("screens large moving ranges only when asked", () => {
    // Moving ranges 2 × 8 and 40: MR̄ = 56/9 = 6.22; 40 ≥ 3.267 × 6.22 = 20.3 is screened out → MR̄ = 2.
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 50];
    expect(xmr(values).mrBar).toBeCloseTo(56 / 9, 12);
    const screened = xmr(values, { screenMovingRanges: true });
    expect(screened.mrBar).toBe(2);
    expect(screened.mean).toBe(14.8);
    expect(screened.upperLimit).toBeCloseTo(14.8 + 5.32, 12);
    expect(screened.movingRanges[9]).toBe(40);
  });

  it("flags nothing for a constant series, whose limits sit on the mean", () => {
    const r = xmr(Array(15).fill(5));
    expect(r.mrBar).toBe(0);
    expect(r.upperLimit).toBe(5);
    expect(r.lowerLimit).toBe(5);
    // Points exactly on a limit are not outside it, and points on the mean make no run.
    expect(flagged(r)).toEqual([]);
  });
});

describe("rule (a): a point outside the process limits", () => {
  it("flags a point above the upper limit", () => {
    // mean 188/12 = 15.667, MR̄ = (10 × 8 + 52)/11 = 12, upper limit 15.667 + 31.92 = 47.59 < 60.
    const r = xmr([8, 16, 8, 16, 8, 16, 8, 16, 8, 16, 8, 60]);
    expect(r.upperLimit).toBeCloseTo(47.586666666667, 10);
    expect(flagged(r)).toEqual([11]);
    expect(r.points[11]).toMatchObject({ specialCause: true, rules: ["outside"], side: "high" });
  });

  it("flags a point below the lower limit", () => {
    const r = xmr([16, 8, 16, 8, 16, 8, 16, 8, 16, 8, 16, -36]);
    expect(r.lowerLimit).toBeCloseTo(24 - 47.586666666667, 10);
    expect(flagged(r)).toEqual([11]);
    expect(r.points[11]).toMatchObject({ rules: ["outside"], side: "low" });
  });

  it("does not flag a high point that stays inside the limits", () => {
    // mean 13.167, MR̄ 9.273, upper limit 37.83 > 30; 30 is in the zone but alone there.
    const r = xmr([8, 16, 8, 16, 8, 16, 8, 16, 8, 16, 8, 30]);
    expect(r.upperLimit!).toBeGreaterThan(30);
    expect(r.upperNearLimit!).toBeLessThan(30);
    expect(flagged(r)).toEqual([]);
    expect(r.points[11]).toMatchObject({ specialCause: false, rules: [], side: null, variation: "common" });
  });
});

describe("rule (b): a run of points on one side of the mean", () => {
  it("flags every point of a run of 7 above the mean", () => {
    // mean 206/17 = 12.118: the seven 13s and 14s are above it, the 8s below and the 16s above.
    const r = xmr([8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14, 13, 8, 16, 8, 16, 8]);
    expect(r.mean).toBeCloseTo(12.117647, 6);
    expect(flagged(r)).toEqual(range(5, 11));
    expect(flagged(r, "run")).toEqual(range(5, 11));
    expect(r.points.slice(5, 12).every((p) => p.side === "high")).toBe(true);
  });

  it("flags a run of 7 below the mean as low", () => {
    const r = xmr([16, 8, 16, 8, 16, 11, 10, 11, 10, 11, 10, 11, 16, 8, 16, 8, 16]);
    expect(flagged(r, "run")).toEqual(range(5, 11));
    expect(r.points[5].side).toBe("low");
  });

  it("does not flag a run of only 6", () => {
    const r = xmr([8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14, 8, 16, 8, 16, 8]);
    expect(r.points.slice(5, 11).every((p) => p.value > r.mean!)).toBe(true);
    expect(flagged(r)).toEqual([]);
  });

  it("flags a run of 6 when the run length is set to 6", () => {
    const r = xmr([8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14, 8, 16, 8, 16, 8], { runLength: 6 });
    expect(flagged(r, "run")).toEqual(range(5, 10));
  });

  it("breaks a run at a point exactly on the mean", () => {
    // Sum 240 over 20 points: mean exactly 12. 13,14,13 | 12 | 14,13,14 is 3 + 3 above the mean,
    // 7 points in a row on or above it.
    const onMean = xmr([16, 7, 16, 7, 16, 7, 13, 14, 13, 12, 14, 13, 14, 7, 16, 7, 16, 7, 16, 9]);
    expect(onMean.mean).toBe(12);
    expect(onMean.points[9].value).toBe(onMean.mean);
    expect(flagged(onMean)).toEqual([]);

    // The same series with 13 instead of 12 (mean 12.05) has its run of 7.
    const above = xmr([16, 7, 16, 7, 16, 7, 13, 14, 13, 13, 14, 13, 14, 7, 16, 7, 16, 7, 16, 9]);
    expect(flagged(above, "run")).toEqual(range(6, 12));
  });
});

describe("rule (c): a trend of strictly rising or falling points", () => {
  it("flags all 7 points of a rising trend, including those below the mean, as high", () => {
    // mean 11.75: 9, 10, 11 are below it, 12–15 above, so no run; 16 → 9 and 15 → 8 bound the trend.
    const r = xmr([8, 16, 8, 16, 9, 10, 11, 12, 13, 14, 15, 8, 16, 8, 16, 8]);
    expect(r.mean).toBe(11.75);
    expect(flagged(r)).toEqual(range(4, 10));
    expect(flagged(r, "trend")).toEqual(range(4, 10));
    expect(r.points.slice(4, 11).every((p) => p.side === "high")).toBe(true);
    expect(r.points[4].value).toBeLessThan(r.mean!);
  });

  it("flags a falling trend as low", () => {
    const r = xmr([16, 8, 16, 8, 15, 14, 13, 12, 11, 10, 9, 16, 8, 16, 8, 16]);
    expect(flagged(r, "trend")).toEqual(range(4, 10));
    expect(r.points.slice(4, 11).every((p) => p.side === "low")).toBe(true);
  });

  it("does not flag a trend of only 6 points", () => {
    const r = xmr([8, 16, 8, 16, 10, 11, 12, 13, 14, 15, 8, 16, 8, 16, 8]);
    expect(flagged(r)).toEqual([]);
  });

  it("flags a trend of 5 when the trend length is set to 5", () => {
    const r = xmr([8, 16, 8, 16, 10, 11, 12, 13, 14, 15, 8, 16, 8, 16, 8], { trendLength: 5 });
    expect(flagged(r, "trend")).toEqual(range(4, 9));
  });

  it("breaks a trend at two equal neighbours", () => {
    // 9, 10, 11, 11, 12, 13, 14, 15 never falls, but only 9–11 and 11–15 rise strictly.
    const r = xmr([8, 16, 8, 16, 9, 10, 11, 11, 12, 13, 14, 15, 8, 16, 8, 16, 8]);
    expect(flagged(r)).toEqual([]);
  });
});

describe("rule (d): two of three points close to a limit on the same side", () => {
  // Baseline of 10 points: mean 12, MR̄ 4, limits 1.36 and 22.64, zone beyond 19.0933 / 4.9067.
  const base = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14];
  const check = (tail: number[]) => {
    const r = xmr([...base, ...tail], { baseline: 10 });
    expect(r.mean).toBe(12);
    expect(r.mrBar).toBe(4);
    return r;
  };

  it("flags two consecutive points in the upper zone, but not their neighbour", () => {
    const r = check([10, 20, 21, 14, 10]);
    expect(flagged(r)).toEqual([11, 12]);
    expect(r.points[11]).toMatchObject({ rules: ["two-of-three"], side: "high" });
    expect(r.points[13].specialCause).toBe(false);
  });

  it("flags two of three with a point between them", () => {
    expect(flagged(check([10, 20, 14, 21, 10]))).toEqual([11, 13]);
  });

  it("flags two points in the lower zone as low", () => {
    const r = check([14, 4, 3, 10, 14]);
    expect(flagged(r)).toEqual([11, 12]);
    expect(r.points[12].side).toBe("low");
  });

  it("counts a point beyond the limit towards the rule", () => {
    const r = check([10, 20, 25, 14, 10]);
    expect(flagged(r, "outside")).toEqual([12]);
    expect(flagged(r, "two-of-three")).toEqual([11, 12]);
    expect(r.points[12].rules).toEqual(["outside", "two-of-three"]);
  });

  it("does not flag a single point in the zone", () => {
    expect(flagged(check([14, 20, 18, 14, 10]))).toEqual([]);
  });

  it("does not flag two points in the zone on opposite sides of the mean", () => {
    const r = check([14, 20, 4, 10, 14]);
    expect(r.points[11].value).toBeGreaterThan(r.upperNearLimit!);
    expect(r.points[12].value).toBeLessThan(r.lowerNearLimit!);
    expect(flagged(r)).toEqual([]);
  });

  it("does not flag two zone points whose three-point windows cross the mean", () => {
    // 10, 20, 21, 10: each window of three holding both 20 and 21 also holds a point below the mean.
    expect(flagged(check([10, 20, 21, 10, 14]))).toEqual([]);
  });

  it("does not flag zone points more than three apart", () => {
    expect(flagged(check([10, 20, 14, 14, 21, 10]))).toEqual([]);
  });

  it("works without a baseline too", () => {
    // mean 13, MR̄ 4, zone above 20.09: 21 and 22 in it, between 14s.
    const r = xmr([10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 14, 21, 22, 14, 10, 14, 10, 14, 10, 14, 10]);
    expect(r.mean).toBe(13);
    expect(flagged(r)).toEqual([11, 12]);
  });
});

describe("variation icon (from the latest point)", () => {
  const spikeUp = [8, 16, 8, 16, 8, 16, 8, 16, 8, 16, 8, 60];
  const spikeDown = [16, 8, 16, 8, 16, 8, 16, 8, 16, 8, 16, -36];

  it.each<[number[], "up" | "down" | null, Variation]>([
    [spikeUp, "up", "improvement-high"],
    [spikeUp, "down", "concern-high"],
    [spikeUp, null, "neither-high"],
    [spikeDown, "down", "improvement-low"],
    [spikeDown, "up", "concern-low"],
    [spikeDown, null, "neither-low"],
  ])("%#: gives %s", (values, improvement, expected) => {
    const r = xmr(values, { improvement });
    expect(r.variation).toBe(expected);
    expect(r.points[r.points.length - 1].variation).toBe(expected);
  });

  it("is common cause when only an earlier point is special", () => {
    const r = xmr([8, 16, 8, 16, 8, 60, 8, 16, 8, 16, 8, 16], { improvement: "up" });
    expect(flagged(r)).toEqual([5]);
    expect(r.points[5].variation).toBe("improvement-high");
    expect(r.variation).toBe("common");
  });

  it("resolves a point flagged both ways: improvement wins, else the first rule (outside, trend, two-of-three, run)", () => {
    // 0…7…1 (mean 3.5, MR̄ 1): the point 5 on the way down (index 9) is in a run above the mean
    // and in a falling trend.
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1];
    expect(xmr(values).points[9]).toMatchObject({ rules: ["run", "trend"], side: "low", variation: "neither-low" });
    expect(xmr(values, { improvement: "up" }).points[9]).toMatchObject({ side: "high", variation: "improvement-high" });
    expect(xmr(values, { improvement: "down" }).points[9]).toMatchObject({ side: "low", variation: "improvement-low" });
    // The peak is outside the upper limit: "outside" decides without a direction.
    expect(xmr(values).points[7]).toMatchObject({ side: "high", variation: "neither-high" });
    // The latest point ends a falling trend: concern when higher is better.
    expect(xmr(values, { improvement: "up" }).variation).toBe("concern-low");
  });

  it("maps sides and directions with variationFor", () => {
    expect(variationFor(null, "up")).toBe("common");
    expect(variationFor("high", "up")).toBe("improvement-high");
    expect(variationFor("low", "up")).toBe("concern-low");
    expect(variationFor("high", "down")).toBe("concern-high");
    expect(variationFor("low", "down")).toBe("improvement-low");
    expect(variationFor("low", null)).toBe("neither-low");
  });

  it("has a label and the Making Data Count colour for every variation", () => {
    const colours: Record<Variation, string> = {
      common: "#a6a6a6",
      "improvement-high": "#00b0f0",
      "improvement-low": "#00b0f0",
      "concern-high": "#e46c0a",
      "concern-low": "#e46c0a",
      "neither-high": "#490092",
      "neither-low": "#490092",
    };
    expect(Object.keys(VARIATION_ICONS).sort()).toEqual(Object.keys(colours).sort());
    for (const [variation, colour] of Object.entries(colours)) {
      const icon = VARIATION_ICONS[variation as Variation];
      expect(icon.colour).toBe(colour);
      expect(icon.label.length).toBeGreaterThan(10);
      expect(icon.letter).toBe(variation.endsWith("-high") ? "H" : variation.endsWith("-low") ? "L" : null);
    }
    expect(new Set(Object.values(VARIATION_ICONS).map((i) => i.label)).size).toBe(7);
  });
});

describe("assurance icon", () => {
  // mean 12, MR̄ 4: limits 1.36 and 22.64.
  const values = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14];

  it.each<["up" | "down", number, "pass" | "fail" | "hit-and-miss"]>([
    ["up", 0, "pass"],
    ["up", 25, "fail"],
    ["down", 25, "pass"],
    ["down", 0, "fail"],
    ["up", 12, "hit-and-miss"],
    ["down", 20, "hit-and-miss"],
  ])("improvement %s with target %d is %s", (improvement, target, expected) => {
    const r = xmr(values, { improvement, target });
    expect(r.lowerLimit).toBeCloseTo(1.36, 12);
    expect(r.upperLimit).toBeCloseTo(22.64, 12);
    expect(r.assurance).toBe(expected);
  });

  it("is hit and miss for a target exactly on a limit", () => {
    const r = xmr(values);
    expect(xmr(values, { improvement: "up", target: r.upperLimit }).assurance).toBe("hit-and-miss");
    expect(xmr(values, { improvement: "up", target: r.lowerLimit }).assurance).toBe("hit-and-miss");
  });

  it("is null without a target, without an improvement direction, or without limits", () => {
    expect(xmr(values, { improvement: "up" }).assurance).toBeNull();
    expect(xmr(values, { improvement: "up", target: null }).assurance).toBeNull();
    expect(xmr(values, { target: 0 }).assurance).toBeNull();
    expect(xmr(values, { improvement: null, target: 0 }).assurance).toBeNull();
    expect(xmr([50], { improvement: "up", target: 0 }).assurance).toBeNull();
    expect(assuranceFor(0, "up", null, null)).toBeNull();
  });

  it("has a label for every assurance value", () => {
    expect(Object.keys(ASSURANCE_LABELS).sort()).toEqual(["fail", "hit-and-miss", "pass"]);
    expect(ASSURANCE_LABELS.pass).toMatch(/pass/i);
    expect(ASSURANCE_LABELS.fail).toMatch(/fail/i);
    expect(ASSURANCE_LABELS["hit-and-miss"]).toMatch(/hit and miss/i);
    expect(ASSURANCE_ICONS.pass).toMatchObject({ letter: "P", colour: "#00b0f0" });
    expect(ASSURANCE_ICONS.fail).toMatchObject({ letter: "F", colour: "#e46c0a" });
  });
});

describe("baseline", () => {
  it("computes the mean and limits from the first points only and tests the rest against them", () => {
    // Baseline 10, 14, 10, 14: mean 12, MR̄ 4 (the jump to 30 is outside the baseline).
    const values = [10, 14, 10, 14, 30, 31, 30, 31];
    const r = xmr(values, { baseline: 4 });
    expect(r.baselinePoints).toBe(4);
    expect(r.mean).toBe(12);
    expect(r.mrBar).toBe(4);
    expect(r.upperLimit).toBeCloseTo(22.64, 12);
    expect(r.movingRanges).toEqual([null, 4, 4, 4, 16, 1, 1, 1]);
    expect(flagged(r, "outside")).toEqual([4, 5, 6, 7]);

    // Without a baseline the shift is part of the limits: mean 21.25, MR̄ 31/7, none outside.
    const all = xmr(values);
    expect(all.mean).toBe(21.25);
    expect(all.mrBar).toBeCloseTo(31 / 7, 12);
    expect(flagged(all, "outside")).toEqual([]);
  });

  it("uses all points when the baseline is longer than the series", () => {
    const r = xmr([10, 12, 11, 15, 12], { baseline: 20 });
    expect(r.baselinePoints).toBe(5);
    expect(r.mean).toBe(12);
  });

  it("judges too few points by the baseline", () => {
    const values = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10];
    expect(xmr(values).tooFewPoints).toBe(false);
    expect(xmr(values, { baseline: 8 }).tooFewPoints).toBe(true);
    expect(xmr(values, { baseline: 12 }).tooFewPoints).toBe(false);
  });

  it("rejects a baseline of fewer than 2 points", () => {
    expect(() => xmr([1, 2, 3], { baseline: 1 })).toThrow(RangeError);
    expect(() => xmr([1, 2, 3], { baseline: 2.5 })).toThrow(RangeError);
  });
});

describe("too few points", () => {
  const series = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 10 : 14));

  it("warns below 12 points and not at 12", () => {
    const eleven = xmr(series(11));
    expect(eleven.tooFewPoints).toBe(true);
    expect(eleven.warning).toBe("Fewer than 12 points: the limits are not yet reliable");
    const twelve = xmr(series(12));
    expect(twelve.tooFewPoints).toBe(false);
    expect(twelve.warning).toBeNull();
  });

  it("takes another minimum", () => {
    const r = xmr(series(4), { minimumPoints: 5 });
    expect(r.tooFewPoints).toBe(true);
    expect(r.warning).toBe("Fewer than 5 points: the limits are not yet reliable");
    expect(xmr(series(5), { minimumPoints: 5 }).tooFewPoints).toBe(false);
  });
});

describe("short and invalid series", () => {
  it("returns nulls, not NaN, for an empty series", () => {
    const r = xmr([], { improvement: "up", target: 90 });
    expect(r).toMatchObject({
      mean: null,
      mrBar: null,
      upperLimit: null,
      lowerLimit: null,
      upperNearLimit: null,
      lowerNearLimit: null,
      baselinePoints: 0,
      movingRanges: [],
      points: [],
      variation: "common",
      assurance: null,
      tooFewPoints: true,
    });
    expect(numbersIn(r).some(Number.isNaN)).toBe(false);
  });

  it("gives a one-point series its value as the mean and no limits", () => {
    const r = xmr([87.5], { improvement: "up", target: 90 });
    expect(r.mean).toBe(87.5);
    expect(r).toMatchObject({ mrBar: null, upperLimit: null, lowerLimit: null, movingRanges: [null], assurance: null });
    expect(r.points).toEqual([
      { index: 0, value: 87.5, movingRange: null, specialCause: false, rules: [], side: null, variation: "common" },
    ]);
    expect(r.variation).toBe("common");
    expect(numbersIn(r).some(Number.isNaN)).toBe(false);
  });

  it("rejects values that are not finite numbers and invalid lengths", () => {
    expect(() => xmr([1, Number.NaN, 3])).toThrow(RangeError);
    expect(() => xmr([1, Infinity])).toThrow(RangeError);
    expect(() => xmr([1, 2], { runLength: 1 })).toThrow(RangeError);
    expect(() => xmr([1, 2], { trendLength: 0 })).toThrow(RangeError);
    expect(() => xmr([1, 2], { target: Number.NaN })).toThrow(RangeError);
  });
});
