/**
 * Action plans: pure rules shared by pages, exports and tests. Overdue is never stored: it is
 * worked out from the due date and today (Europe/London), so it can never go stale.
 */
import { compareIso } from "~/lib/dates";
import { addWorkingDays } from "~/lib/working-days";

export const ACTION_STATUSES = ["open", "in_progress", "done"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { open: "Open", in_progress: "In progress", done: "Done" };

/** Working days from today to the suggested due date of a new action. */
export const DEFAULT_DUE_WORKING_DAYS = 20;

/** The due date a new action starts with: 20 working days (England and Wales) after today. */
export function defaultDueDate(today: string): string {
  return addWorkingDays(today, DEFAULT_DUE_WORKING_DAYS);
}

/** Overdue: not done, and the due date is before today (an action due today is not yet overdue). */
export function isOverdue(action: { status: string; due_date?: string; dueDate?: string }, today: string): boolean {
  const due = action.dueDate ?? action.due_date;
  if (action.status === "done" || !due) return false;
  return compareIso(due, today) < 0;
}

/** "Open", "In progress" or "Done"; an unknown value is shown as it is. */
export function actionStatusLabel(status: string): string {
  return (ACTION_STATUS_LABELS as Record<string, string>)[status] ?? status;
}

export type ActionFilters = {
  /** A person who owns actions. */
  ownerUserId?: number;
  /** A named role that owns actions (exact text). */
  ownerRole?: string;
  serviceId?: number;
  status?: ActionStatus;
  overdue?: boolean;
};

const POSITIVE_ID = /^[1-9]\d{0,9}$/;

/**
 * The filters of the action lists and exports, from the query string. `owner` is `u<id>` for a
 * person or `r:<role text>` for a named role. Anything unrecognised is ignored (never an error).
 */
export function parseActionFilters(search: URLSearchParams): ActionFilters {
  const filters: ActionFilters = {};
  const owner = search.get("owner") ?? "";
  if (/^u[1-9]\d{0,9}$/.test(owner)) filters.ownerUserId = Number(owner.slice(1));
  else if (owner.startsWith("r:") && owner.slice(2).trim()) filters.ownerRole = owner.slice(2).trim();
  const service = search.get("service") ?? "";
  if (POSITIVE_ID.test(service)) filters.serviceId = Number(service);
  const status = search.get("status") ?? "";
  if ((ACTION_STATUSES as readonly string[]).includes(status)) filters.status = status as ActionStatus;
  if (search.get("overdue") === "yes") filters.overdue = true;
  return filters;
}

/** The filters back as a query string ("" when none), for export links and form values. */
export function filtersToSearch(filters: ActionFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.ownerUserId) search.set("owner", `u${filters.ownerUserId}`);
  else if (filters.ownerRole) search.set("owner", `r:${filters.ownerRole}`);
  if (filters.serviceId) search.set("service", String(filters.serviceId));
  if (filters.status) search.set("status", filters.status);
  if (filters.overdue) search.set("overdue", "yes");
  return search;
}

/**
 * For someone chasing their own actions: overdue first (most overdue first), then the others
 * not done by due date, then done ones (most recently due first).
 */
export function sortForFollowUp<T extends { status: string; dueDate: string; id: number }>(actions: T[], today: string): T[] {
  const rank = (a: T) => (isOverdue(a, today) ? 0 : a.status === "done" ? 2 : 1);
  return [...actions].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const byDue = rank(a) === 2 ? compareIso(b.dueDate, a.dueDate) : compareIso(a.dueDate, b.dueDate);
    return byDue || a.id - b.id;
  });
}
