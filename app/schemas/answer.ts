/**
 * Scoring answers: one criterion at a time (auto-save) or a whole case (the no-JavaScript "Save").
 * The answers a criterion allows, when a note is required and what its measure records come
 * from the pinned template; whether it was made "not applicable" by the case's data comes from
 * the page (the same evaluation on both sides).
 */
import * as z from "zod/mini";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import type { Criterion } from "./template-types";

type ScorableCriterion = Pick<Criterion, "id" | "answers" | "noteRequiredFor" | "measure"> & { rule?: unknown };

/** What a measure recorded, as stored with the answer. */
export type AnswerDetail = { choice: string } | { number: number } | { numerator: number; denominator: number };

function listWords(words: string[]) {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function answerMessage(c: Pick<Criterion, "answers">) {
  return `Select whether this is ${listWords(c.answers.map((a) => ANSWER_LABELS[a].toLowerCase()))}`;
}

export function noteMessage(answer: Answer) {
  return `Enter a note to say why this is ${ANSWER_LABELS[answer].toLowerCase()}`;
}

export const OVERRIDE_MESSAGE = "Enter why this applies to this case even though the case details say it does not";

/** A ratio decides the answer: all → met, at least one → partially met, none → not met. */
export function ratioAnswer(numerator: number, denominator: number): Answer {
  return numerator === denominator ? "met" : numerator > 0 ? "partial" : "not_met";
}

/** The band a number falls in, for a banded number measure. */
export function bandFor(measure: Extract<NonNullable<Criterion["measure"]>, { type: "number" }>, n: number): string | null {
  return measure.bands?.find((b) => n <= b.max)?.label ?? null;
}

const optionalText = z.nullish(z.string().check(z.trim()));
const WHOLE = /^\d+$/;

export function answerSchema(c: ScorableCriterion, { autoNa = false }: { autoNa?: boolean } = {}) {
  const m = c.measure;
  return z.pipe(
    z
      .object({
        // react-hook-form reports an unticked radio group as null.
        answer: z.nullish(z.string()),
        note: z.nullish(z.string().check(z.trim(), z.maxLength(2000, "Note must be 2000 characters or less"))),
        choice: optionalText,
        number: optionalText,
        numerator: optionalText,
        denominator: optionalText,
        overrideReason: z.nullish(z.string().check(z.trim(), z.maxLength(2000, "The reason must be 2000 characters or less"))),
      })
      .check(
        z.superRefine((v, ctx) => {
          const issue = (path: string, message: string): void => {
            ctx.issues.push({ code: "custom", message, path: [path], input: v });
          };
          let answer = v.answer;
          if (m?.type === "ratio" && (v.numerator || v.denominator)) {
            const label = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
            if (!v.numerator || !WHOLE.test(v.numerator)) return issue("numerator", `Enter ${label(m.numeratorLabel)} as a whole number, like 3`);
            if (!v.denominator || !WHOLE.test(v.denominator)) return issue("denominator", `Enter ${label(m.denominatorLabel)} as a whole number, like 4`);
            const n = Number(v.numerator);
            const d = Number(v.denominator);
            if (d === 0) return issue("denominator", `${m.denominatorLabel} must be 1 or more; if there are none, answer not applicable and leave both boxes empty`);
            if (n > d) return issue("numerator", `${m.numeratorLabel} must not be more than ${m.denominatorLabel.charAt(0).toLowerCase()}${m.denominatorLabel.slice(1)} (${d})`);
            answer = ratioAnswer(n, d);
          }
          if (answer && !(c.answers as string[]).includes(answer)) return issue("answer", answerMessage(c));
          if (!answer && (v.note || v.choice || v.number || v.overrideReason)) return issue("answer", answerMessage(c));
          if (answer && m?.type === "ratio" && answer !== "na" && !(v.numerator && v.denominator)) {
            return issue("denominator", `Enter ${m.denominatorLabel.charAt(0).toLowerCase()}${m.denominatorLabel.slice(1)} and ${m.numeratorLabel.charAt(0).toLowerCase()}${m.numeratorLabel.slice(1)}`);
          }
          if (answer && (c.noteRequiredFor as string[]).includes(answer) && !v.note) issue("note", noteMessage(answer as Answer));
          if (m?.type === "choice" && v.choice && !m.options.some((o) => o.value === v.choice)) issue("choice", `Select ${m.label.charAt(0).toLowerCase()}${m.label.slice(1)} from the list`);
          if (m?.type === "number" && v.number) {
            const n = Number(v.number);
            if (!WHOLE.test(v.number) || n < m.min || n > m.max) issue("number", `${m.label} must be a whole number from ${m.min} to ${m.max}`);
          }
          if (answer && autoNa && !v.overrideReason) issue("overrideReason", OVERRIDE_MESSAGE);
        }),
      ),
    z.transform((v) => {
      let answer = (v.answer || null) as Answer | null;
      let detail: AnswerDetail | null = null;
      if (m?.type === "ratio" && v.numerator && v.denominator) {
        const numerator = Number(v.numerator);
        const denominator = Number(v.denominator);
        answer = ratioAnswer(numerator, denominator);
        detail = { numerator, denominator };
      } else if (m?.type === "number" && v.number) detail = { number: Number(v.number) };
      else if (m?.type === "choice" && v.choice) detail = { choice: v.choice };
      return { answer, note: v.note || null, detail, overrideReason: autoNa ? v.overrideReason || null : null };
    }),
  );
}

/** A date-rule criterion: the rule answers; the auditor may add a note (a reason for delay, say). */
export function ruleNoteSchema() {
  return z.pipe(
    z.object({ note: z.nullish(z.string().check(z.trim(), z.maxLength(2000, "Note must be 2000 characters or less"))) }),
    z.transform((v) => ({ answer: null, note: v.note || null, detail: null, overrideReason: null })),
  );
}

export type ParsedAnswer = { answer: Answer | null; note: string | null; detail: AnswerDetail | null; overrideReason: string | null };

/**
 * Every criterion of a template: auditor-answered ones with their answer, date-rule ones with an
 * optional note; unanswered ones are allowed (work in progress).
 * `autoNa`: the criteria the case's data make "not applicable", which need a reason to answer.
 */
export function caseAnswersSchema(criteria: ScorableCriterion[], autoNa: ReadonlySet<string> = new Set()) {
  const shape: Record<string, z.ZodMiniOptional<ReturnType<typeof answerSchema> | ReturnType<typeof ruleNoteSchema>>> = {};
  for (const c of criteria) shape[c.id] = z.optional(c.rule ? ruleNoteSchema() : answerSchema(c, { autoNa: autoNa.has(c.id) }));
  return z.object({ answers: z.strictObject(shape, { error: "The answers include a criterion that is not in this audit's template" }) });
}

export type AnswerInput = { answer?: string | null; note?: string | null; detail?: AnswerDetail | null; overrideReason?: string | null };
