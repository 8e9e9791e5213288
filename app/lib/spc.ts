/**
 * Statistical process control in the NHS England "Making Data Count" (MDC) style: the XmR
 * (individuals) chart, its special-cause rules, and the variation and assurance icons
 * (domain.md §4.4 and rules 35–39; reference implementation NHSRplotthedots). Pure: no I/O.
 *
 * Definitions used throughout (and by the tests):
 * - Centre line = mean of the baseline points (all points unless `baseline` is given).
 * - Moving range mR_i = |x_i − x_(i−1)|; MR̄ = mean of the moving ranges inside the baseline.
 * - Process limits = mean ± 2.66 × MR̄ (rule 35).
 * - "Close to limit" zone: beyond 2/3 of the way from the mean to a limit, i.e. beyond
 *   mean ± (2/3 × 2.66) × MR̄ = mean ± 1.7733 × MR̄ (domain.md §4.4, as NHSRplotthedots).
 *   This is the definition used everywhere here; it differs from "2σ with σ = MR̄/1.128"
 *   (± 1.7730 × MR̄) only in the fourth significant figure. Comparisons are strict: a point
 *   exactly on a limit or on the zone boundary is not beyond it.
 *
 * Special-cause rules (rule 36; any one flags the point):
 * - "outside": the point is above the upper or below the lower process limit.
 * - "run": `runLength` (default 7) or more consecutive points all above, or all below, the
 *   mean. A point exactly on the mean breaks the run. Every point of the run is flagged.
 * - "trend": `trendLength` (default 7) or more consecutive points each strictly higher (or each
 *   strictly lower) than the one before; an equal neighbour breaks it. All points flagged.
 * - "two-of-three": in three consecutive points that are all on the same side of the mean
 *   (none on it), at least two are in the close-to-limit zone or beyond; the points in the
 *   zone or beyond are flagged, the third is not. This is the current MDC Single Chart tool
 *   logic (points beyond the limits count towards the rule; all three points on one side).
 *
 * The side of a special-cause point (`side`) is the direction the rule points to: the side of
 * the limit for "outside", "two-of-three" and "run", and the direction of travel for "trend"
 * (an increasing trend is "high" even where it starts below the mean). When rules disagree
 * (e.g. a falling trend that is still above the mean) the improvement side wins if an
 * improvement direction is set (as the MDC tool shows improvement); otherwise the first rule
 * in the order outside, trend, two-of-three, run decides (as NHSRplotthedots).
 */

export type ImprovementDirection = "up" | "down";
export type SpcRule = "outside" | "run" | "trend" | "two-of-three";
export type Side = "high" | "low";
export type Variation =
  | "common"
  | "improvement-high"
  | "improvement-low"
  | "concern-high"
  | "concern-low"
  | "neither-high"
  | "neither-low";
export type Assurance = "pass" | "fail" | "hit-and-miss";

export type XmrOptions = {
  /** Number of leading points used to compute the mean and limits (≥ 2); default all. */
  baseline?: number;
  /** Which direction is better; null or absent = neither (purple icons, no assurance). */
  improvement?: ImprovementDirection | null;
  /** Target value, for the assurance icon. */
  target?: number | null;
  /** Shift rule length (default 7). */
  runLength?: number;
  /** Trend rule length in points (default 7). */
  trendLength?: number;
  /** Fewer baseline points than this sets `tooFewPoints` (default 12). */
  minimumPoints?: number;
  /**
   * Screen moving ranges (rule 35, default off): moving ranges ≥ 3.267 × MR̄ are left out
   * and MR̄ is computed again from the rest.
   */
  screenMovingRanges?: boolean;
};

export type XmrPoint = {
  index: number;
  value: number;
  /** |value − previous value|; null for the first point. */
  movingRange: number | null;
  specialCause: boolean;
  /** The rules that flag this point, in the order outside, run, trend, two-of-three. */
  rules: SpcRule[];
  /** Direction of the special cause (see module comment); null for common cause. */
  side: Side | null;
  /** This point's variation class (used for its colour). */
  variation: Variation;
};

export type XmrResult = {
  /** Mean of the baseline points; null for an empty series. */
  mean: number | null;
  /** Mean moving range of the baseline; null with fewer than 2 points. */
  mrBar: number | null;
  /** null with fewer than 2 points. */
  upperLimit: number | null;
  lowerLimit: number | null;
  /** Start of the upper / lower close-to-limit zone; null with fewer than 2 points. */
  upperNearLimit: number | null;
  lowerNearLimit: number | null;
  /** Number of points used for the mean and limits. */
  baselinePoints: number;
  /** One per point, aligned with the values: null first, then |x_i − x_(i−1)|. */
  movingRanges: (number | null)[];
  points: XmrPoint[];
  /** Variation icon, from the latest point; "common" for an empty series. */
  variation: Variation;
  /** Assurance icon; null without a target, an improvement direction or limits. */
  assurance: Assurance | null;
  /** Fewer than `minimumPoints` points in the baseline. */
  tooFewPoints: boolean;
  warning: string | null;
};

export const LIMIT_FACTOR = 2.66;
export const NEAR_LIMIT_FRACTION = 2 / 3;
export const SCREENING_FACTOR = 3.267;
export const DEFAULT_RUN_LENGTH = 7;
export const DEFAULT_TREND_LENGTH = 7;
export const DEFAULT_MINIMUM_POINTS = 12;

export const VARIATION_ICONS: Record<Variation, { label: string; colour: string; letter: "H" | "L" | null }> = {
  common: { label: "Common cause variation: no significant change", colour: "#a6a6a6", letter: null },
  "improvement-high": {
    label: "Special cause variation: improvement, higher values",
    colour: "#00b0f0",
    letter: "H",
  },
  "improvement-low": {
    label: "Special cause variation: improvement, lower values",
    colour: "#00b0f0",
    letter: "L",
  },
  "concern-high": { label: "Special cause variation: concern, higher values", colour: "#e46c0a", letter: "H" },
  "concern-low": { label: "Special cause variation: concern, lower values", colour: "#e46c0a", letter: "L" },
  "neither-high": {
    label: "Special cause variation: higher values (neither improvement nor concern)",
    colour: "#490092",
    letter: "H",
  },
  "neither-low": {
    label: "Special cause variation: lower values (neither improvement nor concern)",
    colour: "#490092",
    letter: "L",
  },
};

export const ASSURANCE_LABELS: Record<Assurance, string> = {
  pass: "Consistently passing the target",
  fail: "Consistently failing the target",
  "hit-and-miss": "Hit and miss: the target will sometimes be met and sometimes not",
};

/** Icon colours and letters for the assurance icons (P / F / ?), in the MDC palette. */
export const ASSURANCE_ICONS: Record<Assurance, { label: string; colour: string; letter: "P" | "F" | "?" }> = {
  pass: { label: ASSURANCE_LABELS.pass, colour: "#00b0f0", letter: "P" },
  fail: { label: ASSURANCE_LABELS.fail, colour: "#e46c0a", letter: "F" },
  "hit-and-miss": { label: ASSURANCE_LABELS["hit-and-miss"], colour: "#a6a6a6", letter: "?" },
};

export function tooFewPointsWarning(minimumPoints: number = DEFAULT_MINIMUM_POINTS): string {
  return `Fewer than ${minimumPoints} points: the limits are not yet reliable`;
}

/** Variation class of a special-cause point on `side` (null side = common cause). */
export function variationFor(side: Side | null, improvement: ImprovementDirection | null | undefined): Variation {
  if (side === null) return "common";
  if (!improvement) return side === "high" ? "neither-high" : "neither-low";
  const improving = (improvement === "up") === (side === "high");
  return `${improving ? "improvement" : "concern"}-${side}`;
}

/** Assurance from a target and the process limits (strictly beyond a limit). */
export function assuranceFor(
  target: number | null | undefined,
  improvement: ImprovementDirection | null | undefined,
  lowerLimit: number | null,
  upperLimit: number | null,
): Assurance | null {
  if (target === null || target === undefined || !improvement || lowerLimit === null || upperLimit === null) {
    return null;
  }
  if (target > upperLimit) return improvement === "up" ? "fail" : "pass";
  if (target < lowerLimit) return improvement === "up" ? "pass" : "fail";
  return "hit-and-miss";
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min} (got ${String(value)})`);
  }
  return value;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const RULE_ORDER: SpcRule[] = ["outside", "run", "trend", "two-of-three"];
const SIDE_PRIORITY: SpcRule[] = ["outside", "trend", "two-of-three", "run"];

/**
 * XmR chart with the MDC special-cause rules, variation and assurance icons.
 * Throws RangeError for non-finite values or invalid options.
 */
export function xmr(values: number[], options: XmrOptions = {}): XmrResult {
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`values[${i}] must be a finite number (got ${String(v)})`);
    }
  });
  const runLength = integerOption("runLength", options.runLength, DEFAULT_RUN_LENGTH, 2);
  const trendLength = integerOption("trendLength", options.trendLength, DEFAULT_TREND_LENGTH, 2);
  const minimumPoints = integerOption("minimumPoints", options.minimumPoints, DEFAULT_MINIMUM_POINTS, 0);
  const baselineOption = integerOption("baseline", options.baseline, values.length, 2);
  const improvement = options.improvement ?? null;
  const target = options.target ?? null;
  if (target !== null && !Number.isFinite(target)) throw new RangeError("target must be a finite number");

  const n = values.length;
  const b = Math.min(baselineOption, n);
  const movingRanges: (number | null)[] = values.map((v, i) => (i === 0 ? null : Math.abs(v - values[i - 1])));

  const centre = b >= 1 ? mean(values.slice(0, b)) : null;
  let mrBar: number | null = null;
  if (b >= 2) {
    const baselineRanges = movingRanges.slice(1, b) as number[];
    mrBar = mean(baselineRanges);
    if (options.screenMovingRanges) {
      const cutoff = SCREENING_FACTOR * mrBar;
      const kept = baselineRanges.filter((r) => r < cutoff);
      if (kept.length > 0) mrBar = mean(kept);
    }
  }
  const hasLimits = centre !== null && mrBar !== null;
  const upperLimit = hasLimits ? centre + LIMIT_FACTOR * mrBar! : null;
  const lowerLimit = hasLimits ? centre - LIMIT_FACTOR * mrBar! : null;
  const upperNearLimit = hasLimits ? centre + NEAR_LIMIT_FRACTION * LIMIT_FACTOR * mrBar! : null;
  const lowerNearLimit = hasLimits ? centre - NEAR_LIMIT_FRACTION * LIMIT_FACTOR * mrBar! : null;

  // Per point, per rule, the side(s) that rule points to.
  const flags: Map<SpcRule, Set<Side>>[] = values.map(() => new Map());
  const flag = (i: number, rule: SpcRule, side: Side) => {
    const sides = flags[i].get(rule) ?? new Set<Side>();
    sides.add(side);
    flags[i].set(rule, sides);
  };

  if (hasLimits) {
    const relative = values.map((v) => Math.sign(v - centre!)); // 1 above, −1 below, 0 on the mean

    // (a) outside the process limits
    values.forEach((v, i) => {
      if (v > upperLimit!) flag(i, "outside", "high");
      else if (v < lowerLimit!) flag(i, "outside", "low");
    });

    // (b) runs on one side of the mean
    for (let start = 0; start < n; ) {
      let end = start;
      while (end + 1 < n && relative[end + 1] === relative[start]) end += 1;
      if (relative[start] !== 0 && end - start + 1 >= runLength) {
        for (let i = start; i <= end; i += 1) flag(i, "run", relative[start] > 0 ? "high" : "low");
      }
      start = end + 1;
    }

    // (c) trends: maximal stretches of strictly increasing (or decreasing) points
    for (const direction of [1, -1]) {
      for (let start = 0; start < n - 1; ) {
        let end = start;
        while (end + 1 < n && Math.sign(values[end + 1] - values[end]) === direction) end += 1;
        if (end - start + 1 >= trendLength) {
          for (let i = start; i <= end; i += 1) flag(i, "trend", direction > 0 ? "high" : "low");
        }
        start = end > start ? end : start + 1;
      }
    }

    // (d) two of three consecutive points (all on one side of the mean) in the zone or beyond
    const inZone = (v: number, side: number) => (side > 0 ? v > upperNearLimit! : v < lowerNearLimit!);
    for (let i = 0; i + 2 < n; i += 1) {
      const side = relative[i];
      if (side === 0 || relative[i + 1] !== side || relative[i + 2] !== side) continue;
      const zoned = [i, i + 1, i + 2].filter((j) => inZone(values[j], side));
      if (zoned.length >= 2) for (const j of zoned) flag(j, "two-of-three", side > 0 ? "high" : "low");
    }
  }

  const improvementSide: Side | null = improvement === "up" ? "high" : improvement === "down" ? "low" : null;
  const points: XmrPoint[] = values.map((value, index) => {
    const pointFlags = flags[index];
    const rules = RULE_ORDER.filter((r) => pointFlags.has(r));
    let side: Side | null = null;
    if (rules.length > 0) {
      const all = new Set<Side>();
      for (const sides of pointFlags.values()) for (const s of sides) all.add(s);
      if (all.size === 1) side = [...all][0];
      else if (improvementSide !== null) side = improvementSide;
      else {
        for (const rule of SIDE_PRIORITY) {
          const sides = pointFlags.get(rule);
          if (sides && sides.size === 1) {
            side = [...sides][0];
            break;
          }
        }
        // Only a peak or trough shared by a rising and a falling trend is left: use the mean.
        side ??= value >= centre! ? "high" : "low";
      }
    }
    return {
      index,
      value,
      movingRange: movingRanges[index],
      specialCause: rules.length > 0,
      rules,
      side,
      variation: variationFor(side, improvement),
    };
  });

  const tooFewPoints = b < minimumPoints;
  return {
    mean: centre,
    mrBar,
    upperLimit,
    lowerLimit,
    upperNearLimit,
    lowerNearLimit,
    baselinePoints: b,
    movingRanges,
    points,
    variation: points.length > 0 ? points[points.length - 1].variation : "common",
    assurance: assuranceFor(target, improvement, lowerLimit, upperLimit),
    tooFewPoints,
    warning: tooFewPoints ? tooFewPointsWarning(minimumPoints) : null,
  };
}
