import { describe, expect, it } from "vitest";
import type { Answer } from "~/lib/answers";
import { formatInterval, formatNumerator, rollUpWithConfidence, withConfidence, worstCriteria } from "~/lib/rollup-figures";
import { tally, type CaseForScoring } from "~/lib/scoring";
import { TemplateSchema, type TemplateInput } from "~/schemas/template";

const RAG = { green: 90, amber: 75 };
const answers = (spec: Partial<Record<Answer, number>>): Answer[] => Object.entries(spec).flatMap(([a, n]) => Array<Answer>(n).fill(a as Answer));
const fig = (spec: Partial<Record<Answer, number>>, partialCredit = 0) => withConfidence(tally(answers(spec), partialCredit, RAG));

describe("withConfidence: the 95% Wilson interval, 0–100", () => {
  // Newcombe (1998) Table II, method 3: 81/263 → 0.2553 to 0.3662.
  it("matches the published interval", () => {
    const f = fig({ met: 81, not_met: 182 });
    expect(f.ciLow).toBeCloseTo(25.53, 2);
    expect(f.ciHigh).toBeCloseTo(36.62, 2);
  });

  it("gives the hand-computed interval for 6 of 10 met, and keeps full precision", () => {
    const f = fig({ met: 6, not_met: 4 });
    // centre = (0.6 + z²/20) / (1 + z²/10), half = z/(1 + z²/10) × √(0.024 + z²/400), z = 1.95996…
    expect(f.ciLow).toBeCloseTo(31.2674, 4);
    expect(f.ciHigh).toBeCloseTo(83.182, 3);
    expect(formatInterval(f)).toBe("95% CI 31.3% to 83.2%");
  });

  it("uses the partial-credit numerator (met + credit × partial)", () => {
    // 6 met, 3 partially met at 0.5, 1 not met: 7.5 / 10 = 75%.
    const f = fig({ met: 6, partial: 3, not_met: 1 }, 0.5);
    expect(f).toMatchObject({ numerator: 7.5, denominator: 10, percent: 75, rag: "amber" });
    expect(f.ciLow).toBeCloseTo(44.2181, 4);
    expect(f.ciHigh).toBeCloseTo(91.9052, 4);
    // With no credit the same answers give 6 / 10.
    const none = fig({ met: 6, partial: 3, not_met: 1 }, 0);
    expect(none.numerator).toBe(6);
    expect(none.ciLow).toBeCloseTo(31.2674, 4);
    expect(formatNumerator(7.5)).toBe("7.5");
    expect(formatNumerator(6)).toBe("6");
  });

  it("is exactly 0 at the bottom for none met and exactly 100 at the top for all met", () => {
    expect(fig({ not_met: 5 })).toMatchObject({ ciLow: 0, percent: 0 });
    expect(fig({ met: 5 })).toMatchObject({ ciHigh: 100, percent: 100 });
  });

  it("has no interval when nothing applies", () => {
    const f = fig({ na: 4 });
    expect(f).toMatchObject({ denominator: 0, percent: null, rag: null, ciLow: null, ciHigh: null });
    expect(formatInterval(f)).toBe("");
  });
});

describe("withConfidence: the small-sample mark", () => {
  it("marks 9 applicable cases and not 10 (N/A answers do not count)", () => {
    expect(fig({ met: 9, na: 5 })).toMatchObject({ applicableCases: 9, smallSample: true });
    expect(fig({ met: 8, not_met: 2 })).toMatchObject({ applicableCases: 10, smallSample: false });
  });

  it("uses the applicable cases given for a pooled figure, not its answers", () => {
    const pooled = tally(answers({ met: 27 }), 0, RAG);
    expect(withConfidence(pooled, 9).smallSample).toBe(true);
    expect(withConfidence(pooled, 10).smallSample).toBe(false);
  });
});

describe("RAG boundaries through the figures", () => {
  it.each([
    ["exactly 90.0 is green", { met: 9, not_met: 1 }, 0, 90, "green"],
    ["exactly 90.0 with partial credit is green", { met: 8, partial: 2 }, 0.5, 90, "green"],
    ["just under 90 is amber", { met: 899, not_met: 101 }, 0, 89.9, "amber"],
    ["exactly 75.0 is amber", { met: 3, not_met: 1 }, 0, 75, "amber"],
    ["exactly 75.0 with partial credit is amber", { met: 1, partial: 1 }, 0.5, 75, "amber"],
    ["just under 75 is red", { met: 749, not_met: 251 }, 0, 74.9, "red"],
  ] as const)("%s", (_, spec, credit, percent, rag) => {
    const f = fig(spec, credit);
    expect(f.percent).toBeCloseTo(percent, 10);
    expect(f.rag).toBe(rag);
  });

  it("is green for a true 90 that floating point computes as 89.99999999999999", () => {
    // 18 met + 0.3 × 3 partial = 18.9 of 21 = 90%, computed as 89.99999999999999.
    const f = fig({ met: 18, partial: 3 }, 0.3);
    expect(f.percent).toBeLessThan(90);
    expect(f.rag).toBe("green");
  });
});

describe("worstCriteria", () => {
  const criterion = (criterionId: string, spec: Partial<Record<Answer, number>>) => ({ ...fig(spec), criterionId });
  const byCriterion = [
    criterion("a", { met: 9, not_met: 1 }), // 90%: 0 below
    criterion("b", { met: 1, not_met: 3 }), // 25%: 65 below
    criterion("c", { na: 6 }), // no applicable cases: left out
    criterion("d", { met: 7, not_met: 3 }), // 70%: 20 below
    criterion("e", { met: 10 }), // 100%: 10 above
    criterion("f", { met: 14, not_met: 6 }), // 70% on more cases: before d
    criterion("g", { met: 7, not_met: 3 }), // 70%, as d: template order after it
  ];

  it("ranks by how far below the green threshold, worst first, leaving out criteria with no applicable cases", () => {
    const ranked = worstCriteria(byCriterion, RAG);
    expect(ranked.map((c) => c.criterionId)).toEqual(["b", "f", "d", "g", "a", "e"]);
    expect(ranked.map((c) => c.belowGreen)).toEqual([65, 20, 20, 20, 0, -10]);
  });

  it("measures against the template's own threshold", () => {
    expect(worstCriteria(byCriterion, { green: 95, amber: 80 }).map((c) => c.belowGreen)).toEqual([70, 25, 25, 25, 5, -5]);
  });

  it("returns nothing when no criterion has applicable cases", () => {
    expect(worstCriteria([criterion("c", { na: 3 })], RAG)).toEqual([]);
  });
});

describe("rollUpWithConfidence", () => {
  const input: TemplateInput = {
    key: "rollup-unit",
    version: 1,
    title: "Roll-up unit",
    description: "Two sections.",
    caseTypes: ["CHILD"],
    partialCredit: 0.5,
    sections: [
      { id: "one", title: "One", criteria: [{ id: "x", question: "X?", guidance: { met: "X." }, sources: [{ report: "HAR", paragraph: "1" }] }] },
      {
        id: "two",
        title: "Two",
        criteria: [
          { id: "y", question: "Y?", guidance: { met: "Y." }, sources: [{ report: "HAR", paragraph: "2" }] },
          { id: "z", question: "Z?", guidance: { met: "Z." }, sources: [{ report: "HAR", paragraph: "3" }] },
        ],
      },
    ],
  };
  const template = TemplateSchema.parse(input);
  const make = (n: number, a: Record<string, Answer>, serviceId = 1): CaseForScoring[] =>
    Array.from({ length: n }, (_, i) => ({ id: serviceId * 100 + i, serviceId, serviceName: `Service ${serviceId}`, fields: {}, answers: a }));

  it("counts applicable cases per pooled figure: 9 cases × 3 answers is still a small sample", () => {
    const nine = rollUpWithConfidence(template, [...make(9, { x: "met", y: "met", z: "partial" }), ...make(3, { x: "na", y: "na", z: "na" }, 2)], "2026-01-01");
    expect(nine.overall).toMatchObject({ denominator: 27, numerator: 22.5, applicableCases: 9, smallSample: true });
    expect(nine.bySection.map((s) => [s.sectionId, s.applicableCases, s.denominator])).toEqual([
      ["one", 9, 9],
      ["two", 9, 18],
    ]);
    expect(nine.byService.map((s) => [s.serviceName, s.applicableCases, s.smallSample, s.percent])).toEqual([
      ["Service 1", 9, true, (100 * 22.5) / 27],
      ["Service 2", 0, true, null],
    ]);
    expect(nine.byCriterion.find((c) => c.criterionId === "z")).toMatchObject({ numerator: 4.5, denominator: 9, percent: 50, rag: "red", smallSample: true });

    const ten = rollUpWithConfidence(template, make(10, { x: "met", y: "na", z: "na" }), "2026-01-01");
    expect(ten.overall).toMatchObject({ denominator: 10, applicableCases: 10, smallSample: false });
    // Section "two" has only N/A answers: no applicable cases, no interval.
    expect(ten.bySection[1]).toMatchObject({ sectionId: "two", applicableCases: 0, percent: null, ciLow: null, ciHigh: null });
  });

  it("counts a case once in a section however many of its criteria apply", () => {
    const r = rollUpWithConfidence(template, make(4, { x: "na", y: "met", z: "not_met" }), "2026-01-01");
    expect(r.bySection[1]).toMatchObject({ applicableCases: 4, denominator: 8, percent: 50 });
    expect(r.overall).toMatchObject({ applicableCases: 4, denominator: 8, na: 4 });
  });
});
