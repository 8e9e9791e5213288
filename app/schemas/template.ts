/**
 * The one schema every audit template file in `audit-templates/` must satisfy.
 *
 * Server-side only (full zod): the browser receives an already validated template
 * from a loader and never needs this schema.
 */
import { z } from "zod";
import { ANSWERS } from "~/lib/answers";
import { FAMILIES } from "~/lib/families";
import { isSettingId } from "~/lib/settings";
import { ConditionSchema, fieldKey, MeasureSchema, RULE_ANSWERS, RuleSchema, ruleDateFields, ruleSettings } from "./rules";

export { RULE_ANSWERS, RuleSchema } from "./rules";

const slug = z
  .string({ error: "must be text" })
  .regex(/^[a-z][a-z0-9-]*$/, "must use only lower-case letters, digits and hyphens, starting with a letter");

const text = z.string({ error: "must be text" }).trim().min(1, "must not be empty");

const AnswerSchema = z.enum(ANSWERS, {
  error: `must be one of ${ANSWERS.join(", ")}`,
});

export const SourceSchema = z.strictObject({
  /** Report code, for example HAR, ROT, BAR, TH, LUT (see the criteria catalogue). */
  report: text,
  /** Paragraph or section of the report, for example "§4.4" or "box after §4.5". */
  paragraph: text,
  /** The report's recommendation the finding led to, for example "R10.4". */
  recommendation: text.optional(),
});

const FieldBase = {
  id: fieldKey,
  label: text,
  hint: text.optional(),
  required: z.boolean().default(false),
};

export const CaseFieldSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      ...FieldBase,
      type: z.literal("date"),
      /** A date in the future is refused (most case dates are things that have happened). */
      notFuture: z.boolean().default(true),
      /** Id of another date field this date may not be earlier than. */
      notBefore: fieldKey.optional(),
    }),
    z.strictObject({
      ...FieldBase,
      type: z.literal("choice"),
      options: z.array(z.strictObject({ value: fieldKey, label: text })).min(2, "must list at least 2 options"),
    }),
    z.strictObject({ ...FieldBase, type: z.literal("yes_no") }),
  ],
  { error: "type must be one of date, choice, yes_no" },
);

export { FAMILIES } from "~/lib/families";

export const CriterionSchema = z.strictObject({
  /** Stable id, kept across versions of the template. */
  id: slug,
  /** The question as the auditor reads it. */
  question: text,
  /** What counts as met (and, where useful, partially met and not met). */
  guidance: z.strictObject({ met: text, partial: text.optional(), notMet: text.optional() }),
  /** Answers allowed for this criterion; defaults to the template's `answers`. */
  answers: z.array(AnswerSchema).min(2, "must allow at least 2 answers").optional(),
  /** Answers that need a note; defaults to the template's `noteRequiredFor`. */
  noteRequiredFor: z.array(AnswerSchema).optional(),
  family: z.enum(FAMILIES).optional(),
  rule: RuleSchema.optional(),
  /** When every condition holds the criterion applies; when one does not, the app answers "not applicable". */
  applicableWhen: z.array(ConditionSchema).min(1, "must list at least 1 condition").optional(),
  /** Extra information recorded with the answer: a choice, a number, or a ratio that decides the answer. */
  measure: MeasureSchema.optional(),
  sources: z.array(SourceSchema).min(1, "must list at least 1 source"),
  /** Set by composition: the shared module this criterion was included from. */
  module: slug.optional(),
});

/** A shared module file in audit-templates/modules/: criteria written once, included by templates. */
export const ModuleSchema = z.strictObject({
  module: slug,
  title: text,
  description: text,
  criteria: z.array(CriterionSchema).min(1, "must have at least 1 criterion"),
});
export type Module = z.infer<typeof ModuleSchema>;

export const SectionSchema = z.strictObject({
  id: slug,
  title: text,
  description: text.optional(),
  criteria: z.array(CriterionSchema).min(1, "must have at least 1 criterion"),
});

const TemplateFileSchema = z.strictObject({
  key: slug,
  version: z.number({ error: "must be a whole number" }).int("must be a whole number").positive("must be 1 or more"),
  title: text,
  description: text,
  /** Who usually audits with this template. */
  auditedBy: text.optional(),
  /** Case types this template applies to, for example LAC, CHILD, MAT, ADULT, CL. */
  caseTypes: z.array(z.string().regex(/^[A-Z]+$/, "must be upper-case letters")).min(1, "must list at least 1 case type"),
  /** How much a "partially met" answer counts towards compliance, from 0 to 1. */
  partialCredit: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(0),
  rag: z
    .strictObject({
      green: z.number().min(0).max(100).default(90),
      amber: z.number().min(0).max(100).default(75),
    })
    .default({ green: 90, amber: 75 }),
  answers: z.array(AnswerSchema).min(2).default([...ANSWERS]),
  noteRequiredFor: z.array(AnswerSchema).default(["partial", "not_met"]),
  caseFields: z.array(CaseFieldSchema).default([]),
  /** Set by composition: the shared modules this template includes criteria from. */
  modules: z.array(z.strictObject({ module: slug, title: text })).optional(),
  sections: z.array(SectionSchema).min(1, "must have at least 1 section"),
});

export const TemplateSchema = TemplateFileSchema.superRefine((t, ctx) => {
  if (t.rag.amber > t.rag.green) {
    ctx.addIssue({ code: "custom", path: ["rag", "amber"], message: "must not be higher than rag.green" });
  }
  const fields = new Map(t.caseFields.map((f) => [f.id, f]));
  const seenField = new Set<string>();
  t.caseFields.forEach((f, i) => {
    if (seenField.has(f.id)) {
      ctx.addIssue({ code: "custom", path: ["caseFields", i, "id"], message: `"${f.id}" is used by more than one case field` });
    }
    seenField.add(f.id);
    if (f.type === "date" && f.notBefore && fields.get(f.notBefore)?.type !== "date") {
      ctx.addIssue({ code: "custom", path: ["caseFields", i, "notBefore"], message: `"${f.notBefore}" is not a date case field of this template` });
    }
  });
  const seenSection = new Set<string>();
  const seenCriterion = new Set<string>();
  t.sections.forEach((s, si) => {
    if (seenSection.has(s.id)) {
      ctx.addIssue({ code: "custom", path: ["sections", si, "id"], message: `"${s.id}" is used by more than one section` });
    }
    seenSection.add(s.id);
    s.criteria.forEach((c, ci) => {
      const path = ["sections", si, "criteria", ci];
      if (seenCriterion.has(c.id)) {
        ctx.addIssue({ code: "custom", path: [...path, "id"], message: `"${c.id}" is used by more than one criterion` });
      }
      seenCriterion.add(c.id);
      const allowed = c.answers ?? t.answers;
      for (const a of c.noteRequiredFor ?? []) {
        if (!allowed.includes(a)) {
          ctx.addIssue({ code: "custom", path: [...path, "noteRequiredFor"], message: `"${a}" is not one of this criterion's answers` });
        }
      }
      if (c.rule) {
        for (const [k, fid] of Object.entries(ruleDateFields(c.rule))) {
          if (fields.get(fid)?.type !== "date") {
            ctx.addIssue({ code: "custom", path: [...path, "rule", k], message: `"${fid}" is not a date case field of this template` });
          }
        }
        for (const [k, sid] of Object.entries(ruleSettings(c.rule))) {
          if (!isSettingId(sid)) {
            ctx.addIssue({ code: "custom", path: [...path, "rule", k, "setting"], message: `"${sid}" is not a setting (see app/lib/settings.ts)` });
          }
        }
        for (const a of RULE_ANSWERS[c.rule.type]) {
          if (!allowed.includes(a)) {
            ctx.addIssue({ code: "custom", path: [...path, "answers"], message: `must include "${a}", which the ${c.rule.type} rule can give` });
          }
        }
        if (c.measure) {
          ctx.addIssue({ code: "custom", path: [...path, "measure"], message: "a date-rule criterion cannot have a measure: record extra details as case fields" });
        }
      }
      if (c.measure?.type === "ratio") {
        for (const a of ["met", "partial", "not_met"] as const) {
          if (!allowed.includes(a)) {
            ctx.addIssue({ code: "custom", path: [...path, "answers"], message: `must include "${a}", which a ratio measure can give` });
          }
        }
      }
      if (c.measure?.type === "number") {
        const m = c.measure;
        if (m.min > m.max) ctx.addIssue({ code: "custom", path: [...path, "measure", "max"], message: "must not be lower than min" });
        if (m.bands) {
          m.bands.forEach((b, bi) => {
            if (bi > 0 && b.max <= m.bands![bi - 1].max) {
              ctx.addIssue({ code: "custom", path: [...path, "measure", "bands", bi, "max"], message: "bands must be in ascending order of max" });
            }
          });
          if (m.bands.at(-1)!.max !== m.max) {
            ctx.addIssue({ code: "custom", path: [...path, "measure", "bands"], message: `the last band must end at max (${m.max})` });
          }
        }
      }
      c.applicableWhen?.forEach((cond, ki) => {
        const at = [...path, "applicableWhen", ki];
        if ("age" in cond) {
          for (const k of ["dateOfBirth", "on"] as const) {
            if (fields.get(cond.age[k])?.type !== "date") {
              ctx.addIssue({ code: "custom", path: [...at, "age", k], message: `"${cond.age[k]}" is not a date case field of this template` });
            }
          }
          if (cond.age.min === undefined && cond.age.max === undefined) {
            ctx.addIssue({ code: "custom", path: [...at, "age"], message: "must give min, max or both" });
          }
          return;
        }
        const f = fields.get(cond.field);
        if (!f || (f.type !== "choice" && f.type !== "yes_no")) {
          ctx.addIssue({ code: "custom", path: [...at, "field"], message: `"${cond.field}" is not a choice or yes/no case field of this template` });
          return;
        }
        const values = f.type === "yes_no" ? ["yes", "no"] : f.options.map((o) => o.value);
        for (const v of "equals" in cond ? [cond.equals] : cond.in) {
          if (!values.includes(v)) {
            ctx.addIssue({ code: "custom", path: [...at, "equals" in cond ? "equals" : "in"], message: `"${v}" is not one of the values of "${cond.field}" (${values.join(", ")})` });
          }
        }
      });
    });
  });
}).transform((t) => ({
  ...t,
  sections: t.sections.map((s) => ({
    ...s,
    criteria: s.criteria.map((c) => {
      const answers = c.answers ?? t.answers;
      return {
        ...c,
        answers,
        noteRequiredFor: (c.noteRequiredFor ?? t.noteRequiredFor).filter((a) => answers.includes(a)),
      };
    }),
  })),
}));

export type TemplateInput = z.input<typeof TemplateSchema>;
/** A validated template with every default filled in: what an audit pins. */
export type Template = z.output<typeof TemplateSchema>;
export type Section = Template["sections"][number];
export type Criterion = Section["criteria"][number];
export type CaseField = Template["caseFields"][number];
export type { Rule, Condition, Measure } from "./rules";
export type Source = z.infer<typeof SourceSchema>;

/** Every criterion of a template, in order, with its section id. */
export function allCriteria(t: Pick<Template, "sections">): (Criterion & { sectionId: string })[] {
  return t.sections.flatMap((s) => s.criteria.map((c) => ({ ...c, sectionId: s.id })));
}
