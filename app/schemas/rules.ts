/**
 * Date rules and applicability conditions of template criteria (see audit-templates/README.md).
 *
 * Server-side only (full zod), like the template schema that includes these.
 */
import { z } from "zod";
import type { Answer } from "~/lib/answers";

export const fieldKey = z
  .string({ error: "must be text" })
  .regex(/^[a-z][a-z0-9_]*$/, "must use only lower-case letters, digits and underscores, starting with a letter");

export const settingKey = z
  .string({ error: "must be text" })
  .regex(/^[a-z][a-z0-9-]*$/, "must use only lower-case letters, digits and hyphens, starting with a letter");

/** A whole number, or `{ setting: <id> }`: a local rule a deployment can change (see app/lib/settings.ts). */
export const Amount = z.union(
  [z.number().int("must be a whole number").min(0, "must be 0 or more"), z.strictObject({ setting: settingKey })],
  { error: "must be a whole number, or { setting: <setting id> }" },
);
export type Amount = z.infer<typeof Amount>;

/** An age or interval: exactly one of days, weeks or months. */
export const Offset = z.union(
  [
    z.strictObject({ days: z.number().int().min(0) }),
    z.strictObject({ weeks: z.number().int().min(0) }),
    z.strictObject({ months: z.number().int().min(0) }),
  ],
  { error: "must be one of { days: N }, { weeks: N } or { months: N }" },
);
export type Offset = z.infer<typeof Offset>;

/** Date rules: criteria the app answers from the case's dates. */
export const RuleSchema = z.discriminatedUnion(
  "type",
  [
    /** Met when `to` is no later than the Nth working day after `from` (the `from` date is day 0). */
    z.strictObject({ type: z.literal("within_working_days"), from: fieldKey, to: fieldKey, days: Amount }),
    /** Met when `to` is no more than N calendar days after `from`; days 0 means the same day. */
    z.strictObject({ type: z.literal("within_calendar_days"), from: fieldKey, to: fieldKey, days: Amount }),
    /** Met when `to` is no later than `from` plus N calendar months (day of month clamped to month end). */
    z.strictObject({ type: z.literal("within_months"), from: fieldKey, to: fieldKey, months: Amount }),
    /**
     * IHA timeliness: met when the child was seen and the report sent within N working
     * days of becoming looked after; partially met when seen in time but the report was late.
     */
    z.strictObject({
      type: z.literal("iha_timeliness"),
      lookedAfter: fieldKey,
      seen: fieldKey,
      reportSent: fieldKey,
      days: Amount.default(20),
    }),
    /**
     * Review health assessment: due `monthsUnder` months after the previous assessment if the
     * child was under `ageBoundary` on that date, else `monthsFrom` months after it.
     */
    z.strictObject({
      type: z.literal("review_interval"),
      dateOfBirth: fieldKey,
      previous: fieldKey,
      current: fieldKey,
      ageBoundary: z.number().int().positive().default(5),
      monthsUnder: Amount.default(6),
      monthsFrom: Amount.default(12),
    }),
    /** Met when `event` happened before the person's `age`th birthday (for example 18). */
    z.strictObject({ type: z.literal("before_birthday"), dateOfBirth: fieldKey, event: fieldKey, age: z.number().int().positive() }),
    /**
     * Pregnancy gestation at `event`, from the estimated date of delivery (EDD = 40+0 weeks):
     * met when at least `fromWeeks`+0 and before `beforeWeeks`+0 weeks.
     */
    z.strictObject({
      type: z.literal("gestation_window"),
      dueDate: fieldKey,
      event: fieldKey,
      fromWeeks: Amount.optional(),
      beforeWeeks: Amount.optional(),
    }),
    /** A contact due in an age window: met when the child's age at `event` is within [from, to], inclusive. */
    z.strictObject({ type: z.literal("age_window"), dateOfBirth: fieldKey, event: fieldKey, from: Offset, to: Offset }),
  ],
  {
    error:
      "type must be one of within_working_days, within_calendar_days, within_months, iha_timeliness, review_interval, before_birthday, gestation_window, age_window",
  },
);
export type Rule = z.infer<typeof RuleSchema>;
export type RuleType = Rule["type"];

/** What each rule type can answer, so a template cannot forbid an answer its rule gives. */
export const RULE_ANSWERS: Record<RuleType, Answer[]> = {
  within_working_days: ["met", "not_met"],
  within_calendar_days: ["met", "not_met"],
  within_months: ["met", "not_met"],
  iha_timeliness: ["met", "partial", "not_met"],
  review_interval: ["met", "not_met"],
  before_birthday: ["met", "not_met", "na"],
  gestation_window: ["met", "not_met"],
  age_window: ["met", "not_met", "na"],
};

/** The date case fields a rule reads, by rule key, in the order the rule uses them. */
export function ruleDateFields(rule: Rule): Record<string, string> {
  switch (rule.type) {
    case "within_working_days":
    case "within_calendar_days":
    case "within_months":
      return { from: rule.from, to: rule.to };
    case "iha_timeliness":
      return { lookedAfter: rule.lookedAfter, seen: rule.seen, reportSent: rule.reportSent };
    case "review_interval":
      return { dateOfBirth: rule.dateOfBirth, previous: rule.previous, current: rule.current };
    case "before_birthday":
      return { dateOfBirth: rule.dateOfBirth, event: rule.event };
    case "gestation_window":
      return { dueDate: rule.dueDate, event: rule.event };
    case "age_window":
      return { dateOfBirth: rule.dateOfBirth, event: rule.event };
  }
}

/** The settings a rule refers to, by rule key. */
export function ruleSettings(rule: Rule): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rule)) {
    if (v && typeof v === "object" && "setting" in v) out[k] = (v as { setting: string }).setting;
  }
  return out;
}

/**
 * Applicability: when every condition holds the criterion applies; when the case's data
 * show one does not hold, the app answers "not applicable" and says why.
 */
export const ConditionSchema = z.union(
  [
    /** A choice or yes/no case field has this value. */
    z.strictObject({ field: fieldKey, equals: z.string() }),
    /** A choice case field has one of these values. */
    z.strictObject({ field: fieldKey, in: z.array(z.string()).min(1) }),
    /**
     * Age in whole years on the date in `on` is between min and max inclusive (max 16 means
     * up to 16 years 364 days). Either bound may be left out.
     */
    z.strictObject({
      age: z.strictObject({ dateOfBirth: fieldKey, on: fieldKey, min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
    }),
  ],
  { error: "must be one of { field, equals }, { field, in } or { age: { dateOfBirth, on, min, max } }" },
);
export type Condition = z.infer<typeof ConditionSchema>;

/** Extra information the auditor records with an answer. */
export const MeasureSchema = z.discriminatedUnion(
  "type",
  [
    /** A pick-list, for example who did the assessment or the screening tool used. */
    z.strictObject({
      type: z.literal("choice"),
      label: z.string().trim().min(1),
      hint: z.string().trim().min(1).optional(),
      options: z.array(z.strictObject({ value: fieldKey, label: z.string().trim().min(1) })).min(2),
    }),
    /** A whole number, optionally banded (for example an SDQ total difficulties score). */
    z.strictObject({
      type: z.literal("number"),
      label: z.string().trim().min(1),
      hint: z.string().trim().min(1).optional(),
      min: z.number().int(),
      max: z.number().int(),
      /** Bands in ascending order; each covers up to and including `max`. */
      bands: z.array(z.strictObject({ max: z.number().int(), label: z.string().trim().min(1) })).optional(),
    }),
    /**
     * A count out of a total that decides the answer: all → met, at least one → partially met,
     * none → not met (for example SMART actions out of all the plan's actions).
     */
    z.strictObject({
      type: z.literal("ratio"),
      label: z.string().trim().min(1),
      numeratorLabel: z.string().trim().min(1),
      denominatorLabel: z.string().trim().min(1),
    }),
  ],
  { error: "type must be one of choice, number, ratio" },
);
export type Measure = z.infer<typeof MeasureSchema>;
