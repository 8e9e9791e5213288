/**
 * Scoring answers: one criterion at a time (auto-save) or a whole case (the no-JavaScript "Save").
 * The answers a criterion allows and when a note is required come from the pinned template.
 */
import * as z from "zod/mini";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import type { Criterion } from "./template-types";

type ScorableCriterion = Pick<Criterion, "id" | "answers" | "noteRequiredFor">;

function listWords(words: string[]) {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function answerMessage(c: Pick<Criterion, "answers">) {
  return `Select whether this is ${listWords(c.answers.map((a) => ANSWER_LABELS[a].toLowerCase()))}`;
}

export function noteMessage(answer: Answer) {
  return `Enter a note to say why this is ${ANSWER_LABELS[answer].toLowerCase()}`;
}

export function answerSchema(c: ScorableCriterion) {
  return z
    .object({
      // react-hook-form reports an unticked radio group as null.
      answer: z.nullish(z.string()),
      note: z.nullish(z.string().check(z.trim(), z.maxLength(2000, "Note must be 2000 characters or less"))),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.answer && !(c.answers as string[]).includes(v.answer)) {
          ctx.issues.push({ code: "custom", message: answerMessage(c), path: ["answer"], input: v.answer });
          return;
        }
        if (v.answer && (c.noteRequiredFor as string[]).includes(v.answer) && !v.note) {
          ctx.issues.push({ code: "custom", message: noteMessage(v.answer as Answer), path: ["note"], input: v.note });
        }
        if (!v.answer && v.note) {
          ctx.issues.push({ code: "custom", message: answerMessage(c), path: ["answer"], input: v.answer });
        }
      }),
    );
}

/** Every auditor-answered criterion of a template; unanswered ones are allowed (work in progress). */
export function caseAnswersSchema(criteria: ScorableCriterion[]) {
  const shape: Record<string, z.ZodMiniOptional<ReturnType<typeof answerSchema>>> = {};
  for (const c of criteria) shape[c.id] = z.optional(answerSchema(c));
  return z.object({ answers: z.strictObject(shape, { error: "The answers include a criterion that is not in this audit's template" }) });
}

export type AnswerInput = { answer?: string | null; note?: string | null };
