import { describe, expect, it } from "vitest";
import { addDays } from "~/lib/dates";
import {
  WORKING_DAYS_MAX_YEAR,
  WORKING_DAYS_MIN_YEAR,
  WorkingDaysRangeError,
  addWorkingDays,
  bankHolidaysIn,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from "~/lib/working-days";

/** domain.md §5 table: England & Wales bank holidays (weekday days off). */
const DOMAIN_TABLE: Record<number, string[]> = {
  2024: ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"],
  2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"],
  2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"],
  2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"],
  2028: ["2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"],
};

describe("bank holidays", () => {
  it.each(Object.entries(DOMAIN_TABLE))("%s is exactly the domain.md §5 table", (year, dates) => {
    expect(bankHolidaysIn(Number(year))).toEqual(dates);
    for (const d of dates) {
      expect(isBankHoliday(d)).toBe(true);
      expect(isWorkingDay(d)).toBe(false);
    }
  });

  it("contains the substitute and Easter days of domain rule 42", () => {
    for (const d of ["2026-12-28", "2027-12-27", "2027-12-28", "2028-01-03", "2026-04-03", "2026-04-06"]) {
      expect(isBankHoliday(d), d).toBe(true);
    }
  });

  it.each([
    ["2020-05-08", "Early May bank holiday moved to VE Day"],
    ["2022-06-02", "Spring bank holiday moved for the Platinum Jubilee"],
    ["2022-06-03", "Platinum Jubilee"],
    ["2022-09-19", "State Funeral of Queen Elizabeth II"],
    ["2023-05-08", "Coronation of King Charles III"],
    ["2002-06-03", "Golden Jubilee (proclaimed change added by the app)"],
    ["2002-06-04", "Spring bank holiday moved (proclaimed change added by the app)"],
    ["2011-04-29", "Royal Wedding (proclaimed change added by the app)"],
    ["2012-06-04", "Spring bank holiday moved (proclaimed change added by the app)"],
    ["2012-06-05", "Diamond Jubilee"],
  ])("contains the one-off day %s (%s)", (d) => {
    expect(isBankHoliday(d)).toBe(true);
    expect(isWorkingDay(d)).toBe(false);
  });

  it.each([
    ["2020-05-04", "the first Monday in May 2020 was a working day (moved to 8 May)"],
    ["2022-05-30", "the last Monday in May 2022 was a working day (moved to 2 June)"],
    ["2002-05-27", "the last Monday in May 2002 was a working day (moved to 4 June)"],
    ["2012-05-28", "the last Monday in May 2012 was a working day (moved to 4 June)"],
  ])("does not treat the moved day %s as a bank holiday (%s)", (d) => {
    expect(isBankHoliday(d)).toBe(false);
    expect(isWorkingDay(d)).toBe(true);
  });

  it("lists weekday days off only, as gov.uk does", () => {
    // Boxing Day 2026 is a Saturday; the day off is Monday 28 December.
    expect(isBankHoliday("2026-12-26")).toBe(false);
    expect(isWorkingDay("2026-12-26")).toBe(false);
    // New Year's Day 2028 is a Saturday; the day off is Monday 3 January.
    expect(bankHolidaysIn(2028)).not.toContain("2028-01-01");
  });

  it("has 8 to 10 bank holidays, all on weekdays, in every supported year", () => {
    for (let y = WORKING_DAYS_MIN_YEAR; y <= WORKING_DAYS_MAX_YEAR; y += 1) {
      const days = bankHolidaysIn(y);
      expect(days.length, String(y)).toBeGreaterThanOrEqual(8);
      expect(days.length, String(y)).toBeLessThanOrEqual(10);
      for (const d of days) {
        expect(d.startsWith(`${y}-`)).toBe(true);
        expect(isWorkingDay(d)).toBe(false);
      }
    }
  });

  it("returns a copy the caller cannot use to change the table", () => {
    bankHolidaysIn(2026).push("2026-07-01");
    expect(isBankHoliday("2026-07-01")).toBe(false);
  });
});

describe("isWorkingDay", () => {
  it("is false at weekends and true on ordinary weekdays", () => {
    expect(isWorkingDay("2026-04-04")).toBe(false); // Saturday
    expect(isWorkingDay("2026-04-05")).toBe(false); // Sunday
    expect(isWorkingDay("2026-04-07")).toBe(true); // Tuesday after Easter
    expect(isWorkingDay("2025-12-24")).toBe(true); // Christmas Eve is not a bank holiday
  });
});

describe("addWorkingDays (domain rule 41 vectors)", () => {
  const vectors: [string, number, string][] = [
    ["2025-12-01", 20, "2025-12-31"],
    ["2025-12-15", 20, "2026-01-15"],
    ["2026-03-20", 20, "2026-04-21"],
    ["2026-04-02", 10, "2026-04-20"],
    ["2026-04-02", 15, "2026-04-27"],
    ["2026-04-02", 45, "2026-06-10"],
    ["2026-12-24", 1, "2026-12-29"],
    ["2026-04-04", 1, "2026-04-07"],
    ["2026-12-18", 20, "2027-01-20"],
  ];

  it.each(vectors)("%s + %i working days → %s", (start, days, due) => {
    expect(addWorkingDays(start, days)).toBe(due);
  });

  it.each(vectors)("workingDaysBetween(%s, its due date) is %i, and minus that backwards", (start, days, due) => {
    expect(workingDaysBetween(start, due)).toBe(days);
    expect(workingDaysBetween(due, start)).toBe(-days);
    // The day before the due date is one working day short (the due date is the first day that reaches N).
    expect(workingDaysBetween(start, addDays(due, -1))).toBe(days - 1);
  });
});

describe("addWorkingDays", () => {
  it("counts the event date as day 0 even when it is not a working day", () => {
    expect(addWorkingDays("2026-04-03", 1)).toBe("2026-04-07"); // Good Friday
    expect(addWorkingDays("2026-04-05", 1)).toBe("2026-04-07"); // Easter Sunday
    expect(addWorkingDays("2026-04-06", 1)).toBe("2026-04-07"); // Easter Monday
    expect(addWorkingDays("2026-04-02", 1)).toBe("2026-04-07"); // Maundy Thursday
  });

  it("returns the date itself for 0 days, working day or not", () => {
    expect(addWorkingDays("2026-04-04", 0)).toBe("2026-04-04");
    expect(addWorkingDays("2026-04-07", 0)).toBe("2026-04-07");
  });

  it("skips ordinary weekends", () => {
    expect(addWorkingDays("2026-01-09", 1)).toBe("2026-01-12"); // Friday → Monday
    expect(addWorkingDays("2026-01-05", 5)).toBe("2026-01-12");
    expect(addWorkingDays("2026-01-10", 5)).toBe("2026-01-16"); // from a Saturday
  });

  it("skips both Christmas 2027 substitute days", () => {
    // 25 and 26 Dec 2027 are a weekend; 27 and 28 are the substitutes.
    expect(addWorkingDays("2027-12-24", 1)).toBe("2027-12-29");
    expect(addWorkingDays("2027-12-23", 2)).toBe("2027-12-29");
  });

  it("skips the New Year 2028 substitute day", () => {
    expect(addWorkingDays("2027-12-31", 1)).toBe("2028-01-04");
    expect(addWorkingDays("2027-12-29", 3)).toBe("2028-01-04");
  });

  it("skips Good Friday and Easter Monday 2026", () => {
    expect(addWorkingDays("2026-04-01", 2)).toBe("2026-04-07");
    expect(addWorkingDays("2026-03-30", 5)).toBe("2026-04-08");
  });

  it("refuses a negative or fractional number of days", () => {
    expect(() => addWorkingDays("2026-01-05", -1)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-01-05", 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-01-05", Number.NaN)).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("is 0 for the same date", () => {
    expect(workingDaysBetween("2026-04-07", "2026-04-07")).toBe(0);
    expect(workingDaysBetween("2026-04-04", "2026-04-04")).toBe(0);
  });

  it("counts working days after the start up to and including the end", () => {
    expect(workingDaysBetween("2026-01-09", "2026-01-10")).toBe(0); // Friday → Saturday
    expect(workingDaysBetween("2026-01-09", "2026-01-12")).toBe(1); // Friday → Monday
    expect(workingDaysBetween("2026-01-04", "2026-01-09")).toBe(5); // Sunday → Friday
    expect(workingDaysBetween("2026-04-02", "2026-04-07")).toBe(1); // across Easter 2026
    expect(workingDaysBetween("2027-12-24", "2028-01-04")).toBe(4); // 29, 30, 31 Dec and 4 Jan (27, 28 Dec and 3 Jan are substitutes)
  });

  it("round-trips with addWorkingDays for every start date and length in a run of years", () => {
    for (let start = "2025-11-01"; start < "2028-02-01"; start = addDays(start, 3)) {
      for (const n of [0, 1, 5, 10, 15, 20, 45]) {
        const due = addWorkingDays(start, n);
        expect(workingDaysBetween(start, due), `${start} + ${n}`).toBe(n);
        if (n > 0) expect(isWorkingDay(due)).toBe(true);
      }
    }
  });
});

describe("supported range", () => {
  it("is 2000 to 2035", () => {
    expect(WORKING_DAYS_MIN_YEAR).toBe(2000);
    expect(WORKING_DAYS_MAX_YEAR).toBe(2035);
    expect(isWorkingDay("2000-01-04")).toBe(true);
    expect(isWorkingDay("2035-12-31")).toBe(true);
  });

  it("throws a WorkingDaysRangeError naming the date and the range outside it", () => {
    expect(() => isWorkingDay("1999-12-31")).toThrow(WorkingDaysRangeError);
    expect(() => isBankHoliday("2036-01-01")).toThrow(WorkingDaysRangeError);
    expect(() => bankHolidaysIn(2036)).toThrow(WorkingDaysRangeError);
    expect(() => bankHolidaysIn(1999)).toThrow(WorkingDaysRangeError);
    expect(() => addWorkingDays("1999-12-31", 0)).toThrow(WorkingDaysRangeError);
    expect(() => workingDaysBetween("2026-01-01", "2036-01-02")).toThrow(WorkingDaysRangeError);
    expect(() => isWorkingDay("2036-01-01")).toThrow(/2036-01-01.*2000-01-01 to 2035-12-31/);
  });

  it("throws when counting runs past the last supported year", () => {
    expect(addWorkingDays("2035-12-20", 5)).toBe("2035-12-31");
    let error: unknown;
    try {
      addWorkingDays("2035-12-20", 6);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkingDaysRangeError);
    expect((error as WorkingDaysRangeError).date).toBe("2036-01-01");
  });
});

describe("invalid input", () => {
  it("throws a TypeError naming the value", () => {
    expect(() => isWorkingDay("2026-02-30")).toThrow(TypeError);
    expect(() => isWorkingDay("2026-02-30")).toThrow(/2026-02-30/);
    expect(() => addWorkingDays("1/12/2025", 20)).toThrow(/1\/12\/2025/);
    expect(() => workingDaysBetween("2026-01-01", "next week")).toThrow(TypeError);
    expect(() => isBankHoliday("")).toThrow(TypeError);
  });
});
