/**
 * Designated doctor review of initial health assessments (IHAs): the quality judgement and a
 * reviewer's change of one criterion's answer. Browser-visible (zod/mini): the page checks with
 * the same schemas the action uses.
 */
import * as z from "zod/mini";
import type { Answer } from "~/lib/answers";
import { answerMessage, answerSchema } from "./answer";
import { choice, optionalText, requiredText } from "./fields";
import type { Criterion } from "./template-types";

export const JUDGEMENTS = ["outstanding", "good", "requires_improvement", "inadequate"] as const;
export type Judgement = (typeof JUDGEMENTS)[number];

export const JUDGEMENT_LABELS: Record<Judgement, string> = {
  outstanding: "Outstanding",
  good: "Good",
  requires_improvement: "Requires improvement",
  inadequate: "Inadequate",
};

export const CLINICIAN_GROUPS = ["paediatrician", "gp", "other"] as const;
export type ClinicianGroup = (typeof CLINICIAN_GROUPS)[number];

export const CLINICIAN_GROUP_LABELS: Record<ClinicianGroup, string> = {
  paediatrician: "Paediatrician",
  gp: "GP",
  other: "Other",
};

/** The clinician group suggested by the case field "Who did the IHA" (iha_practitioner). */
export function clinicianGroupFor(practitioner: string | null | undefined): ClinicianGroup {
  if (practitioner === "paediatrician") return "paediatrician";
  if (practitioner === "gp_lac_trained") return "gp";
  return "other";
}

export const RATIONALE_MESSAGE = "Enter the rationale for your judgement";
export const CHANGE_REASON_MESSAGE = "Enter the reason for changing this answer";

export const IhaJudgementSchema = z.object({
  judgement: choice(JUDGEMENTS, "Select a quality judgement"),
  rationale: requiredText(RATIONALE_MESSAGE, { max: 5000, label: "The rationale" }),
  clinicianGroup: choice(CLINICIAN_GROUPS, "Select the assessing clinician's group"),
  feedback: optionalText({ max: 5000, label: "Feedback" }),
});

export type IhaJudgementInput = z.infer<typeof IhaJudgementSchema>;

type ChangeableCriterion = Pick<Criterion, "id" | "answers" | "noteRequiredFor" | "measure">;

/**
 * A reviewer's change of one criterion's answer: the same checks as the auditor's answer (allowed
 * answers, a note where required, the measure), but an answer must be given, with a reason.
 */
export function answerChangeSchema(c: ChangeableCriterion) {
  return z
    .object({
      criterionId: z.string(),
      // No answer inputs posted at all (nothing ticked, no measure) is "no answer", not a broken form.
      change: z.prefault(answerSchema(c), {}),
      reason: requiredText(CHANGE_REASON_MESSAGE, { max: 2000, label: "The reason" }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (!v.change.answer) ctx.issues.push({ code: "custom", message: answerMessage(c), path: ["change", "answer"], input: v });
      }),
    );
}

export type AnswerChangeInput = { answer: Answer; note: string | null; detail: unknown; reason: string };
