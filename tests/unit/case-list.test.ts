import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CASE_LIST_MESSAGES,
  MAX_CASE_LIST_BYTES,
  cellText,
  detectCaseListType,
  findHeader,
  formatFileSize,
  looksLikeNames,
  looksLikeNhsNumbers,
  normaliseHeader,
  parseCaseList,
  parseCsvCaseList,
  parseUkDate,
  type CaseListResult,
} from "~/lib/case-list";

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/case-lists/${name}`, import.meta.url))));
const parseFixture = (name: string, options?: { maxBytes?: number }) => parseCaseList({ name, bytes: fixture(name) }, options);
const utf8 = (s: string) => new TextEncoder().encode(s);

function expectOk(result: CaseListResult) {
  if (!result.ok) throw new Error(`Expected ok, got: ${result.message}`);
  return result;
}
function expectMessage(result: CaseListResult): string {
  if (result.ok) throw new Error("Expected a failure");
  return result.message;
}

describe("parseCaseList: CSV fixtures", () => {
  it("reads UTF-8 with a BOM and CRLF line ends (the BOM is not part of the first heading)", async () => {
    const result = expectOk(await parseFixture("bom-crlf.csv"));
    expect(fixture("bom-crlf.csv").slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(result.type).toBe("csv");
    expect(result.headers).toEqual(["Case ref", "NHS number", "Date of birth", "Team"]);
    expect(result.rows).toEqual([
      { line: 2, values: { "Case ref": "LAC-2025-001", "NHS number": "999 000 0018", "Date of birth": "09/03/2015", Team: "North" } },
      { line: 3, values: { "Case ref": "LAC-2025-002", "NHS number": "999 000 0026", "Date of birth": "2016-02-01", Team: "South" } },
      { line: 4, values: { "Case ref": "LAC-2025-003", "NHS number": "9990000034", "Date of birth": "1/2/2017", Team: "North" } },
    ]);
  });

  it("reads quoted commas, doubled quotation marks and line breaks inside values, numbering records by their first line", async () => {
    const result = expectOk(await parseFixture("quoted.csv"));
    expect(result.rows.map((r) => r.line)).toEqual([2, 3, 6, 7]);
    expect(result.rows[0].values.Team).toBe("Health Visiting, North");
    expect(result.rows[1].values.Notes).toBe("First line\nsecond line, with a comma\nthird line");
    expect(result.rows[2].values.Notes).toBe('She said "no" twice');
    // Spaces around values (quoted or not) are trimmed.
    expect(result.rows[3].values).toEqual({ "Case ref": "LAC-2025-013", Team: "East", Notes: "plain" });
  });

  it("reports an unclosed quotation mark with the line where it opens", async () => {
    const message = expectMessage(await parseFixture("malformed-quote.csv"));
    expect(message).toMatch(/^Line 3 has a value that starts with a quotation mark \("\) but is never closed\./);
  });

  it("reports text after a closing quotation mark with its line", () => {
    const message = expectMessage(parseCsvCaseList(utf8('Case ref,Notes\r\nLAC-1,"multi\r\nline"oops\r\n')));
    expect(message).toMatch(/^Line 3 has text after a closing quotation mark/);
  });

  it("keeps a quotation mark inside an unquoted value as it is", () => {
    const result = expectOk(parseCsvCaseList(utf8('Case ref,Height\nLAC-1,5\'10"\n')));
    expect(result.rows[0].values.Height).toBe("5'10\"");
  });

  it("skips empty lines, blank lines and all-blank records, keeping physical line numbers", async () => {
    const result = expectOk(await parseFixture("empty-lines.csv"));
    expect(result.headers).toEqual(["Case ref", "Team"]);
    expect(result.rows).toEqual([
      { line: 4, values: { "Case ref": "LAC-2025-030", Team: "North" } },
      { line: 8, values: { "Case ref": "LAC-2025-031", Team: "South" } },
      { line: 10, values: { "Case ref": "LAC-2025-032", Team: "East" } },
    ]);
  });

  it("keeps mixed date formats as text for parseUkDate", async () => {
    const result = expectOk(await parseFixture("mixed-dates.csv"));
    expect(result.rows.map((r) => parseUkDate(r.values["Entered care"]))).toEqual([
      "2025-12-01",
      "2025-12-01",
      "2025-12-01",
      "2025-12-01",
      "2025-12-01",
      "2025-12-01",
      null, // 31/02/2025 is not a real date
      null, // 01/12/25: two-digit year
      null, // December 1 2025
      null, // blank
    ]);
  });

  it("reports ragged rows with their line numbers", async () => {
    expect(expectMessage(await parseFixture("ragged.csv"))).toBe(
      "Line 7 has 5 values but the header has 4. Line 9 also has the wrong number of values",
    );
  });

  it("lists several ragged lines, and allows blank extra values from trailing commas", () => {
    const csv = ["a,b", "1", "2,3", "4", "5,6,", "7", "8", "9", "10", "11"].join("\n");
    expect(expectMessage(parseCsvCaseList(utf8(csv)))).toBe(
      "Line 2 has 1 value but the header has 2. Lines 4, 6, 7, 8, 9 and 1 more also have the wrong number of values",
    );
    const trailing = expectOk(parseCsvCaseList(utf8("Case ref,Team,\nLAC-1,North,\nLAC-2,South\n")));
    expect(trailing.headers).toEqual(["Case ref", "Team"]);
    expect(trailing.rows[1].values).toEqual({ "Case ref": "LAC-2", Team: "South" });
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8", async () => {
    const result = expectOk(await parseFixture("windows-1252.csv"));
    expect(result.rows[0].values.Team).toBe("Zoë\u2019s team");
  });

  it("accepts LF, CRLF and lone CR line ends alike, with or without a final line end", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      for (const end of ["", eol]) {
        const result = expectOk(parseCsvCaseList(utf8(`Case ref,Team${eol}LAC-1,North${eol}${eol}LAC-2,South${end}`)));
        expect(result.rows).toEqual([
          { line: 2, values: { "Case ref": "LAC-1", Team: "North" } },
          { line: 4, values: { "Case ref": "LAC-2", Team: "South" } },
        ]);
      }
    }
  });

  it("refuses duplicate headings (after normalising), and a blank heading over a column with values", () => {
    expect(expectMessage(parseCsvCaseList(utf8("Case ref,Team,case_ref\nA1,N,A1\n")))).toBe(
      'Column 1 and column 3 have the same heading ("case_ref"). Each column must have a different heading',
    );
    expect(expectMessage(parseCsvCaseList(utf8("Case ref,,Team\nA1,,N\nA2,x,S\n")))).toBe(
      "Column 2 has no heading but line 3 has a value in it. Add a heading in the first row, or delete the column",
    );
    const dropped = expectOk(parseCsvCaseList(utf8("Case ref,,Team\nA1,,N\n")));
    expect(dropped.headers).toEqual(["Case ref", "Team"]);
  });

  it("refuses an empty file and a header with no cases", async () => {
    expect(expectMessage(await parseCaseList({ name: "x.csv", bytes: new Uint8Array() }))).toBe("The selected file is empty");
    expect(expectMessage(await parseCaseList({ name: "x.csv", bytes: utf8("\r\n\r\n ,\r\n") }))).toBe("The selected file is empty");
    expect(expectMessage(await parseCaseList({ name: "x.csv", bytes: utf8("Case ref,Team\r\n") }))).toBe(CASE_LIST_MESSAGES.noRows);
  });
});

describe("parseCaseList: XLSX fixture", () => {
  it("is a real ZIP-based workbook", () => {
    expect(Array.from(fixture("case-list.xlsx").slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it("reads the first worksheet, with dates as ISO, numbers and formulas as text, and row numbers as lines", async () => {
    const result = expectOk(await parseFixture("case-list.xlsx"));
    expect(result.type).toBe("xlsx");
    expect(result.headers).toEqual(["Case ref", "Date of birth", "Entered care", "Team", "Score"]);
    expect(result.rows).toEqual([
      { line: 2, values: { "Case ref": "LAC-2025-101", "Date of birth": "2015-03-09", "Entered care": "2025-12-01", Team: "North", Score: "3" } },
      { line: 4, values: { "Case ref": "LAC-2025-102", "Date of birth": "01/02/2016", "Entered care": "2026-03-20", Team: "South", Score: "3" } },
      { line: 5, values: { "Case ref": "12345", "Date of birth": "2024-02-29", "Entered care": "", Team: "East", Score: "0.3" } },
      { line: 6, values: { "Case ref": "LAC-2025-104", "Date of birth": "2025-10-26", "Entered care": "2026-03-29", Team: "West", Score: "TRUE" } },
    ]);
  });

  it("refuses a file named .xlsx that is not a ZIP, and a ZIP that is not a workbook", async () => {
    expect(expectMessage(await parseCaseList({ name: "cases.xlsx", bytes: utf8("Case ref\nA1\n") }))).toBe(CASE_LIST_MESSAGES.wrongType);
    const truncated = fixture("case-list.xlsx").slice(0, 200);
    expect(expectMessage(await parseCaseList({ name: "cases.xlsx", bytes: truncated }))).toBe(CASE_LIST_MESSAGES.unreadableXlsx);
  });

  it("explains a password-protected or old-format workbook", async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(expectMessage(await parseCaseList({ name: "cases.xlsx", bytes: ole }))).toBe(CASE_LIST_MESSAGES.protectedXlsx);
    expect(expectMessage(await parseCaseList({ name: "cases.xls", bytes: ole }))).toBe(CASE_LIST_MESSAGES.wrongType);
  });

  it("names columns by letter in workbook messages: duplicate headings, values under no heading, no cases", async () => {
    const { default: ExcelJS } = await import("exceljs");
    const book = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Cases");
      for (const r of rows) ws.addRow(r);
      return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    };
    const parse = async (rows: unknown[][]) => parseCaseList({ name: "cases.xlsx", bytes: await book(rows) });
    expect(expectMessage(await parse([["Case ref", "Team", "CASE-REF"], ["A1", "N", "A1"]]))).toBe(
      'Column A and column C have the same heading ("CASE-REF"). Each column must have a different heading',
    );
    expect(expectMessage(await parse([["Case ref", "Team"], ["A1", "N"], ["A2", "S", null, null, null, "stray"]]))).toBe(
      "Column F has no heading but row 3 has a value in it. Add a heading in the first row, or delete the column",
    );
    expect(expectMessage(await parse([["Case ref", "Team"]]))).toBe(CASE_LIST_MESSAGES.noRows);
    expect(expectMessage(await parse([]))).toBe(CASE_LIST_MESSAGES.empty);
  });

  it("refuses a workbook that would unpack to more than the limit, before unpacking it", async () => {
    const result = await parseCaseList({ name: "case-list.xlsx", bytes: fixture("case-list.xlsx") }, { maxUnpackedBytes: 1000 });
    expect(expectMessage(result)).toBe(CASE_LIST_MESSAGES.xlsxTooBig);
  });
});

describe("parseCaseList: type and size", () => {
  it("refuses a PNG, whatever it is called", async () => {
    const png = fixture("png-renamed.csv");
    expect(Array.from(png.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    for (const name of ["png-renamed.csv", "photo.png", "photo.xlsx"]) {
      expect(expectMessage(await parseCaseList({ name, bytes: png }))).toBe("The selected file must be a CSV or Excel (.xlsx) file");
    }
  });

  it("refuses other extensions even when the content is CSV, and a ZIP named .csv", async () => {
    expect(expectMessage(await parseCaseList({ name: "cases.txt", bytes: fixture("quoted.csv") }))).toBe(CASE_LIST_MESSAGES.wrongType);
    expect(expectMessage(await parseCaseList({ name: "cases", bytes: fixture("quoted.csv") }))).toBe(CASE_LIST_MESSAGES.wrongType);
    expect(expectMessage(await parseCaseList({ name: "cases.csv", bytes: fixture("case-list.xlsx") }))).toBe(CASE_LIST_MESSAGES.wrongType);
  });

  it("matches extensions in any case, ignoring folders in the name", async () => {
    expectOk(await parseCaseList({ name: "C:\\fakepath\\Cases.CSV", bytes: fixture("quoted.csv") }));
    expectOk(await parseCaseList({ name: "Cases.XLSX", bytes: fixture("case-list.xlsx") }));
    expect(detectCaseListType("a.b.csv", utf8("x"))).toBe("csv");
  });

  it("refuses a file over the size limit, naming the limit", async () => {
    const bytes = fixture("bom-crlf.csv");
    expect(expectMessage(await parseFixture("bom-crlf.csv", { maxBytes: 100 }))).toBe("The selected file must be smaller than 100 bytes");
    expectOk(await parseFixture("bom-crlf.csv", { maxBytes: bytes.length }));
    expect(expectMessage(await parseFixture("case-list.xlsx", { maxBytes: 1024 }))).toBe("The selected file must be smaller than 1 KB");
    expect(MAX_CASE_LIST_BYTES).toBe(20 * 1024 * 1024);
    expect(formatFileSize(MAX_CASE_LIST_BYTES)).toBe("20 MB");
  });

  it("says 20 MB by default", async () => {
    const big = new Uint8Array(MAX_CASE_LIST_BYTES + 1);
    expect(expectMessage(await parseCaseList({ name: "big.csv", bytes: big }))).toBe("The selected file must be smaller than 20 MB");
  });
});

describe("normaliseHeader and findHeader", () => {
  it.each([
    ["Case ref", "case ref"],
    ["  CASE_REF  ", "case ref"],
    ["case-ref", "case ref"],
    ["Case \t _-  Ref", "case ref"],
    ["Date of birth", "date of birth"],
    ["_leading", "leading"],
  ])("%j → %j", (raw, normalised) => expect(normaliseHeader(raw)).toBe(normalised));

  it("finds a heading by any of its usual names", () => {
    expect(findHeader(["NHS_Number", "Case Ref"], ["case reference", "case ref"])).toBe("Case Ref");
    expect(findHeader(["Team"], ["case ref"])).toBeUndefined();
  });
});

describe("cellText", () => {
  it("turns exceljs cell values into text", () => {
    expect(cellText(null)).toBe("");
    expect(cellText(9434765919)).toBe("9434765919");
    expect(cellText(0.1 + 0.2)).toBe("0.3");
    expect(cellText(new Date(Date.UTC(2025, 11, 1)))).toBe("2025-12-01");
    expect(cellText(new Date(Date.UTC(2025, 11, 1, 14, 30)))).toBe("2025-12-01 14:30");
    expect(cellText({ formula: "A1", result: new Date(Date.UTC(2024, 1, 29)) })).toBe("2024-02-29");
    expect(cellText({ sharedFormula: "A1", result: undefined })).toBe("");
    expect(cellText({ error: "#N/A" })).toBe("#N/A");
    expect(cellText({ text: { richText: [{ text: "A" }, { text: "B" }] }, hyperlink: "x" })).toBe("AB");
  });
});

describe("parseUkDate", () => {
  it.each([
    ["01/12/2025", "2025-12-01"],
    ["1/12/2025", "2025-12-01"],
    ["1/2/2025", "2025-02-01"],
    ["01-12-2025", "2025-12-01"],
    ["01.12.2025", "2025-12-01"],
    ["2025-12-01", "2025-12-01"],
    [" 29/02/2024 ", "2024-02-29"],
    ["01/12/2025 00:00", "2025-12-01"],
    ["01/12/2025 14:30:00", "2025-12-01"],
  ])("%j → %s", (text, iso) => expect(parseUkDate(text)).toBe(iso));

  it.each(["31/02/2025", "29/02/2025", "00/01/2025", "01/13/2025", "01/12/25", "1/2/25", "01/12-2025", "2025-1-5", "2025/12/01", "12/2025", "", "tomorrow", "011/12/2025"])(
    "%j → null",
    (text) => expect(parseUkDate(text)).toBeNull(),
  );
});

describe("looksLikeNhsNumbers", () => {
  it("is true when most values are valid NHS numbers, spaced 3-3-4 or not", () => {
    expect(looksLikeNhsNumbers(["943 476 5919", "9990000018", "999-000-0026", ""])).toBe(true);
    expect(looksLikeNhsNumbers(["9434765919", "not known", "9990000034", "LAC-1"])).toBe(true); // exactly half
  });

  it("is false for other identifiers, failed checks and empty columns", () => {
    expect(looksLikeNhsNumbers(["LAC-2025-001", "LAC-2025-002"])).toBe(false);
    expect(looksLikeNhsNumbers(["9434765918", "1234567890", "9990000019"])).toBe(false); // wrong check digits
    expect(looksLikeNhsNumbers(["94347 65919", "9434765919", "X", "Y"])).toBe(false); // only 1 of 4 well formed
    expect(looksLikeNhsNumbers(["", "  "])).toBe(false);
    expect(looksLikeNhsNumbers([])).toBe(false);
  });

  it("stays false for random 10-digit numbers (about 1 in 11 pass Modulus 11)", () => {
    let x = 123456789;
    const values = Array.from({ length: 200 }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return String(1_000_000_000 + (x % 9_000_000_000)).padStart(10, "0");
    });
    expect(looksLikeNhsNumbers(values)).toBe(false);
  });
});

describe("looksLikeNames", () => {
  it("is true for a column of names in the usual forms", () => {
    expect(looksLikeNames(["Amy Smith", "Ben O'Neil", "SMITH, John", "Zoë Smith-Jones", "Mary Ann de Souza", "Li Wei"])).toBe(true);
    expect(looksLikeNames(["Amy Smith"])).toBe(true);
  });

  it("is false for case references, dates, teams that repeat, and lower-case text", () => {
    expect(looksLikeNames(["LAC-2025-001", "LAC-2025-002", "LAC-2025-003"])).toBe(false);
    expect(looksLikeNames(["01/02/2025", "03/04/2025"])).toBe(false);
    expect(looksLikeNames(["Looked After Children", "Health Visiting", "Looked After Children", "Health Visiting", "Health Visiting", "Looked After Children"])).toBe(false);
    expect(looksLikeNames(["seen at home", "not seen", "did not attend"])).toBe(false);
    expect(looksLikeNames(["Smith", "Jones", "Patel"])).toBe(false); // single words
    expect(looksLikeNames(["Amy Smith", "LAC-1", "LAC-2", "LAC-3", "LAC-4"])).toBe(false); // 20% name-shaped
    expect(looksLikeNames([])).toBe(false);
  });
});
