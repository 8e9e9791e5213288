import { describe, expect, it } from "vitest";
import type { Answer } from "~/lib/answers";
import {
  RAG_LABELS,
  caseAnswers,
  caseScore,
  formatPercent,
  ragFor,
  rollUp,
  tally,
  type CaseForScoring,
  type Figure,
} from "~/lib/scoring";
import { addCounts, emptyCounts, figureOf, tallyAudit, type Counts } from "~/lib/result-cells";
import { TemplateSchema, type TemplateInput } from "~/schemas/template";

const RAG = { green: 90, amber: 75 };
const answers = (spec: Partial<Record<Answer | "none", number>>): (Answer | null | undefined)[] =>
  Object.entries(spec).flatMap(([a, n]) => Array<Answer | null>(n).fill(a === "none" ? null : (a as Answer)));

describe("tally", () => {
  it("counts each answer and leaves N/A and unanswered out of the denominator", () => {
    const f = tally([...answers({ met: 3, partial: 1, not_met: 1, na: 4 }), null, undefined], 0, RAG);
    expect(f).toMatchObject({ met: 3, partial: 1, notMet: 1, na: 4, unanswered: 2, numerator: 3, denominator: 5, percent: 60 });
    expect(f.rag).toBe("red");
  });

  it("is 100% when the only applicable answer is met, however many N/A", () => {
    expect(tally(answers({ met: 1, na: 9 }), 0, RAG)).toMatchObject({ denominator: 1, percent: 100, rag: "green" });
  });

  it("gives no percentage and no RAG when there are no applicable answers", () => {
    for (const list of [answers({ na: 5 }), [], [null, undefined], answers({ na: 2, none: 2 })]) {
      const f = tally(list, 0.5, RAG);
      expect(f.denominator).toBe(0);
      expect(f.percent).toBeNull();
      expect(f.rag).toBeNull();
    }
  });

  it("gives partial answers the template's credit", () => {
    const list = answers({ met: 1, partial: 1 });
    expect(tally(list, 0, RAG)).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
    expect(tally(list, 0.5, RAG)).toMatchObject({ numerator: 1.5, denominator: 2, percent: 75, rag: "amber" });
    expect(tally(list, 1, RAG)).toMatchObject({ percent: 100, rag: "green" });
  });

  it("keeps full precision in the percentage", () => {
    expect(tally(answers({ met: 2, not_met: 1 }), 0, RAG).percent).toBe((100 * 2) / 3);
  });

  it("accepts any iterable", () => {
    function* gen(): Generator<Answer> {
      yield "met";
      yield "not_met";
    }
    expect(tally(gen(), 0, RAG).percent).toBe(50);
  });
});

describe("ragFor", () => {
  it("is inclusive at the lower edge of each band", () => {
    expect(ragFor(100, RAG)).toBe("green");
    expect(ragFor(90, RAG)).toBe("green");
    expect(ragFor(89.99, RAG)).toBe("amber");
    expect(ragFor(75, RAG)).toBe("amber");
    expect(ragFor(74.99, RAG)).toBe("red");
    expect(ragFor(0, RAG)).toBe("red");
    expect(ragFor(null, RAG)).toBeNull();
  });

  it("uses the template's thresholds", () => {
    expect(ragFor(85, { green: 85, amber: 60 })).toBe("green");
    expect(ragFor(60, { green: 85, amber: 60 })).toBe("amber");
    expect(ragFor(59.9, { green: 85, amber: 60 })).toBe("red");
  });

  it("treats exact counts as exact: 9 of 10 is green and 3 of 4 is amber", () => {
    expect(tally(answers({ met: 9, not_met: 1 }), 0, RAG)).toMatchObject({ percent: 90, rag: "green" });
    expect(tally(answers({ met: 3, not_met: 1 }), 0, RAG)).toMatchObject({ percent: 75, rag: "amber" });
    expect(tally(answers({ met: 899, not_met: 101 }), 0, RAG).rag).toBe("amber"); // 89.9%
  });

  it("is not pushed below a boundary by floating-point error", () => {
    // (33 + 0.1 × 3) / 37 is exactly 90%, but computes as 89.99999999999999.
    const f = tally(answers({ met: 33, partial: 3, not_met: 1 }), 0.1, RAG);
    expect(f.percent).toBeLessThan(90);
    expect(f.rag).toBe("green");
    expect(formatPercent(f.percent)).toBe("90.0%");
  });

  it("has labels for every band", () => {
    expect(RAG_LABELS).toEqual({ green: "Green", amber: "Amber", red: "Red" });
  });
});

describe("formatPercent", () => {
  it("shows one decimal place, rounding half up", () => {
    expect(formatPercent(90)).toBe("90.0%");
    expect(formatPercent(100)).toBe("100.0%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatPercent((100 * 2) / 3)).toBe("66.7%");
    expect(formatPercent(100 / 3)).toBe("33.3%");
    expect(formatPercent(89.94)).toBe("89.9%");
    expect(formatPercent(89.95)).toBe("90.0%");
    expect(formatPercent(0.05)).toBe("0.1%");
    expect(formatPercent(1e-12)).toBe("0.0%");
  });

  it("says when there are no applicable cases", () => {
    expect(formatPercent(null)).toBe("No applicable cases");
  });
});

/** A small template: two rule criteria and two auditor-answered criteria in two sections. */
function makeTemplate(partialCredit: number) {
  const source = [{ report: "HAR", paragraph: "§1" }];
  const input: TemplateInput = {
    key: "mini",
    version: 1,
    title: "Mini audit",
    description: "Scoring test template",
    caseTypes: ["LAC"],
    partialCredit,
    caseFields: [
      { id: "looked_after", label: "Date became looked after", type: "date" },
      { id: "seen", label: "Date seen for IHA", type: "date" },
      { id: "sent", label: "Date IHA report sent", type: "date" },
      { id: "referral", label: "Date of referral", type: "date" },
      { id: "assessed", label: "Date assessed", type: "date" },
    ],
    sections: [
      {
        id: "timeliness",
        title: "Timeliness",
        criteria: [
          {
            id: "iha",
            question: "Was the IHA done in time?",
            guidance: { met: "Seen and report sent within 20 working days" },
            rule: { type: "iha_timeliness", lookedAfter: "looked_after", seen: "seen", reportSent: "sent" },
            sources: source,
          },
          {
            id: "assessment",
            question: "Was the assessment done within 20 working days of referral?",
            guidance: { met: "Within 20 working days" },
            rule: { type: "within_working_days", from: "referral", to: "assessed", days: 20 },
            sources: source,
          },
        ],
      },
      {
        id: "quality",
        title: "Quality",
        criteria: [
          { id: "voice", question: "Is the child's voice recorded?", guidance: { met: "Quoted" }, sources: source },
          { id: "plan", question: "Is the plan SMART?", guidance: { met: "All four parts" }, sources: source },
        ],
      },
    ],
  };
  return TemplateSchema.parse(input);
}

const ASOF = "2026-06-01";
const cases: CaseForScoring[] = [
  {
    // iha: seen on working day 18, report on day 22 → partial; assessment on the due date → met.
    id: 1,
    serviceId: 1,
    serviceName: "Beta Hospital",
    fields: { looked_after: "2025-12-01", seen: "2025-12-29", sent: "2026-01-05", referral: "2025-12-01", assessed: "2025-12-31" },
    answers: { iha: "met", voice: "met", plan: "na" }, // the stored "met" for the rule criterion is ignored
  },
  {
    // iha: on time → met; assessment: no referral date → undetermined.
    id: 2,
    serviceId: 2,
    serviceName: "Alpha Community",
    fields: { looked_after: "2025-12-01", seen: "2025-12-24", sent: "2025-12-31", referral: null, assessed: null },
    answers: { voice: "not_met", plan: "met" },
  },
  {
    // iha: looked after 20 May 2026, due 18 June, not seen yet on 1 June → undetermined;
    // assessment: referred 5 January 2026, never done → not met (overdue).
    id: 3,
    serviceId: 2,
    serviceName: "Alpha Community",
    fields: { looked_after: "2026-05-20", seen: null, sent: null, referral: "2026-01-05", assessed: null },
    answers: { voice: "partial", assessment: "met" },
  },
];

describe("caseAnswers", () => {
  const template = makeTemplate(0.5);

  it("answers rule criteria from the dates, ignoring any stored answer, and others from the auditor", () => {
    const result = caseAnswers(template, cases[0], ASOF);
    expect(Object.keys(result)).toEqual(["iha", "assessment", "voice", "plan"]);
    expect(result.iha.answer).toBe("partial");
    expect(result.iha.rule?.dueDate).toBe("2025-12-31");
    expect(result.assessment.answer).toBe("met");
    expect(result.voice).toEqual({ answer: "met" });
    expect(result.plan).toEqual({ answer: "na" });
  });

  it("gives null for an unanswered criterion and an undetermined rule, and uses field labels", () => {
    const result = caseAnswers(template, cases[2], ASOF);
    expect(result.iha.answer).toBeNull();
    expect(result.iha.rule?.dueDate).toBe("2026-06-18");
    expect(result.assessment).toMatchObject({ answer: "not_met", rule: { overdue: true } });
    expect(result.plan).toEqual({ answer: null });
    expect(caseAnswers(template, cases[1], ASOF).assessment.rule?.summary).toBe("Enter “Date of referral” to work this out.");
  });
});

describe("caseScore", () => {
  const template = makeTemplate(0.5);

  it("scores a complete case", () => {
    const s = caseScore(template, cases[0], ASOF);
    expect(s).toMatchObject({ answered: 4, total: 4, complete: true });
    expect(s.figure).toMatchObject({ met: 2, partial: 1, na: 1, numerator: 2.5, denominator: 3 });
    expect(s.figure.percent).toBeCloseTo(83.333333, 5);
    expect(s.figure.rag).toBe("amber");
  });

  it("is incomplete while a rule is undetermined or a criterion unanswered", () => {
    expect(caseScore(template, cases[1], ASOF)).toMatchObject({ answered: 3, total: 4, complete: false });
    const s = caseScore(template, cases[2], ASOF);
    expect(s).toMatchObject({ answered: 2, total: 4, complete: false });
    expect(s.figure).toMatchObject({ partial: 1, notMet: 1, unanswered: 2, numerator: 0.5, denominator: 2, percent: 25 });
  });

  it("becomes complete and met once the missing dates are entered", () => {
    const fixed = {
      fields: { ...cases[1].fields, referral: "2025-12-01", assessed: "2025-12-31" },
      answers: cases[1].answers,
    };
    expect(caseScore(template, fixed, ASOF)).toMatchObject({ answered: 4, complete: true, figure: { met: 3, notMet: 1 } });
  });
});

describe("rollUp (hand-computed)", () => {
  it("pools every case × criterion with partial credit 0.5", () => {
    const r = rollUp(makeTemplate(0.5), cases, ASOF);

    // iha: partial, met, undetermined; assessment: met, undetermined, not_met;
    // voice: met, not_met, partial; plan: na, met, unanswered.
    expect(r.overall).toMatchObject({ met: 4, partial: 2, notMet: 2, na: 1, unanswered: 3, numerator: 5, denominator: 8, percent: 62.5, rag: "red" });

    expect(r.bySection).toEqual([
      expect.objectContaining({ sectionId: "timeliness", title: "Timeliness", met: 2, partial: 1, notMet: 1, unanswered: 2, percent: 62.5 }),
      expect.objectContaining({ sectionId: "quality", title: "Quality", met: 2, partial: 1, notMet: 1, na: 1, unanswered: 1, percent: 62.5 }),
    ]);

    expect(r.byCriterion.map((c) => [c.criterionId, c.sectionId, c.numerator, c.denominator, c.percent, c.rag])).toEqual([
      ["iha", "timeliness", 1.5, 2, 75, "amber"],
      ["assessment", "timeliness", 1, 2, 50, "red"],
      ["voice", "quality", 1.5, 3, 50, "red"],
      ["plan", "quality", 1, 1, 100, "green"],
    ]);
    expect(r.byCriterion[0].question).toBe("Was the IHA done in time?");

    // Alpha (cases 2, 3): met 2, partial 1, not met 2 → 2.5 / 5; Beta (case 1): 2.5 / 3.
    expect(r.byService.map((s) => [s.serviceId, s.serviceName, s.numerator, s.denominator, s.rag])).toEqual([
      [2, "Alpha Community", 2.5, 5, "red"],
      [1, "Beta Hospital", 2.5, 3, "amber"],
    ]);
    expect(r.byService[0].percent).toBe(50);
    expect(r.byService[1].percent).toBeCloseTo(83.333333, 5);
  });

  it("gives partial answers no credit when the template says 0", () => {
    const r = rollUp(makeTemplate(0), cases, ASOF);
    expect(r.overall).toMatchObject({ numerator: 4, denominator: 8, percent: 50 });
    expect(r.byCriterion[0]).toMatchObject({ criterionId: "iha", percent: 50, rag: "red" });
  });

  it("reports no applicable cases rather than 0% or 100%", () => {
    const r = rollUp(makeTemplate(0.5), [{ ...cases[0], answers: { voice: "na", plan: "na" } }], ASOF);
    const quality = r.bySection.find((s) => s.sectionId === "quality");
    expect(quality).toMatchObject({ na: 2, denominator: 0, percent: null, rag: null });
    expect(r.byCriterion.find((c) => c.criterionId === "plan")).toMatchObject({ percent: null, rag: null });
  });

  it("re-evaluates the date rules as of the date given", () => {
    // On 19 June 2026 case 3's IHA is past its due date (18 June) with the child not seen.
    const r = rollUp(makeTemplate(0.5), cases, "2026-06-19");
    expect(r.byCriterion[0]).toMatchObject({ met: 1, partial: 1, notMet: 1, unanswered: 0, denominator: 3 });
  });

  it("handles no cases", () => {
    const r = rollUp(makeTemplate(0.5), [], ASOF);
    expect(r.overall).toMatchObject({ denominator: 0, percent: null, rag: null });
    expect(r.byService).toEqual([]);
    expect(r.byCriterion).toHaveLength(4);
  });
});

describe("tallyAudit (the tallies stored for a finished audit)", () => {
  const template = makeTemplate(0.5);
  // Case 1: met 2, partial 1, na 1. Case 2: met 2, not met 1, unanswered 1.
  // Case 3: partial 1, not met 1, unanswered 2. Case 4: nothing applicable (na 2, unanswered 2).
  const withPlace = [
    { ...cases[0], teamId: null, caseType: "lac" },
    { ...cases[1], teamId: 7, caseType: "lac" },
    { ...cases[2], teamId: null, caseType: "care-leaver" },
    { id: 4, serviceId: 2, serviceName: "Alpha Community", fields: {}, answers: { voice: "na", plan: "na" }, teamId: 7, caseType: "lac" },
  ] satisfies (CaseForScoring & { teamId: number | null; caseType: string })[];
  const { cells, criteria } = tallyAudit(template, withPlace, ASOF);

  it("tallies each service × team × case type, counting cases and cases with anything applicable", () => {
    expect(cells).toEqual([
      { serviceId: 1, teamId: null, caseType: "lac", cases: 1, applicableCases: 1, met: 2, partial: 1, notMet: 0, na: 1, unanswered: 0, numerator: 2.5 },
      { serviceId: 2, teamId: 7, caseType: "lac", cases: 2, applicableCases: 1, met: 2, partial: 0, notMet: 1, na: 2, unanswered: 3, numerator: 2 },
      { serviceId: 2, teamId: null, caseType: "care-leaver", cases: 1, applicableCases: 1, met: 0, partial: 1, notMet: 1, na: 0, unanswered: 2, numerator: 0.5 },
    ]);
  });

  it("tallies every criterion for every service and case type with cases, zero where nothing was answered", () => {
    expect(criteria).toHaveLength(3 * 4);
    expect(criteria.find((c) => c.serviceId === 1 && c.criterionId === "plan")).toEqual({ serviceId: 1, caseType: "lac", criterionId: "plan", met: 0, partial: 0, notMet: 0, na: 1, unanswered: 0, numerator: 0 });
    const voice2 = criteria.filter((c) => c.serviceId === 2 && c.criterionId === "voice");
    expect(voice2).toEqual([
      { serviceId: 2, caseType: "lac", criterionId: "voice", met: 0, partial: 0, notMet: 1, na: 1, unanswered: 0, numerator: 0 },
      { serviceId: 2, caseType: "care-leaver", criterionId: "voice", met: 0, partial: 1, notMet: 0, na: 0, unanswered: 0, numerator: 0.5 },
    ]);
  });

  it("sums to exactly the figures rollUp gives: overall, by service and by criterion", () => {
    const r = rollUp(template, withPlace, ASOF);
    const sum = (rows: Counts[]) => rows.reduce((a, c) => addCounts(a, c), emptyCounts());
    const strip = ({ met, partial, notMet, na, unanswered, numerator, denominator, percent, rag }: Figure) => ({ met, partial, notMet, na, unanswered, numerator, denominator, percent, rag });
    expect(figureOf(sum(cells), template.rag, template.partialCredit)).toEqual(strip(r.overall));
    expect(figureOf(sum(criteria), template.rag, template.partialCredit)).toEqual(strip(r.overall));
    for (const s of r.byService) expect(figureOf(sum(cells.filter((c) => c.serviceId === s.serviceId)), template.rag)).toEqual(strip(s));
    for (const c of r.byCriterion) expect(figureOf(sum(criteria.filter((k) => k.criterionId === c.criterionId)), template.rag)).toEqual(strip(c));
  });
});
