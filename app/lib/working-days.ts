/**
 * Working days in England and Wales (domain.md §5 and rules 40–42).
 *
 * A working day is Monday to Friday and not a bank holiday. "Within N working days of
 * an event" means on or before the Nth working day after the event; the event date is
 * day 0 whether or not it is itself a working day.
 *
 * Bank holidays come from the `date-holidays` package (GB, England; Wales has the same
 * list), corrected by the proclaimed one-off changes it lacks (see PROCLAIMED_CHANGES).
 * Only years WORKING_DAYS_MIN_YEAR to WORKING_DAYS_MAX_YEAR are supported: any date
 * outside throws a WorkingDaysRangeError rather than silently assuming no bank holidays.
 */
import Holidays from "date-holidays";
import { addDays, compareIso, dayOfWeek, requireIsoDate } from "~/lib/dates";

export const WORKING_DAYS_MIN_YEAR = 2000;
export const WORKING_DAYS_MAX_YEAR = 2035;

export class WorkingDaysRangeError extends RangeError {
  constructor(readonly date: string) {
    super(
      `${date} is outside the years working days can be counted for ` +
        `(${WORKING_DAYS_MIN_YEAR}-01-01 to ${WORKING_DAYS_MAX_YEAR}-12-31)`,
    );
    this.name = "WorkingDaysRangeError";
  }
}

/**
 * One-off bank holiday changes made by Royal Proclamation (Banking and Financial
 * Dealings Act 1971, s1(2) and (3)) that date-holidays 3.37.0 gets wrong for England and
 * Wales. Only these three years are affected within the supported range; every other
 * one-off day (2020-05-08, 2022-06-02, 2022-06-03, 2022-09-19, 2023-05-08) is in the
 * package and checked by tests/unit/working-days.test.ts. Regular rules are never
 * written here.
 *
 * Sources: the proclamations as announced (2002 Golden Jubilee; 2011 Royal Wedding,
 * announced by the Prime Minister on 23 November 2010; 2012 Diamond Jubilee, announced
 * by the Lord President of the Council in January 2010), cross-checked against the
 * workalendar project's UnitedKingdom calendar tests (years 2002, 2011 and 2012).
 */
const PROCLAIMED_CHANGES: { add: string[]; remove: string[] }[] = [
  // Golden Jubilee: extra bank holiday on 3 June, Spring bank holiday moved from 27 May to 4 June 2002
  {
    add: ["2002-06-03", "2002-06-04"],
    remove: ["2002-05-27"],
  },
  // Wedding of Prince William and Catherine Middleton, 29 April 2011
  {
    add: ["2011-04-29"],
    remove: [],
  },
  // Diamond Jubilee: Spring bank holiday moved from 28 May to 4 June, extra bank holiday on 5 June 2012
  {
    add: ["2012-06-04"], // 5 June is already in date-holidays
    remove: ["2012-05-28"],
  },
];

let calendar: Holidays | undefined;
const cache = new Map<number, string[]>();

function requireSupportedYear(y: number, iso: string): void {
  if (y < WORKING_DAYS_MIN_YEAR || y > WORKING_DAYS_MAX_YEAR) throw new WorkingDaysRangeError(iso);
}

function isWeekend(iso: string): boolean {
  const dow = dayOfWeek(iso);
  return dow === 0 || dow === 6;
}

/**
 * The England and Wales bank holidays of `year`, sorted, as gov.uk lists them: the
 * weekdays that are days off. A holiday falling at a weekend (Boxing Day on Saturday
 * 26 December 2026) is represented by its substitute weekday (Monday 28 December).
 */
export function bankHolidaysIn(year: number): string[] {
  if (!Number.isInteger(year)) throw new TypeError(`${year} is not a year`);
  requireSupportedYear(year, String(year));
  return [...holidaysOf(year)];
}

/** The cached, sorted bank holidays of a supported year (callers must not modify it). */
function holidaysOf(year: number): string[] {
  let days = cache.get(year);
  if (!days) {
    calendar ??= new Holidays("GB", "ENG");
    // `h.date` is the local calendar date ("2026-04-03 00:00:00"); `h.start` is a UTC
    // instant that falls on the previous day during British Summer Time.
    const set = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    for (const change of PROCLAIMED_CHANGES) {
      for (const d of change.remove) if (d.startsWith(`${year}-`)) set.delete(d);
      for (const d of change.add) if (d.startsWith(`${year}-`)) set.add(d);
    }
    days = [...set].filter((d) => !isWeekend(d)).sort();
    cache.set(year, days);
  }
  return days;
}

/** Throws a TypeError for a non-date and a WorkingDaysRangeError outside the supported years. */
function requireSupportedDate(iso: string): void {
  requireSupportedYear(requireIsoDate(iso).y, iso);
}

/** True when `iso` is an England and Wales bank holiday (a weekday day off, see bankHolidaysIn). */
export function isBankHoliday(iso: string): boolean {
  requireSupportedDate(iso);
  return holidaysOf(Number(iso.slice(0, 4))).includes(iso);
}

/** Monday to Friday and not a bank holiday. */
export function isWorkingDay(iso: string): boolean {
  requireSupportedDate(iso);
  return !isWeekend(iso) && !isBankHoliday(iso);
}

/**
 * The `days`-th working day after `date` (the event date is day 0, working day or not);
 * `days` = 0 gives `date` itself. Example: 2025-12-01 + 20 → 2025-12-31.
 */
export function addWorkingDays(date: string, days: number): string {
  requireSupportedDate(date);
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`The number of working days must be a whole number of 0 or more, not ${days}`);
  }
  let current = date;
  for (let counted = 0; counted < days; ) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) counted += 1;
  }
  return current;
}

/**
 * The number of working days after `start` up to and including `end`, so that
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `end` is before
 * `start`; 0 when they are the same date.
 */
export function workingDaysBetween(start: string, end: string): number {
  requireSupportedDate(start);
  requireSupportedDate(end);
  if (compareIso(start, end) > 0) return -workingDaysBetween(end, start);
  let count = 0;
  for (let d = start; d !== end; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) count += 1;
  }
  return count;
}
