/**
 * Calendar-date helpers. Every date in the app is an ISO `YYYY-MM-DD` string.
 *
 * Arithmetic is done on whole day numbers (days since 1970-01-01) computed with
 * integer maths, never on local `Date` objects, so time zones and British Summer
 * Time can never move a date by a day. Only `todayInLondon` looks at a clock.
 */

export type IsoParts = { y: number; m: number; d: number };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** The parts of a real calendar date in `YYYY-MM-DD` form, or null (so 2025-02-31 is null). */
export function parseIsoDate(s: string): IsoParts | null {
  const match = typeof s === "string" ? ISO_DATE.exec(s) : null;
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

/** Like `parseIsoDate`, but throws a TypeError naming the value when it is not a real date. */
export function requireIsoDate(s: string): IsoParts {
  const parts = parseIsoDate(s);
  if (!parts) throw new TypeError(`"${String(s)}" is not a real date in YYYY-MM-DD form`);
  return parts;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function toIso({ y, m, d }: IsoParts): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/**
 * The ISO date from the three fields of a GOV.UK date input, or null when they do not
 * make a real date. Day and month take 1 or 2 digits ("1" or "01"); the year must have
 * 4 digits; surrounding spaces are ignored.
 */
export function isoFromParts(day: string | number, month: string | number, year: string | number): string | null {
  const [d, m, y] = [day, month, year].map((v) => String(v).trim());
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return null;
  const iso = toIso({ y: Number(y), m: Number(m), d: Number(d) });
  return parseIsoDate(iso) ? iso : null;
}

/*
 * Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar, using Howard
 * Hinnant's integer "days from civil" algorithm (no Date, so no two-digit-year quirks).
 */
function toDayNumber({ y, m, d }: IsoParts): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(n: number): IsoParts {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function requireInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number, not ${n}`);
}

/** The date `n` calendar days after `iso` (before it when `n` is negative). */
export function addDays(iso: string, n: number): string {
  requireInteger(n, "The number of days");
  return toIso(fromDayNumber(toDayNumber(requireIsoDate(iso)) + n));
}

/** -1, 0 or 1 as `a` is before, the same as, or after `b`. */
/** Calendar days from `a` to `b` (negative when `b` is earlier), both real YYYY-MM-DD dates. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(requireIsoDate(b)) - toDayNumber(requireIsoDate(a));
}

export function compareIso(a: string, b: string): -1 | 0 | 1 {
  const diff = toDayNumber(requireIsoDate(a)) - toDayNumber(requireIsoDate(b));
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(iso: string): number {
  // 1970-01-01 (day number 0) was a Thursday (4).
  const n = toDayNumber(requireIsoDate(iso)) + 4;
  return ((n % 7) + 7) % 7;
}

/**
 * The same day of the month `months` calendar months later (earlier when negative),
 * clamped to the end of a shorter month: 2025-08-31 + 6 → 2026-02-28,
 * 2024-02-29 + 12 → 2025-02-28 (domain rule 5).
 */
export function addMonthsClamped(iso: string, months: number): string {
  requireInteger(months, "The number of months");
  const { y, m, d } = requireIsoDate(iso);
  const monthIndex = y * 12 + (m - 1) + months;
  const ny = Math.floor(monthIndex / 12);
  const nm = monthIndex - ny * 12 + 1;
  return toIso({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

const londonDate = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date in England at the instant `now` (so 23:30 UTC in summer is already tomorrow). */
export function todayInLondon(now: Date = new Date()): string {
  const parts = Object.fromEntries(londonDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** GOV.UK style long date: "1 December 2025". */
export function formatDate(iso: string): string {
  const { y, m, d } = requireIsoDate(iso);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** GOV.UK style short date for tables: "1 Dec 2025" ("Sept" is not used). */
export function formatDateShort(iso: string): string {
  const { y, m, d } = requireIsoDate(iso);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/**
 * Age in completed years on `onDate`. Someone born on 29 February has their birthday
 * on 28 February in years that are not leap years. Throws a RangeError when `onDate`
 * is before the date of birth, so a data-entry slip cannot become a silent wrong age.
 */
export function ageInYearsOn(dateOfBirth: string, onDate: string): number {
  const born = requireIsoDate(dateOfBirth);
  const on = requireIsoDate(onDate);
  if (compareIso(onDate, dateOfBirth) < 0) {
    throw new RangeError(`${onDate} is before the date of birth ${dateOfBirth}`);
  }
  const birthdayDay = born.m === 2 && born.d === 29 && !isLeapYear(on.y) ? 28 : born.d;
  const birthdayNotYetReached = on.m < born.m || (on.m === born.m && on.d < birthdayDay);
  return on.y - born.y - (birthdayNotYetReached ? 1 : 0);
}

const londonDateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});

/**
 * A UTC ISO timestamp as UK local time, GOV.UK style: "1 December 2025 at 2:05pm".
 * Done on the server so the page reads the same with or without JavaScript.
 */
export function formatDateTimeLondon(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(londonDateTime.formatToParts(date).map((x) => [x.type, x.value]));
  const hour = Number(p.hour) || 12;
  const minute = p.minute ?? "00";
  const ampm = (p.dayPeriod ?? "").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  const time = minute === "00" && hour === 12 ? (ampm === "am" ? "midnight" : "midday") : `${hour}:${minute}${ampm}`;
  return `${p.day} ${p.month} ${p.year} at ${time}`;
}
