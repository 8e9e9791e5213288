/**
 * Designated doctor review of initial health assessments: the cases of "lac-iha" audits (T01),
 * a quality judgement per case, a reviewer's changes of the auditor's answers (with a reason),
 * and the judgements summed by assessing service and clinician group per quarter.
 */
import { isAuditOpen } from "~/lib/audit-status";
import type { Answer } from "~/lib/answers";
import { todayInLondon } from "~/lib/dates";
import { caseAnswers, type CaseAnswer } from "~/lib/scoring";
import { allCriteria } from "~/schemas/template";
import type { AnswerDetail } from "~/schemas/answer";
import { CLINICIAN_GROUPS, JUDGEMENTS, type ClinicianGroup, type IhaJudgementInput, type Judgement } from "~/schemas/iha-review";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { nowIso } from "~/utils/time.server";
import { getAudit, type AuditWithTemplate } from "./audits.server";
import { getCase } from "./cases.server";
import { auditAsOf } from "./results.server";

export const IHA_TEMPLATE_KEY = "lac-iha";
/** The criterion whose date rule gives an IHA's timeliness. */
export const IHA_TIMELY_CRITERION = "iha-timely";

export type IhaTimeliness = {
  /** "overdue": past the due date (not done by then, or done after it). */
  status: "on_time" | "overdue" | "not_yet_due" | "undetermined";
  answer: Answer | null;
  /** Working days from becoming looked after to the IHA report (or to the audit's date while not sent). */
  workingDays: number | null;
  dueDate: string | null;
  summary: string;
};

/** Timeliness from the template's iha-timely date rule, as of the audit's date, with its pinned settings. */
export function ihaTimeliness(audit: AuditWithTemplate, fields: Record<string, string | null>): IhaTimeliness {
  const criterion = allCriteria(audit.template).find((c) => c.id === IHA_TIMELY_CRITERION) ?? allCriteria(audit.template).find((c) => c.family === "iha-timeliness" && c.rule);
  if (!criterion) return { status: "undetermined", answer: null, workingDays: null, dueDate: null, summary: "This template has no IHA timeliness rule." };
  const result: CaseAnswer = caseAnswers(audit.template, { fields, answers: {} }, auditAsOf(audit), audit.settingValues)[criterion.id];
  const rule = result.rule;
  if (!rule) return { status: "undetermined", answer: result.answer, workingDays: null, dueDate: null, summary: result.applicability?.reason ?? "Cannot be determined." };
  const late = rule.overdue || rule.answer === "not_met" || rule.answer === "partial";
  const status = late ? "overdue" : rule.answer === "met" ? "on_time" : rule.dueDate ? "not_yet_due" : "undetermined";
  return { status, answer: rule.answer, workingDays: rule.workingDaysElapsed, dueDate: rule.dueDate, summary: rule.summary };
}

async function ihaAudits(db: Db) {
  const rows = await db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select("audits.id")
    .where("tv.key", "=", IHA_TEMPLATE_KEY)
    .execute();
  const audits = await Promise.all(rows.map((r) => getAudit(db, r.id)));
  return new Map(audits.filter((a): a is AuditWithTemplate => Boolean(a)).map((a) => [a.id, a]));
}

function parseFields(json: string): Record<string, string | null> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

/**
 * The reviewer's queue: scored cases (in the sample, not excluded) of lac-iha audits without a
 * quality judgement yet, oldest first by the date the child became looked after (missing dates last).
 */
export async function listIhaQueue(db: Db) {
  const audits = await ihaAudits(db);
  if (audits.size === 0) return [];
  const cases = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .select(["cases.id", "cases.audit_id", "cases.case_ref", "cases.fields", "services.name as service_name"])
    .where("cases.audit_id", "in", [...audits.keys()])
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("iha_reviews").select("iha_reviews.id").whereRef("iha_reviews.case_id", "=", "cases.id"))))
    .execute();
  const rows = cases.map((c) => {
    const audit = audits.get(c.audit_id)!;
    const fields = parseFields(c.fields);
    return {
      caseId: c.id,
      caseRef: c.case_ref,
      auditId: audit.id,
      auditTitle: audit.title,
      serviceName: c.service_name,
      lookedAfter: fields.date_looked_after || null,
      timeliness: ihaTimeliness(audit, fields),
    };
  });
  return rows.sort(
    (a, b) =>
      (a.lookedAfter ?? "9999-12-31").localeCompare(b.lookedAfter ?? "9999-12-31") || a.caseRef.localeCompare(b.caseRef, "en-GB") || a.caseId - b.caseId,
  );
}

/** A case's quality judgement with the reviewer's name, or undefined when not reviewed. */
export async function getIhaReview(db: Db, caseId: number) {
  const row = await db
    .selectFrom("iha_reviews")
    .innerJoin("users", "users.id", "iha_reviews.reviewed_by")
    .select([
      "iha_reviews.judgement",
      "iha_reviews.rationale",
      "iha_reviews.feedback",
      "iha_reviews.clinician_group",
      "iha_reviews.reviewed_at",
      "users.name as reviewer_name",
    ])
    .where("iha_reviews.case_id", "=", caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    judgement: row.judgement as Judgement,
    rationale: row.rationale,
    feedback: row.feedback,
    clinicianGroup: row.clinician_group as ClinicianGroup,
    reviewedAt: row.reviewed_at,
    /** The date of the review in London (ISO). */
    reviewedOn: todayInLondon(new Date(row.reviewed_at)),
    reviewerName: row.reviewer_name,
  };
}

/**
 * One IHA to review: a scored case of a lac-iha audit, with its audit, its answers (with any
 * reviewer's change reason), its timeliness and any judgement; undefined for any other case.
 */
export async function getIhaCase(db: Db, caseId: number) {
  if (!Number.isInteger(caseId) || caseId <= 0) return undefined;
  const row = await db.selectFrom("cases").select(["audit_id", "in_sample", "excluded_at"]).where("id", "=", caseId).executeTakeFirst();
  if (!row || row.in_sample !== 1 || row.excluded_at) return undefined;
  const audit = await getAudit(db, row.audit_id);
  if (!audit || audit.templateKey !== IHA_TEMPLATE_KEY) return undefined;
  const c = await getCase(db, audit.id, caseId);
  if (!c) return undefined;
  const answers = await db
    .selectFrom("answers")
    .select(["criterion_id", "answer", "note", "detail", "override_reason", "changed_reason"])
    .where("case_id", "=", caseId)
    .execute();
  const stored = Object.fromEntries(answers.filter((a) => a.answer).map((a) => [a.criterion_id, a.answer as Answer]));
  const overrides = Object.fromEntries(answers.filter((a) => a.override_reason).map((a) => [a.criterion_id, a.override_reason!]));
  const computed = caseAnswers(audit.template, { fields: c.fields, answers: stored, overrides }, auditAsOf(audit), audit.settingValues);
  return {
    audit,
    c,
    answers: Object.fromEntries(answers.map((a) => [a.criterion_id, a])),
    computed,
    timeliness: ihaTimeliness(audit, c.fields),
    review: await getIhaReview(db, caseId),
  };
}

export type IhaCase = NonNullable<Awaited<ReturnType<typeof getIhaCase>>>;

/**
 * Whether a reviewer can change this criterion's answer: only the auditor's own answers (a date
 * rule answers from the case's dates), and not one the case's details make "not applicable"
 * unless the auditor answered it anyway.
 */
export function canChangeAnswer(ihaCase: Pick<IhaCase, "audit" | "computed">, criterionId: string) {
  const criterion = allCriteria(ihaCase.audit.template).find((k) => k.id === criterionId);
  if (!criterion || criterion.rule) return false;
  const computed = ihaCase.computed[criterionId];
  return computed?.applicability?.applicable !== false || Boolean(computed.overrideReason);
}

/** Records (or replaces) the quality judgement of one IHA; logged with before and after. */
export async function recordIhaReview(db: Db, actor: NonNullable<Actor>, caseId: number, input: IhaJudgementInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("iha_reviews").selectAll().where("case_id", "=", caseId).executeTakeFirst();
    const values = {
      judgement: input.judgement,
      rationale: input.rationale,
      feedback: input.feedback ? input.feedback : null,
      clinician_group: input.clinicianGroup,
      reviewed_by: actor.id,
      reviewed_at: nowIso(),
    };
    const after = await trx
      .insertInto("iha_reviews")
      .values({ case_id: caseId, ...values })
      .onConflict((oc) => oc.column("case_id").doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, { actor, action: before ? "update" : "create", entity: "iha_review", entityId: caseId, before: before ?? null, after, request });
    return after;
  });
}

/**
 * A reviewer's change of one criterion's answer (and note and measure), with the reason kept
 * beside the answer (changed_reason) and in the audit log with the answer before and after.
 * Only while the audit is open: a complete audit must be reopened first (logged, with a reason).
 */
export async function changeAnswerAsReviewer(
  db: Db,
  actor: NonNullable<Actor>,
  caseId: number,
  criterionId: string,
  input: { answer: Answer | null; note: string | null; detail: AnswerDetail | null; reason: string },
  request?: Request,
) {
  if (!input.answer) throw new UserInputError("Select the answer", "change.answer");
  return db.transaction().execute(async (trx) => {
    const target = await trx
      .selectFrom("cases")
      .innerJoin("audits", "audits.id", "cases.audit_id")
      .select(["audits.status"])
      .where("cases.id", "=", caseId)
      .executeTakeFirst();
    if (!target) throw new Response("This case does not exist.", { status: 404, statusText: "Not Found" });
    if (!isAuditOpen(target.status)) {
      throw new Response("This audit is complete, so its answers cannot be changed. Reopen it first.", { status: 403, statusText: "Forbidden" });
    }
    const before = await trx
      .selectFrom("answers")
      .select(["answer", "note", "detail", "override_reason", "changed_reason", "answered_by", "answered_at"])
      .where("case_id", "=", caseId)
      .where("criterion_id", "=", criterionId)
      .executeTakeFirst();
    const now = nowIso();
    const row = {
      answer: input.answer,
      note: input.note ? input.note : null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      changed_reason: input.reason,
      answered_by: actor.id,
      answered_at: now,
    };
    await trx
      .insertInto("answers")
      .values({ case_id: caseId, criterion_id: criterionId, ...row, override_reason: null })
      .onConflict((oc) => oc.columns(["case_id", "criterion_id"]).doUpdateSet(row))
      .execute();
    await trx.updateTable("cases").set({ updated_at: now }).where("id", "=", caseId).execute();
    await logEvent(trx, {
      actor,
      action: "review_change",
      entity: "answer",
      entityId: `${caseId}/${criterionId}`,
      before: before ?? null,
      after: { ...row, override_reason: before?.override_reason ?? null },
      request,
    });
  });
}

/** "2026-02-14" → calendar quarter key and label. */
function quarterOf(isoDate: string) {
  const year = Number(isoDate.slice(0, 4));
  const q = Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1;
  const months = ["January to March", "April to June", "July to September", "October to December"][q - 1];
  return { key: `${year}-Q${q}`, label: `${months} ${year}` };
}

type Counts = Record<Judgement, number> & { total: number };
const emptyCounts = (): Counts => ({ outstanding: 0, good: 0, requires_improvement: 0, inadequate: 0, total: 0 });

/**
 * Judgements by quarter of review (the reviewed date in London; newest quarter first), each by
 * assessing service (the case's service) and by clinician group, with totals.
 */
export async function ihaReviewSummary(db: Db) {
  const rows = await db
    .selectFrom("iha_reviews")
    .innerJoin("cases", "cases.id", "iha_reviews.case_id")
    .innerJoin("services", "services.id", "cases.service_id")
    .select(["iha_reviews.judgement", "iha_reviews.clinician_group", "iha_reviews.reviewed_at", "services.id as service_id", "services.name as service_name"])
    .execute();
  type Quarter = { key: string; label: string; total: Counts; byService: Map<number, { serviceName: string; counts: Counts }>; byGroup: Map<ClinicianGroup, Counts> };
  const quarters = new Map<string, Quarter>();
  for (const r of rows) {
    const judgement = r.judgement as Judgement;
    if (!JUDGEMENTS.includes(judgement)) continue;
    const { key, label } = quarterOf(todayInLondon(new Date(r.reviewed_at)));
    const q = quarters.get(key) ?? { key, label, total: emptyCounts(), byService: new Map(), byGroup: new Map() };
    quarters.set(key, q);
    const service = q.byService.get(r.service_id) ?? { serviceName: r.service_name, counts: emptyCounts() };
    q.byService.set(r.service_id, service);
    const group = r.clinician_group as ClinicianGroup;
    const groupCounts = q.byGroup.get(group) ?? emptyCounts();
    q.byGroup.set(group, groupCounts);
    for (const counts of [q.total, service.counts, groupCounts]) {
      counts[judgement] += 1;
      counts.total += 1;
    }
  }
  return [...quarters.values()]
    .sort((a, b) => b.key.localeCompare(a.key))
    .map((q) => ({
      key: q.key,
      label: q.label,
      total: q.total,
      byService: [...q.byService]
        .sort(([idA, a], [idB, b]) => a.serviceName.localeCompare(b.serviceName, "en-GB") || idA - idB)
        .map(([serviceId, s]) => ({ serviceId, serviceName: s.serviceName, counts: s.counts })),
      byGroup: CLINICIAN_GROUPS.filter((g) => q.byGroup.has(g)).map((group) => ({ group, counts: q.byGroup.get(group)! })),
    }));
}
