/** Case records of an audit and the auditor's answers to each criterion. */
import { isAuditOpen } from "~/lib/audit-status";
import type { Answer } from "~/lib/answers";
import type { CaseForScoring } from "~/lib/scoring";
import type { AnswerInput } from "~/schemas/answer";
import type { CaseInput } from "~/schemas/case";
import { isoToParts } from "~/schemas/fields";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { nowIso } from "~/utils/time.server";
import { markInProgress, type AuditWithTemplate } from "./audits.server";

export class DuplicateCaseRefError extends UserInputError {
  constructor(caseRef: string) {
    super(`Case reference ${caseRef} is already in this audit. Enter a different case reference`, "caseRef");
  }
}

async function assertRefFree(db: Db, auditId: number, caseRef: string, exceptCaseId?: number) {
  let q = db.selectFrom("cases").select("id").where("audit_id", "=", auditId).where("case_ref", "=", caseRef);
  if (exceptCaseId) q = q.where("id", "!=", exceptCaseId);
  if (await q.executeTakeFirst()) throw new DuplicateCaseRefError(caseRef);
}

function caseValues(input: CaseInput) {
  return {
    case_ref: input.caseRef,
    service_id: input.serviceId,
    team_id: input.teamId,
    case_type: input.caseType,
    fields: JSON.stringify(input.fields),
  };
}

/** Whether the audit's sample has been drawn (after that, a case added by hand needs a reason). */
export async function sampleDrawn(db: Db, auditId: number) {
  return Boolean(await db.selectFrom("samples").select("id").where("audit_id", "=", auditId).executeTakeFirst());
}

/**
 * Adds a case by hand, straight into the sample (origin "manual", in_sample 1). Once the
 * sample has been drawn, a case added by hand is a change to a random sample, so it needs a
 * reason (stored in sample_reason, listed under "Changes after the draw").
 */
export async function addCase(
  db: Db,
  actor: NonNullable<Actor>,
  audit: AuditWithTemplate,
  input: CaseInput,
  request?: Request,
  { sampleReason }: { sampleReason?: string | null } = {},
) {
  return db.transaction().execute(async (trx) => {
    const inList = await trx.selectFrom("cases").select(["in_sample", "excluded_at"]).where("audit_id", "=", audit.id).where("case_ref", "=", input.caseRef).executeTakeFirst();
    if (inList && inList.in_sample === 0 && !inList.excluded_at) {
      throw new UserInputError(`Case reference ${input.caseRef} is already in this audit's case list. Add it to the sample on the sampling page instead`, "caseRef");
    }
    await assertRefFree(trx, audit.id, input.caseRef);
    const drawn = await sampleDrawn(trx, audit.id);
    const reason = sampleReason?.trim() || null;
    if (drawn && !reason) throw new UserInputError("Enter why this case is being added to the sample after it was drawn", "sampleReason");
    const now = nowIso();
    const row = await trx
      .insertInto("cases")
      .values({
        audit_id: audit.id,
        ...caseValues(input),
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        origin: "manual",
        in_sample: 1,
        sample_reason: drawn ? reason : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await markInProgress(trx, audit.id, audit.status);
    await logEvent(trx, { actor, action: "create", entity: "case", entityId: row.id, after: row, request });
    return row;
  });
}

export async function updateCase(db: Db, actor: NonNullable<Actor>, auditId: number, caseId: number, input: CaseInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("cases").selectAll().where("id", "=", caseId).where("audit_id", "=", auditId).executeTakeFirst();
    if (!before) return undefined;
    await assertRefFree(trx, auditId, input.caseRef, caseId);
    const after = await trx
      .updateTable("cases")
      .set({ ...caseValues(input), updated_at: nowIso() })
      .where("id", "=", caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, { actor, action: "update", entity: "case", entityId: caseId, before, after, request });
    return after;
  });
}

export async function deleteCase(db: Db, actor: NonNullable<Actor>, auditId: number, caseId: number, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("cases").selectAll().where("id", "=", caseId).where("audit_id", "=", auditId).executeTakeFirst();
    if (!before) return false;
    const answers = await trx.selectFrom("answers").selectAll().where("case_id", "=", caseId).execute();
    await trx.deleteFrom("answers").where("case_id", "=", caseId).execute();
    await trx.deleteFrom("cases").where("id", "=", caseId).execute();
    await logEvent(trx, { actor, action: "delete", entity: "case", entityId: caseId, before: { ...before, answers }, request });
    return true;
  });
}

function parseFields(json: string): Record<string, string | null> {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

/** One case of one audit (a case id from another audit gives undefined), with its answers. */
export async function getCase(db: Db, auditId: number, caseId: number) {
  if (!Number.isInteger(caseId) || caseId <= 0) return undefined;
  const row = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .select([
      "cases.id",
      "cases.audit_id",
      "cases.case_ref",
      "cases.service_id",
      "cases.team_id",
      "cases.case_type",
      "cases.fields",
      "cases.updated_at",
      "cases.origin",
      "cases.in_sample",
      "cases.sample_reason",
      "cases.excluded_reason",
      "cases.excluded_at",
      "cases.assigned_to",
      "services.name as service_name",
      "teams.name as team_name",
    ])
    .where("cases.id", "=", caseId)
    .where("cases.audit_id", "=", auditId)
    .executeTakeFirst();
  if (!row) return undefined;
  const answers = await db
    .selectFrom("answers")
    .select(["criterion_id", "answer", "note", "detail", "override_reason", "answered_at"])
    .where("case_id", "=", caseId)
    .execute();
  return { ...row, fields: parseFields(row.fields), answers };
}

/**
 * Every case of an audit that is scored, with its answers, shaped for the scoring module:
 * cases in the sample and not excluded. Cases only in the imported case list (population) and
 * excluded cases count nowhere: not in progress, results or completion.
 */
export async function listCasesForScoring(db: Db, auditId: number) {
  const cases = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .select(["cases.id", "cases.case_ref", "cases.service_id", "cases.team_id", "cases.case_type", "cases.fields", "cases.assigned_to", "services.name as service_name", "teams.name as team_name"])
    .where("cases.audit_id", "=", auditId)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .orderBy("cases.case_ref")
    .execute();
  const answers = await db
    .selectFrom("answers")
    .innerJoin("cases", "cases.id", "answers.case_id")
    .select(["answers.case_id", "answers.criterion_id", "answers.answer", "answers.override_reason"])
    .where("cases.audit_id", "=", auditId)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .execute();
  // Answers settled at moderation (issue #6) replace the auditor's; both originals stay stored.
  const agreed = await db
    .selectFrom("agreed_answers")
    .innerJoin("cases", "cases.id", "agreed_answers.case_id")
    .select(["agreed_answers.case_id", "agreed_answers.criterion_id", "agreed_answers.answer", "agreed_answers.reason"])
    .where("cases.audit_id", "=", auditId)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .execute();
  const byCase = new Map<number, Record<string, Answer>>();
  const overridesByCase = new Map<number, Record<string, string>>();
  for (const a of answers) {
    const m = byCase.get(a.case_id) ?? {};
    if (a.answer) m[a.criterion_id] = a.answer as Answer;
    byCase.set(a.case_id, m);
    if (a.override_reason) {
      const o = overridesByCase.get(a.case_id) ?? {};
      o[a.criterion_id] = a.override_reason;
      overridesByCase.set(a.case_id, o);
    }
  }
  const agreedByCase = new Map<number, Record<string, Answer>>();
  for (const a of agreed) {
    const m = byCase.get(a.case_id) ?? {};
    m[a.criterion_id] = a.answer as Answer;
    byCase.set(a.case_id, m);
    agreedByCase.set(a.case_id, { ...agreedByCase.get(a.case_id), [a.criterion_id]: a.answer as Answer });
    // An agreed answer (other than "not applicable") stands even where the case's details rule
    // the criterion out: the settling reason is its reason, as an auditor's override would be.
    const o = overridesByCase.get(a.case_id) ?? {};
    if (a.answer !== "na" && !o[a.criterion_id]) o[a.criterion_id] = `Agreed at moderation: ${a.reason}`;
    else if (a.answer === "na") delete o[a.criterion_id];
    overridesByCase.set(a.case_id, o);
  }
  return cases.map((c) => ({
    id: c.id,
    caseRef: c.case_ref,
    caseType: c.case_type,
    teamId: c.team_id,
    teamName: c.team_name,
    serviceId: c.service_id,
    serviceName: c.service_name,
    assignedTo: c.assigned_to,
    fields: parseFields(c.fields),
    answers: byCase.get(c.id) ?? {},
    overrides: overridesByCase.get(c.id) ?? {},
    agreed: agreedByCase.get(c.id) ?? {},
  })) satisfies (CaseForScoring & Record<string, unknown>)[];
}

/**
 * Saves the auditor's answers to a case, all or nothing. Only the criteria given are touched;
 * each change is logged with its before and after.
 */
export async function saveAnswers(db: Db, actor: NonNullable<Actor>, caseId: number, answers: Record<string, AnswerInput | undefined>, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const target = await trx
      .selectFrom("cases")
      .innerJoin("audits", "audits.id", "cases.audit_id")
      .select(["cases.audit_id", "cases.in_sample", "cases.excluded_at", "audits.status"])
      .where("cases.id", "=", caseId)
      .executeTakeFirst();
    if (!target) throw new Response("This case does not exist in this audit.", { status: 404, statusText: "Not Found" });
    if (!isAuditOpen(target.status)) throw new Response("This audit is complete, so its answers cannot be changed.", { status: 403, statusText: "Forbidden" });
    if (target.excluded_at) throw new Response("This case has been excluded from the sample, so it is not scored.", { status: 403, statusText: "Forbidden" });
    if (target.in_sample !== 1) throw new Response("This case is in the audit's case list but not in the sample, so it is not scored. Add it to the sample first.", { status: 403, statusText: "Forbidden" });
    const saved: string[] = [];
    const now = nowIso();
    for (const [criterionId, input] of Object.entries(answers)) {
      if (!input) continue;
      const before = await trx
        .selectFrom("answers")
        .select(["answer", "note", "detail", "override_reason"])
        .where("case_id", "=", caseId)
        .where("criterion_id", "=", criterionId)
        .executeTakeFirst();
      if (!input.answer && !input.note) {
        // Nothing to keep. A note on a date-rule criterion (no answer of its own) that was
        // emptied is removed; an auditor's answer is never removed this way.
        if (before && before.answer === null) {
          await trx.deleteFrom("answers").where("case_id", "=", caseId).where("criterion_id", "=", criterionId).execute();
          await logEvent(trx, { actor, action: "delete", entity: "answer", entityId: `${caseId}/${criterionId}`, before, request });
          saved.push(criterionId);
        }
        continue;
      }
      const row = {
        answer: input.answer ?? null,
        note: input.note ? input.note : null,
        detail: input.detail ? JSON.stringify(input.detail) : null,
        override_reason: input.overrideReason ? input.overrideReason : null,
      };
      if (before && before.answer === row.answer && before.note === row.note && before.detail === row.detail && before.override_reason === row.override_reason) {
        saved.push(criterionId);
        continue;
      }
      await trx
        .insertInto("answers")
        .values({ case_id: caseId, criterion_id: criterionId, ...row, answered_by: actor.id, answered_at: now })
        .onConflict((oc) => oc.columns(["case_id", "criterion_id"]).doUpdateSet({ ...row, answered_by: actor.id, answered_at: now }))
        .execute();
      await logEvent(trx, {
        actor,
        action: before ? "update" : "create",
        entity: "answer",
        entityId: `${caseId}/${criterionId}`,
        before: before ?? null,
        after: row,
        request,
      });
      saved.push(criterionId);
    }
    if (saved.length) {
      await trx.updateTable("cases").set({ updated_at: now }).where("id", "=", caseId).execute();
      await markInProgress(trx, target.audit_id, target.status);
    }
    return saved;
  });
}

/** A stored case as the case form shows it (dates split into day, month and year boxes). */
export function caseToFormValues(c: { case_ref: string; service_id: number; team_id: number | null; case_type: string; fields: Record<string, string | null> }, caseFields: { id: string; type: string }[]) {
  const fields: Record<string, unknown> = {};
  for (const f of caseFields) {
    const v = c.fields[f.id] ?? null;
    fields[f.id] = f.type === "date" ? isoToParts(v) : v ?? "";
  }
  return { caseRef: c.case_ref, serviceId: String(c.service_id), teamId: c.team_id ? String(c.team_id) : "", caseType: c.case_type, fields };
}
