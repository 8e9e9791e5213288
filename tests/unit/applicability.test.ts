import { describe, expect, it } from "vitest";
import { describeConditions, evaluateApplicability } from "~/lib/applicability";
import type { Condition } from "~/schemas/rules";

const caseFields = [
  { id: "date_of_birth", label: "Date of birth", type: "date" },
  { id: "rha_date", label: "Date of this review health assessment", type: "date" },
  { id: "uasc", label: "Unaccompanied asylum-seeking child", type: "yes_no" },
  {
    id: "placement",
    label: "Placement",
    type: "choice",
    options: [
      { value: "in_area", label: "In area" },
      { value: "out_of_area", label: "Out of area" },
      { value: "residential", label: "Residential" },
    ],
  },
];

const sdq: Condition[] = [{ age: { dateOfBirth: "date_of_birth", on: "rha_date", min: 4, max: 16 } }];
const uasc: Condition[] = [{ field: "uasc", equals: "yes" }];
const placement: Condition[] = [{ field: "placement", in: ["out_of_area", "residential"] }];

describe("evaluateApplicability: no conditions", () => {
  it("applies when there are none", () => {
    expect(evaluateApplicability(undefined, {}, caseFields)).toEqual({ applicable: true });
    expect(evaluateApplicability([], {}, caseFields)).toEqual({ applicable: true });
  });
});

describe("evaluateApplicability: SDQ ages 4 to 16 (domain.md rule 9)", () => {
  // Born 15 June 2010: 4th birthday 15 June 2014, 17th birthday 15 June 2027.
  const dob = "2010-06-15";

  it("does not apply at 3 years 364 days", () => {
    expect(evaluateApplicability(sdq, { date_of_birth: dob, rha_date: "2014-06-14" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: the child was 3 on “Date of this review health assessment”; this applies from age 4 to 16.",
    });
  });

  it("applies at 4 years 0 days", () => {
    expect(evaluateApplicability(sdq, { date_of_birth: dob, rha_date: "2014-06-15" }, caseFields)).toEqual({ applicable: true });
  });

  it("applies at 16 years 364 days", () => {
    expect(evaluateApplicability(sdq, { date_of_birth: dob, rha_date: "2027-06-14" }, caseFields)).toEqual({ applicable: true });
  });

  it("does not apply at 17 years 0 days", () => {
    expect(evaluateApplicability(sdq, { date_of_birth: dob, rha_date: "2027-06-15" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: the child was 17 on “Date of this review health assessment”; this applies from age 4 to 16.",
    });
  });

  it("says to enter a missing date of birth, never 'not applicable'", () => {
    for (const missing of [undefined, null, "", "  "]) {
      expect(evaluateApplicability(sdq, { date_of_birth: missing, rha_date: "2027-06-15" }, caseFields)).toEqual({
        applicable: null,
        reason: "Enter “Date of birth” to check whether this applies.",
      });
    }
  });

  it("names both dates when both are missing", () => {
    expect(evaluateApplicability(sdq, {}, caseFields)).toEqual({
      applicable: null,
      reason: "Enter “Date of birth” and “Date of this review health assessment” to check whether this applies.",
    });
  });

  it("is unknown for a date that is not real", () => {
    expect(evaluateApplicability(sdq, { date_of_birth: "2010-02-30", rha_date: "2020-01-01" }, caseFields).applicable).toBeNull();
  });

  it("is unknown, and does not throw, when the date is before the date of birth", () => {
    const result = evaluateApplicability(sdq, { date_of_birth: dob, rha_date: "2010-06-14" }, caseFields);
    expect(result.applicable).toBeNull();
    expect("reason" in result && result.reason).toMatch(/“Date of this review health assessment” is before “Date of birth”/);
  });

  it("puts a 29 February birthday on 28 February in other years", () => {
    const born = "2012-02-29";
    expect(evaluateApplicability(sdq, { date_of_birth: born, rha_date: "2016-02-28" }, caseFields).applicable).toBe(false);
    expect(evaluateApplicability(sdq, { date_of_birth: born, rha_date: "2016-02-29" }, caseFields).applicable).toBe(true);
    expect(evaluateApplicability(sdq, { date_of_birth: born, rha_date: "2029-02-27" }, caseFields).applicable).toBe(true);
    expect(evaluateApplicability(sdq, { date_of_birth: born, rha_date: "2029-02-28" }, caseFields).applicable).toBe(false);
  });

  it("handles a lower bound only and an upper bound only", () => {
    const from8: Condition[] = [{ age: { dateOfBirth: "date_of_birth", on: "rha_date", min: 8 } }];
    expect(evaluateApplicability(from8, { date_of_birth: dob, rha_date: "2018-06-14" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: the child was 7 on “Date of this review health assessment”; this applies from age 8.",
    });
    expect(evaluateApplicability(from8, { date_of_birth: dob, rha_date: "2018-06-15" }, caseFields).applicable).toBe(true);
    expect(evaluateApplicability(from8, { date_of_birth: dob, rha_date: "2030-01-01" }, caseFields).applicable).toBe(true);
    const upTo15: Condition[] = [{ age: { dateOfBirth: "date_of_birth", on: "rha_date", max: 15 } }];
    expect(evaluateApplicability(upTo15, { date_of_birth: dob, rha_date: "2026-06-14" }, caseFields).applicable).toBe(true);
    expect(evaluateApplicability(upTo15, { date_of_birth: dob, rha_date: "2026-06-15" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: the child was 16 on “Date of this review health assessment”; this applies up to age 15.",
    });
  });

  it("says 'under 1' for a baby", () => {
    const from1: Condition[] = [{ age: { dateOfBirth: "date_of_birth", on: "rha_date", min: 1 } }];
    expect(evaluateApplicability(from1, { date_of_birth: "2026-01-01", rha_date: "2026-06-01" }, caseFields)).toMatchObject({
      applicable: false,
      reason: expect.stringMatching(/the child was under 1 on/),
    });
  });
});

describe("evaluateApplicability: field equals", () => {
  it("applies when a yes/no field is yes", () => {
    expect(evaluateApplicability(uasc, { uasc: "yes" }, caseFields)).toEqual({ applicable: true });
  });

  it("does not apply when it is no, saying so with the option labels", () => {
    expect(evaluateApplicability(uasc, { uasc: "no" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: “Unaccompanied asylum-seeking child” is No; this applies only when it is Yes.",
    });
  });

  it("is unknown when blank", () => {
    for (const blank of [undefined, null, "", " "]) {
      expect(evaluateApplicability(uasc, { uasc: blank }, caseFields)).toEqual({
        applicable: null,
        reason: "Enter “Unaccompanied asylum-seeking child” to check whether this applies.",
      });
    }
  });

  it("works for a condition on 'no'", () => {
    const notUasc: Condition[] = [{ field: "uasc", equals: "no" }];
    expect(evaluateApplicability(notUasc, { uasc: "no" }, caseFields).applicable).toBe(true);
    expect(evaluateApplicability(notUasc, { uasc: "yes" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: “Unaccompanied asylum-seeking child” is Yes; this applies only when it is No.",
    });
  });

  it("uses the field id when the field is not a case field", () => {
    expect(evaluateApplicability([{ field: "other", equals: "x" }], { other: "y" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: “other” is y; this applies only when it is x.",
    });
  });
});

describe("evaluateApplicability: field in a list", () => {
  it("applies for each listed value", () => {
    expect(evaluateApplicability(placement, { placement: "out_of_area" }, caseFields)).toEqual({ applicable: true });
    expect(evaluateApplicability(placement, { placement: "residential" }, caseFields)).toEqual({ applicable: true });
  });

  it("does not apply for a value not listed, naming the options by label", () => {
    expect(evaluateApplicability(placement, { placement: "in_area" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: “Placement” is In area; this applies only when it is Out of area or Residential.",
    });
  });

  it("is unknown when blank", () => {
    expect(evaluateApplicability(placement, {}, caseFields)).toEqual({
      applicable: null,
      reason: "Enter “Placement” to check whether this applies.",
    });
  });
});

describe("evaluateApplicability: several conditions", () => {
  const both = [...uasc, ...sdq];

  it("applies only when every condition holds", () => {
    expect(evaluateApplicability(both, { uasc: "yes", date_of_birth: "2010-06-15", rha_date: "2020-01-01" }, caseFields)).toEqual({
      applicable: true,
    });
    expect(evaluateApplicability(both, { uasc: "yes", date_of_birth: "2010-06-15", rha_date: "2030-01-01" }, caseFields).applicable).toBe(false);
  });

  it("is not applicable when one condition fails, even if another cannot be checked", () => {
    expect(evaluateApplicability(both, { uasc: "no" }, caseFields)).toEqual({
      applicable: false,
      reason: "Not applicable: “Unaccompanied asylum-seeking child” is No; this applies only when it is Yes.",
    });
    expect(evaluateApplicability(both, { date_of_birth: "2010-06-15", rha_date: "2030-01-01" }, caseFields).applicable).toBe(false);
  });

  it("is unknown when none fails but one cannot be checked, naming what to enter", () => {
    expect(evaluateApplicability(both, { uasc: "yes", date_of_birth: "2010-06-15" }, caseFields)).toEqual({
      applicable: null,
      reason: "Enter “Date of this review health assessment” to check whether this applies.",
    });
    expect(evaluateApplicability(both, {}, caseFields)).toEqual({
      applicable: null,
      reason:
        "Enter “Unaccompanied asylum-seeking child”, “Date of birth” and “Date of this review health assessment” to check whether this applies.",
    });
  });
});

describe("describeConditions", () => {
  it("describes conditions in one sentence with labels", () => {
    expect(describeConditions([...uasc, ...sdq], caseFields)).toBe(
      "Applies only when “Unaccompanied asylum-seeking child” is Yes and the child is aged 4 to 16 on “Date of this review health assessment”.",
    );
    expect(describeConditions(placement, caseFields)).toBe("Applies only when “Placement” is Out of area or Residential.");
    expect(describeConditions([{ age: { dateOfBirth: "date_of_birth", on: "rha_date", min: 8 } }], caseFields)).toBe(
      "Applies only when the child is aged 8 or over on “Date of this review health assessment”.",
    );
    expect(describeConditions([{ age: { dateOfBirth: "date_of_birth", on: "rha_date", max: 15 } }], caseFields)).toBe(
      "Applies only when the child is aged 15 or under on “Date of this review health assessment”.",
    );
  });

  it("says a criterion without conditions applies to every case", () => {
    expect(describeConditions(undefined, caseFields)).toBe("Applies to every case.");
  });
});
