/**
 * Action plans: actions raised from criteria or services below their threshold, reasons for no
 * action on a red criterion, closing an audit once every red criterion is covered, and the
 * lists and exports across audits. Every change is logged in the same transaction.
 */
import { stringify } from "csv-stringify/sync";
import { actionStatusLabel, isOverdue, type ActionFilters, type ActionStatus } from "~/lib/actions";
import { formatPercent } from "~/lib/scoring";
import { neutraliseCell } from "~/lib/spreadsheet";
import type { ActionStatusInput, NewActionInput, NoActionReasonInput } from "~/schemas/actions";
import { ACTION_MESSAGES } from "~/schemas/actions";
import { allCriteria, type Template } from "~/schemas/template";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";
import type { AuditWithTemplate } from "./audits.server";
import { auditResults } from "./results.server";
import { getTemplateVersion } from "./templates.server";

// ---- Reading ---------------------------------------------------------------------------------

/** Active users who can own an action (everyone can chase an action plan), by name. */
export async function listPossibleOwners(db: Db) {
  return db.selectFrom("users").select(["id", "name"]).where("disabled_at", "is", null).orderBy("name").orderBy("id").execute();
}

/** Named roles already used as owners, for the owner filter. */
export async function listOwnerRoles(db: Db) {
  const rows = await db.selectFrom("actions").select("owner_role").distinct().where("owner_role", "is not", null).orderBy("owner_role").execute();
  return rows.map((r) => r.owner_role!).filter(Boolean);
}

export type ActionRow = {
  id: number;
  auditId: number;
  auditTitle: string;
  criterionId: string | null;
  /** The criterion's question in the audit's pinned template (null when none, or not found). */
  criterion: string | null;
  description: string;
  ownerUserId: number | null;
  ownerRole: string | null;
  /** A person's name, or the named role. */
  owner: string;
  dueDate: string;
  status: ActionStatus;
  overdue: boolean;
  evidence: string | null;
  completedAt: string | null;
  createdAt: string;
  services: { id: number; name: string }[];
};

function baseQuery(db: Db) {
  return db
    .selectFrom("actions")
    .innerJoin("audits", "audits.id", "actions.audit_id")
    .leftJoin("users as owner", "owner.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.audit_id",
      "audits.title as audit_title",
      "audits.template_version_id",
      "actions.criterion_id",
      "actions.description",
      "actions.owner_user_id",
      "actions.owner_role",
      "owner.name as owner_name",
      "actions.due_date",
      "actions.status",
      "actions.evidence",
      "actions.completed_at",
      "actions.created_at",
    ]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

/** Turns rows into ActionRows: services, owner, criterion question (from each audit's template) and overdue. */
async function toActionRows(db: Db, rows: BaseRow[], today: string): Promise<ActionRow[]> {
  const ids = rows.map((r) => r.id);
  const services = ids.length
    ? await db
        .selectFrom("action_services")
        .innerJoin("services", "services.id", "action_services.service_id")
        .select(["action_services.action_id", "services.id", "services.name"])
        .where("action_services.action_id", "in", ids)
        .orderBy("services.name")
        .execute()
    : [];
  const questions = new Map<number, Map<string, string>>();
  for (const versionId of new Set(rows.map((r) => r.template_version_id))) {
    const tv = await getTemplateVersion(db, versionId);
    questions.set(versionId, new Map(tv ? allCriteria(tv.template).map((c) => [c.id, c.question]) : []));
  }
  return rows.map((r) => ({
    id: r.id,
    auditId: r.audit_id,
    auditTitle: r.audit_title,
    criterionId: r.criterion_id,
    criterion: r.criterion_id ? (questions.get(r.template_version_id)?.get(r.criterion_id) ?? r.criterion_id) : null,
    description: r.description,
    ownerUserId: r.owner_user_id,
    ownerRole: r.owner_role,
    owner: r.owner_name ?? r.owner_role ?? "No owner",
    dueDate: r.due_date,
    status: r.status,
    overdue: isOverdue(r, today),
    evidence: r.evidence,
    completedAt: r.completed_at,
    createdAt: r.created_at,
    services: services.filter((s) => s.action_id === r.id).map((s) => ({ id: s.id, name: s.name })),
  }));
}

/**
 * Actions across all audits (or one, with `auditId`), filtered; by due date, then audit and id.
 * Overdue is worked out as not done and due before `today`.
 */
export async function listActions(db: Db, filters: ActionFilters & { auditId?: number }, today: string): Promise<ActionRow[]> {
  let q = baseQuery(db);
  if (filters.auditId) q = q.where("actions.audit_id", "=", filters.auditId);
  if (filters.ownerUserId) q = q.where("actions.owner_user_id", "=", filters.ownerUserId);
  if (filters.ownerRole) q = q.where("actions.owner_role", "=", filters.ownerRole);
  if (filters.status) q = q.where("actions.status", "=", filters.status);
  if (filters.overdue) q = q.where("actions.status", "<>", "done").where("actions.due_date", "<", today);
  if (filters.serviceId) {
    const serviceId = filters.serviceId;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom("action_services").select("action_services.action_id").whereRef("action_services.action_id", "=", "actions.id").where("action_services.service_id", "=", serviceId)),
    );
  }
  const rows = await q.orderBy("actions.due_date").orderBy("actions.audit_id").orderBy("actions.id").execute();
  return toActionRows(db, rows, today);
}

/** Counts for the manager's dashboard: actions open, in progress, and overdue (not done, due before `today`). */
export async function actionSummary(db: Db, today: string): Promise<{ open: number; inProgress: number; overdue: number }> {
  const rows = await db
    .selectFrom("actions")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "<>", "done")
    .groupBy("status")
    .execute();
  const overdue = await db
    .selectFrom("actions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "<>", "done")
    .where("due_date", "<", today)
    .executeTakeFirstOrThrow();
  const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { open: of("open"), inProgress: of("in_progress"), overdue: Number(overdue.n) };
}

/** One action of an audit, or undefined. */
export async function getAction(db: Db, auditId: number, actionId: number, today: string): Promise<ActionRow | undefined> {
  if (!Number.isInteger(actionId) || actionId <= 0) return undefined;
  const row = await baseQuery(db).where("actions.id", "=", actionId).where("actions.audit_id", "=", auditId).executeTakeFirst();
  return row ? (await toActionRows(db, [row], today))[0] : undefined;
}

/** The action named in the URL, or a 404 page. */
export async function requireAction(db: Db, auditId: number, actionIdParam: string | undefined, today: string) {
  const action = await getAction(db, auditId, Number(actionIdParam), today);
  if (!action) throw new Response("This action does not exist in this audit.", { status: 404, statusText: "Not Found" });
  return action;
}

export async function listNoActionReasons(db: Db, auditId: number) {
  return db
    .selectFrom("no_action_reasons")
    .leftJoin("users", "users.id", "no_action_reasons.recorded_by")
    .select(["no_action_reasons.criterion_id", "no_action_reasons.reason", "no_action_reasons.recorded_at", "users.name as recorded_by_name"])
    .where("no_action_reasons.audit_id", "=", auditId)
    .execute();
}

/**
 * An audit's action plan: the criteria and services below green (red or amber) with their
 * actions, every action of the audit, the reasons for no action, and which red criteria still
 * need an action or a reason before the audit can be closed.
 */
export async function actionPlan(db: Db, audit: AuditWithTemplate, today: string) {
  const { rollup, asOf, caseCount } = await auditResults(db, audit);
  const actions = await listActions(db, { auditId: audit.id }, today);
  const reasons = await listNoActionReasons(db, audit.id);
  const criteria = rollup.byCriterion
    .filter((c) => c.rag === "red" || c.rag === "amber")
    .map((c) => ({
      criterionId: c.criterionId,
      question: c.question,
      rag: c.rag!,
      percent: formatPercent(c.percent),
      actions: actions.filter((a) => a.criterionId === c.criterionId),
      noActionReason: reasons.find((r) => r.criterion_id === c.criterionId) ?? null,
    }));
  const services = rollup.byService
    .filter((s) => s.rag === "red" || s.rag === "amber")
    .map((s) => ({ serviceId: s.serviceId, serviceName: s.serviceName, rag: s.rag!, percent: formatPercent(s.percent), actions: actions.filter((a) => a.services.some((x) => x.id === s.serviceId)).length }));
  const stillNeeding = criteria.filter((c) => c.rag === "red" && c.actions.length === 0 && !c.noActionReason).map((c) => ({ criterionId: c.criterionId, question: c.question }));
  return { asOf, caseCount, criteria, services, actions, stillNeeding };
}

// ---- Changing ----------------------------------------------------------------------------------

function criterionOf(template: Template, criterionId: string) {
  return allCriteria(template).find((c) => c.id === criterionId);
}

/** Creates an action on an audit, with the services it addresses. Logged. */
export async function createAction(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, input: NewActionInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const criterionId = input.criterionId?.trim() || null;
    if (criterionId && !criterionOf(audit.template, criterionId)) throw new UserInputError("Select a criterion from the list", "criterionId");
    const ownerUserId = input.ownerUserId?.trim() ? Number(input.ownerUserId) : null;
    if (ownerUserId !== null) {
      const owner = await trx.selectFrom("users").select("id").where("id", "=", ownerUserId).where("disabled_at", "is", null).executeTakeFirst();
      if (!owner) throw new UserInputError(ACTION_MESSAGES.owner, "ownerUserId");
    }
    const serviceIds = [...new Set(input.serviceIds.map(Number))];
    const inScope = new Set(audit.services.map((s) => s.id));
    if (serviceIds.some((id) => !inScope.has(id))) throw new UserInputError(ACTION_MESSAGES.services, "serviceIds");
    const now = nowIso();
    const action = await trx
      .insertInto("actions")
      .values({
        audit_id: audit.id,
        criterion_id: criterionId,
        description: input.description,
        owner_user_id: ownerUserId,
        owner_role: ownerUserId === null ? input.ownerRole?.trim() || null : null,
        due_date: input.dueDate,
        status: "open",
        evidence: null,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        completed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (serviceIds.length) await trx.insertInto("action_services").values(serviceIds.map((service_id) => ({ action_id: action.id, service_id }))).execute();
    await logEvent(trx, { actor, action: "create", entity: "action", entityId: action.id, after: { ...action, serviceIds }, request });
    return action;
  });
}

/** Moves an action to open, in progress or done (done needs evidence; the schema checks). Logged. */
export async function updateActionStatus(db: Db, actor: NonNullable<Actor>, auditId: number, actionId: number, input: ActionStatusInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("actions").selectAll().where("id", "=", actionId).where("audit_id", "=", auditId).executeTakeFirst();
    if (!before) throw new Response("This action does not exist in this audit.", { status: 404, statusText: "Not Found" });
    const evidence = input.evidence?.trim() || null;
    if (input.status === "done" && !evidence) throw new UserInputError(ACTION_MESSAGES.evidence, "evidence");
    const now = nowIso();
    const after = await trx
      .updateTable("actions")
      .set({
        status: input.status,
        // Evidence already given is kept when an action is reopened, unless replaced.
        evidence: evidence ?? before.evidence,
        completed_at: input.status === "done" ? (before.status === "done" ? before.completed_at : now) : null,
        updated_at: now,
      })
      .where("id", "=", actionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, {
      actor,
      action: "update",
      entity: "action",
      entityId: actionId,
      before: { status: before.status, evidence: before.evidence, completed_at: before.completed_at },
      after: { status: after.status, evidence: after.evidence, completed_at: after.completed_at },
      request,
    });
    return after;
  });
}

/** Records (or replaces) why a criterion needs no action. Logged with the previous reason. */
export async function recordNoActionReason(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, input: NoActionReasonInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    if (!criterionOf(audit.template, input.criterionId)) throw new UserInputError("Select a criterion from the list", "criterionId");
    const before = await trx.selectFrom("no_action_reasons").selectAll().where("audit_id", "=", audit.id).where("criterion_id", "=", input.criterionId).executeTakeFirst();
    const now = nowIso();
    const after = before
      ? await trx
          .updateTable("no_action_reasons")
          .set({ reason: input.reason, recorded_by: actor.id, recorded_at: now })
          .where("id", "=", before.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto("no_action_reasons")
          .values({ audit_id: audit.id, criterion_id: input.criterionId, reason: input.reason, recorded_by: actor.id, recorded_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
    await logEvent(trx, { actor, action: before ? "update" : "create", entity: "no-action-reason", entityId: after.id, before, after, request });
    return after;
  });
}

/** Why an audit cannot be closed yet, naming the red criteria without an action or a reason. */
export function stillNeedingMessage(questions: string[]): string {
  const n = questions.length;
  return `${n === 1 ? "This red criterion needs" : `These ${n} red criteria need`} at least one action or a recorded reason for no action before the audit can be closed: ${questions.join("; ")}`;
}

/**
 * Closes a complete audit: only when every red criterion has at least one action or a recorded
 * reason for none. Sets status "closed" and closed_at. Logged.
 */
export async function closeAudit(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").selectAll().where("id", "=", audit.id).executeTakeFirstOrThrow();
    if (before.status === "closed") throw new UserInputError("This audit is already closed", "close");
    if (before.status !== "complete") throw new UserInputError("Only a complete audit can be closed. Mark the audit as complete first", "close");
    const { rollup } = await auditResults(trx, { ...audit, completed_at: before.completed_at });
    const red = rollup.byCriterion.filter((c) => c.rag === "red");
    const covered = new Set([
      ...(await trx.selectFrom("actions").select("criterion_id").where("audit_id", "=", audit.id).where("criterion_id", "is not", null).execute()).map((r) => r.criterion_id!),
      ...(await trx.selectFrom("no_action_reasons").select("criterion_id").where("audit_id", "=", audit.id).execute()).map((r) => r.criterion_id),
    ]);
    const missing = red.filter((c) => !covered.has(c.criterionId));
    if (missing.length) throw new UserInputError(stillNeedingMessage(missing.map((c) => c.question)), "close");
    const now = nowIso();
    const after = await trx
      .updateTable("audits")
      .set({ status: "closed", closed_at: now, updated_at: now })
      .where("id", "=", audit.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, {
      actor,
      action: "close",
      entity: "audit",
      entityId: audit.id,
      before: { status: before.status, closed_at: before.closed_at },
      after: { status: after.status, closed_at: after.closed_at, redCriteria: red.map((c) => c.criterionId) },
      request,
    });
    return after;
  });
}

// ---- Export ------------------------------------------------------------------------------------

export const EXPORT_HEADINGS = ["Audit", "Criterion", "What will change", "Owner", "Services", "Due date", "Status", "Overdue", "Evidence", "Completed"] as const;

/**
 * The action list as rows of text for CSV and Excel, headings first. Every cell a spreadsheet
 * would run as a formula (starting =, +, -, @, tab or carriage return) gets a leading quote.
 */
export function actionExportTable(rows: ActionRow[]): string[][] {
  const table = [
    [...EXPORT_HEADINGS],
    ...rows.map((a) => [
      a.auditTitle,
      a.criterion ?? "",
      a.description,
      a.owner,
      a.services.map((s) => s.name).join("; "),
      a.dueDate,
      actionStatusLabel(a.status),
      a.overdue ? "Yes" : "No",
      a.evidence ?? "",
      a.completedAt ? a.completedAt.slice(0, 10) : "",
    ]),
  ];
  return table.map((row) => row.map(neutraliseCell));
}

/** CSV, UTF-8 with a BOM (so Excel reads it as UTF-8) and Windows line ends. */
export function actionsCsv(rows: ActionRow[]): string {
  return stringify(actionExportTable(rows), { bom: true, record_delimiter: "windows" });
}

/** An Excel workbook with one sheet "Actions": every cell is text. */
export async function actionsXlsx(rows: ActionRow[]): Promise<ArrayBuffer> {
  const mod = await import("exceljs");
  const ExcelJS = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Safeguarding case-file audit";
  const sheet = workbook.addWorksheet("Actions");
  const table = actionExportTable(rows);
  for (const row of table) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  const widths = [30, 40, 50, 25, 30, 12, 12, 9, 40, 12];
  sheet.columns.forEach((col, i) => {
    col.width = widths[i] ?? 20;
  });
  const buffer = new Uint8Array(await workbook.xlsx.writeBuffer());
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}
