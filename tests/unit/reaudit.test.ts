import { describe, expect, test } from "vitest";
import { compareCriteria, completionDate, criteriaChanges, defaultReauditDue, reauditPeriod, reauditTitle, type CriterionFigure } from "~/lib/reaudit";

const fig = (criterionId: string, numerator: number, denominator: number, question = `Question ${criterionId}`): CriterionFigure => ({
  criterionId,
  question,
  numerator,
  denominator,
  percent: denominator === 0 ? null : (100 * numerator) / denominator,
});

describe("defaultReauditDue", () => {
  test.each([
    ["2026-03-15", "2027-03-15"],
    ["2026-01-31", "2027-01-31"],
    ["2028-02-29", "2029-02-28"], // clamped to the end of a shorter February
    ["2026-12-31", "2027-12-31"],
  ])("%s → %s (12 months)", (completed, due) => {
    expect(defaultReauditDue(completed)).toBe(due);
  });
});

describe("completionDate", () => {
  test("is the date in England, not UTC", () => {
    expect(completionDate("2026-07-01T23:30:00.000Z")).toBe("2026-07-02"); // BST
    expect(completionDate("2026-01-01T23:30:00.000Z")).toBe("2026-01-01"); // GMT
  });
});

describe("reauditTitle", () => {
  test("adds the suffix once, within 150 characters", () => {
    expect(reauditTitle("IHA audit Q1")).toBe("IHA audit Q1 (re-audit)");
    expect(reauditTitle("IHA audit Q1 (re-audit)")).toBe("IHA audit Q1 (re-audit)");
    const long = reauditTitle("x".repeat(150));
    expect(long).toHaveLength(150);
    expect(long.endsWith(" (re-audit)")).toBe(true);
  });
});

describe("reauditPeriod", () => {
  test("whole calendar months give whole months, starting the day after", () => {
    expect(reauditPeriod({ periodStart: "2026-01-01", periodEnd: "2026-03-31" })).toEqual({ periodStart: "2026-04-01", periodEnd: "2026-06-30" });
    expect(reauditPeriod({ periodStart: "2025-10-01", periodEnd: "2025-12-31" })).toEqual({ periodStart: "2026-01-01", periodEnd: "2026-03-31" });
  });
  test("any other period keeps its number of days", () => {
    expect(reauditPeriod({ periodStart: "2026-01-10", periodEnd: "2026-01-19" })).toEqual({ periodStart: "2026-01-20", periodEnd: "2026-01-29" });
  });
});

describe("compareCriteria", () => {
  test("6/10 before and 9/10 after: +30.0 points, not larger than chance (p = 0.12)", () => {
    const [row] = compareCriteria([fig("a", 6, 10)], [fig("a", 9, 10)]);
    expect(row.match).toBe("both");
    expect(row.before!.text).toBe("60.0% (6 of 10)");
    expect(row.after!.text).toBe("90.0% (9 of 10)");
    expect(row.changePoints).toBe(30);
    expect(row.changeText).toBe("+30.0");
    // Pooled p = 15/20, SE = √(0.75 × 0.25 × 0.2) = 0.19365, z = 0.3 / 0.19365 = 1.5492, two-sided p = 0.1213.
    expect(row.test!.z).toBeCloseTo(1.549193, 5);
    expect(row.test!.pValue).toBeCloseTo(0.121335, 5);
    expect(row.test!.significant).toBe(false);
    expect(row.testText).toBe("The change of +30.0 percentage points could be due to chance (p = 0.12).");
  });

  test("2/20 before and 14/20 after is larger than chance (z = 3.873, p < 0.001)", () => {
    const [row] = compareCriteria([fig("a", 2, 20)], [fig("a", 14, 20)]);
    expect(row.changeText).toBe("+60.0");
    expect(row.test!.z).toBeCloseTo(3.872983, 5);
    expect(row.test!.significant).toBe(true);
    expect(row.testText).toBe("The change of +60.0 percentage points is larger than chance alone would usually explain (p < 0.001).");
  });

  test("a fall is negative; partial credit keeps its fraction", () => {
    const [fall] = compareCriteria([fig("a", 8, 10)], [fig("a", 5, 10)]);
    expect(fall.changeText).toBe("-30.0");
    expect(fall.changePoints).toBe(-30);
    expect(fall.testText).toBe("The change of -30.0 percentage points could be due to chance (p = 0.16).");
    const [partial] = compareCriteria([fig("a", 6.5, 10)], [fig("a", 9, 10)]);
    expect(partial.before!.text).toBe("65.0% (6.5 of 10)");
    expect(partial.test!.pValue).toBeCloseTo(0.180669, 5);
  });

  test("criteria only in one version are new or removed, with no change or test", () => {
    const rows = compareCriteria([fig("a", 6, 10), fig("gone", 3, 10)], [fig("fresh", 4, 5), fig("a", 9, 10)]);
    expect(rows.map((r) => [r.criterionId, r.match])).toEqual([
      ["fresh", "new"],
      ["a", "both"],
      ["gone", "removed"],
    ]);
    const fresh = rows[0];
    expect(fresh.before).toBeNull();
    expect(fresh.after!.text).toBe("80.0% (4 of 5)");
    expect(fresh.changeText).toBeNull();
    expect(fresh.test).toBeNull();
    expect(fresh.testText).toMatch(/^New in the re-audit's template/);
    const gone = rows[2];
    expect(gone.after).toBeNull();
    expect(gone.before!.text).toBe("30.0% (3 of 10)");
    expect(gone.testText).toMatch(/^Removed from the re-audit's template/);
  });

  test("no applicable cases on one side: no change; everything met in both: change 0.0 but no test", () => {
    const [none] = compareCriteria([fig("a", 0, 0)], [fig("a", 5, 10)]);
    expect(none.before!.text).toBe("No applicable cases");
    expect(none.changeText).toBeNull();
    expect(none.testText).toMatch(/cannot be worked out/);
    const [all] = compareCriteria([fig("a", 10, 10)], [fig("a", 12, 12)]);
    expect(all.changeText).toBe("0.0");
    expect(all.test).toBeNull();
    expect(all.testText).toMatch(/^The change cannot be tested/);
  });

  test("marks a small sample (fewer than 10 applicable cases)", () => {
    const [row] = compareCriteria([fig("a", 6, 9)], [fig("a", 9, 10)]);
    expect(row.before!.smallSample).toBe(true);
    expect(row.after!.smallSample).toBe(false);
  });
});

describe("criteriaChanges", () => {
  test("lists added and removed ids in template order", () => {
    expect(criteriaChanges(["a", "b", "c"], ["a", "d", "c", "e"])).toEqual({ added: ["d", "e"], removed: ["b"] });
  });
});
