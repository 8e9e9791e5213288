/**
 * Reading an uploaded case list (CSV or Excel .xlsx) into rows of text, plus the checks the
 * import needs on its columns: UK dates, and whether a column seems to hold NHS numbers or
 * names (which must not be stored as case references).
 *
 * Pure: no Node-only imports. Excel files are read with exceljs, loaded lazily with a dynamic
 * import inside `parseCaseList` so the library never reaches a browser bundle unless an
 * .xlsx file is actually parsed there. That is why `parseCaseList` is async; CSV alone can
 * be parsed synchronously with `parseCsvCaseList`.
 *
 * CSV is read by the small RFC 4180 reader below rather than csv-parse: csv-parse 7's
 * `info.lines` counts a CRLF inside a quoted value as two lines and reports an unclosed quote
 * at the end of the file, and every message here must name the physical line to fix.
 */
import { isoFromParts, parseIsoDate } from "./dates";
import { isValidNhsNumber } from "./nhs-number";

/** 20 MB: the largest file accepted unless the caller sets `maxBytes`. */
export const MAX_CASE_LIST_BYTES = 20 * 1024 * 1024;
/** An .xlsx whose parts would unpack to more than this is refused before it is unpacked. */
export const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;

export const CASE_LIST_MESSAGES = {
  wrongType: "The selected file must be a CSV or Excel (.xlsx) file",
  empty: "The selected file is empty",
  noRows: "The selected file has a header row but no cases",
  unreadableXlsx: "The selected file could not be read as an Excel file. Check it opens in Excel, or save it as a CSV file",
  protectedXlsx:
    "The selected file is password protected or in an old Excel format. Save it as an Excel (.xlsx) file without a password, or as a CSV file",
  xlsxTooBig: "The selected file is too large to read once unpacked. Save it as a CSV file, or split it into smaller files",
} as const;

export type CaseListType = "csv" | "xlsx";

export type CaseListRow = {
  /** CSV: the physical line where the record starts (header = line 1 when it is the first line). XLSX: the row number. */
  line: number;
  /** Heading (as written in the file, trimmed) → value (trimmed; "" when blank). */
  values: Record<string, string>;
};

export type CaseListResult =
  | { ok: true; type: CaseListType; headers: string[]; rows: CaseListRow[] }
  | { ok: false; message: string };

export type ParseCaseListOptions = {
  /** Refuse files larger than this (default 20 MB). */
  maxBytes?: number;
  /** Refuse .xlsx files whose parts declare more than this when unpacked (default 200 MB). */
  maxUnpackedBytes?: number;
};

/**
 * The form of a heading used for matching: trimmed, lower-case, and runs of spaces,
 * underscores and hyphens collapsed to one space. "Case_Ref", " case-ref " and
 * "CASE  REF" all become "case ref".
 */
export function normaliseHeader(heading: string): string {
  return heading.trim().toLowerCase().replace(/[\s_-]+/g, " ").trim();
}

/** The first of `headers` whose normalised form matches one of `candidates` (also normalised), if any. */
export function findHeader(headers: string[], candidates: string[]): string | undefined {
  const wanted = new Set(candidates.map(normaliseHeader));
  return headers.find((h) => wanted.has(normaliseHeader(h)));
}

/** "20 MB", "512 KB" or "100 bytes" (binary multiples, as file managers show them). */
export function formatFileSize(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // "PK\x03\x04"
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // old .xls, or an encrypted .xlsx
const BINARY_MAGIC = [
  ZIP,
  OLE,
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
];

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

function looksBinary(bytes: Uint8Array): boolean {
  if (BINARY_MAGIC.some((m) => startsWith(bytes, m))) return true;
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * The kind of file, from its name and its first bytes, or null when it is neither:
 * - "xlsx": named .xlsx and starting with the ZIP signature "PK\x03\x04";
 * - "csv": named .csv and not binary (no known binary signature, no NUL byte in the first 8 KB).
 * A file whose name and content disagree (a renamed PNG, a ZIP called .csv) is null.
 */
export function detectCaseListType(name: string, bytes: Uint8Array): CaseListType | null {
  const ext = extensionOf(name);
  if (ext === "xlsx") return startsWith(bytes, ZIP) ? "xlsx" : null;
  if (ext === "csv") return looksBinary(bytes) ? null : "csv";
  return null;
}

// Windows-1252 0x80–0x9F (WHATWG table; the five unused bytes map to the same code point).
// Decoded by hand because Node 20's TextDecoder("windows-1252") decodes these as ISO-8859-1.
const CP1252_HIGH = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const slice = bytes.subarray(i, i + 8192);
    chunks.push(String.fromCharCode(...Array.from(slice, (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH.charCodeAt(b - 0x80) : b))));
  }
  return chunks.join("");
}

function decodeText(bytes: Uint8Array): string {
  // UTF-8 (a BOM is dropped). Bytes that are not valid UTF-8 almost always mean Excel's
  // "CSV (Comma delimited)" on Windows, which writes Windows-1252.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

type RawRecord = { line: number; cells: string[] };
type Failure = { ok: false; message: string };

const quoteHelp = 'If a value contains a comma, a line break or a quotation mark, put the whole value in quotation marks and write each quotation mark inside it twice ("")';

/**
 * RFC 4180 records with the physical line each starts on. Accepts CRLF, LF or CR line ends;
 * spaces around a quoted value are ignored; a quotation mark inside an unquoted value is
 * kept as it is. Records whose values are all blank (empty lines, ",,,") are skipped.
 * Refuses an unclosed quoted value (naming the line where it opens) and text after a closing
 * quotation mark (naming that line).
 */
function readCsvRecords(text: string): { ok: true; records: RawRecord[] } | Failure {
  const records: RawRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  const isBreak = (c: string) => c === "\n" || c === "\r";
  const skipBreak = () => {
    if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    else i += 1;
    line += 1;
  };
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let j = i;
      while (j < n && (text[j] === " " || text[j] === "\t")) j++;
      if (j < n && text[j] === '"') {
        const openLine = line;
        const parts: string[] = [];
        let k = j + 1;
        let from = k;
        for (;;) {
          if (k >= n) {
            return { ok: false, message: `Line ${openLine} has a value that starts with a quotation mark (") but is never closed. ${quoteHelp}` };
          }
          const c = text[k];
          if (c === '"') {
            parts.push(text.slice(from, k));
            if (text[k + 1] === '"') {
              parts.push('"');
              k += 2;
              from = k;
              continue;
            }
            k += 1;
            break;
          }
          if (c === "\r" || c === "\n") {
            parts.push(text.slice(from, k), "\n");
            k += c === "\r" && text[k + 1] === "\n" ? 2 : 1;
            line += 1;
            from = k;
            continue;
          }
          k += 1;
        }
        while (k < n && (text[k] === " " || text[k] === "\t")) k++;
        if (k < n && text[k] !== "," && !isBreak(text[k])) {
          return { ok: false, message: `Line ${line} has text after a closing quotation mark ("). ${quoteHelp}` };
        }
        cells.push(parts.join("").trim());
        i = k;
      } else {
        let k = i;
        while (k < n && text[k] !== "," && !isBreak(text[k])) k++;
        cells.push(text.slice(i, k).trim());
        i = k;
      }
      if (i < n && text[i] === ",") {
        i += 1;
        continue;
      }
      if (i < n) skipBreak();
      break;
    }
    if (cells.some((c) => c !== "")) records.push({ line: startLine, cells });
  }
  return { ok: true, records };
}

function columnLetter(index: number): string {
  let s = "";
  for (let c = index + 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

function listNumbers(ns: number[], limit = 5): string {
  const shown = ns.slice(0, limit).map(String);
  if (ns.length > limit) return `${shown.join(", ")} and ${ns.length - limit} more`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/**
 * Turns records (header first) into headings and rows, shared by CSV and XLSX.
 * - The header is the first record. Headings must be different after `normaliseHeader`.
 * - A column with a blank heading is dropped when it is blank in every row, refused otherwise.
 * - CSV: a record must have as many values as there are headings (up to the last non-blank
 *   heading); extra values are allowed only when blank (a trailing comma). Every such line is
 *   reported in one message.
 */
function buildTable(records: RawRecord[], type: CaseListType): CaseListResult {
  if (records.length === 0) return { ok: false, message: CASE_LIST_MESSAGES.empty };
  const [header, ...data] = records;
  const where = type === "csv" ? "Line" : "Row";
  const columnId = (i: number) => (type === "csv" ? String(i + 1) : columnLetter(i));

  let width = header.cells.length;
  while (width > 0 && header.cells[width - 1] === "") width--;

  if (type === "csv") {
    const bad = data.filter((r) => r.cells.length < width || r.cells.slice(width).some((c) => c !== ""));
    if (bad.length > 0) {
      const first = bad[0];
      let message = `${where} ${first.line} has ${first.cells.length} ${first.cells.length === 1 ? "value" : "values"} but the header has ${width}`;
      if (bad.length > 1) {
        const others = bad.slice(1).map((r) => r.line);
        message += `. ${others.length === 1 ? "Line" : "Lines"} ${listNumbers(others)} also ${others.length === 1 ? "has" : "have"} the wrong number of values`;
      }
      return { ok: false, message };
    }
  } else {
    for (const r of data) {
      const extra = r.cells.findIndex((c, i) => i >= width && c !== "");
      if (extra >= 0) return { ok: false, message: `Column ${columnId(extra)} has no heading but row ${r.line} has a value in it. Add a heading in the first row, or delete the column` };
    }
  }

  const keep: number[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < width; i++) {
    const heading = header.cells[i];
    if (heading === "") {
      const used = data.find((r) => (r.cells[i] ?? "") !== "");
      if (used) return { ok: false, message: `Column ${columnId(i)} has no heading but ${where.toLowerCase()} ${used.line} has a value in it. Add a heading in the first row, or delete the column` };
      continue;
    }
    const key = normaliseHeader(heading);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      return {
        ok: false,
        message: `Column ${columnId(earlier)} and column ${columnId(i)} have the same heading ("${heading}"). Each column must have a different heading`,
      };
    }
    seen.set(key, i);
    keep.push(i);
  }
  if (data.length === 0) return { ok: false, message: CASE_LIST_MESSAGES.noRows };

  const headers = keep.map((i) => header.cells[i]);
  const rows = data.map((r) => ({
    line: r.line,
    values: Object.fromEntries(keep.map((i) => [header.cells[i], r.cells[i] ?? ""])),
  }));
  return { ok: true, type, headers, rows };
}

/** Reads CSV bytes (UTF-8 with or without BOM, falling back to Windows-1252; CRLF, LF or CR). */
export function parseCsvCaseList(bytes: Uint8Array): CaseListResult {
  const read = readCsvRecords(decodeText(bytes));
  if (!read.ok) return read;
  return buildTable(read.records, "csv");
}

/**
 * The total unpacked size the parts of a ZIP file declare in its central directory, or null
 * when there is no readable central directory. ZIP64 archives count as Infinity (far too big
 * for a case list anyway). This stops an honest but huge workbook, or a crude zip bomb,
 * before exceljs unpacks everything into memory.
 */
function zipDeclaredSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - 22 - 65535);
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const entries = view.getUint16(i + 10, true);
    const directory = view.getUint32(i + 16, true);
    if (entries === 0xffff || directory === 0xffffffff) return Infinity;
    let p = directory;
    let total = 0;
    for (let e = 0; e < entries; e++) {
      if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return null;
      const size = view.getUint32(p + 24, true);
      if (size === 0xffffffff) return Infinity;
      total += size;
      p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    return total;
  }
  return null;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * A cell value from exceljs as text.
 * - Dates: exceljs turns Excel's date serial numbers into Date objects at UTC midnight, so
 *   the UTC parts are the date the user sees: "yyyy-mm-dd" ("yyyy-mm-dd hh:mm" if a time is set).
 * - Numbers: up to 15 significant digits, as Excel shows them (0.1 + 0.2 → "0.3").
 * - Formulas: their cached result. Rich text and hyperlinks: their text. Errors: "#N/A" etc.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "";
    const date = `${String(value.getUTCFullYear()).padStart(4, "0")}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
    const h = value.getUTCHours();
    const m = value.getUTCMinutes();
    return h === 0 && m === 0 && value.getUTCSeconds() === 0 ? date : `${date} ${pad2(h)}:${pad2(m)}`;
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((r: { text?: unknown }) => String(r.text ?? "")).join("").trim();
    if ("formula" in v || "sharedFormula" in v) return cellText(v.result);
    if ("error" in v) return String(v.error);
    if ("text" in v) return cellText(v.text);
  }
  return String(value).trim();
}

async function parseXlsxCaseList(bytes: Uint8Array, maxUnpackedBytes: number): Promise<CaseListResult> {
  const declared = zipDeclaredSize(bytes);
  if (declared === null) return { ok: false, message: CASE_LIST_MESSAGES.unreadableXlsx };
  if (declared > maxUnpackedBytes) return { ok: false, message: CASE_LIST_MESSAGES.xlsxTooBig };

  const mod = await import("exceljs");
  const ExcelJS = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types say Buffer, but it hands the data straight to JSZip, which takes a Uint8Array.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    return { ok: false, message: CASE_LIST_MESSAGES.unreadableXlsx };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, message: CASE_LIST_MESSAGES.empty };

  const records: RawRecord[] = [];
  let width = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as unknown[]; // 1-based and sparse
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
    while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
    if (cells.length === 0) return;
    width = Math.max(width, cells.length);
    records.push({ line: rowNumber, cells });
  });
  for (const r of records) while (r.cells.length < width) r.cells.push("");
  return buildTable(records, "xlsx");
}

/**
 * Reads an uploaded case list.
 * - Larger than `maxBytes` (default 20 MB): "The selected file must be smaller than 20 MB".
 * - Empty: "The selected file is empty".
 * - Neither a .csv text file nor a .xlsx ZIP (see `detectCaseListType`):
 *   "The selected file must be a CSV or Excel (.xlsx) file".
 * - CSV: see `parseCsvCaseList`; XLSX: the first worksheet, header = first non-empty row,
 *   `line` = the row number, cells as text (see `cellText`).
 * Never throws for bad input: every problem comes back as `{ ok: false, message }`, written to
 * be shown to the user as the file input's error message.
 */
export async function parseCaseList(input: { name: string; bytes: Uint8Array }, options: ParseCaseListOptions = {}): Promise<CaseListResult> {
  const maxBytes = options.maxBytes ?? MAX_CASE_LIST_BYTES;
  const { name, bytes } = input;
  if (bytes.length > maxBytes) return { ok: false, message: `The selected file must be smaller than ${formatFileSize(maxBytes)}` };
  if (bytes.length === 0) return { ok: false, message: CASE_LIST_MESSAGES.empty };
  const type = detectCaseListType(name, bytes);
  if (type === "csv") return parseCsvCaseList(bytes);
  if (type === "xlsx") return parseXlsxCaseList(bytes, options.maxUnpackedBytes ?? MAX_XLSX_UNPACKED_BYTES);
  if (extensionOf(name) === "xlsx" && startsWith(bytes, OLE)) return { ok: false, message: CASE_LIST_MESSAGES.protectedXlsx };
  return { ok: false, message: CASE_LIST_MESSAGES.wrongType };
}

const UK_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_SUFFIX = /\s+\d{1,2}:\d{2}(:\d{2})?$/;

/**
 * The ISO date (yyyy-mm-dd) in a UK-style date, or null.
 * Accepts dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (the same separator twice) and ISO
 * yyyy-mm-dd, optionally followed by a time ("01/02/2025 00:00", as many systems export),
 * which is ignored. Null for dates that do not exist (31/02/2025), two-digit years (ambiguous:
 * 01/02/25) and anything else. Range checks (1900–2099, not in the future) are the caller's.
 */
export function parseUkDate(text: string): string | null {
  if (typeof text !== "string") return null;
  const s = text.trim().replace(TIME_SUFFIX, "");
  if (ISO_DATE.test(s)) return parseIsoDate(s) ? s : null;
  const m = UK_DATE.exec(s);
  return m ? isoFromParts(m[1], m[3], m[4]) : null;
}

/** At least this share of the non-empty values must pass for a column to "look like" NHS numbers. */
export const NHS_NUMBER_SHARE = 0.5;
/** At least this share of the non-empty values must be name-shaped for a column to "look like" names. */
export const NAME_SHARE = 0.6;

const NHS_SHAPE = /^\d{3}([ -]?)\d{3}\1\d{4}$/;

/**
 * True when at least half (`NHS_NUMBER_SHARE`) of the non-empty values are NHS numbers: 10
 * digits, optionally spaced or hyphenated 3-3-4, passing the Modulus 11 check. A random
 * 10-digit number passes only about 1 time in 11, so a column of other 10-digit identifiers
 * stays well under the threshold. False when there are no non-empty values.
 */
export function looksLikeNhsNumbers(values: string[]): boolean {
  const filled = values.map((v) => String(v ?? "").trim()).filter((v) => v !== "");
  if (filled.length === 0) return false;
  const hits = filled.filter((v) => NHS_SHAPE.test(v) && isValidNhsNumber(v)).length;
  return hits / filled.length >= NHS_NUMBER_SHARE;
}

const NAME_WORD = /^\p{Lu}[\p{L}'’]*(-\p{Lu}?[\p{L}'’]+)*,?$/u;

function isNameShaped(value: string): boolean {
  if (/\d/.test(value)) return false;
  const words = value.split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  return words.every((w) => NAME_WORD.test(w));
}

/**
 * A heuristic for "this column holds people's names":
 * - name-shaped value: 2 to 4 words, no digits, every word starting with a capital letter and
 *   otherwise letters, apostrophes and hyphens ("Amy O'Neil", "SMITH, John", "Zoë Smith-Jones");
 * - true when at least 60% (`NAME_SHARE`) of the non-empty values are name-shaped and, when
 *   there are 5 or more non-empty values, at least half of them are different. The second
 *   rule keeps columns such as team or case type ("Looked After Children" again and again)
 *   from being taken for names.
 * It will miss names in lower case or single names, so use it to warn, not to prove a column is safe.
 */
export function looksLikeNames(values: string[]): boolean {
  const filled = values.map((v) => String(v ?? "").trim()).filter((v) => v !== "");
  if (filled.length === 0) return false;
  const shaped = filled.filter(isNameShaped);
  if (shaped.length / filled.length < NAME_SHARE) return false;
  return filled.length < 5 || new Set(filled.map((v) => v.toLowerCase())).size / filled.length >= 0.5;
}
