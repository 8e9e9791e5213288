/**
 * Making cells safe for spreadsheets (CSV and Excel exports). A cell whose text starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return could be run as a formula (or DDE command) when
 * the file is opened in Excel, so it gets a leading apostrophe and is read as plain text.
 *
 * Numbers the app itself worked out (counts, numerators, denominators, percentages) are kept as
 * numbers by `safeCell`: a number cell can never be a formula. Anything typed by a user is text
 * and is neutralised, even when it looks like a number ("-5" becomes "'-5").
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) gets a leading quote. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CellValue = string | number | null | undefined;

/**
 * A cell for an Excel sheet: finite numbers stay numeric; text is neutralised; null, undefined
 * and non-finite numbers become an empty cell ("").
 */
export function safeCell(value: CellValue): string | number {
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (value === null || value === undefined) return "";
  return neutraliseCell(value);
}

/** A cell for a CSV file: always text; numbers written as their plain decimal text, text neutralised. */
export function csvCell(value: CellValue): string {
  const v = safeCell(value);
  return typeof v === "number" ? String(v) : v;
}
