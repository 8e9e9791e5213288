/** Audits: a template version pinned, services in scope and a period. */
import { isAuditOpen } from "~/lib/audit-status";
import { sql } from "kysely";
import type { AuditStatus } from "../../db/schema";
import type { AuditDetailsInput, NewAuditInput } from "~/schemas/audit";
import type { CaseFormContext } from "~/schemas/case";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { nowIso } from "~/utils/time.server";
import { auditProgress } from "./results.server";
import { auditSettings, currentSettings } from "./settings.server";
import { getTemplateVersion } from "./templates.server";
import { refreshAuditResults } from "./stored-results.server";

/** A crafted or stale id (template version, service) in an audit form. */
export class InvalidReferenceError extends UserInputError {
  constructor(field: string, message: string) {
    super(message, field);
  }
}

export async function createAudit(db: Db, actor: NonNullable<Actor>, input: NewAuditInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const version = await trx.selectFrom("template_versions").select(["id"]).where("id", "=", input.templateVersionId).executeTakeFirst();
    if (!version) throw new InvalidReferenceError("templateVersionId", "Select the template to audit against");
    const serviceIds = [...new Set(input.serviceIds.map(Number))];
    const found = await trx.selectFrom("services").select("id").where("id", "in", serviceIds).execute();
    if (found.length !== serviceIds.length) throw new InvalidReferenceError("serviceIds", "Select services from the list");
    const now = nowIso();
    const audit = await trx
      .insertInto("audits")
      .values({
        template_version_id: input.templateVersionId,
        title: input.title,
        period_start: input.periodStart!,
        period_end: input.periodEnd!,
        status: "draft",
        created_by: actor.id,
        completed_at: null,
        created_at: now,
        updated_at: now,
        // Pin the local rules in force now, so a later change never rescores this audit.
        settings: JSON.stringify(await currentSettings(trx)),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("audit_services")
      .values(serviceIds.map((service_id) => ({ audit_id: audit.id, service_id })))
      .execute();
    await logEvent(trx, { actor, action: "create", entity: "audit", entityId: audit.id, after: { ...audit, serviceIds }, request });
    return audit;
  });
}

export async function listAudits(db: Db) {
  return db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select((eb) => [
      "audits.id",
      "audits.title",
      "audits.status",
      "audits.period_start",
      "audits.period_end",
      "tv.title as template_title",
      "tv.version as template_version",
      // Cases to score: in the sample and not excluded (an imported case list alone is not counted).
      eb
        .selectFrom("cases")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("cases.audit_id", "=", "audits.id")
        .where("cases.in_sample", "=", 1)
        .where("cases.excluded_at", "is", null)
        .as("case_count"),
    ])
    .orderBy("audits.created_at", "desc")
    .orderBy("audits.id", "desc")
    .execute();
}

/** An audit with its pinned template and services in scope (with their teams), or undefined. */
export async function getAudit(db: Db, auditId: number) {
  if (!Number.isInteger(auditId) || auditId <= 0) return undefined;
  const audit = await db.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirst();
  if (!audit) return undefined;
  const tv = await getTemplateVersion(db, audit.template_version_id);
  if (!tv) return undefined;
  const services = await db
    .selectFrom("audit_services")
    .innerJoin("services", "services.id", "audit_services.service_id")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["services.id", "services.name", "providers.name as provider_name"])
    .where("audit_services.audit_id", "=", auditId)
    .orderBy("services.name")
    .execute();
  const teams = services.length
    ? await db
        .selectFrom("teams")
        .select(["id", "name", "service_id as serviceId"])
        .where(
          "service_id",
          "in",
          services.map((s) => s.id),
        )
        .orderBy("name")
        .execute()
    : [];
  return { ...audit, settingValues: auditSettings(audit), template: tv.template, templateKey: tv.key, templateVersion: tv.version, services, teams };
}

export type AuditWithTemplate = NonNullable<Awaited<ReturnType<typeof getAudit>>>;

/** Moves a draft audit to "in progress" when its first case is added or first answer given. */
export async function markInProgress(db: Db, auditId: number, status: AuditStatus) {
  if (status !== "draft") return;
  await db.updateTable("audits").set({ status: "in_progress", updated_at: nowIso() }).where("id", "=", auditId).where("status", "=", "draft").execute();
}

/** The number of cases to score (in the sample, not excluded), without reading answers. */
export async function countCases(db: Db, auditId: number) {
  const row = await db
    .selectFrom("cases")
    .select(sql<number>`count(*)`.as("n"))
    .where("audit_id", "=", auditId)
    .where("in_sample", "=", 1)
    .where("excluded_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every service with its provider, for choosing an audit's scope. */
export async function listServicesForScope(db: Db) {
  return db
    .selectFrom("services")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["services.id", "services.name", "providers.name as provider_name"])
    .orderBy("providers.name")
    .orderBy("services.name")
    .execute();
}

/** The audit named in the URL, or a 404 page. */
export async function requireAudit(db: Db, auditIdParam: string | undefined) {
  const audit = await getAudit(db, Number(auditIdParam));
  if (!audit) throw new Response("This audit does not exist, or has been removed.", { status: 404, statusText: "Not Found" });
  return audit;
}

/** What the case form needs to know about an audit (sent to the browser to build the same schema). */
export function caseFormContext(audit: AuditWithTemplate, today: string): CaseFormContext {
  return {
    caseFields: audit.template.caseFields,
    caseTypes: audit.template.caseTypes,
    services: audit.services.map((s) => ({ id: s.id, name: s.name })),
    teams: audit.teams,
    today,
  };
}

/** Changes an audit's title, period and services in scope; logged with before and after. */
export async function updateAudit(db: Db, actor: NonNullable<Actor>, auditId: number, input: AuditDetailsInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirst();
    if (!before) return undefined;
    const beforeServices = (await trx.selectFrom("audit_services").select("service_id").where("audit_id", "=", auditId).execute()).map((r) => r.service_id);
    const serviceIds = [...new Set(input.serviceIds.map(Number))];
    const found = await trx.selectFrom("services").select("id").where("id", "in", serviceIds).execute();
    if (found.length !== serviceIds.length) throw new InvalidReferenceError("serviceIds", "Select services from the list");
    const inUse = await trx
      .selectFrom("cases")
      .innerJoin("services", "services.id", "cases.service_id")
      .select("services.name")
      .distinct()
      .where("cases.audit_id", "=", auditId)
      .where("cases.service_id", "not in", serviceIds)
      .execute();
    if (inUse.length) {
      throw new InvalidReferenceError(
        "serviceIds",
        `${inUse.map((s) => s.name).join(", ")} still ${inUse.length === 1 ? "has" : "have"} cases in this audit. Keep ${inUse.length === 1 ? "it" : "them"} in scope, or move or remove those cases first`,
      );
    }
    const after = await trx
      .updateTable("audits")
      .set({ title: input.title, period_start: input.periodStart!, period_end: input.periodEnd!, updated_at: nowIso() })
      .where("id", "=", auditId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom("audit_services").where("audit_id", "=", auditId).execute();
    await trx.insertInto("audit_services").values(serviceIds.map((service_id) => ({ audit_id: auditId, service_id }))).execute();
    await logEvent(trx, {
      actor,
      action: "update",
      entity: "audit",
      entityId: auditId,
      before: { ...before, serviceIds: beforeServices },
      after: { ...after, serviceIds },
      request,
    });
    return after;
  });
}

/** Deletes an audit with its cases and answers; the log keeps what was removed. */
export async function deleteAudit(db: Db, actor: NonNullable<Actor>, auditId: number, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirst();
    if (!before) return false;
    const cases = await trx.selectFrom("cases").select(["id", "case_ref"]).where("audit_id", "=", auditId).execute();
    const caseIds = cases.map((c) => c.id);
    const answerCount = caseIds.length
      ? Number((await trx.selectFrom("answers").select((eb) => eb.fn.countAll<number>().as("n")).where("case_id", "in", caseIds).executeTakeFirstOrThrow()).n)
      : 0;
    if (caseIds.length) await trx.deleteFrom("answers").where("case_id", "in", caseIds).execute();
    await trx.deleteFrom("cases").where("audit_id", "=", auditId).execute();
    await trx.deleteFrom("samples").where("audit_id", "=", auditId).execute();
    await trx.deleteFrom("pending_imports").where("audit_id", "=", auditId).execute();
    await trx.deleteFrom("audit_services").where("audit_id", "=", auditId).execute();
    // A re-audit of this audit stays, no longer linked to it. (Moderation, reviews, actions and
    // reasons go with the audit and its cases: their foreign keys cascade.)
    await trx.updateTable("audits").set({ reaudit_of: null }).where("reaudit_of", "=", auditId).execute();
    await trx.deleteFrom("audits").where("id", "=", auditId).execute();
    await logEvent(trx, {
      actor,
      action: "delete",
      entity: "audit",
      entityId: auditId,
      before: { ...before, cases: cases.map((c) => c.case_ref), answerCount },
      request,
    });
    return true;
  });
}

// ---- Status: draft → in progress → complete (→ reopened: in progress) ----------------------

/**
 * Refuses (403 page) any change to a complete audit: it is read-only until a reviewer or
 * administrator reopens it. Every write path calls this (or checks the status the same way).
 */
export function assertAuditOpen(audit: { status: AuditStatus }, message = "This audit is complete, so it cannot be changed. A reviewer or administrator can reopen it.") {
  if (!isAuditOpen(audit.status)) throw new Response(message, { status: 403, statusText: "Forbidden" });
}

/**
 * Marks an audit complete: only when every sampled, not-excluded case is complete (every
 * criterion answered, or answered automatically). Date rules are judged as of today, which is
 * then the completion date they are judged by for good. Logged.
 */
export async function completeAudit(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").selectAll().where("id", "=", audit.id).executeTakeFirstOrThrow();
    if (!isAuditOpen(before.status)) throw new UserInputError("This audit is already complete", "complete");
    const progress = await auditProgress(trx, { ...audit, completed_at: null });
    if (progress.total === 0) throw new UserInputError("There are no cases in the sample yet. Add or draw cases and score them before marking the audit as complete", "complete");
    const incomplete = progress.total - progress.complete;
    if (incomplete > 0) {
      throw new UserInputError(
        `${incomplete} of ${progress.total} ${progress.total === 1 ? "case is" : "cases are"} still incomplete. Finish scoring ${incomplete === 1 ? "it" : "them"}, or exclude ${incomplete === 1 ? "it" : "them"} from the sample with a reason, before marking the audit as complete`,
        "complete",
      );
    }
    const now = nowIso();
    const after = await trx
      .updateTable("audits")
      .set({ status: "complete", completed_at: now, updated_at: now })
      .where("id", "=", audit.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshAuditResults(trx, audit.id);
    await logEvent(trx, {
      actor,
      action: "complete",
      entity: "audit",
      entityId: audit.id,
      before: { status: before.status, completed_at: before.completed_at },
      after: { status: after.status, completed_at: after.completed_at, cases: progress.total },
      request,
    });
    return after;
  });
}

/** Reopens a complete audit (reviewers and administrators), with the reason in the log. */
export async function reopenAudit(db: Db, actor: NonNullable<Actor>, auditId: number, reason: string, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirstOrThrow();
    if (before.status !== "complete") throw new UserInputError("This audit is not complete, so it does not need reopening", "reason");
    const after = await trx
      .updateTable("audits")
      .set({ status: "in_progress", completed_at: null, updated_at: nowIso() })
      .where("id", "=", auditId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshAuditResults(trx, auditId);
    await logEvent(trx, {
      actor,
      action: "reopen",
      entity: "audit",
      entityId: auditId,
      before: { status: before.status, completed_at: before.completed_at },
      after: { status: after.status, completed_at: after.completed_at, reason },
      request,
    });
    return after;
  });
}
