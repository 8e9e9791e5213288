/**
 * Date rules: criteria the app answers from a case's dates (template `rule`s; the rule
 * types are in app/schemas/rules.ts and audit-templates/README.md).
 *
 * Safety rules, in order of importance:
 * - never "met" unless every date the answer depends on is present and valid;
 * - a missing, invalid or contradictory date gives answer null ("cannot be
 *   determined"), never a guess, except where the rule itself says an absent event
 *   past its due date is a failure (overdue);
 * - an event that has not happened and is not yet due is null ("not yet due"), except for
 *   a stage of life the child has not reached yet (age windows, birthdays): "not applicable";
 * - never throws for a date outside the supported working-day years, nor for a local
 *   setting with an unusable value: those too are null.
 */
import type { Answer } from "~/lib/answers";
import { addDays, addMonthsClamped, ageInYearsOn, compareIso, daysBetween, formatDate, parseIsoDate } from "~/lib/dates";
import { resolveAmount, type SettingValues } from "~/lib/settings";
import { addWorkingDays, workingDaysBetween, WORKING_DAYS_MAX_YEAR, WORKING_DAYS_MIN_YEAR, WorkingDaysRangeError } from "~/lib/working-days";
import { ruleDateFields, type Amount, type Offset, type Rule } from "~/schemas/rules";

export type RuleResult = {
  /** null = cannot be determined (never "met" when a needed date is missing). */
  answer: Answer | null;
  /** One plain-English sentence for the auditor. */
  summary: string;
  dueDate: string | null;
  /**
   * From the start event to the completing event, or to `asOf` when not yet done. Only
   * for rules counted from a start event in days (working or calendar); null otherwise,
   * and null when a date is outside the years working days can be counted for.
   */
  workingDaysElapsed: number | null;
  /** The case fields the rule used, in rule order, with their dates (null when missing or invalid). */
  datesUsed: { field: string; date: string | null }[];
  /** True when the completing event has not happened and `asOf` is past the due date. */
  overdue: boolean;
  /** The local settings the rule refers to, in rule order, with the value used. */
  settingsUsed: { id: string; value: number }[];
};

export type Fields = Record<string, string | null | undefined>;
/** Optional display labels for field ids, used in summaries instead of the ids. */
export type Labels = Record<string, string>;

/** A field's date: "missing" when blank, "invalid" when not a real YYYY-MM-DD date. */
type FieldDate = { field: string; raw: string; date: string | null; state: "ok" | "missing" | "invalid" };

function readDate(fields: Fields, field: string): FieldDate {
  const value = fields[field];
  const raw = typeof value === "string" ? value.trim() : "";
  if (raw === "") return { field, raw, date: null, state: "missing" };
  return parseIsoDate(raw) ? { field, raw, date: raw, state: "ok" } : { field, raw, date: null, state: "invalid" };
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

function plural(n: number): string {
  return count(n, "working day");
}

/** "1st", "2nd", "3rd", "11th", "18th", "21st". */
function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** Gestation in days as obstetric notation, "11+3 weeks". */
function gestationText(days: number): string {
  return `${Math.floor(days / 7)}+${days % 7} weeks`;
}

function offsetText(offset: Offset): string {
  if ("days" in offset) return count(offset.days, "day");
  if ("weeks" in offset) return count(offset.weeks, "week");
  return count(offset.months, "month");
}

function addOffset(iso: string, offset: Offset): string {
  if ("days" in offset) return addDays(iso, offset.days);
  if ("weeks" in offset) return addDays(iso, 7 * offset.weeks);
  return addMonthsClamped(iso, offset.months);
}

/** A local setting whose value cannot be used (not a whole number of 0 or more, or unknown). */
class BadSettingError extends Error {
  constructor(readonly settingId: string, readonly detail: string) {
    super(`Setting "${settingId}": ${detail}`);
    this.name = "BadSettingError";
  }
}

/** Resolves a rule's amounts, recording each setting read (once, in the order read). */
function amountResolver(settings: SettingValues) {
  const used: { id: string; value: number }[] = [];
  const resolve = (amount: Amount | undefined, fallback: number): number => {
    if (amount === undefined) return fallback;
    let value: number;
    try {
      value = resolveAmount(amount, settings);
    } catch {
      throw new BadSettingError(typeof amount === "object" ? amount.setting : String(amount), "is not a known setting");
    }
    if (typeof amount === "object") {
      if (!used.some((u) => u.id === amount.setting)) used.push({ id: amount.setting, value });
      if (!Number.isInteger(value) || value < 0) throw new BadSettingError(amount.setting, `has the value ${value}, not a whole number of 0 or more`);
    }
    return value;
  };
  return { used, resolve };
}

/**
 * Evaluates a date rule for one case as it stood on `asOf` (the audit's "today", an
 * ISO date). `labels` maps field ids to the template's field labels for the summary
 * (without it the summary quotes the field ids); `settings` are the audit's pinned
 * local settings (a setting not given takes its default).
 */
export function evaluateRule(rule: Rule, fields: Fields, asOf: string, labels: Labels = {}, settings: SettingValues = {}): RuleResult {
  if (!parseIsoDate(asOf)) throw new TypeError(`"${asOf}" is not a real date in YYYY-MM-DD form`);
  const dates = Object.values(ruleDateFields(rule)).map((field) => readDate(fields, field));
  const datesUsed = dates.map(({ field, date }) => ({ field, date }));
  const name: Namer = (field) => `“${labels[field] ?? field}”`;
  const { used: settingsUsed, resolve } = amountResolver(settings);
  const undetermined = (summary: string): RuleResult => ({
    answer: null,
    summary,
    dueDate: null,
    workingDaysElapsed: null,
    datesUsed,
    overdue: false,
    settingsUsed,
  });

  try {
    // Resolve every amount first, so settingsUsed is complete whatever the dates.
    const outcome = evaluate(rule, fields, asOf, name, resolve, dates);
    return "summary" in outcome ? { ...outcome, datesUsed, settingsUsed } : undetermined(outcome.undetermined);
  } catch (error) {
    if (error instanceof WorkingDaysRangeError) {
      return undetermined(
        `${formatDate(error.date)} is outside the years working days can be counted for ` +
          `(${WORKING_DAYS_MIN_YEAR} to ${WORKING_DAYS_MAX_YEAR}), so this cannot be worked out.`,
      );
    }
    if (error instanceof BadSettingError) {
      return undetermined(`The local setting “${error.settingId}” ${error.detail}, so this cannot be worked out.`);
    }
    throw error;
  }
}

type Outcome = Omit<RuleResult, "datesUsed" | "settingsUsed"> | { undetermined: string };
type Namer = (field: string) => string;
type Resolve = (amount: Amount | undefined, fallback: number) => number;

function evaluate(rule: Rule, fields: Fields, asOf: string, name: Namer, resolve: Resolve, dates: FieldDate[]): Outcome {
  const d = (field: string) => readDate(fields, field);
  switch (rule.type) {
    case "within_working_days": {
      const days = resolve(rule.days, 0);
      return firstInvalid(dates, name) ?? withinWorkingDays(d(rule.from), d(rule.to), days, asOf, name);
    }
    case "within_calendar_days": {
      const days = resolve(rule.days, 0);
      return firstInvalid(dates, name) ?? withinCalendarDays(d(rule.from), d(rule.to), days, asOf, name);
    }
    case "within_months": {
      const months = resolve(rule.months, 0);
      return firstInvalid(dates, name) ?? withinMonths(d(rule.from), d(rule.to), months, asOf, name);
    }
    case "iha_timeliness": {
      const days = resolve(rule.days, 20);
      return firstInvalid(dates, name) ?? ihaTimeliness(d(rule.lookedAfter), d(rule.seen), d(rule.reportSent), days, asOf, name);
    }
    case "review_interval": {
      const monthsUnder = resolve(rule.monthsUnder, 6);
      const monthsFrom = resolve(rule.monthsFrom, 12);
      const boundary = rule.ageBoundary ?? 5;
      return (
        firstInvalid(dates, name) ??
        reviewInterval(d(rule.dateOfBirth), d(rule.previous), d(rule.current), boundary, monthsUnder, monthsFrom, asOf, name)
      );
    }
    case "before_birthday":
      return firstInvalid(dates, name) ?? beforeBirthday(d(rule.dateOfBirth), d(rule.event), rule.age, asOf, name);
    case "gestation_window": {
      const fromWeeks = rule.fromWeeks === undefined ? undefined : resolve(rule.fromWeeks, 0);
      const beforeWeeks = rule.beforeWeeks === undefined ? undefined : resolve(rule.beforeWeeks, 0);
      return firstInvalid(dates, name) ?? gestationWindow(d(rule.dueDate), d(rule.event), fromWeeks, beforeWeeks, asOf, name);
    }
    case "age_window":
      return firstInvalid(dates, name) ?? ageWindow(d(rule.dateOfBirth), d(rule.event), rule.from, rule.to, asOf, name);
  }
}

function firstInvalid(dates: FieldDate[], name: Namer): Outcome | null {
  const invalid = dates.find((x) => x.state === "invalid");
  return invalid ? { undetermined: `${name(invalid.field)} is not a real date (“${invalid.raw}”): correct it to work this out.` } : null;
}

function enter(field: FieldDate, name: Namer): Outcome {
  return { undetermined: `Enter ${name(field.field)} to work this out.` };
}

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

/** Working days between two dates, or null when either is outside the supported years. */
function workingDaysOrNull(start: string, end: string): number | null {
  try {
    return Math.max(0, workingDaysBetween(start, end));
  } catch (error) {
    if (error instanceof WorkingDaysRangeError) return null;
    throw error;
  }
}

/**
 * The completing event has not happened: not met and overdue once `asOf` is after the
 * due date. Before then it is not yet decidable (null), or, for rules about a stage of life
 * the child has not reached (`notDueYet` "na"), not applicable at the time of the audit.
 */
function notDone(due: string, dueText: string, event: FieldDate, asOf: string, elapsed: number | null, name: Namer, notDueYet: "na" | null = null): Outcome {
  if (compareIso(asOf, due) > 0) {
    return {
      answer: "not_met",
      summary: `Not done and now overdue (${dueText}); no ${name(event.field)} date entered.`,
      dueDate: due,
      workingDaysElapsed: elapsed,
      overdue: true,
    };
  }
  return {
    answer: notDueYet,
    summary:
      notDueYet === "na"
        ? `Not applicable yet: not due at the time of the audit (${dueText}). Enter ${name(event.field)} if it has happened.`
        : `Not done yet and not yet due (${dueText}); enter ${name(event.field)} when it happens.`,
    dueDate: due,
    workingDaysElapsed: elapsed,
    overdue: false,
  };
}

/** Met when `to` is no later than the `days`-th working day after `from`. */
function withinWorkingDays(from: FieldDate, to: FieldDate, days: number, asOf: string, name: Namer): Outcome {
  if (!from.date) return enter(from, name);
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
  // Working days to asOf: throws (→ undetermined) when asOf is outside the supported years.
  return notDone(due, dueText, to, asOf, sinceStart(from.date, asOf), name);
}

/** Met when `to` is no more than `days` calendar days after `from` (0 = the same day). */
function withinCalendarDays(from: FieldDate, to: FieldDate, days: number, asOf: string, name: Namer): Outcome {
  if (!from.date) return enter(from, name);
  const contradiction = outOfOrder(to, from, name);
  if (contradiction) return contradiction;

  const due = addDays(from.date, days);
  const dueText =
    days === 0
      ? `due the same day, ${formatDate(due)}`
      : `due by ${formatDate(due)}, ${count(days, "calendar day")} after ${formatDate(from.date)}`;
  if (to.date) {
    const taken = daysBetween(from.date, to.date);
    const onTime = compareIso(to.date, due) <= 0;
    const when = taken === 0 ? `the same day as ${name(from.field)}` : `${count(taken, "calendar day")} after ${formatDate(from.date)}`;
    return {
      answer: onTime ? "met" : "not_met",
      summary: `Done on ${formatDate(to.date)}, ${when} (${dueText}): ${onTime ? "on time" : "late"}.`,
      dueDate: due,
      workingDaysElapsed: workingDaysOrNull(from.date, to.date),
      overdue: false,
    };
  }
  return notDone(due, dueText, to, asOf, workingDaysOrNull(from.date, asOf), name);
}

/** Met when `to` is no later than `from` plus `months` calendar months (clamped to month end). */
function withinMonths(from: FieldDate, to: FieldDate, months: number, asOf: string, name: Namer): Outcome {
  if (!from.date) return enter(from, name);
  const contradiction = outOfOrder(to, from, name);
  if (contradiction) return contradiction;

  const due = addMonthsClamped(from.date, months);
  const dueText = `due by ${formatDate(due)}, ${count(months, "month")} after ${formatDate(from.date)}`;
  if (to.date) {
    const onTime = compareIso(to.date, due) <= 0;
    return {
      answer: onTime ? "met" : "not_met",
      summary: `Done on ${formatDate(to.date)} (${dueText}): ${onTime ? "on time" : "late"}.`,
      dueDate: due,
      workingDaysElapsed: null,
      overdue: false,
    };
  }
  return notDone(due, dueText, to, asOf, null, name);
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
  if (!lookedAfter.date) return enter(lookedAfter, name);
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

/**
 * Review health assessment: due `monthsUnder` months after the previous assessment when
 * the child was under `boundary` on that date, else `monthsFrom` months after it.
 */
function reviewInterval(
  dateOfBirth: FieldDate,
  previous: FieldDate,
  current: FieldDate,
  boundary: number,
  monthsUnder: number,
  monthsFrom: number,
  asOf: string,
  name: Namer,
): Outcome {
  if (!dateOfBirth.date) return enter(dateOfBirth, name);
  if (!previous.date) return enter(previous, name);
  const contradiction = outOfOrder(previous, dateOfBirth, name) ?? outOfOrder(current, previous, name);
  if (contradiction) return contradiction;

  const age = ageInYearsOn(dateOfBirth.date, previous.date);
  const under = age < boundary;
  const months = under ? monthsUnder : monthsFrom;
  const due = addMonthsClamped(previous.date, months);
  const ageText = `${under ? `under ${boundary}` : `${boundary} or over`} (aged ${age})`;
  const why = `the child was ${ageText} on ${formatDate(previous.date)}, so due within ${count(months, "month")}, by ${formatDate(due)}`;
  if (current.date) {
    const onTime = compareIso(current.date, due) <= 0;
    return {
      answer: onTime ? "met" : "not_met",
      summary: `Done on ${formatDate(current.date)}, ${onTime ? "on time" : "late"}: ${why}.`,
      dueDate: due,
      workingDaysElapsed: null,
      overdue: false,
    };
  }
  if (compareIso(asOf, due) > 0) {
    return {
      answer: "not_met",
      summary: `Not done and now overdue: ${why}; no ${name(current.field)} date entered.`,
      dueDate: due,
      workingDaysElapsed: null,
      overdue: true,
    };
  }
  return {
    answer: null,
    summary: `Not done yet and not yet due: ${why}; enter ${name(current.field)} when it happens.`,
    dueDate: due,
    workingDaysElapsed: null,
    overdue: false,
  };
}

/**
 * Met when `event` is before the `age`th birthday. A 29 February birthday falls on
 * 28 February in other years (the convention of ageInYearsOn and addMonthsClamped).
 */
function beforeBirthday(dateOfBirth: FieldDate, event: FieldDate, age: number, asOf: string, name: Namer): Outcome {
  if (!dateOfBirth.date) return enter(dateOfBirth, name);
  const contradiction = outOfOrder(event, dateOfBirth, name);
  if (contradiction) return contradiction;

  const birthday = addMonthsClamped(dateOfBirth.date, 12 * age);
  const due = addDays(birthday, -1);
  const birthdayText = `the ${ordinal(age)} birthday on ${formatDate(birthday)}`;
  const dueText = `due by ${formatDate(due)}, before ${birthdayText}`;
  if (event.date) {
    const onTime = compareIso(event.date, birthday) < 0;
    return {
      answer: onTime ? "met" : "not_met",
      summary: onTime
        ? `Done on ${formatDate(event.date)}, before ${birthdayText}: on time.`
        : `Done on ${formatDate(event.date)}, not before ${birthdayText}: late.`,
      dueDate: due,
      workingDaysElapsed: null,
      overdue: false,
    };
  }
  return notDone(due, dueText, event, asOf, null, name, "na");
}

/**
 * Gestation at `event` counted from the estimated date of delivery (EDD = 40+0 weeks,
 * so day 0 is 280 days before it): met when at least `fromWeeks`+0 and before
 * `beforeWeeks`+0 weeks (either bound may be absent).
 */
function gestationWindow(
  edd: FieldDate,
  event: FieldDate,
  fromWeeks: number | undefined,
  beforeWeeks: number | undefined,
  asOf: string,
  name: Namer,
): Outcome {
  if (!edd.date) return enter(edd, name);
  const pregnancyStart = addDays(edd.date, -280);
  const windowStart = fromWeeks === undefined ? null : addDays(pregnancyStart, fromWeeks * 7);
  const due = beforeWeeks === undefined ? null : addDays(pregnancyStart, beforeWeeks * 7 - 1);
  const fromText = windowStart ? `from ${gestationText(fromWeeks! * 7)}, ${formatDate(windowStart)}` : null;
  const beforeText = due ? `before ${gestationText(beforeWeeks! * 7)}, by ${formatDate(due)}` : null;
  const windowText =
    fromText && beforeText
      ? `due ${fromText}, and ${beforeText}`
      : fromText || beforeText
        ? `due ${fromText ?? beforeText}`
        : "no timescale set";

  if (event.date) {
    const gestation = 280 - daysBetween(event.date, edd.date);
    if (gestation < 0) {
      return {
        undetermined:
          `${name(event.field)} (${formatDate(event.date)}) is before the pregnancy began, 40 weeks before ` +
          `${name(edd.field)} (${formatDate(edd.date)}): check the dates to work this out.`,
      };
    }
    const tooEarly = fromWeeks !== undefined && gestation < fromWeeks * 7;
    const tooLate = beforeWeeks !== undefined && gestation >= beforeWeeks * 7;
    const verdict = tooEarly ? "too early" : tooLate ? "late" : "on time";
    return {
      answer: tooEarly || tooLate ? "not_met" : "met",
      summary: `Done on ${formatDate(event.date)} at ${gestationText(gestation)} of pregnancy (${windowText}): ${verdict}.`,
      dueDate: due,
      workingDaysElapsed: null,
      overdue: false,
    };
  }
  if (due) return notDone(due, windowText, event, asOf, null, name);
  return {
    answer: null,
    summary: `Not done yet (${windowText}); enter ${name(event.field)} when it happens.`,
    dueDate: null,
    workingDaysElapsed: null,
    overdue: false,
  };
}

/** Met when `event` falls in the age window [dob + from, dob + to], inclusive. */
function ageWindow(dateOfBirth: FieldDate, event: FieldDate, from: Offset, to: Offset, asOf: string, name: Namer): Outcome {
  if (!dateOfBirth.date) return enter(dateOfBirth, name);
  const contradiction = outOfOrder(event, dateOfBirth, name);
  if (contradiction) return contradiction;

  const start = addOffset(dateOfBirth.date, from);
  const end = addOffset(dateOfBirth.date, to);
  const fromIsBirth = Object.values(from)[0] === 0;
  const windowText = fromIsBirth
    ? `due by ${offsetText(to)} old, ${formatDate(end)}`
    : `due between ${offsetText(from)} and ${offsetText(to)} old, ${formatDate(start)} to ${formatDate(end)}`;
  if (event.date) {
    const tooEarly = compareIso(event.date, start) < 0;
    const tooLate = compareIso(event.date, end) > 0;
    return {
      answer: tooEarly || tooLate ? "not_met" : "met",
      summary: `Done on ${formatDate(event.date)} (${windowText}): ${tooEarly ? "too early" : tooLate ? "late" : "on time"}.`,
      dueDate: end,
      workingDaysElapsed: null,
      overdue: false,
    };
  }
  return notDone(end, windowText, event, asOf, null, name, "na");
}

/** Working days from the start event to `asOf`; 0 if `asOf` is (oddly) before the event. */
function sinceStart(start: string, asOf: string): number {
  return Math.max(0, workingDaysBetween(start, asOf));
}

function amountText(amount: Amount | undefined, fallback: number, settings: SettingValues, unit: string): string {
  const value = amount === undefined ? fallback : resolveAmount(amount, settings);
  return `${count(value, unit)}${typeof amount === "object" ? " (a local setting)" : ""}`;
}

/**
 * One sentence saying what a rule checks, for the template library, with local settings
 * at their values in `settings` (or their defaults), for example
 * "Due within 20 working days of “Date the child became looked after”."
 */
export function describeRule(rule: Rule, labels: Labels = {}, settings: SettingValues = {}): string {
  const name: Namer = (field) => `“${labels[field] ?? field}”`;
  switch (rule.type) {
    case "within_working_days":
      return `Due within ${amountText(rule.days, 0, settings, "working day")} of ${name(rule.from)}.`;
    case "within_calendar_days": {
      const days = resolveAmount(rule.days, settings);
      return days === 0 && typeof rule.days === "number"
        ? `Due on the same day as ${name(rule.from)}.`
        : `Due within ${amountText(rule.days, 0, settings, "calendar day")} of ${name(rule.from)}.`;
    }
    case "within_months":
      return `Due within ${amountText(rule.months, 0, settings, "month")} of ${name(rule.from)}.`;
    case "iha_timeliness":
      return (
        `Met when the child is seen and the report sent within ${amountText(rule.days, 20, settings, "working day")} ` +
        `of ${name(rule.lookedAfter)}; partially met when seen in time but the report is late.`
      );
    case "review_interval": {
      const boundary = rule.ageBoundary ?? 5;
      return (
        `Due within ${amountText(rule.monthsUnder, 6, settings, "month")} of ${name(rule.previous)} if the child was under ` +
        `${boundary} on that date, otherwise within ${amountText(rule.monthsFrom, 12, settings, "month")}.`
      );
    }
    case "before_birthday":
      return `Due before the ${ordinal(rule.age)} birthday, from ${name(rule.dateOfBirth)}.`;
    case "gestation_window": {
      const weeks = (amount: Amount | undefined) => {
        const value = gestationText(resolveAmount(amount!, settings) * 7);
        return typeof amount === "object" ? `${value} (a local setting)` : value;
      };
      const bounds = [
        rule.fromWeeks === undefined ? null : `from ${weeks(rule.fromWeeks)}`,
        rule.beforeWeeks === undefined ? null : `before ${weeks(rule.beforeWeeks)}`,
      ].filter((x): x is string => x !== null);
      return bounds.length > 0
        ? `Due ${bounds.join(" and ")} of pregnancy, counted from ${name(rule.dueDate)}.`
        : `Records the gestation at ${name(rule.event)}, counted from ${name(rule.dueDate)}.`;
    }
    case "age_window":
      return Object.values(rule.from)[0] === 0
        ? `Due by ${offsetText(rule.to)} old, from ${name(rule.dateOfBirth)}.`
        : `Due between ${offsetText(rule.from)} and ${offsetText(rule.to)} old, from ${name(rule.dateOfBirth)}.`;
  }
}
