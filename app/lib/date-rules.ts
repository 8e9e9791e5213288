/**
 * Date rules: criteria the app answers from a case's dates (template `rule`s).
 *
 * Safety rules, in order of importance:
 * - never "met" unless every date the answer depends on is present and valid;
 * - a missing, invalid or contradictory date gives answer null ("cannot be
 *   determined"), never a guess, except where the rule itself says an absent event
 *   past its due date is a failure (overdue);
 * - never throws for a date outside the supported working-day years: that too is null.
 */
import type { Answer } from "~/lib/answers";
import { compareIso, formatDate, parseIsoDate } from "~/lib/dates";
import { addWorkingDays, workingDaysBetween, WORKING_DAYS_MAX_YEAR, WORKING_DAYS_MIN_YEAR, WorkingDaysRangeError } from "~/lib/working-days";
import type { Rule } from "~/schemas/template";

export type RuleResult = {
  /** null = cannot be determined (never "met" when a needed date is missing). */
  answer: Answer | null;
  /** One plain-English sentence for the auditor. */
  summary: string;
  dueDate: string | null;
  /** From the start event to the completing event, or to `asOf` when not yet done. */
  workingDaysElapsed: number | null;
  /** The case fields the rule used, in rule order, with their dates (null when missing or invalid). */
  datesUsed: { field: string; date: string | null }[];
  /** True when the completing event has not happened and `asOf` is past the due date. */
  overdue: boolean;
};

type Fields = Record<string, string | null | undefined>;
/** Optional display labels for field ids, used in summaries instead of the ids. */
type Labels = Record<string, string>;

/** A field's date: "missing" when blank, "invalid" when not a real YYYY-MM-DD date. */
type FieldDate = { field: string; raw: string; date: string | null; state: "ok" | "missing" | "invalid" };

function readDate(fields: Fields, field: string): FieldDate {
  const raw = (fields[field] ?? "").trim();
  if (raw === "") return { field, raw, date: null, state: "missing" };
  return parseIsoDate(raw) ? { field, raw, date: raw, state: "ok" } : { field, raw, date: null, state: "invalid" };
}

function plural(n: number): string {
  return `${n} working day${n === 1 ? "" : "s"}`;
}

/**
 * Evaluates a date rule for one case as it stood on `asOf` (the audit's "today", an
 * ISO date). `labels` maps field ids to the template's field labels for the summary;
 * without it the summary quotes the field ids.
 */
export function evaluateRule(rule: Rule, fields: Fields, asOf: string, labels: Labels = {}): RuleResult {
  if (!parseIsoDate(asOf)) throw new TypeError(`"${asOf}" is not a real date in YYYY-MM-DD form`);
  const dates =
    rule.type === "within_working_days"
      ? [readDate(fields, rule.from), readDate(fields, rule.to)]
      : [readDate(fields, rule.lookedAfter), readDate(fields, rule.seen), readDate(fields, rule.reportSent)];
  const datesUsed = dates.map(({ field, date }) => ({ field, date }));
  const name = (field: string) => `“${labels[field] ?? field}”`;
  const undetermined = (summary: string): RuleResult => ({
    answer: null,
    summary,
    dueDate: null,
    workingDaysElapsed: null,
    datesUsed,
    overdue: false,
  });

  const invalid = dates.find((d) => d.state === "invalid");
  if (invalid) return undetermined(`${name(invalid.field)} is not a real date (“${invalid.raw}”): correct it to work this out.`);

  try {
    const result =
      rule.type === "within_working_days"
        ? withinWorkingDays(dates[0], dates[1], rule.days, asOf, name)
        : ihaTimeliness(dates[0], dates[1], dates[2], rule.days, asOf, name);
    return "summary" in result ? { ...result, datesUsed } : undetermined(result.undetermined);
  } catch (error) {
    if (error instanceof WorkingDaysRangeError) {
      return undetermined(
        `${formatDate(error.date)} is outside the years working days can be counted for ` +
          `(${WORKING_DAYS_MIN_YEAR} to ${WORKING_DAYS_MAX_YEAR}), so this cannot be worked out.`,
      );
    }
    throw error;
  }
}

type Outcome = Omit<RuleResult, "datesUsed"> | { undetermined: string };
type Namer = (field: string) => string;

/** "`later`" is before "`earlier`": a contradiction that must be corrected, not scored. */
function outOfOrder(later: FieldDate, earlier: FieldDate, name: Namer): Outcome | null {
  if (later.date && earlier.date && compareIso(later.date, earlier.date) < 0) {
    return {
      undetermined:
        `${name(later.field)} (${formatDate(later.date)}) is before ${name(earlier.field)} ` +
        `(${formatDate(earlier.date)}): check the dates to work this out.`,
    };
  }
  return null;
}

/** Met when `to` is no later than the `days`-th working day after `from`. */
function withinWorkingDays(from: FieldDate, to: FieldDate, days: number, asOf: string, name: Namer): Outcome {
  if (!from.date) return { undetermined: `Enter ${name(from.field)} to work this out.` };
  const contradiction = outOfOrder(to, from, name);
  if (contradiction) return contradiction;

  const due = addWorkingDays(from.date, days);
  const dueText = `due by ${formatDate(due)}, ${plural(days)} after ${formatDate(from.date)}`;
  if (to.date) {
    const elapsed = workingDaysBetween(from.date, to.date);
    const onTime = compareIso(to.date, due) <= 0;
    return {
      answer: onTime ? "met" : "not_met",
      summary: `Done on ${formatDate(to.date)}, ${plural(elapsed)} after ${formatDate(from.date)} (due by ${formatDate(due)}): ${onTime ? "on time" : "late"}.`,
      dueDate: due,
      workingDaysElapsed: elapsed,
      overdue: false,
    };
  }
  // Not done: a failure once the due date has passed, otherwise not yet decidable.
  const elapsed = sinceStart(from.date, asOf);
  if (compareIso(asOf, due) > 0) {
    return {
      answer: "not_met",
      summary: `Not done and now overdue (${dueText}); no ${name(to.field)} date entered.`,
      dueDate: due,
      workingDaysElapsed: elapsed,
      overdue: true,
    };
  }
  return {
    answer: null,
    summary: `Not done yet and not yet due (${dueText}); enter ${name(to.field)} when it happens.`,
    dueDate: due,
    workingDaysElapsed: elapsed,
    overdue: false,
  };
}

/**
 * IHA timeliness: met when the child was seen and the report sent within `days` working
 * days of becoming looked after; partially met when seen in time but the report was late
 * (or is now overdue); not met when seen late or not seen by the due date.
 */
function ihaTimeliness(
  lookedAfter: FieldDate,
  seen: FieldDate,
  reportSent: FieldDate,
  days: number,
  asOf: string,
  name: Namer,
): Outcome {
  if (!lookedAfter.date) return { undetermined: `Enter ${name(lookedAfter.field)} to work this out.` };
  const contradiction =
    outOfOrder(seen, lookedAfter, name) ?? outOfOrder(reportSent, lookedAfter, name) ?? outOfOrder(reportSent, seen, name);
  if (contradiction) return contradiction;
  if (!seen.date && reportSent.date) {
    // A report cannot exist without the child being seen: the seen date is missing, not the event.
    return { undetermined: `Enter ${name(seen.field)}: the report is recorded as sent but the date seen is missing.` };
  }

  const start = lookedAfter.date;
  const due = addWorkingDays(start, days);
  const dueBy = `due by ${formatDate(due)}`;
  const pastDue = compareIso(asOf, due) > 0;
  // The IHA is complete when the report is sent; until then count to asOf.
  const elapsed = reportSent.date ? workingDaysBetween(start, reportSent.date) : sinceStart(start, asOf);

  if (!seen.date) {
    return pastDue
      ? {
          answer: "not_met",
          summary: `Not seen and now overdue (${dueBy}, ${plural(days)} after becoming looked after on ${formatDate(start)}).`,
          dueDate: due,
          workingDaysElapsed: elapsed,
          overdue: true,
        }
      : {
          answer: null,
          summary: `Not seen yet and not yet due (${dueBy}); enter ${name(seen.field)} when it happens.`,
          dueDate: due,
          workingDaysElapsed: elapsed,
          overdue: false,
        };
  }

  const seenDay = workingDaysBetween(start, seen.date);
  const seenText = `Seen ${plural(seenDay)} after becoming looked after`;
  const reportText = reportSent.date ? `report sent on day ${elapsed}` : "report not sent yet";
  if (compareIso(seen.date, due) > 0) {
    return {
      answer: "not_met",
      summary: `${seenText}, after the due date (${dueBy}); ${reportText}.`,
      dueDate: due,
      workingDaysElapsed: elapsed,
      overdue: !reportSent.date && pastDue,
    };
  }
  if (reportSent.date) {
    const reportOnTime = compareIso(reportSent.date, due) <= 0;
    return {
      answer: reportOnTime ? "met" : "partial",
      summary: `${seenText} (${dueBy}); ${reportText}, ${reportOnTime ? "on time" : "after the due date"}.`,
      dueDate: due,
      workingDaysElapsed: elapsed,
      overdue: false,
    };
  }
  return pastDue
    ? {
        answer: "partial",
        summary: `${seenText} (${dueBy}); report not sent and now overdue.`,
        dueDate: due,
        workingDaysElapsed: elapsed,
        overdue: true,
      }
    : {
        answer: null,
        summary: `${seenText} (${dueBy}); report not sent yet and not yet due.`,
        dueDate: due,
        workingDaysElapsed: elapsed,
        overdue: false,
      };
}

/** Working days from the start event to `asOf`; 0 if `asOf` is (oddly) before the event. */
function sinceStart(start: string, asOf: string): number {
  return Math.max(0, workingDaysBetween(start, asOf));
}
