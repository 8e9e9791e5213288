/**
 * The one schema every audit template file in `audit-templates/` must satisfy.
 *
 * Server-side only (full zod): the browser receives an already validated template
 * from a loader and never needs this schema.
 */
import { z } from "zod";
import { ANSWERS, type Answer } from "~/lib/answers";

const slug = z
  .string({ error: "must be text" })
  .regex(/^[a-z][a-z0-9-]*$/, "must use only lower-case letters, digits and hyphens, starting with a letter");

const fieldKey = z
  .string({ error: "must be text" })
  .regex(/^[a-z][a-z0-9_]*$/, "must use only lower-case letters, digits and underscores, starting with a letter");

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

/** Date rules: criteria the app answers from the case's dates. */
export const RuleSchema = z.discriminatedUnion(
  "type",
  [
    /** Met when `to` is no later than the Nth working day after `from`. */
    z.strictObject({
      type: z.literal("within_working_days"),
      from: fieldKey,
      to: fieldKey,
      days: z.number().int().positive(),
    }),
    /**
     * IHA timeliness: met when the child was seen and the report sent within N working
     * days of becoming looked after; partially met when seen in time but the report was late.
     */
    z.strictObject({
      type: z.literal("iha_timeliness"),
      lookedAfter: fieldKey,
      seen: fieldKey,
      reportSent: fieldKey,
      days: z.number().int().positive().default(20),
    }),
  ],
  { error: "type must be one of within_working_days, iha_timeliness" },
);

/** What each rule type can answer, so a template cannot forbid an answer its rule gives. */
export const RULE_ANSWERS: Record<z.infer<typeof RuleSchema>["type"], Answer[]> = {
  within_working_days: ["met", "not_met"],
  iha_timeliness: ["met", "partial", "not_met"],
};

/** The headline families users asked to find quickly in every template. */
export const FAMILIES = [
  "iha-timeliness",
  "smart-plans",
  "voice-of-the-child",
  "significant-males",
  "chronology",
] as const;

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
  sources: z.array(SourceSchema).min(1, "must list at least 1 source"),
});

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
        const dateFields =
          c.rule.type === "within_working_days"
            ? { from: c.rule.from, to: c.rule.to }
            : { lookedAfter: c.rule.lookedAfter, seen: c.rule.seen, reportSent: c.rule.reportSent };
        for (const [k, fid] of Object.entries(dateFields)) {
          if (fields.get(fid)?.type !== "date") {
            ctx.addIssue({ code: "custom", path: [...path, "rule", k], message: `"${fid}" is not a date case field of this template` });
          }
        }
        for (const a of RULE_ANSWERS[c.rule.type]) {
          if (!allowed.includes(a)) {
            ctx.addIssue({ code: "custom", path: [...path, "answers"], message: `must include "${a}", which the ${c.rule.type} rule can give` });
          }
        }
      }
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
export type Rule = z.infer<typeof RuleSchema>;
export type Source = z.infer<typeof SourceSchema>;

/** Every criterion of a template, in order, with its section id. */
export function allCriteria(t: Pick<Template, "sections">): (Criterion & { sectionId: string })[] {
  return t.sections.flatMap((s) => s.criteria.map((c) => ({ ...c, sectionId: s.id })));
}
