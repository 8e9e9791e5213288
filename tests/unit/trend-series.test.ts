import { describe, expect, it } from "vitest";
import { buildTrends, describeRules, orderCycles, summariseSeries, yAxis, type Cycle, type CycleFigure } from "~/lib/trend-series";

const fig = (met: number, notMet: number, partial = 0): CycleFigure => {
  const denominator = met + partial + notMet;
  const numerator = met + 0.5 * partial;
  return { met, partial, notMet, numerator, denominator, percent: denominator === 0 ? null : (100 * numerator) / denominator };
};

const month = (i: number) => `${2020 + Math.floor(i / 4)}-${String((i % 4) * 3 + 3).padStart(2, "0")}-28`;

function cycle(i: number, overall: CycleFigure, criteria: Record<string, CycleFigure> = {}, version = 1, questions: Record<string, string> = {}): Cycle {
  return {
    auditId: 100 + i,
    title: `Audit ${i + 1}`,
    periodStart: month(i).replace(/-28$/, "-01"),
    periodEnd: month(i),
    templateVersion: version,
    overall,
    criteria: Object.entries(criteria).map(([criterionId, f]) => ({ criterionId, question: questions[criterionId] ?? `Question ${criterionId}`, ...f })),
  };
}

describe("orderCycles", () => {
  it("orders by period end, then period start, then audit id", () => {
    const a = { auditId: 3, periodStart: "2024-01-01", periodEnd: "2024-03-31" };
    const b = { auditId: 1, periodStart: "2024-02-01", periodEnd: "2024-03-31" };
    const c = { auditId: 2, periodStart: "2023-10-01", periodEnd: "2023-12-31" };
    const d = { auditId: 0, periodStart: "2024-01-01", periodEnd: "2024-03-31" };
    expect(orderCycles([a, b, c, d]).map((x) => x.auditId)).toEqual([2, 0, 3, 1]);
  });
});

describe("buildTrends", () => {
  it("plots one point per cycle in period order, with the XmR flags and icons", () => {
    // 7 cycles at 60–64%, then 7 at 90–94%: the last 7 form a run above the mean (improvement, up).
    const values = [60, 62, 61, 63, 60, 64, 62, 90, 92, 91, 93, 90, 94, 92];
    const cycles = values.map((v, i) => cycle(i, fig(v, 100 - v))).reverse();
    const { overall } = buildTrends(cycles, { target: 90 });
    expect(overall.points.map((p) => p.percent)).toEqual(values);
    expect(overall.points.map((p) => p.auditId)).toEqual(values.map((_, i) => 100 + i));
    expect(overall.points.slice(7).every((p) => p.rules.includes("run") && p.variation === "improvement-high")).toBe(true);
    expect(overall.points.slice(0, 7).every((p) => p.rules.includes("run") && p.variation === "concern-low")).toBe(true);
    expect(overall.variation).toBe("improvement-high");
    expect(overall.tooFewPoints).toBe(false);
    expect(overall.warning).toBeNull();
    expect(overall.target).toBe(90);
    expect(overall.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 14, 10);
    // MR̄ = 56/13, so the upper limit is 76.71 + 2.66 × 4.31 = 88.17 < the 90% target: consistently failing.
    expect(overall.upperLimit).toBeCloseTo(1074 / 14 + (2.66 * 56) / 13, 10);
    expect(overall.assurance).toBe("fail");
  });

  it("gives common cause, the too-few-points warning and no flags for a short flat series", () => {
    const { overall } = buildTrends([70, 72, 71, 69, 70].map((v, i) => cycle(i, fig(v, 100 - v))), { target: 90 });
    expect(overall.points.every((p) => !p.specialCause && p.variation === "common")).toBe(true);
    expect(overall.variation).toBe("common");
    expect(overall.tooFewPoints).toBe(true);
    expect(overall.warning).toBe("Fewer than 12 points: the limits are not yet reliable");
    // Target 90% is above the upper limit with improvement up: consistently failing.
    expect(overall.assurance).toBe("fail");
  });

  it("matches criteria by id across versions: a reworded one continues, a new one starts where it first appears, a removed one is kept", () => {
    const cycles = [
      cycle(0, fig(8, 2), { voice: fig(6, 4), gone: fig(3, 7) }, 1, { voice: "Old wording?" }),
      cycle(1, fig(8, 2), { voice: fig(7, 3), gone: fig(4, 6) }, 1, { voice: "Old wording?" }),
      cycle(2, fig(9, 1), { fresh: fig(5, 5), voice: fig(9, 1) }, 2, { voice: "New wording?" }),
      cycle(3, fig(9, 1), { fresh: fig(6, 4), voice: fig(8, 2) }, 2, { voice: "New wording?" }),
    ];
    const { criteria } = buildTrends(cycles, { target: 90, latestCriteria: [{ id: "fresh", question: "Fresh?" }, { id: "voice", question: "New wording?" }, { id: "unused", question: "Never audited?" }] });
    expect(criteria.map((c) => c.id)).toEqual(["fresh", "voice", "gone"]);
    const voice = criteria.find((c) => c.id === "voice")!;
    expect(voice.label).toBe("New wording?");
    expect(voice.points.map((p) => p.percent)).toEqual([60, 70, 90, 80]);
    expect(voice.points.map((p) => p.templateVersion)).toEqual([1, 1, 2, 2]);
    const fresh = criteria.find((c) => c.id === "fresh")!;
    expect(fresh.points.map((p) => p.auditId)).toEqual([102, 103]);
    const gone = criteria.find((c) => c.id === "gone")!;
    expect(gone.current).toBe(false);
    expect(gone.points.map((p) => p.percent)).toEqual([30, 40]);
    expect(voice.current).toBe(true);
  });

  it("leaves a cycle with no applicable cases out of that series instead of plotting 0%", () => {
    const cycles = [cycle(0, fig(5, 5), { a: fig(5, 5) }), cycle(1, fig(6, 4), { a: fig(0, 0) }), cycle(2, fig(7, 3), { a: fig(7, 3) })];
    const { overall, criteria } = buildTrends(cycles, { target: 90 });
    expect(overall.points).toHaveLength(3);
    expect(criteria[0].points.map((p) => p.percent)).toEqual([50, 70]);
    expect(criteria[0].skipped.map((s) => s.auditId)).toEqual([101]);
  });

  it("has no limits and no assurance with a single point", () => {
    const { overall } = buildTrends([cycle(0, fig(9, 1))], { target: 90 });
    expect(overall.upperLimit).toBeNull();
    expect(overall.assurance).toBeNull();
    expect(overall.variation).toBe("common");
  });
});

describe("describeRules and summariseSeries", () => {
  it("names the rules, or says No", () => {
    expect(describeRules([])).toBe("No");
    expect(describeRules(["outside", "run"])).toBe("Yes: a point outside the process limits; a run of 7 or more points on one side of the mean");
    expect(describeRules(["trend"])).toContain("7 or more points in a row rising or falling");
    expect(describeRules(["two-of-three"])).toContain("two of three");
  });

  it("summarises a series in words", () => {
    const { overall } = buildTrends([cycle(0, fig(6, 4)), cycle(1, fig(8, 2))], { target: 90 });
    const text = summariseSeries(overall);
    expect(text).toContain("Overall compliance: 2 audit cycles, period ending 28 Mar 2020 to 28 Jun 2020.");
    expect(text).toContain("Latest 80.0%.");
    expect(text).toContain("Mean 70.0%.");
    expect(text).toContain("Process limits 16.8% to 123.2%.");
    expect(text).toContain("Target 90%.");
    expect(text).toContain("No point shows special cause variation.");
    const empty = buildTrends([cycle(0, fig(0, 0))], { target: 90 }).overall;
    expect(summariseSeries(empty)).toMatch(/nothing to chart/);
  });
});

describe("yAxis", () => {
  it("covers every value inside 0–100, rounded out to the step", () => {
    expect(yAxis([62, 71, 88, 90])).toEqual({ min: 60, max: 95, ticks: [60, 65, 70, 75, 80, 85, 90, 95] });
    const wide = yAxis([10, 95, -20, 130]);
    expect(wide.min).toBe(0);
    expect(wide.max).toBe(100);
    expect(wide.ticks).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("keeps at least four steps and stays inside 0–100", () => {
    const a = yAxis([99, 100]);
    expect(a.max).toBe(100);
    expect((a.max - a.min) / 5).toBeGreaterThanOrEqual(4);
    const b = yAxis([null, undefined]);
    expect(b).toEqual({ min: 0, max: 100, ticks: [0, 20, 40, 60, 80, 100] });
  });
});
