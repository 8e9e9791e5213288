/**
 * Pure rules for re-audits (issue 6): the default due date, the copied title and period, and
 * the criterion-by-criterion comparison of an audit with its re-audit.
 *
 * Criteria are matched by id: a criterion whose id is only in the re-audit's template is
 * "new", one only in the original's is "removed". The statistics come from
 * app/lib/statistics.ts (two-proportion test, stated in words), so every page says the same.
 */
import { addDays, addMonthsClamped, daysBetween, todayInLondon } from "~/lib/dates";
import { formatPercent } from "~/lib/scoring";
import { describeChange, formatPercentagePoints, smallSample, twoProportionTest, type TwoProportionResult } from "~/lib/statistics";

/** A re-audit is due this many months after the original was completed, unless changed. */
export const REAUDIT_MONTHS = 12;

/** What is added to a copied title. */
export const REAUDIT_SUFFIX = " (re-audit)";

/** The longest audit title the forms accept (app/schemas/audit.ts). */
const TITLE_MAX = 150;

/**
 * The date an audit was completed, as people in England saw it (a completion at 23:30 UTC in
 * summer was already the next day), from its UTC `completed_at` timestamp.
 */
export function completionDate(completedAt: string): string {
  const when = new Date(completedAt);
  return Number.isNaN(when.getTime()) ? completedAt.slice(0, 10) : todayInLondon(when);
}

/** Default due date: 12 months after completion, clamped to the month's end (31 Jan → 31 Jan; 29 Feb → 28 Feb). */
export function defaultReauditDue(completedOn: string): string {
  return addMonthsClamped(completedOn, REAUDIT_MONTHS);
}

/** "IHA audit Q1" → "IHA audit Q1 (re-audit)", never doubled, cut to fit the title limit. */
export function reauditTitle(title: string): string {
  const base = title.endsWith(REAUDIT_SUFFIX) ? title.slice(0, -REAUDIT_SUFFIX.length) : title;
  return base.slice(0, TITLE_MAX - REAUDIT_SUFFIX.length).trimEnd() + REAUDIT_SUFFIX;
}

/**
 * The re-audit's period: as long as the original's, starting the day after it ended (the
 * auditor can change it on the audit's details page). A period of whole calendar months
 * (1 January to 31 March) gives whole months again (1 April to 30 June); any other, the
 * same number of days.
 */
export function reauditPeriod(original: { periodStart: string; periodEnd: string }): { periodStart: string; periodEnd: string } {
  const periodStart = addDays(original.periodEnd, 1);
  const [sy, sm, sd] = original.periodStart.split("-").map(Number);
  const [ey, em] = original.periodEnd.split("-").map(Number);
  const wholeMonths = sd === 1 && periodStart.endsWith("-01");
  if (wholeMonths) {
    const months = ey * 12 + em - (sy * 12 + sm) + 1;
    return { periodStart, periodEnd: addDays(addMonthsClamped(periodStart, months), -1) };
  }
  return { periodStart, periodEnd: addDays(periodStart, Math.max(0, daysBetween(original.periodStart, original.periodEnd))) };
}

/** One criterion's figure in one audit, as app/lib/scoring.ts's roll-up gives it. */
export type CriterionFigure = {
  criterionId: string;
  question: string;
  /** met + partial credit × partially met (may be fractional). */
  numerator: number;
  /** met + partially met + not met. */
  denominator: number;
  /** 0–100, or null with no applicable cases. */
  percent: number | null;
};

export type SideFigure = {
  numerator: number;
  denominator: number;
  percent: number | null;
  /** "60.0% (6 of 10)" or "No applicable cases". */
  text: string;
  smallSample: boolean;
};

export type ComparisonRow = {
  criterionId: string;
  /** The re-audit's wording (the original's for a removed criterion). */
  question: string;
  /** "both": in both templates; "new": only in the re-audit's; "removed": only in the original's. */
  match: "both" | "new" | "removed";
  before: SideFigure | null;
  after: SideFigure | null;
  /** After − before in percentage points, null unless both have applicable cases. */
  changePoints: number | null;
  /** "+30.0", "-4.0", "0.0" or null. */
  changeText: string | null;
  test: TwoProportionResult | null;
  /** The test in plain words (or why there is none). */
  testText: string;
};

/** "6", "6.5": a numerator that may carry partial credit. */
function count(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function side(f: CriterionFigure): SideFigure {
  return {
    numerator: f.numerator,
    denominator: f.denominator,
    percent: f.percent,
    text: f.denominator === 0 ? "No applicable cases" : `${formatPercent(f.percent)} (${count(f.numerator)} of ${f.denominator})`,
    smallSample: smallSample(f.denominator),
  };
}

/**
 * Each criterion before (the original audit) and after (the re-audit), in the re-audit's
 * template order, with the original's removed criteria at the end in their own order.
 */
export function compareCriteria(before: CriterionFigure[], after: CriterionFigure[]): ComparisonRow[] {
  const beforeById = new Map(before.map((f) => [f.criterionId, f]));
  const afterIds = new Set(after.map((f) => f.criterionId));
  const rows: ComparisonRow[] = after.map((a) => {
    const b = beforeById.get(a.criterionId);
    if (!b) {
      return { criterionId: a.criterionId, question: a.question, match: "new", before: null, after: side(a), changePoints: null, changeText: null, test: null, testText: "New in the re-audit's template: there is nothing to compare it with." };
    }
    const both = b.denominator > 0 && a.denominator > 0;
    const difference = both ? a.numerator / a.denominator - b.numerator / b.denominator : null;
    const test = both ? twoProportionTest(b.numerator, b.denominator, a.numerator, a.denominator) : null;
    return {
      criterionId: a.criterionId,
      question: a.question,
      match: "both",
      before: side(b),
      after: side(a),
      changePoints: difference === null ? null : Math.round(difference * 1000) / 10,
      changeText: difference === null ? null : formatPercentagePoints(difference),
      test,
      testText: both ? describeChange(test) : "The change cannot be worked out: one of the audits has no applicable cases for this criterion.",
    };
  });
  for (const b of before) {
    if (afterIds.has(b.criterionId)) continue;
    rows.push({ criterionId: b.criterionId, question: b.question, match: "removed", before: side(b), after: null, changePoints: null, changeText: null, test: null, testText: "Removed from the re-audit's template: there is nothing to compare it with." });
  }
  return rows;
}

/** Criterion ids new in, and removed from, a later template version (for the re-audit page). */
export function criteriaChanges(beforeIds: string[], afterIds: string[]): { added: string[]; removed: string[] } {
  const b = new Set(beforeIds);
  const a = new Set(afterIds);
  return { added: afterIds.filter((id) => !b.has(id)), removed: beforeIds.filter((id) => !a.has(id)) };
}
