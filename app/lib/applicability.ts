/**
 * Applicability of a criterion (template `applicableWhen`, see app/schemas/rules.ts):
 * when every condition holds the criterion applies; when the case's data show one does
 * not, the app answers "not applicable" and says why; when the data needed to decide are
 * missing, it says which to enter and the auditor answers.
 *
 * Safety: never "not applicable" from missing or unusable data (that would hide a
 * criterion); only a value actually entered can rule a criterion out.
 */
import { ageInYearsOn, compareIso, parseIsoDate } from "~/lib/dates";
import type { Condition } from "~/schemas/rules";

export type ApplicabilityCaseField = { id: string; label: string; type: string; options?: { value: string; label: string }[] };

export type Applicability = { applicable: true } | { applicable: false; reason: string } | { applicable: null; reason: string };

type Fields = Record<string, string | null | undefined>;

/** The outcome of one condition. */
type Check =
  | { state: "true" }
  | { state: "false"; reason: string }
  /** `enter`: the labels of fields to enter; `reason`: a contradiction to correct. */
  | { state: "unknown"; enter: string[]; reason?: string };

const YES_NO: Record<string, string> = { yes: "Yes", no: "No" };

function quoted(label: string): string {
  return `“${label}”`;
}

/** "A", "A and B", "A, B and C". */
function listAnd(items: string[], word = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

function fieldOf(caseFields: ApplicabilityCaseField[], id: string): ApplicabilityCaseField | undefined {
  return caseFields.find((f) => f.id === id);
}

function labelOf(caseFields: ApplicabilityCaseField[], id: string): string {
  return fieldOf(caseFields, id)?.label ?? id;
}

/** The display label of a stored value: Yes/No for yes_no fields, the option label for choices. */
function valueLabel(field: ApplicabilityCaseField | undefined, value: string): string {
  if (field?.type === "yes_no") return YES_NO[value] ?? value;
  return field?.options?.find((o) => o.value === value)?.label ?? value;
}

function stored(fields: Fields, id: string): string | null {
  const value = fields[id];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** "from age 4 to 16", "from age 8", "up to age 16". */
function ageRangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `from age ${min} to ${max}`;
  if (min !== undefined) return `from age ${min}`;
  if (max !== undefined) return `up to age ${max}`;
  return "at any age";
}

function check(condition: Condition, fields: Fields, caseFields: ApplicabilityCaseField[]): Check {
  if ("age" in condition) {
    const { dateOfBirth, on, min, max } = condition.age;
    const dob = stored(fields, dateOfBirth);
    const onDate = stored(fields, on);
    const missing = [
      dob && parseIsoDate(dob) ? null : labelOf(caseFields, dateOfBirth),
      onDate && parseIsoDate(onDate) ? null : labelOf(caseFields, on),
    ].filter((x): x is string => x !== null);
    if (missing.length > 0 || !dob || !onDate) return { state: "unknown", enter: missing };
    if (compareIso(onDate, dob) < 0) {
      return {
        state: "unknown",
        enter: [],
        reason:
          `${quoted(labelOf(caseFields, on))} is before ${quoted(labelOf(caseFields, dateOfBirth))}: ` +
          "check the dates to work out whether this applies.",
      };
    }
    const age = ageInYearsOn(dob, onDate);
    if ((min === undefined || age >= min) && (max === undefined || age <= max)) return { state: "true" };
    return {
      state: "false",
      reason:
        `Not applicable: the child was ${age === 0 ? "under 1" : age} on ${quoted(labelOf(caseFields, on))}; ` +
        `this applies ${ageRangeText(min, max)}.`,
    };
  }

  const field = fieldOf(caseFields, condition.field);
  const label = quoted(field?.label ?? condition.field);
  const value = stored(fields, condition.field);
  if (value === null) return { state: "unknown", enter: [field?.label ?? condition.field] };
  const wanted = "equals" in condition ? [condition.equals] : condition.in;
  if (wanted.includes(value)) return { state: "true" };
  return {
    state: "false",
    reason:
      `Not applicable: ${label} is ${valueLabel(field, value)}; this applies only when it is ` +
      `${listAnd(wanted.map((v) => valueLabel(field, v)), "or")}.`,
  };
}

/**
 * Whether a criterion applies to a case: true with no conditions or when all hold; false
 * (with the reason) when the case's data show one does not hold; null (saying what to
 * enter) when none is false but the data to decide one are missing or unusable.
 */
export function evaluateApplicability(
  conditions: Condition[] | undefined,
  fields: Fields,
  caseFields: ApplicabilityCaseField[],
): Applicability {
  if (!conditions || conditions.length === 0) return { applicable: true };
  const checks = conditions.map((c) => check(c, fields, caseFields));
  const failed = checks.find((c) => c.state === "false");
  if (failed) return { applicable: false, reason: failed.reason };

  const unknown = checks.filter((c) => c.state === "unknown");
  if (unknown.length === 0) return { applicable: true };
  const enter = [...new Set(unknown.flatMap((c) => c.enter))];
  if (enter.length > 0) return { applicable: null, reason: `Enter ${listAnd(enter.map(quoted))} to check whether this applies.` };
  return { applicable: null, reason: unknown.find((c) => c.reason)?.reason ?? "Whether this applies cannot be worked out." };
}

/**
 * One sentence saying when a criterion applies, for the template library, for example
 * "Applies only when “Unaccompanied asylum-seeking child” is Yes and the child is aged 4 to 16 on “Date of this review health assessment”."
 */
export function describeConditions(conditions: Condition[] | undefined, caseFields: ApplicabilityCaseField[]): string {
  if (!conditions || conditions.length === 0) return "Applies to every case.";
  const parts = conditions.map((condition) => {
    if ("age" in condition) {
      const { on, min, max } = condition.age;
      const ages =
        min !== undefined && max !== undefined
          ? `aged ${min} to ${max}`
          : min !== undefined
            ? `aged ${min} or over`
            : max !== undefined
              ? `aged ${max} or under`
              : "of any age";
      return `the child is ${ages} on ${quoted(labelOf(caseFields, on))}`;
    }
    const field = fieldOf(caseFields, condition.field);
    const wanted = "equals" in condition ? [condition.equals] : condition.in;
    return `${quoted(field?.label ?? condition.field)} is ${listAnd(wanted.map((v) => valueLabel(field, v)), "or")}`;
  });
  return `Applies only when ${listAnd(parts)}.`;
}
