/**
 * The answers an auditor can give to a criterion, and their labels.
 * Shared by the template schema, scoring, forms and exports so the words never drift.
 */
export const ANSWERS = ["met", "partial", "not_met", "na"] as const;
export type Answer = (typeof ANSWERS)[number];

export const ANSWER_LABELS: Record<Answer, string> = {
  met: "Met",
  partial: "Partially met",
  not_met: "Not met",
  na: "Not applicable",
};

export function isAnswer(value: unknown): value is Answer {
  return typeof value === "string" && (ANSWERS as readonly string[]).includes(value);
}
