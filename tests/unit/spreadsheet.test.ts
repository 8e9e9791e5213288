/**
 * Cell neutralisation for CSV and Excel exports: a cell starting with =, +, -, @, tab or carriage
 * return gets a leading apostrophe; the same characters inside text are left alone. Numbers the
 * app worked out are kept numeric in Excel (safeCell) and written as plain digits in CSV
 * (csvCell); a number typed as text by a user is text, and neutralised like any other text.
 */
import { describe, expect, it } from "vitest";
import { csvCell, neutraliseCell, safeCell } from "~/lib/spreadsheet";

describe("neutraliseCell", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ['=HYPERLINK("http://evil.example","Click")', `'=HYPERLINK("http://evil.example","Click")`],
    ["+44 20 7946 0000", "'+44 20 7946 0000"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", "'\t=1+1"],
    ["\rcmd", "'\rcmd"],
  ])("neutralises %j", (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });

  it.each(["a = b", "well-being", "see note - discussed", "x+y", "user@example.nhs.uk", "", "'=already quoted", " =leading space", "\n=new line"])("leaves %j alone", (input) => {
    expect(neutraliseCell(input)).toBe(input);
  });
});

describe("safeCell (Excel) and csvCell (CSV)", () => {
  it("keeps numbers numeric in Excel, including negatives and fractions", () => {
    expect(safeCell(12)).toBe(12);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(83.3)).toBe(83.3);
    expect(safeCell(0)).toBe(0);
  });

  it("writes numbers as plain text in CSV, without a quote", () => {
    expect(csvCell(12)).toBe("12");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0.5)).toBe("0.5");
  });

  it("treats a number typed as text as text, and neutralises it", () => {
    expect(safeCell("-5")).toBe("'-5");
    expect(csvCell("-5")).toBe("'-5");
    expect(safeCell("5")).toBe("5");
  });

  it("neutralises text in both", () => {
    expect(safeCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("@x")).toBe("'@x");
    expect(csvCell("a = b")).toBe("a = b");
  });

  it("empties null, undefined and numbers that are not finite", () => {
    expect(safeCell(null)).toBe("");
    expect(safeCell(undefined)).toBe("");
    expect(safeCell(Number.NaN)).toBe("");
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe("");
  });
});
