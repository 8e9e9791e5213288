/**
 * The one scoring module every page and export uses (domain.md rules 28–30), so a
 * percentage or RAG rating can never differ between screens.
 *
 * Compliance % = 100 × (met + partialCredit × partial) / (met + partial + not met).
 * "Not applicable" and unanswered / undetermined answers are left out of both sides;
 * with nothing left the figure is "no applicable cases" (null), never 0% or 100%.
 */
import type { Answer } from "~/lib/answers";
import { evaluateApplicability } from "~/lib/applicability";
import { evaluateRule, type RuleResult } from "~/lib/date-rules";
import type { SettingValues } from "~/lib/settings";
import { allCriteria, type Template } from "~/schemas/template";

export type Rag = "green" | "amber" | "red";

export const RAG_LABELS: Record<Rag, string> = { green: "Green", amber: "Amber", red: "Red" };

export type RagThresholds = { green: number; amber: number };

export type Figure = {
  met: number;
  partial: number;
  notMet: number;
  na: number;
  /** Unanswered criteria and date rules that could not be determined. */
  unanswered: number;
  numerator: number;
  denominator: number;
  /** Full precision; null when the denominator is 0. */
  percent: number | null;
  rag: Rag | null;
};

/**
 * Rounds to `dp` decimal places, half up, through the decimal text so binary
 * representation does not bite (89.95 → 90.0, not 89.9).
 */
function roundTo(x: number, dp: number): number {
  // Shift the decimal point in the exponent text ("8.995e+1" → "8.995e2") rather than
  // multiplying, which would reintroduce binary error.
  const [mantissa, exponent] = x.toExponential().split("e");
  return Number(`${Math.round(Number(`${mantissa}e${Number(exponent) + dp}`))}e-${dp}`);
}

/**
 * RAG for a percentage: green at or above `green`, amber at or above `amber`, else red;
 * null for null. Rounded to 9 decimal places first so that floating-point noise (a true
 * 90 computed as 89.99999999999999) cannot drop a figure below its boundary.
 */
export function ragFor(percent: number | null, rag: RagThresholds): Rag | null {
  if (percent === null) return null;
  const p = roundTo(percent, 9);
  return p >= rag.green ? "green" : p >= rag.amber ? "amber" : "red";
}

/** "90.0%" (one decimal place, half up) or "No applicable cases". */
export function formatPercent(p: number | null): string {
  return p === null ? "No applicable cases" : `${roundTo(roundTo(p, 9), 1).toFixed(1)}%`;
}

export function tally(answers: Iterable<Answer | null | undefined>, partialCredit: number, rag: RagThresholds): Figure {
  let met = 0;
  let partial = 0;
  let notMet = 0;
  let na = 0;
  let unanswered = 0;
  for (const a of answers) {
    if (a === "met") met += 1;
    else if (a === "partial") partial += 1;
    else if (a === "not_met") notMet += 1;
    else if (a === "na") na += 1;
    else unanswered += 1;
  }
  const numerator = met + partialCredit * partial;
  const denominator = met + partial + notMet;
  const percent = denominator === 0 ? null : (100 * numerator) / denominator;
  return { met, partial, notMet, na, unanswered, numerator, denominator, percent, rag: ragFor(percent, rag) };
}

export type CaseForScoring = {
  id: number;
  serviceId: number;
  serviceName: string;
  fields: Record<string, string | null>;
  /** The auditor's answers by criterion id. */
  answers: Record<string, Answer>;
  /** Why the auditor answered criteria the case's data made "not applicable", by criterion id. */
  overrides?: Record<string, string>;
  /**
   * Settled answers (moderation, or historical results imported as recorded), by criterion id.
   * They stand for date-rule criteria too, where an auditor's own answer never does.
   */
  agreed?: Record<string, Answer>;
};

export type CaseAnswer = {
  answer: Answer | null;
  rule?: RuleResult;
  /** Set when the case's data decide applicability: false = made "not applicable"; null = data missing to decide. */
  applicability?: { applicable: false | null; reason: string };
  /** The auditor's reason for answering a criterion the data made "not applicable". */
  overrideReason?: string;
};

/**
 * Every criterion's answer for one case, by criterion id, in this order of precedence:
 * 1. a criterion whose `applicableWhen` the case's data rule out is "not applicable", unless
 *    the auditor answered it anyway with a reason (not possible for date-rule criteria: their
 *    applicability is corrected through the case details);
 * 2. rule criteria are answered by their date rule as of `asOf`, with the audit's pinned
 *    `settings` (any stored auditor answer for them is ignored; a settled `agreed` answer —
 *    an imported historical result — stands instead);
 * 3. other criteria take the auditor's answer, or null when there is none.
 */
export function caseAnswers(
  template: Template,
  c: Pick<CaseForScoring, "fields" | "answers" | "overrides" | "agreed">,
  asOf: string,
  settings: SettingValues = {},
): Record<string, CaseAnswer> {
  const labels = Object.fromEntries(template.caseFields.map((f) => [f.id, f.label]));
  const result: Record<string, CaseAnswer> = {};
  for (const criterion of allCriteria(template)) {
    const applies = evaluateApplicability(criterion.applicableWhen, c.fields, template.caseFields);
    const applicability = applies.applicable === true ? undefined : applies;
    const overrideReason = criterion.rule ? undefined : c.overrides?.[criterion.id];
    if (applies.applicable === false && !overrideReason) {
      result[criterion.id] = { answer: "na", applicability: applies };
    } else if (criterion.rule) {
      const rule = evaluateRule(criterion.rule, c.fields, asOf, labels, settings);
      result[criterion.id] = { answer: c.agreed?.[criterion.id] ?? rule.answer, rule, applicability };
    } else {
      result[criterion.id] = { answer: c.answers[criterion.id] ?? null, applicability, ...(overrideReason ? { overrideReason } : {}) };
    }
  }
  return result;
}

export function caseScore(
  template: Template,
  c: Pick<CaseForScoring, "fields" | "answers" | "overrides" | "agreed">,
  asOf: string,
  settings: SettingValues = {},
): { figure: Figure; answered: number; total: number; complete: boolean } {
  const answers = Object.values(caseAnswers(template, c, asOf, settings)).map((a) => a.answer);
  const answered = answers.filter((a) => a !== null).length;
  return {
    figure: tally(answers, template.partialCredit, template.rag),
    answered,
    total: answers.length,
    complete: answered === answers.length,
  };
}

export type Rollup = {
  overall: Figure;
  bySection: (Figure & { sectionId: string; title: string })[];
  byCriterion: (Figure & { criterionId: string; sectionId: string; question: string })[];
  /** Sorted by service name. */
  byService: (Figure & { serviceId: number; serviceName: string })[];
};

/** Pools every case × criterion answer: overall, per section, per criterion and per service. */
export function rollUp(template: Template, cases: CaseForScoring[], asOf: string, settings: SettingValues = {}): Rollup {
  return rollUpScored(template, scoreCases(template, cases, asOf, settings));
}

export type ScoredCase = { c: CaseForScoring; answers: Record<string, CaseAnswer> };

/** Every case's answers (`caseAnswers`), computed once for callers that need them more than once. */
export function scoreCases(template: Template, cases: CaseForScoring[], asOf: string, settings: SettingValues = {}): ScoredCase[] {
  return cases.map((c) => ({ c, answers: caseAnswers(template, c, asOf, settings) }));
}

/** `rollUp` of cases already scored by `scoreCases`. */
export function rollUpScored(template: Template, scored: ScoredCase[]): Rollup {
  const criteria = allCriteria(template);
  const cases = scored.map(({ c }) => c);
  const figure = (answers: (Answer | null)[]) => tally(answers, template.partialCredit, template.rag);
  const answersOf = (criterionIds: string[], subset = scored) =>
    subset.flatMap(({ answers }) => criterionIds.map((id) => answers[id].answer));
  const allIds = criteria.map((c) => c.id);

  const services = new Map<number, string>();
  for (const c of cases) services.set(c.serviceId, c.serviceName);

  return {
    overall: figure(answersOf(allIds)),
    bySection: template.sections.map((s) => ({
      ...figure(answersOf(s.criteria.map((c) => c.id))),
      sectionId: s.id,
      title: s.title,
    })),
    byCriterion: criteria.map((c) => ({
      ...figure(answersOf([c.id])),
      criterionId: c.id,
      sectionId: c.sectionId,
      question: c.question,
    })),
    byService: [...services]
      .sort(([idA, nameA], [idB, nameB]) => nameA.localeCompare(nameB, "en-GB") || idA - idB)
      .map(([serviceId, serviceName]) => ({
        ...figure(answersOf(allIds, scored.filter(({ c }) => c.serviceId === serviceId))),
        serviceId,
        serviceName,
      })),
  };
}
