import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonthsClamped,
  ageInYearsOn,
  compareIso,
  dayOfWeek,
  formatDate,
  formatDateShort,
  isoFromParts,
  parseIsoDate,
  todayInLondon,
} from "~/lib/dates";

describe("parseIsoDate", () => {
  it("returns the parts of a real date", () => {
    expect(parseIsoDate("2025-12-01")).toEqual({ y: 2025, m: 12, d: 1 });
    expect(parseIsoDate("2024-02-29")).toEqual({ y: 2024, m: 2, d: 29 });
    expect(parseIsoDate("2000-02-29")).toEqual({ y: 2000, m: 2, d: 29 });
  });

  it.each(["2025-02-29", "1900-02-29", "2025-02-31", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00"])(
    "returns null for the impossible date %s",
    (s) => expect(parseIsoDate(s)).toBeNull(),
  );

  it.each(["2025-1-01", "25-01-01", "2025/01/01", " 2025-01-01", "2025-01-01T00:00:00Z", "", "01-12-2025"])(
    "returns null for the wrongly formed %j",
    (s) => expect(parseIsoDate(s)).toBeNull(),
  );
});

describe("isoFromParts", () => {
  it("accepts one or two digit days and months, as text or numbers, ignoring spaces", () => {
    expect(isoFromParts("1", "2", "2025")).toBe("2025-02-01");
    expect(isoFromParts("01", "02", "2025")).toBe("2025-02-01");
    expect(isoFromParts(" 9 ", " 12", "2025 ")).toBe("2025-12-09");
    expect(isoFromParts(31, 12, 2025)).toBe("2025-12-31");
    expect(isoFromParts("29", "2", "2024")).toBe("2024-02-29");
  });

  it("returns null when the fields do not make a real date", () => {
    expect(isoFromParts("29", "2", "2025")).toBeNull();
    expect(isoFromParts("31", "4", "2025")).toBeNull();
    expect(isoFromParts("1", "13", "2025")).toBeNull();
    expect(isoFromParts("0", "1", "2025")).toBeNull();
  });

  it("requires a 4-digit year and whole-number fields", () => {
    expect(isoFromParts("1", "1", "25")).toBeNull();
    expect(isoFromParts("1", "1", "20255")).toBeNull();
    expect(isoFromParts("", "1", "2025")).toBeNull();
    expect(isoFromParts("1", "", "2025")).toBeNull();
    expect(isoFromParts("1a", "1", "2025")).toBeNull();
    expect(isoFromParts("1", "1.5", "2025")).toBeNull();
    expect(isoFromParts("001", "1", "2025")).toBeNull();
    expect(isoFromParts(1.5, 1, 2025)).toBeNull();
  });
});

describe("addDays, compareIso and dayOfWeek", () => {
  it("adds across month, year and leap-day boundaries", () => {
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2025-12-01", 0)).toBe("2025-12-01");
    expect(addDays("2025-01-01", 365)).toBe("2026-01-01");
    expect(addDays("2024-01-01", 366)).toBe("2025-01-01");
  });

  it("is not moved by the British Summer Time changes", () => {
    // Clocks go forward on 2026-03-29 and back on 2026-10-25.
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-10-24", 2)).toBe("2026-10-26");
  });

  it("agrees with the platform calendar over a long run of days", () => {
    let iso = "1999-12-25";
    for (let i = 0; i < 15000; i += 1) {
      const next = addDays(iso, 1);
      expect(next).toBe(new Date(Date.parse(`${iso}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
      expect(dayOfWeek(next)).toBe(new Date(`${next}T12:00:00Z`).getUTCDay());
      iso = next;
    }
  });

  it("compares dates", () => {
    expect(compareIso("2025-12-01", "2025-12-02")).toBe(-1);
    expect(compareIso("2025-12-02", "2025-12-02")).toBe(0);
    expect(compareIso("2026-01-01", "2025-12-31")).toBe(1);
  });

  it("gives 0 for Sunday and 6 for Saturday", () => {
    expect(dayOfWeek("2026-04-05")).toBe(0); // Easter Sunday 2026
    expect(dayOfWeek("2026-04-04")).toBe(6);
    expect(dayOfWeek("2025-12-01")).toBe(1);
    expect(dayOfWeek("1970-01-01")).toBe(4);
  });

  it("throws a TypeError naming a value that is not a date", () => {
    expect(() => addDays("2025-02-30", 1)).toThrow(TypeError);
    expect(() => addDays("2025-02-30", 1)).toThrow(/2025-02-30/);
    expect(() => compareIso("2025-01-01", "soon")).toThrow(/soon/);
    expect(() => dayOfWeek("")).toThrow(TypeError);
  });

  it("refuses a fractional number of days", () => {
    expect(() => addDays("2025-01-01", 1.5)).toThrow(RangeError);
  });
});

describe("addMonthsClamped", () => {
  it("keeps the day of the month", () => {
    expect(addMonthsClamped("2025-01-15", 6)).toBe("2025-07-15");
    expect(addMonthsClamped("2025-12-01", 3)).toBe("2026-03-01");
    expect(addMonthsClamped("2025-03-31", 0)).toBe("2025-03-31");
  });

  it("clamps to the end of a shorter month (domain rule 5)", () => {
    expect(addMonthsClamped("2025-08-31", 6)).toBe("2026-02-28");
    expect(addMonthsClamped("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonthsClamped("2023-08-31", 6)).toBe("2024-02-29");
    expect(addMonthsClamped("2025-01-31", 3)).toBe("2025-04-30");
    expect(addMonthsClamped("2024-02-29", 48)).toBe("2028-02-29");
  });

  it("goes backwards across a year for negative months", () => {
    expect(addMonthsClamped("2026-01-31", -2)).toBe("2025-11-30");
    expect(addMonthsClamped("2026-03-15", -15)).toBe("2024-12-15");
  });

  it("refuses a fractional number of months", () => {
    expect(() => addMonthsClamped("2025-01-01", 0.5)).toThrow(RangeError);
  });
});

describe("todayInLondon", () => {
  it("is the UTC date in winter (GMT)", () => {
    expect(todayInLondon(new Date("2025-12-31T23:59:59Z"))).toBe("2025-12-31");
    expect(todayInLondon(new Date("2026-01-01T00:00:00Z"))).toBe("2026-01-01");
  });

  it("is already the next day late in the UTC evening during BST", () => {
    expect(todayInLondon(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
    expect(todayInLondon(new Date("2026-06-30T22:59:59Z"))).toBe("2026-06-30");
  });

  it("follows the clock changes", () => {
    // BST starts at 01:00 UTC on 2026-03-29.
    expect(todayInLondon(new Date("2026-03-28T23:30:00Z"))).toBe("2026-03-28");
    expect(todayInLondon(new Date("2026-03-29T23:30:00Z"))).toBe("2026-03-30");
    // BST ends at 01:00 UTC on 2026-10-25.
    expect(todayInLondon(new Date("2026-10-24T23:30:00Z"))).toBe("2026-10-25");
    expect(todayInLondon(new Date("2026-10-25T23:30:00Z"))).toBe("2026-10-25");
  });

  it("defaults to now", () => {
    expect(todayInLondon()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("formatDate and formatDateShort", () => {
  it("uses the GOV.UK style with no leading zero", () => {
    expect(formatDate("2025-12-01")).toBe("1 December 2025");
    expect(formatDate("2026-09-30")).toBe("30 September 2026");
    expect(formatDateShort("2025-12-01")).toBe("1 Dec 2025");
    expect(formatDateShort("2026-09-05")).toBe("5 Sep 2026");
    expect(formatDateShort("2026-06-15")).toBe("15 Jun 2026");
  });

  it("throws for a value that is not a date", () => {
    expect(() => formatDate("2025-13-01")).toThrow(/2025-13-01/);
  });
});

describe("ageInYearsOn", () => {
  it("counts completed years", () => {
    expect(ageInYearsOn("2021-06-15", "2026-06-14")).toBe(4);
    expect(ageInYearsOn("2021-06-15", "2026-06-15")).toBe(5);
    expect(ageInYearsOn("2021-06-15", "2021-06-15")).toBe(0);
    expect(ageInYearsOn("2009-12-31", "2026-01-01")).toBe(16);
  });

  it("treats 28 February as the birthday of someone born on 29 February in other years", () => {
    expect(ageInYearsOn("2020-02-29", "2025-02-27")).toBe(4);
    expect(ageInYearsOn("2020-02-29", "2025-02-28")).toBe(5);
    expect(ageInYearsOn("2020-02-29", "2024-02-28")).toBe(3);
    expect(ageInYearsOn("2020-02-29", "2024-02-29")).toBe(4);
  });

  it("refuses a date before the date of birth", () => {
    expect(() => ageInYearsOn("2020-05-01", "2020-04-30")).toThrow(RangeError);
  });
});
