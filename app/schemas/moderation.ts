/**
 * Forms for blind moderation (issue #6): choosing cases (by hand or drawn at random with a
 * seed), the moderator's second scoring of a case, and settling a disagreement with an agreed
 * answer and a reason. Shared by the browser (react-hook-form) and the actions.
 */
import * as z from "zod/mini";
import { ANSWER_LABELS, ANSWERS, type Answer } from "~/lib/answers";
import { checkboxValues, choice, requiredText } from "./fields";

export const DEFAULT_MODERATION_PERCENT = 10;
export const MODERATION_NOTE_MAX = 2000;
export const AGREED_REASON_MAX = 1000;

const text = z.optional(z.nullable(z.string()));

export const SETTLE_REASON_MESSAGE = "Enter the reason for the agreed answer";
export const SETTLE_ANSWER_MESSAGE = "Select the agreed answer";

/** "Draw at random": a percentage of the completed cases (rounded up) and a seed. */
export const moderationDrawSchema = z.pipe(
  z.object({ percent: text, seed: text }),
  z.transform((v, ctx) => {
    const fail = (path: "percent" | "seed", message: string) => ctx.issues.push({ code: "custom", message, path: [path], input: v[path] });
    const p = (v.percent ?? "").trim().replace(/%$/, "").trim();
    let percent = 0;
    if (!p) fail("percent", "Enter the percentage of completed cases to moderate");
    else if (!/^\d+(\.\d+)?$/.test(p)) fail("percent", "Percentage must be a number, like 10");
    else if (Number(p) <= 0 || Number(p) > 100) fail("percent", "Percentage must be more than 0 and no more than 100");
    else percent = Number(p);
    const seed = (v.seed ?? "").trim().toUpperCase();
    if (!seed) fail("seed", "Enter a seed");
    else if (seed.length > 64) fail("seed", "Seed must be 64 characters or less");
    else if (!/^[A-Z0-9-]+$/.test(seed)) fail("seed", "Seed must only include letters, numbers and hyphens");
    return { percent, seed };
  }),
);

export type ModerationDrawValues = z.input<typeof moderationDrawSchema>;

/** "Choose cases by hand": the ticked case ids. */
export const moderationSelectSchema = z.object({
  caseIds: z.pipe(
    checkboxValues(
      z.minLength(1, "Select at least one case to moderate"),
      z.refine((ids) => ids.every((v) => /^[1-9]\d{0,9}$/.test(v)), "Select cases from the list"),
    ),
    z.transform((ids) => [...new Set(ids.map(Number))]),
  ),
});

function listWords(words: string[]) {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function moderationAnswerMessage(options: readonly Answer[]) {
  return `Select whether this is ${listWords(options.map((a) => ANSWER_LABELS[a].toLowerCase()))}`;
}

/** One criterion the moderator scores, with the answers they may give. */
export type ModerationCriterion = { id: string; options: Answer[] };

/**
 * The moderator's second scoring of one case: every criterion answered (a moderation compares
 * whole cases), each with an optional note.
 */
export function moderationAnswersSchema(criteria: readonly ModerationCriterion[]) {
  const shape: Record<string, ReturnType<typeof oneAnswer>> = {};
  for (const c of criteria) shape[c.id] = oneAnswer(c.options);
  return z.object({
    answers: z.pipe(
      z.pipe(
        z.optional(z.nullable(z.record(z.string(), z.unknown()))),
        z.transform((v) => v ?? {}),
      ),
      z.strictObject(shape, { error: "The answers include a criterion that is not in this audit's template" }),
    ),
  });
}

function oneAnswer(options: readonly Answer[]) {
  const message = moderationAnswerMessage(options);
  return z.pipe(
    z.pipe(
      z.optional(z.nullable(z.unknown())),
      z.transform((v) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {})),
    ),
    z.object({
      answer: choice(options, message),
      note: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(MODERATION_NOTE_MAX, `Note must be ${MODERATION_NOTE_MAX} characters or less`)))),
    }),
  );
}

export type ModerationAnswerInput = { answer: Answer; note?: string | null };

/** The form key of one disagreement: `c<caseId>_<criterionId>` (criterion ids have no dots). */
export function settleKey(caseId: number, criterionId: string) {
  return `c${caseId}_${criterionId}`;
}

/**
 * Settling one disagreement. Fields are `agreed.<key>.answer` and `agreed.<key>.reason`, so
 * that several settle forms on one page have different field ids. Which disagreement it is
 * (hidden `caseId` and `criterionId`) is read by the action with `settleTarget`: hidden inputs
 * are not registered with react-hook-form, so they cannot be in the browser's schema.
 */
export const settleSchema = z.object({
  agreed: z.record(
    z.string(),
    z.object({
      answer: choice(ANSWERS, SETTLE_ANSWER_MESSAGE),
      reason: requiredText(SETTLE_REASON_MESSAGE, { max: AGREED_REASON_MAX, label: "Reason" }),
    }),
  ),
});

/** The hidden fields naming the disagreement, or null when the form was tampered with. */
export function settleTarget(caseId: unknown, criterionId: unknown): { caseId: number; criterionId: string } | null {
  if (typeof caseId !== "string" || !/^[1-9]\d{0,9}$/.test(caseId)) return null;
  if (typeof criterionId !== "string" || !/^[a-z][a-z0-9-]*$/.test(criterionId)) return null;
  return { caseId: Number(caseId), criterionId };
}
