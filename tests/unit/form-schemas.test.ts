import { describe, expect, it } from "vitest";
import { isValidNhsNumber, containsNhsNumber } from "~/lib/nhs-number";
import { formDataToObject, issuesToErrors } from "~/lib/form-data";
import { answerSchema, caseAnswersSchema } from "~/schemas/answer";
import { caseRef, caseSchema } from "~/schemas/case";
import { dateField } from "~/schemas/fields";
import { FirstAdminSchema } from "~/schemas/account";
import { drawFormValuesFor, drawSampleSchema, type DrawInput } from "~/schemas/sampling";

const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? {} : issuesToErrors(r.error!.issues));

describe("NHS number check (Modulus 11)", () => {
  it.each([["9434765919", true], ["943 476 5919", true], ["9434765918", false], ["1234567890", false], ["943476591", false]])("%s → %s", (v, ok) => {
    expect(isValidNhsNumber(v)).toBe(ok);
  });
  it("finds an NHS number inside other text", () => {
    expect(containsNhsNumber("REF-9434765919")).toBe(true);
    expect(containsNhsNumber("LAC-2025-014")).toBe(false);
  });
});

describe("case reference", () => {
  it("trims and upper-cases a good reference", () => {
    expect(caseRef.parse("  lac-2025-014 ")).toBe("LAC-2025-014");
  });
  it.each([
    ["", "Enter the case reference"],
    ["Jane Smith", "Case reference must only include letters, numbers, hyphens, slashes, dots and underscores, with no spaces"],
    ["JaneSmith", "Case reference must include at least one number. Do not enter a child's name"],
    ["9434765919", "Case reference must not be an NHS number. Enter your service's pseudonymous reference instead"],
    ["A".repeat(41) + "1", "Case reference must be 40 characters or less"],
  ])("refuses %j", (v, message) => {
    const r = caseRef.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(message);
  });
});

describe("GOV.UK date input", () => {
  const dob = dateField({ label: "Date of birth", required: true, today: "2026-11-23" });
  it.each([
    [{}, "Enter the date of birth"],
    [{ day: "1", year: "2020" }, "Date of birth must include a month"],
    [{ year: "2020" }, "Date of birth must include a day and a month"],
    [{ day: "31", month: "2", year: "2020" }, "Date of birth must be a real date"],
    [{ day: "1", month: "1", year: "20" }, "Date of birth must include a year with 4 numbers, like 2025"],
    [{ day: "24", month: "11", year: "2026" }, "Date of birth must be today or in the past"],
    [{ day: "1", month: "1", year: "0000" }, "Date of birth must be in 1900 or later"],
    [{ day: "1", month: "1", year: "1899" }, "Date of birth must be in 1900 or later"],
  ])("%j → %s", (parts, message) => {
    const r = dob.safeParse(parts);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(message);
  });
  it("turns day, month and year into an ISO date, accepting today", () => {
    expect(dob.parse({ day: " 23", month: "11 ", year: "2026" })).toBe("2026-11-23");
    expect(dob.parse({ day: "29", month: "2", year: "2024" })).toBe("2024-02-29");
  });
  it("gives null for an empty optional date", () => {
    expect(dateField({ label: "Date seen" }).parse({ day: "", month: "", year: "" })).toBeNull();
  });
});

describe("case schema built from a template", () => {
  const ctx = {
    caseFields: [
      { id: "looked_after", type: "date" as const, label: "Date the child became looked after", required: true, notFuture: true },
      { id: "seen", type: "date" as const, label: "Date seen", required: false, notFuture: true, notBefore: "looked_after" },
    ],
    caseTypes: ["LAC"],
    services: [{ id: 1, name: "LAC team" }],
    teams: [{ id: 5, name: "North", serviceId: 1 }, { id: 6, name: "South", serviceId: 2 }],
    today: "2026-11-23",
  };
  const base = { caseRef: "LAC-1", serviceId: "1", teamId: "5", caseType: "LAC", fields: { looked_after: { day: "1", month: "12", year: "2025" }, seen: { day: "2", month: "12", year: "2025" } } };
  it("accepts a good case", () => {
    expect(caseSchema(ctx).parse(base)).toEqual({ caseRef: "LAC-1", serviceId: 1, teamId: 5, caseType: "LAC", fields: { looked_after: "2025-12-01", seen: "2025-12-02" } });
  });
  it("refuses a date before the one it must follow, a foreign team and an unknown service", () => {
    const r = caseSchema(ctx).safeParse({ ...base, teamId: "6", fields: { ...base.fields, seen: { day: "30", month: "11", year: "2025" } } });
    expect(errorsOf(r)).toMatchObject({
      teamId: "Select a team that belongs to the chosen service",
      "fields.seen": "Date seen must be the same as or after the date the child became looked after",
    });
    expect(errorsOf(caseSchema(ctx).safeParse({ ...base, serviceId: "2" }))).toMatchObject({ serviceId: "Select a service that is in scope for this audit" });
  });
});

describe("answers", () => {
  const c = { id: "voice", answers: ["met", "partial", "not_met"] as ("met" | "partial" | "not_met")[], noteRequiredFor: ["partial", "not_met"] as ("partial" | "not_met")[] };
  it("requires a note for partially met and not met", () => {
    expect(errorsOf(answerSchema(c).safeParse({ answer: "partial", note: " " }))).toEqual({ note: "Enter a note to say why this is partially met" });
    expect(answerSchema(c).safeParse({ answer: "met" }).success).toBe(true);
  });
  it("refuses an answer the criterion does not allow", () => {
    expect(errorsOf(answerSchema(c).safeParse({ answer: "na" }))).toEqual({ answer: "Select whether this is met, partially met or not met" });
  });
  it("refuses a criterion the template does not have", () => {
    const r = caseAnswersSchema([c]).safeParse({ answers: { other: { answer: "met" } } });
    expect(r.success).toBe(false);
  });
});

describe("form data", () => {
  it("nests dotted names and collects repeated names", () => {
    const fd = new FormData();
    fd.append("fields.dob.day", "1");
    fd.append("fields.dob.month", "2");
    fd.append("serviceIds", "3");
    expect(formDataToObject(fd, { arrays: ["serviceIds", "other"] })).toEqual({ fields: { dob: { day: "1", month: "2" } }, serviceIds: ["3"], other: [] });
  });
  it("first administrator: passwords must match and be 12 characters or more", () => {
    expect(errorsOf(FirstAdminSchema.safeParse({ name: "A", email: "a@b.nhs.uk", password: "short", confirmPassword: "short" }))).toMatchObject({ password: "Password must be 12 characters or more" });
    expect(errorsOf(FirstAdminSchema.safeParse({ name: "A", email: "a@b.nhs.uk", password: "long enough pass", confirmPassword: "different pass!" }))).toEqual({ confirmPassword: "Passwords do not match. Enter the same password twice" });
  });
});

describe("drawFormValuesFor (a recorded draw back into the draw form)", () => {
  const methods: Omit<DrawInput, "seed">[] = [
    { method: "simple", stratifyBy: null, allocation: null, sizeBy: "number", size: 30, percent: null, perStratum: null, minPerStratum: 0 },
    { method: "simple", stratifyBy: null, allocation: null, sizeBy: "percent", size: null, percent: 12.5, perStratum: null, minPerStratum: 0 },
    { method: "stratified", stratifyBy: "team", allocation: "proportional", sizeBy: "percent", size: null, percent: 10, perStratum: null, minPerStratum: 2 },
    { method: "stratified", stratifyBy: "service", allocation: "fixed", sizeBy: null, size: null, percent: null, perStratum: 5, minPerStratum: 0 },
  ];
  it.each(methods)("reads back as the same draw: %o", (m) => {
    const values = drawFormValuesFor(m, "NEW-SEED-1");
    expect(drawSampleSchema.parse(values)).toEqual({ ...m, seed: "NEW-SEED-1" });
  });
});
