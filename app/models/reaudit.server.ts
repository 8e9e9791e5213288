/**
 * Re-audits: scheduling a re-audit of a complete (or closed) audit, creating it, and comparing
 * the two.
 *
 * Decisions:
 * - A re-audit uses the LATEST version of the original's template key, so criteria added or
 *   changed since are audited; the comparison matches criteria by id.
 * - It copies the title (with " (re-audit)"), the services in scope, and a period as long as the
 *   original's starting the day after it ended. The local settings in force now are pinned, as
 *   for any new audit. Cases, answers and the sample are not copied (the population is new):
 *   the original's sampling method and seed are shown here, and the re-audit's sampling page
 *   fills in that method for its first draw, with a new seed (`originalSampling`).
 * - The new audit's `reaudit_of` points at the original; the original's `reaudit_due` records
 *   when the re-audit is due. An audit has at most one re-audit.
 */
import { allCriteria } from "~/schemas/template";
import { isOverdue } from "~/lib/actions";
import { compareCriteria, completionDate, criteriaChanges, defaultReauditDue, reauditPeriod, reauditTitle } from "~/lib/reaudit";
import { todayInLondon } from "~/lib/dates";
import type { ReauditInput } from "~/schemas/reaudit";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";
import { getAudit, type AuditWithTemplate } from "./audits.server";
import { auditResults } from "./results.server";
import { describeMethod, getSample } from "./sampling.server";
import { currentSettings } from "./settings.server";
import { getTemplateVersion } from "./templates.server";

/** Only a complete or closed audit can be re-audited. */
export function canBeReaudited(audit: { status: string }) {
  return audit.status === "complete" || audit.status === "closed";
}

/** The audit this one repeats, and the re-audits of this one, with the due date (for links both ways). */
export async function getReauditLinks(db: Db, audit: { id: number; reaudit_of: number | null; reaudit_due: string | null }) {
  const reauditOf = audit.reaudit_of
    ? ((await db.selectFrom("audits").select(["id", "title", "status"]).where("id", "=", audit.reaudit_of).executeTakeFirst()) ?? null)
    : null;
  const reaudits = await db.selectFrom("audits").select(["id", "title", "status"]).where("reaudit_of", "=", audit.id).orderBy("id").execute();
  return { reauditOf, reaudits, due: audit.reaudit_due };
}

async function latestVersionOf(db: Db, key: string) {
  const row = await db.selectFrom("template_versions").select("id").where("key", "=", key).orderBy("version", "desc").limit(1).executeTakeFirst();
  return row ? getTemplateVersion(db, row.id) : undefined;
}

/** The sampling method and seed of an audit's sample, in words, or null before a draw. */
async function sampleSummary(db: Db, auditId: number) {
  const sample = await getSample(db, auditId);
  if (!sample) return null;
  return {
    methodText: sample.method ? describeMethod(sample.method) : "Not recorded",
    seed: sample.seed,
    algorithm: sample.algorithm,
    sampleSize: sample.sampleSize,
    populationSize: sample.populationSize,
  };
}

/** Everything the re-audit page shows about what a re-audit of `audit` would copy. */
export async function reauditPlan(db: Db, audit: AuditWithTemplate) {
  // A closed audit was completed first; the fallbacks only guard odd data.
  const completedAt = audit.completed_at ?? audit.closed_at;
  const completedOn = completedAt ? completionDate(completedAt) : null;
  const latest = await latestVersionOf(db, audit.templateKey);
  const pinned = allCriteria(audit.template);
  const newer = latest ? allCriteria(latest.template) : pinned;
  const changes = criteriaChanges(
    pinned.map((c) => c.id),
    newer.map((c) => c.id),
  );
  const question = new Map([...pinned, ...newer].map((c) => [c.id, c.question]));
  const links = await getReauditLinks(db, audit);
  return {
    completedOn,
    defaultDue: completedOn ? defaultReauditDue(completedOn) : null,
    due: audit.reaudit_due,
    title: reauditTitle(audit.title),
    period: reauditPeriod({ periodStart: audit.period_start, periodEnd: audit.period_end }),
    template: latest ? { id: latest.id, key: latest.key, version: latest.version, title: latest.title } : null,
    pinnedVersion: audit.templateVersion,
    criteriaAdded: changes.added.map((id) => ({ id, question: question.get(id) ?? id })),
    criteriaRemoved: changes.removed.map((id) => ({ id, question: question.get(id) ?? id })),
    services: audit.services.map((s) => ({ id: s.id, name: s.name, providerName: s.provider_name })),
    sample: await sampleSummary(db, audit.id),
    links,
  };
}

/** The sampling method of the audit a re-audit repeats, for reuse on the re-audit's sampling page. */
export async function previousSample(db: Db, reauditOf: number) {
  return sampleSummary(db, reauditOf);
}

/** Records (or changes) when a re-audit of `audit` is due. Logged. */
export async function scheduleReaudit(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, input: ReauditInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("audits").select(["status", "reaudit_due"]).where("id", "=", audit.id).executeTakeFirstOrThrow();
    if (!canBeReaudited(before)) throw new UserInputError("A re-audit can only be scheduled once the audit is complete", "due");
    await trx.updateTable("audits").set({ reaudit_due: input.due, updated_at: nowIso() }).where("id", "=", audit.id).execute();
    await logEvent(trx, { actor, action: "schedule-reaudit", entity: "audit", entityId: audit.id, before: { reaudit_due: before.reaudit_due }, after: { reaudit_due: input.due }, request });
  });
}

/**
 * Creates the re-audit of a complete or closed audit: a draft audit on the latest version of
 * the same template key, with the same services, linked both ways. Logged on both audits.
 */
export async function createReaudit(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, input: ReauditInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const original = await trx.selectFrom("audits").selectAll().where("id", "=", audit.id).executeTakeFirstOrThrow();
    if (!canBeReaudited(original)) throw new UserInputError("A re-audit can only be created once the audit is complete", "due");
    const existing = await trx.selectFrom("audits").select(["id", "title"]).where("reaudit_of", "=", audit.id).executeTakeFirst();
    if (existing) throw new UserInputError(`This audit already has a re-audit: ${existing.title}`, "due");
    const latest = await latestVersionOf(trx, audit.templateKey);
    if (!latest) throw new Error(`No published version of template ${audit.templateKey}`);
    const serviceIds = (await trx.selectFrom("audit_services").select("service_id").where("audit_id", "=", audit.id).orderBy("service_id").execute()).map((r) => r.service_id);
    const period = reauditPeriod({ periodStart: original.period_start, periodEnd: original.period_end });
    const now = nowIso();
    const created = await trx
      .insertInto("audits")
      .values({
        template_version_id: latest.id,
        title: reauditTitle(original.title),
        period_start: period.periodStart,
        period_end: period.periodEnd,
        status: "draft",
        created_by: actor.id,
        completed_at: null,
        created_at: now,
        updated_at: now,
        settings: JSON.stringify(await currentSettings(trx)),
        reaudit_of: audit.id,
        reaudit_due: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (serviceIds.length) await trx.insertInto("audit_services").values(serviceIds.map((service_id) => ({ audit_id: created.id, service_id }))).execute();
    await trx.updateTable("audits").set({ reaudit_due: input.due, updated_at: now }).where("id", "=", audit.id).execute();
    await logEvent(trx, {
      actor,
      action: "create",
      entity: "audit",
      entityId: created.id,
      after: { ...created, serviceIds, reauditOf: audit.id, template: `${latest.key}@${latest.version}` },
      request,
    });
    await logEvent(trx, {
      actor,
      action: "schedule-reaudit",
      entity: "audit",
      entityId: audit.id,
      before: { reaudit_due: original.reaudit_due },
      after: { reaudit_due: input.due, reauditId: created.id },
      request,
    });
    return created;
  });
}

/** The original audit's actions (read only), with the owner's name or role and whether overdue. */
async function actionsOf(db: Db, auditId: number, questions: Map<string, string>) {
  const today = todayInLondon();
  const rows = await db
    .selectFrom("actions")
    .leftJoin("users", "users.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.criterion_id",
      "actions.description",
      "actions.owner_role",
      "users.name as owner_name",
      "actions.due_date",
      "actions.status",
      "actions.evidence",
      "actions.completed_at",
    ])
    .where("actions.audit_id", "=", auditId)
    .orderBy("actions.due_date")
    .orderBy("actions.id")
    .execute();
  return rows.map((a) => ({
    id: a.id,
    criterionId: a.criterion_id,
    criterion: a.criterion_id ? (questions.get(a.criterion_id) ?? a.criterion_id) : null,
    description: a.description,
    owner: a.owner_name ?? a.owner_role ?? "No owner recorded",
    dueDate: a.due_date,
    status: a.status,
    // The action plans' one overdue rule (app/lib/actions.ts).
    overdue: isOverdue({ status: a.status, dueDate: a.due_date }, today),
    evidence: a.evidence,
    completedAt: a.completed_at,
  }));
}

/**
 * A re-audit compared with the audit it repeats: each criterion before and after (matched by
 * id), and the original's actions. Undefined when `reaudit` is not a re-audit (or its original
 * has gone).
 */
export async function compareWithOriginal(db: Db, reaudit: AuditWithTemplate) {
  if (!reaudit.reaudit_of) return undefined;
  const original = await getAudit(db, reaudit.reaudit_of);
  if (!original) return undefined;
  const [before, after] = await Promise.all([auditResults(db, original), auditResults(db, reaudit)]);
  const rows = compareCriteria(before.rollup.byCriterion, after.rollup.byCriterion);
  const questions = new Map<string, string>(rows.map((r) => [r.criterionId, r.question]));
  return {
    original: { id: original.id, title: original.title, status: original.status, templateVersion: original.templateVersion, caseCount: before.caseCount, periodStart: original.period_start, periodEnd: original.period_end },
    reaudit: { id: reaudit.id, title: reaudit.title, status: reaudit.status, templateVersion: reaudit.templateVersion, caseCount: after.caseCount, periodStart: reaudit.period_start, periodEnd: reaudit.period_end },
    rows,
    actions: await actionsOf(db, original.id, questions),
  };
}
