/**
 * Action plan forms: a new action, a change of an action's status, and a reason for taking no
 * action on a red criterion. Shared by the browser (react-hook-form) and the actions.
 */
import * as z from "zod/mini";
import { ACTION_STATUSES } from "~/lib/actions";
import { compareIso } from "~/lib/dates";
import { checkboxValues, choice, dateField, optionalText, requiredText, type DateParts } from "./fields";

export const ACTION_DESCRIPTION_MAX = 1000;
export const OWNER_ROLE_MAX = 100;
export const EVIDENCE_MAX = 2000;
export const NO_ACTION_REASON_MAX = 1000;

export const ACTION_MESSAGES = {
  description: "Enter what will change",
  owner: "Select who owns this action",
  ownerBoth: "Choose a person or enter a named role, not both",
  dueDate: "Enter a due date",
  dueDatePast: "Due date must be today or in the future",
  addresses: "Select the services this action addresses, or choose a criterion",
  services: "Select services from the list",
  status: "Select the status of this action",
  evidence: "Enter the evidence that this action is done",
  noActionReason: "Enter why no action is needed for this criterion",
} as const;

const ID = /^[1-9]\d{0,9}$/;
const dueDateParts = dateField({ label: "Due date", required: true, notFuture: false });

/** The due date from the three boxes: "Enter a due date" when empty, then the usual date checks. */
function dueDate(today?: string) {
  return z.pipe(
    z.optional(z.object({ day: z.optional(z.string()), month: z.optional(z.string()), year: z.optional(z.string()) })),
    z.transform((p: DateParts | undefined, ctx) => {
      const fail = (message: string) => {
        ctx.issues.push({ code: "custom", message, input: p });
        return z.NEVER;
      };
      if (![p?.day, p?.month, p?.year].some((v) => (v ?? "").trim())) return fail(ACTION_MESSAGES.dueDate);
      const parsed = dueDateParts.safeParse(p);
      if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? ACTION_MESSAGES.dueDate);
      const iso = parsed.data as string;
      if (today && compareIso(iso, today) < 0) return fail(ACTION_MESSAGES.dueDatePast);
      return iso;
    }),
  );
}

type OwnerShape = { ownerUserId?: unknown; ownerRole?: unknown; criterionId?: unknown; serviceIds?: unknown };
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** A new action. `today` (Europe/London) refuses a due date in the past. */
export function newActionSchema(today?: string) {
  return z
    .object({
      criterionId: z.optional(z.string().check(z.trim(), z.maxLength(100))),
      description: requiredText(ACTION_MESSAGES.description, { max: ACTION_DESCRIPTION_MAX, label: "What will change" }),
      ownerUserId: z.optional(z.string().check(z.trim())),
      ownerRole: optionalText({ max: OWNER_ROLE_MAX, label: "Named role" }),
      dueDate: dueDate(today),
      serviceIds: checkboxValues(z.refine((ids) => ids.every((v) => ID.test(v)), ACTION_MESSAGES.services)),
    })
    .check(
      // Run even when other fields have problems, so every message shows at once.
      z.refine((v: OwnerShape) => Boolean(text(v?.ownerUserId) || text(v?.ownerRole)), { message: ACTION_MESSAGES.owner, path: ["ownerUserId"], when: () => true }),
      z.refine((v: OwnerShape) => !text(v?.ownerUserId) || ID.test(text(v?.ownerUserId)), { message: ACTION_MESSAGES.owner, path: ["ownerUserId"], when: () => true }),
      z.refine((v: OwnerShape) => !(text(v?.ownerUserId) && text(v?.ownerRole)), { message: ACTION_MESSAGES.ownerBoth, path: ["ownerRole"], when: () => true }),
      z.refine((v: OwnerShape) => Boolean(text(v?.criterionId)) || (Array.isArray(v?.serviceIds) ? v.serviceIds.length > 0 : Boolean(v?.serviceIds)), {
        message: ACTION_MESSAGES.addresses,
        path: ["serviceIds"],
        when: () => true,
      }),
    );
}

export type NewActionInput = z.infer<ReturnType<typeof newActionSchema>>;

/** Moving an action on: open, in progress, or done with evidence. */
export const actionStatusSchema = z
  .object({
    status: choice(ACTION_STATUSES, ACTION_MESSAGES.status),
    evidence: optionalText({ max: EVIDENCE_MAX, label: "Evidence" }),
  })
  .check(
    z.refine((v: { status?: unknown; evidence?: unknown }) => v?.status !== "done" || Boolean(text(v?.evidence)), {
      message: ACTION_MESSAGES.evidence,
      path: ["evidence"],
      when: () => true,
    }),
  );

export type ActionStatusInput = z.infer<typeof actionStatusSchema>;

/** Why a red criterion needs no action (recorded before the audit can be closed). */
export const noActionReasonSchema = z.object({
  criterionId: z.string({ error: "Select a criterion" }).check(z.trim(), z.minLength(1, "Select a criterion"), z.maxLength(100)),
  reason: requiredText(ACTION_MESSAGES.noActionReason, { max: NO_ACTION_REASON_MAX, label: "Reason" }),
});

export type NoActionReasonInput = z.infer<typeof noActionReasonSchema>;
