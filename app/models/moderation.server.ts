/**
 * Blind moderation (issue #6): a reviewer chooses, or the app draws at random, completed cases
 * of an audit; the reviewer scores each again without seeing the first answers; the app shows
 * agreement (percentage and Cohen's kappa, per criterion and overall) and the disagreements side
 * by side; the reviewer settles each disagreement with an agreed answer and a reason.
 *
 * Decisions:
 * - Only audits in progress or complete can be moderated (not drafts, not closed audits), and
 *   only their complete cases (in the sample, not excluded, every criterion answered).
 * - Moderation covers the criteria an auditor answers. Date-rule criteria are worked out from the
 *   case's dates, so there is nothing to score twice.
 * - The first answer compared is the answer the results used before moderation: the auditor's,
 *   or "not applicable" where the case's details rule the criterion out and the auditor did not
 *   answer it anyway.
 * - A random draw takes `percent` of the complete cases, rounded up, with `drawSample` and the
 *   given seed: the same seed and the same complete cases always give the same draw. Cases drawn
 *   that were already chosen stay as they were.
 * - The moderator cannot be the person who scored the case first, and once a disagreement of a
 *   case has been settled its second scoring can no longer change.
 * - Both original answers are kept (answers, moderation_answers); the agreed answer is stored
 *   beside them (agreed_answers) and `listCasesForScoring` uses it in place of the auditor's.
 * - Every change is written to the audit log in the same transaction.
 */
import { agreementByCriterion, type AgreementRow } from "~/lib/agreement";
import { ANSWER_LABELS, ANSWERS, type Answer } from "~/lib/answers";
import { formatDate, formatDateTimeLondon } from "~/lib/dates";
import { drawSample, compareCodePoints } from "~/lib/sampling";
import { caseAnswers } from "~/lib/scoring";
import type { ModerationAnswerInput, ModerationCriterion } from "~/schemas/moderation";
import { allCriteria } from "~/schemas/template";
import type { AuditStatus } from "../../db/schema";
import { logAccessDenied, logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";
import type { AuditWithTemplate } from "./audits.server";
import { auditAsOf, auditProgress } from "./results.server";
import { refreshAuditResults } from "./stored-results.server";

/** Whether an audit's cases can be chosen, scored again and settled now. */
export function canModerate(status: AuditStatus): boolean {
  return status === "in_progress" || status === "complete";
}

const NOT_MODERATABLE = "Only an audit that is in progress or complete can be moderated.";

function assertModeratable(audit: Pick<AuditWithTemplate, "status">) {
  if (!canModerate(audit.status)) throw new Response(NOT_MODERATABLE, { status: 403, statusText: "Forbidden" });
}

/** Rounds away floating-point dust so an exact whole number is not pushed up by `ceil`. */
function ceilClean(x: number) {
  return Math.ceil(Math.round(x * 1e9) / 1e9);
}

/** The number a random draw takes: `percent` of `population`, rounded up (at most all of them). */
export function moderationDrawSize(population: number, percent: number) {
  return Math.min(population, ceilClean((percent * population) / 100));
}

/** The criteria a moderator scores: those the auditor answers (not date rules), in template order. */
function moderatedCriteria(audit: AuditWithTemplate) {
  return allCriteria(audit.template).filter((c) => !c.rule);
}

function parseFields(json: string): Record<string, string | null> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

/** The complete cases of an audit (in the sample, not excluded, every criterion answered). */
async function completeCases(db: Db, audit: AuditWithTemplate) {
  const progress = await auditProgress(db, audit);
  return progress.cases.filter((c) => c.complete);
}

/**
 * Each criterion's answer from the FIRST scoring, as the results used it before moderation:
 * the auditor's stored answers (never agreed answers), with the case's applicability rules.
 */
async function firstAnswers(db: Db, audit: AuditWithTemplate, caseIds: number[]) {
  const out = new Map<number, Record<string, { answer: Answer | null; note: string | null }>>();
  if (caseIds.length === 0) return out;
  const cases = await db.selectFrom("cases").select(["id", "fields"]).where("id", "in", caseIds).execute();
  const rows = await db.selectFrom("answers").select(["case_id", "criterion_id", "answer", "note", "override_reason"]).where("case_id", "in", caseIds).execute();
  const asOf = auditAsOf(audit);
  for (const c of cases) {
    const mine = rows.filter((r) => r.case_id === c.id);
    const answers = Object.fromEntries(mine.filter((r) => r.answer).map((r) => [r.criterion_id, r.answer as Answer]));
    const overrides = Object.fromEntries(mine.filter((r) => r.override_reason).map((r) => [r.criterion_id, r.override_reason!]));
    const notes = Object.fromEntries(mine.map((r) => [r.criterion_id, r.note]));
    const computed = caseAnswers(audit.template, { fields: parseFields(c.fields), answers, overrides }, asOf, audit.settingValues);
    out.set(c.id, Object.fromEntries(moderatedCriteria(audit).map((k) => [k.id, { answer: computed[k.id]?.answer ?? null, note: notes[k.id] ?? null }])));
  }
  return out;
}

async function moderationRows(db: Db, auditId: number) {
  return db
    .selectFrom("moderation_cases as mc")
    .innerJoin("cases", "cases.id", "mc.case_id")
    .innerJoin("services", "services.id", "cases.service_id")
    .innerJoin("users as selector", "selector.id", "mc.selected_by")
    .leftJoin("users as moderator", "moderator.id", "mc.moderator_id")
    .select([
      "mc.id",
      "mc.case_id",
      "mc.seed",
      "mc.selected_at",
      "mc.completed_at",
      "mc.moderator_id",
      "cases.case_ref",
      "services.name as service_name",
      "selector.name as selected_by_name",
      "moderator.name as moderator_name",
    ])
    .where("mc.audit_id", "=", auditId)
    .execute();
}

/** How many of an audit's cases have been moderated (scored a second time). For the results page. */
export async function countModeratedCases(db: Db, auditId: number) {
  const rows = await db.selectFrom("moderation_cases").select("id").where("audit_id", "=", auditId).where("completed_at", "is not", null).execute();
  return rows.length;
}

export type DisagreementRow = AgreementRow & {
  caseId: number;
  caseRef: string;
  question: string;
  firstNote: string | null;
  secondNote: string | null;
};

/**
 * Everything the moderation overview shows: the complete cases that can be chosen, the chosen
 * cases and their progress, agreement per criterion and overall, and the disagreements side by
 * side with any agreed answer.
 */
export async function moderationOverview(db: Db, audit: AuditWithTemplate) {
  const complete = await completeCases(db, audit);
  const selected = await moderationRows(db, audit.id);
  const selectedIds = new Set(selected.map((s) => s.case_id));
  const criteria = moderatedCriteria(audit);
  const questions = new Map(criteria.map((c) => [c.id, c.question]));

  const moderated = selected.filter((s) => s.completed_at);
  const moderatedIds = moderated.map((s) => s.case_id);
  const first = await firstAnswers(db, audit, moderatedIds);
  const second = moderatedIds.length
    ? await db.selectFrom("moderation_answers").select(["case_id", "criterion_id", "answer", "note"]).where("case_id", "in", moderatedIds).execute()
    : [];
  const agreed = moderatedIds.length
    ? await db
        .selectFrom("agreed_answers")
        .innerJoin("users", "users.id", "agreed_answers.settled_by")
        .select(["agreed_answers.case_id", "agreed_answers.criterion_id", "agreed_answers.answer", "agreed_answers.reason", "agreed_answers.settled_at", "users.name as settled_by_name"])
        .where("agreed_answers.case_id", "in", moderatedIds)
        .execute()
    : [];
  const secondBy = new Map(second.map((s) => [`${s.case_id}/${s.criterion_id}`, s]));
  const agreedBy = new Map(agreed.map((a) => [`${a.case_id}/${a.criterion_id}`, a]));

  // Pairs in a stable order: criteria in template order, cases by reference.
  const refs = new Map(moderated.map((m) => [m.case_id, m.case_ref]));
  const caseOrder = [...moderatedIds].sort((a, b) => compareCodePoints(refs.get(a)!, refs.get(b)!));
  const rows: DisagreementRow[] = [];
  for (const c of criteria) {
    for (const caseId of caseOrder) {
      const f = first.get(caseId)?.[c.id];
      const s = secondBy.get(`${caseId}/${c.id}`);
      if (!f?.answer || !s) continue;
      rows.push({ criterionId: c.id, first: f.answer, second: s.answer, caseId, caseRef: refs.get(caseId)!, question: c.question, firstNote: f.note, secondNote: s.note });
    }
  }
  const agreement = agreementByCriterion(rows);

  return {
    canModerate: canModerate(audit.status),
    completeCount: complete.length,
    /** Complete cases not chosen yet, for choosing by hand. */
    available: complete
      .filter((c) => !selectedIds.has(c.id))
      .map((c) => ({ id: c.id, caseRef: c.caseRef, serviceName: c.serviceName }))
      .sort((a, b) => compareCodePoints(a.caseRef, b.caseRef)),
    selected: selected
      .map((s) => ({
        caseId: s.case_id,
        caseRef: s.case_ref,
        serviceName: s.service_name,
        how: s.seed ? `Drawn at random (seed ${s.seed})` : "Chosen by hand",
        selectedBy: s.selected_by_name,
        selectedAt: formatDate(s.selected_at.slice(0, 10)),
        moderated: s.completed_at ? `Moderated by ${s.moderator_name ?? "unknown"} on ${formatDateTimeLondon(s.completed_at)}` : null,
      }))
      .sort((a, b) => compareCodePoints(a.caseRef, b.caseRef)),
    moderatedCount: moderated.length,
    agreement: {
      byCriterion: agreement.byCriterion.map((a) => ({ criterionId: a.criterionId, question: questions.get(a.criterionId) ?? a.criterionId, n: a.n, agreement: a.agreement, kappa: a.kappa })),
      overall: { n: agreement.overall.n, agreement: agreement.overall.agreement, kappa: agreement.overall.kappa },
    },
    disagreements: agreement.overall.disagreements.map((d) => {
      const a = agreedBy.get(`${d.caseId}/${d.criterionId}`);
      const allowed = criteria.find((c) => c.id === d.criterionId)!.answers as Answer[];
      return {
        caseId: d.caseId,
        caseRef: d.caseRef,
        criterionId: d.criterionId,
        question: d.question,
        first: { answer: d.first as Answer, note: d.firstNote },
        second: { answer: d.second as Answer, note: d.secondNote },
        options: agreedOptions(allowed, d.first, d.second),
        agreed: a ? { answer: a.answer as Answer, reason: a.reason, settledBy: a.settled_by_name, settledAt: formatDateTimeLondon(a.settled_at) } : null,
      };
    }),
  };
}

/** The answers an agreed answer may take: the criterion's own, plus either scoring's (say, "not applicable"). */
function agreedOptions(allowed: readonly Answer[], first: string, second: string): Answer[] {
  const set = new Set<string>([...allowed, first, second]);
  return ANSWERS.filter((a) => set.has(a));
}

/** Chooses complete cases by hand. Cases already chosen are left as they are. Returns the ids added. */
export async function selectForModeration(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, caseIds: number[], request?: Request) {
  assertModeratable(audit);
  return db.transaction().execute(async (trx) => {
    const complete = new Set((await completeCases(trx, audit)).map((c) => c.id));
    const wanted = [...new Set(caseIds)];
    if (wanted.some((id) => !complete.has(id))) throw new UserInputError("Select cases from the list: only complete cases can be moderated", "caseIds");
    return addModerationCases(trx, actor, audit.id, wanted, null, request);
  });
}

async function addModerationCases(trx: Db, actor: NonNullable<Actor>, auditId: number, caseIds: number[], seed: string | null, request?: Request) {
  const already = new Set((await trx.selectFrom("moderation_cases").select("case_id").where("audit_id", "=", auditId).execute()).map((r) => r.case_id));
  const now = nowIso();
  const added: number[] = [];
  for (const caseId of caseIds) {
    if (already.has(caseId)) continue;
    const row = await trx
      .insertInto("moderation_cases")
      .values({ audit_id: auditId, case_id: caseId, moderator_id: null, seed, selected_by: actor.id, selected_at: now, completed_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, { actor, action: "select", entity: "moderation_case", entityId: row.id, after: row, request });
    added.push(caseId);
  }
  return added;
}

/**
 * Draws `percent` of the audit's complete cases (rounded up) at random with `seed`, and chooses
 * the ones not chosen yet. Returns what was drawn and what was added.
 */
export async function drawForModeration(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, { percent, seed }: { percent: number; seed: string }, request?: Request) {
  assertModeratable(audit);
  return db.transaction().execute(async (trx) => {
    const complete = await completeCases(trx, audit);
    if (complete.length === 0) throw new UserInputError("There are no complete cases to moderate yet. Cases can be moderated once every criterion is answered", "percent");
    const size = moderationDrawSize(complete.length, percent);
    const byRef = new Map(complete.map((c) => [c.caseRef, c.id]));
    const drawnRefs = drawSample([...byRef.keys()], size, seed);
    const drawn = drawnRefs.map((ref) => byRef.get(ref)!);
    const added = await addModerationCases(trx, actor, audit.id, drawn, seed, request);
    await logEvent(trx, {
      actor,
      action: "draw",
      entity: "moderation_sample",
      entityId: audit.id,
      after: { percent, seed, population: complete.length, size, drawn: drawnRefs, added: added.length },
      request,
    });
    return { population: complete.length, size, drawnRefs, added };
  });
}

/** Takes a chosen case off the moderation list, while it has not been scored again yet. */
export async function removeFromModeration(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, caseId: number, request?: Request) {
  assertModeratable(audit);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("moderation_cases").selectAll().where("audit_id", "=", audit.id).where("case_id", "=", caseId).executeTakeFirst();
    if (!row) throw new Response("This case has not been chosen for moderation.", { status: 404, statusText: "Not Found" });
    if (row.completed_at) throw new UserInputError("This case has already been moderated, so it stays in the moderation", "form");
    await trx.deleteFrom("moderation_cases").where("id", "=", row.id).execute();
    await logEvent(trx, { actor, action: "delete", entity: "moderation_case", entityId: row.id, before: row, request });
  });
}

async function requireModerationCase(db: Db, auditId: number, caseId: number) {
  const row = Number.isInteger(caseId) && caseId > 0
    ? await db.selectFrom("moderation_cases").selectAll().where("audit_id", "=", auditId).where("case_id", "=", caseId).executeTakeFirst()
    : undefined;
  if (!row) throw new Response("This case has not been chosen for moderation in this audit.", { status: 404, statusText: "Not Found" });
  return row;
}

/** Refuses a moderator who gave any of the case's first answers: the second scoring must be independent. */
async function assertNotFirstScorer(db: Db, actor: NonNullable<Actor>, caseId: number) {
  const own = await db.selectFrom("answers").select("criterion_id").where("case_id", "=", caseId).where("answered_by", "=", actor.id).executeTakeFirst();
  if (own) throw new Response("You scored this case first, so someone else must moderate it.", { status: 403, statusText: "Forbidden" });
}

/**
 * One chosen case for the blind second scoring. Deliberately returns NOTHING from the first
 * scoring (no answers, notes, measures or override reasons): only the case's details, the
 * criteria to score (with what the case's details say about applicability) and the moderator's
 * own second answers, if any.
 */
export async function getModerationCase(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, caseId: number) {
  const mc = await requireModerationCase(db, audit.id, caseId);
  await assertNotFirstScorer(db, actor, caseId);
  const c = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .select(["cases.id", "cases.case_ref", "cases.case_type", "cases.fields", "services.name as service_name", "teams.name as team_name"])
    .where("cases.id", "=", caseId)
    .executeTakeFirstOrThrow();
  const fields = parseFields(c.fields);
  // Applicability from the case's details only: no auditor answers or overrides go in.
  const computed = caseAnswers(audit.template, { fields, answers: {}, overrides: {} }, auditAsOf(audit), audit.settingValues);
  const criteria = moderatedCriteria(audit).map((k) => {
    const applicability = computed[k.id]?.applicability;
    const notApplicable = applicability?.applicable === false;
    return {
      id: k.id,
      sectionId: k.sectionId,
      question: k.question,
      options: (notApplicable && !k.answers.includes("na") ? [...k.answers, "na"] : [...k.answers]) as Answer[],
      applicability: applicability ? { applicable: applicability.applicable, reason: applicability.reason } : null,
    };
  });
  const mine = await db.selectFrom("moderation_answers").select(["criterion_id", "answer", "note"]).where("case_id", "=", caseId).execute();
  const settled = await db.selectFrom("agreed_answers").select("id").where("case_id", "=", caseId).executeTakeFirst();
  const displayField = (f: AuditWithTemplate["template"]["caseFields"][number]) => {
    const v = fields[f.id];
    if (!v) return "Not recorded";
    if (f.type === "date") return formatDate(v);
    if (f.type === "choice") return f.options.find((o) => o.value === v)?.label ?? v;
    return v === "yes" ? "Yes" : "No";
  };
  return {
    case: {
      id: c.id,
      ref: c.case_ref,
      service: c.service_name,
      team: c.team_name,
      caseType: c.case_type,
      fields: audit.template.caseFields.map((f) => ({ label: f.label, value: displayField(f) })),
    },
    sections: audit.template.sections
      .map((s) => ({ id: s.id, title: s.title, criteria: criteria.filter((k) => k.sectionId === s.id) }))
      .filter((s) => s.criteria.length > 0),
    criteria: criteria.map((k): ModerationCriterion => ({ id: k.id, options: k.options })),
    own: Object.fromEntries(mine.map((m) => [m.criterion_id, { answer: m.answer, note: m.note ?? "" }])),
    completedAt: mc.completed_at,
    /** Once a disagreement is settled the second scoring is fixed. */
    locked: Boolean(settled),
  };
}

/**
 * Saves the moderator's second scoring of a case, all or nothing, and marks the case moderated.
 * `answers` must cover every criterion (the schema checks it).
 */
export async function saveModeration(
  db: Db,
  actor: NonNullable<Actor>,
  audit: AuditWithTemplate,
  caseId: number,
  answers: Record<string, ModerationAnswerInput>,
  request?: Request,
) {
  assertModeratable(audit);
  return db.transaction().execute(async (trx) => {
    const mc = await requireModerationCase(trx, audit.id, caseId);
    await assertNotFirstScorer(trx, actor, caseId);
    if (await trx.selectFrom("agreed_answers").select("id").where("case_id", "=", caseId).executeTakeFirst()) {
      throw new Response("A disagreement on this case has been settled, so its second scoring can no longer change.", { status: 403, statusText: "Forbidden" });
    }
    const now = nowIso();
    for (const criterion of moderatedCriteria(audit)) {
      const input = answers[criterion.id];
      if (!input) throw new UserInputError(`Answer every criterion`, `answers.${criterion.id}.answer`);
      const row = { answer: input.answer, note: input.note?.trim() ? input.note.trim() : null };
      const before = await trx.selectFrom("moderation_answers").select(["answer", "note"]).where("case_id", "=", caseId).where("criterion_id", "=", criterion.id).executeTakeFirst();
      if (before && before.answer === row.answer && before.note === row.note) continue;
      await trx
        .insertInto("moderation_answers")
        .values({ case_id: caseId, criterion_id: criterion.id, ...row, answered_by: actor.id, answered_at: now })
        .onConflict((oc) => oc.columns(["case_id", "criterion_id"]).doUpdateSet({ ...row, answered_by: actor.id, answered_at: now }))
        .execute();
      await logEvent(trx, { actor, action: before ? "update" : "create", entity: "moderation_answer", entityId: `${caseId}/${criterion.id}`, before: before ?? null, after: row, request });
    }
    const after = { moderator_id: actor.id, completed_at: mc.completed_at ?? now };
    if (mc.moderator_id !== after.moderator_id || !mc.completed_at) {
      await trx.updateTable("moderation_cases").set(after).where("id", "=", mc.id).execute();
      await logEvent(trx, { actor, action: "moderate", entity: "moderation_case", entityId: mc.id, before: { moderator_id: mc.moderator_id, completed_at: mc.completed_at }, after, request });
    }
  });
}

/**
 * Settles a disagreement: the agreed answer (one of the criterion's answers, or either scoring's)
 * and the reason. Both original answers stay stored. Settling again replaces the agreed answer.
 */
export async function settleDisagreement(
  db: Db,
  actor: NonNullable<Actor>,
  audit: AuditWithTemplate,
  input: { caseId: number; criterionId: string; answer: Answer; reason: string },
  request?: Request,
) {
  assertModeratable(audit);
  return db.transaction().execute(async (trx) => {
    const mc = await requireModerationCase(trx, audit.id, input.caseId);
    const criterion = moderatedCriteria(audit).find((c) => c.id === input.criterionId);
    if (!criterion || !mc.completed_at) throw new Response("There is no disagreement to settle here.", { status: 404, statusText: "Not Found" });
    const first = (await firstAnswers(trx, audit, [input.caseId])).get(input.caseId)?.[criterion.id]?.answer ?? null;
    const second = await trx.selectFrom("moderation_answers").select("answer").where("case_id", "=", input.caseId).where("criterion_id", "=", criterion.id).executeTakeFirst();
    if (!first || !second || first === second.answer) throw new UserInputError("The two scorings of this criterion agree, so there is nothing to settle", "form");
    const field = `agreed.c${input.caseId}_${criterion.id}.answer`;
    if (!agreedOptions(criterion.answers as Answer[], first, second.answer).includes(input.answer)) {
      throw new UserInputError(`Select the agreed answer: ${agreedOptions(criterion.answers as Answer[], first, second.answer).map((a) => ANSWER_LABELS[a].toLowerCase()).join(", ")}`, field);
    }
    const before = await trx.selectFrom("agreed_answers").select(["answer", "reason"]).where("case_id", "=", input.caseId).where("criterion_id", "=", criterion.id).executeTakeFirst();
    const now = nowIso();
    const row = { answer: input.answer, reason: input.reason };
    await trx
      .insertInto("agreed_answers")
      .values({ case_id: input.caseId, criterion_id: criterion.id, ...row, settled_by: actor.id, settled_at: now })
      .onConflict((oc) => oc.columns(["case_id", "criterion_id"]).doUpdateSet({ ...row, settled_by: actor.id, settled_at: now }))
      .execute();
    await refreshAuditResults(trx, audit.id);
    await logEvent(trx, {
      actor,
      action: before ? "update" : "settle",
      entity: "agreed_answer",
      entityId: `${input.caseId}/${criterion.id}`,
      before: before ?? null,
      after: { ...row, first, second: second.answer },
      request,
    });
  });
}

/**
 * True while a case is chosen for moderation and not yet scored the second time: a reviewer
 * must not see the first answers then (the case page refuses them; the moderation page is blind).
 */
export async function awaitingBlindScoring(db: Db, caseId: number): Promise<boolean> {
  const row = await db.selectFrom("moderation_cases").select("id").where("case_id", "=", caseId).where("completed_at", "is", null).executeTakeFirst();
  return Boolean(row);
}

/** True while any case of the audit is chosen for moderation and not yet scored the second time. */
export async function auditAwaitingBlindScoring(db: Db, auditId: number): Promise<boolean> {
  const row = await db
    .selectFrom("moderation_cases")
    .innerJoin("cases", "cases.id", "moderation_cases.case_id")
    .select("moderation_cases.id")
    .where("cases.audit_id", "=", auditId)
    .where("moderation_cases.completed_at", "is", null)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Refuses (403) a reviewer any page that shows a case's first answers while the case awaits
 * their blind second scoring: the case page and the designated doctor's IHA review alike.
 */
export async function assertNotAwaitingBlindScoring(db: Db, user: { id: number; email: string; role: string }, caseId: number, request: Request): Promise<void> {
  if (user.role === "reviewer" && (await awaitingBlindScoring(db, caseId))) {
    await logAccessDenied(db, user, request, `case ${caseId} awaits this reviewer's blind second scoring`);
    throw new Response("This case is chosen for moderation. Score it again from the moderation page first: its first answers are shown once your second scoring is saved.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
}
