/**
 * Blind moderation (issue #6): choosing cases by hand or at random (reproducible seed, 10%
 * rounded up), the blind second scoring (no first answers in the page data), agreement and
 * kappa on a hand-computed fixture, settling a disagreement (results then use the agreed answer,
 * both originals kept), and who may do it.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawSample } from "~/lib/sampling";
import { moderationAnswersSchema, settleSchema } from "~/schemas/moderation";
import { allCriteria } from "~/schemas/template";
import * as auditPage from "~/routes/audits.$auditId._index";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as moderation from "~/routes/audits.$auditId.moderation._index";
import * as moderateCase from "~/routes/audits.$auditId.moderation.$caseId";
import * as results from "~/routes/audits.$auditId.results";
import * as ihaReview from "~/routes/reviews.$caseId";
import * as exportPage from "~/routes/audits.$auditId.export";
import { templateTrends } from "~/models/trends.server";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb } from "./helpers";
import { addCaseByHand, createAudit, postAnswers, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
});
afterAll(async () => env.cleanup());

const X = "iha-practitioner";
const Y = "core-consent";
const SECRET_NOTE = "FIRST-AUDITOR-SECRET-NOTE";
const SECRET_OVERRIDE = "FIRST-AUDITOR-SECRET-OVERRIDE";

type Given = { answer: "met" | "partial" | "not_met" | "na"; note?: string };

/** Every criterion the auditor answers: the criteria the moderator scores again. */
const scoredCriteria = () => allCriteria(w.template).filter((c) => !c.rule);

/** The auditor scores a case completely: "met" unless given, with notes and override reasons where needed. */
async function scoreCase(auditId: number, caseId: number, given: Record<string, Given> = {}) {
  const page = await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: { auditId: String(auditId), caseId: String(caseId) } });
  const autoNa = new Set<string>(page.data.autoNa);
  const fields: Record<string, string> = {};
  for (const c of scoredCriteria()) {
    const g = given[c.id] ?? { answer: "met" };
    if (c.measure?.type === "ratio") {
      const [n, d] = g.answer === "met" ? ["2", "2"] : g.answer === "partial" ? ["1", "2"] : ["0", "2"];
      Object.assign(fields, { [`answers.${c.id}.numerator`]: n, [`answers.${c.id}.denominator`]: d });
    } else fields[`answers.${c.id}.answer`] = g.answer;
    if (g.answer === "partial" || g.answer === "not_met") fields[`answers.${c.id}.note`] = g.note ?? SECRET_NOTE;
    if (autoNa.has(c.id)) fields[`answers.${c.id}.overrideReason`] = SECRET_OVERRIDE;
  }
  const res = await postAnswers(w, auditId, caseId, fields);
  expect(res.data?.errors).toBeUndefined();
  expect(res.status).toBe(200);
}

async function newCase(auditId: number, ref: string) {
  const res = await addCaseByHand(w, auditId, ref);
  expect(res.data?.errors).toBeUndefined();
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

const p = (auditId: number, caseId?: number) => ({ auditId: String(auditId), ...(caseId ? { caseId: String(caseId) } : {}) });
const overview = (auditId: number, cookie = w.users.reviewer.cookie) => callLoader(moderation.loader, `/audits/${auditId}/moderation`, { cookie, params: p(auditId) });
const post = (auditId: number, fields: Record<string, string | string[]>, cookie = w.users.reviewer.cookie) =>
  callAction(moderation.action, `/audits/${auditId}/moderation`, fields, { cookie, params: p(auditId) });
const casePageData = (auditId: number, caseId: number, cookie = w.users.reviewer.cookie) =>
  callLoader(moderateCase.loader, `/audits/${auditId}/moderation/${caseId}`, { cookie, params: p(auditId, caseId) });

/** The moderator's second scoring: "met" everywhere unless given. */
function moderationFields(given: Record<string, Given> = {}) {
  const fields: Record<string, string> = {};
  for (const c of scoredCriteria()) {
    const g = given[c.id] ?? { answer: "met" };
    fields[`answers.${c.id}.answer`] = g.answer;
    if (g.note) fields[`answers.${c.id}.note`] = g.note;
  }
  return fields;
}
const postModeration = (auditId: number, caseId: number, fields: Record<string, string>, cookie = w.users.reviewer.cookie) =>
  callAction(moderateCase.action, `/audits/${auditId}/moderation/${caseId}`, fields, { cookie, params: p(auditId, caseId) });

describe("choosing cases at random and by hand", () => {
  let auditId: number;
  const refs: string[] = [];
  const ids = new Map<string, number>();
  let incompleteId: number;

  beforeAll(async () => {
    auditId = await createAudit(w, "Moderation draw");
    for (let i = 1; i <= 11; i++) {
      const ref = `MOD-${String(i).padStart(2, "0")}`;
      const id = await newCase(auditId, ref);
      await scoreCase(auditId, id);
      refs.push(ref);
      ids.set(ref, id);
    }
    // A case not scored completely cannot be moderated and is not in the draw's population.
    incompleteId = await newCase(auditId, "MOD-99");
  });

  it("defaults to 10% of the complete cases, rounded up, with a fresh seed", async () => {
    const page = await overview(auditId);
    expect(page.status).toBe(200);
    expect(page.data.completeCount).toBe(11);
    expect(page.data.defaultDrawSize).toBe(2); // 10% of 11 = 1.1 → 2
    expect(page.data.drawDefaults.percent).toBe("10");
    expect(page.data.drawDefaults.seed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(page.data.available.map((c: { caseRef: string }) => c.caseRef)).toEqual(refs);
  });

  it("draws reproducibly with the seed, and logs the draw", async () => {
    const seed = "SEED-0001";
    const res = await post(auditId, { intent: "draw", percent: "10", seed: "seed-0001" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}/moderation?done=drawn`);
    const expected = drawSample(refs, 2, seed);
    expect(expected).toHaveLength(2);
    const chosen = await db.selectFrom("moderation_cases").innerJoin("cases", "cases.id", "moderation_cases.case_id").select(["cases.case_ref", "moderation_cases.seed"]).where("moderation_cases.audit_id", "=", auditId).execute();
    expect(chosen.map((c) => c.case_ref).sort()).toEqual([...expected].sort());
    expect(chosen.every((c) => c.seed === seed)).toBe(true);
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "draw").where("entity", "=", "moderation_sample").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ percent: 10, seed, population: 11, size: 2, drawn: expected });

    // Take them off the list and draw again with the same seed: the same cases come back.
    for (const ref of expected) {
      const removed = await post(auditId, { intent: "remove", caseId: String(ids.get(ref)) });
      expect(removed.status).toBe(302);
    }
    expect(await db.selectFrom("moderation_cases").select("id").where("audit_id", "=", auditId).execute()).toHaveLength(0);
    await post(auditId, { intent: "draw", percent: "10", seed });
    const again = await db.selectFrom("moderation_cases").innerJoin("cases", "cases.id", "moderation_cases.case_id").select("cases.case_ref").where("moderation_cases.audit_id", "=", auditId).execute();
    expect(again.map((c) => c.case_ref).sort()).toEqual([...expected].sort());

    // A configured percentage: 30% of 11 = 3.3 → 4 cases drawn; those already chosen stay.
    await post(auditId, { intent: "draw", percent: "30", seed: "OTHER-SEED" });
    const third = drawSample(refs, 4, "OTHER-SEED");
    const all = await db.selectFrom("moderation_cases").innerJoin("cases", "cases.id", "moderation_cases.case_id").select("cases.case_ref").where("moderation_cases.audit_id", "=", auditId).execute();
    expect(all.map((c) => c.case_ref).sort()).toEqual([...new Set([...expected, ...third])].sort());
  });

  it("checks the draw form", async () => {
    const res = await post(auditId, { intent: "draw", percent: "", seed: "" });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ percent: "Enter the percentage of completed cases to moderate", seed: "Enter a seed" });
    const bad = await post(auditId, { intent: "draw", percent: "150", seed: "A B" });
    expect(bad.data.errors).toEqual({ percent: "Percentage must be more than 0 and no more than 100", seed: "Seed must only include letters, numbers and hyphens" });
  });

  it("chooses complete cases by hand, and refuses incomplete ones", async () => {
    const none = await post(auditId, { intent: "select" });
    expect(none.status).toBe(400);
    expect(none.data.errors.caseIds).toBe("Select at least one case to moderate");
    const incomplete = await post(auditId, { intent: "select", caseIds: [String(incompleteId)] });
    expect(incomplete.status).toBe(400);
    expect(incomplete.data.errors.caseIds).toBe("Select cases from the list: only complete cases can be moderated");
    expect(await db.selectFrom("moderation_cases").select("id").where("case_id", "=", incompleteId).executeTakeFirst()).toBeUndefined();
    const page = await overview(auditId);
    const pick = page.data.available[0];
    const res = await post(auditId, { intent: "select", caseIds: [String(pick.id)] });
    expect(res.status).toBe(302);
    const row = await db.selectFrom("moderation_cases").selectAll().where("case_id", "=", pick.id).executeTakeFirstOrThrow();
    expect(row.seed).toBeNull();
    expect(row.selected_by).toBe(w.users.reviewer.user.id);
    expect(await db.selectFrom("audit_log").select("id").where("entity", "=", "moderation_case").where("action", "=", "select").where("entity_id", "=", String(row.id)).executeTakeFirst()).toBeDefined();
    const after = await overview(auditId);
    expect(after.data.available.map((c: { id: number }) => c.id)).not.toContain(pick.id);
    expect(after.data.selected.map((c: { caseId: number }) => c.caseId)).toContain(pick.id);
  });

  it("does not moderate a draft audit", async () => {
    const draft = await createAudit(w, "Draft audit");
    const res = await post(draft, { intent: "draw", percent: "10", seed: "ABC" });
    expect(res.status).toBe(403);
    expect((await overview(draft)).data.canModerate).toBe(false);
  });
});

describe("blind second scoring, agreement and settling", () => {
  let auditId: number;
  const ids: Record<string, number> = {};
  // Hand-computed fixture, 4 cases. All other criteria: "met" in both scorings.
  //   X (iha-practitioner): first met, met, not_met, not_met; second met, not_met, not_met, not_met
  //   Y (core-consent):     first met, partial, met, met;    second the same
  const firstX = { A: "met", B: "met", C: "not_met", D: "not_met" } as const;
  const secondX = { A: "met", B: "not_met", C: "not_met", D: "not_met" } as const;
  const firstY = { A: "met", B: "partial", C: "met", D: "met" } as const;

  beforeAll(async () => {
    auditId = await createAudit(w, "Moderation agreement");
    for (const k of ["A", "B", "C", "D"] as const) {
      ids[k] = await newCase(auditId, `AGR-${k}1`);
      await scoreCase(auditId, ids[k], { [X]: { answer: firstX[k] }, [Y]: { answer: firstY[k] } });
    }
    const done = await callAction(auditPage.action, `/audits/${auditId}`, { intent: "complete" }, { cookie: w.users.auditor.cookie, params: p(auditId) });
    expect(done.status).toBe(302);
    const chosen = await post(auditId, { intent: "select", caseIds: Object.values(ids).map(String) });
    expect(chosen.status).toBe(302);
  });

  it("keeps every first answer and note out of the moderation page's data", async () => {
    const page = await casePageData(auditId, ids.C);
    expect(page.status).toBe(200);
    const json = JSON.stringify(page.data);
    // The auditor's notes and override reasons are not there…
    expect(json).not.toContain(SECRET_NOTE);
    expect(json).not.toContain(SECRET_OVERRIDE);
    // …and no answer at all: nothing has been scored a second time yet.
    expect(json).not.toMatch(/"answer"/);
    expect(page.data.answers).toEqual({});
    // The case page the auditor uses does have them (so the check above can fail)…
    const full = await callLoader(casePage.loader, `/audits/${auditId}/cases/${ids.C}`, { cookie: w.users.auditor.cookie, params: p(auditId, ids.C) });
    expect(JSON.stringify(full.data)).toContain(SECRET_NOTE);
    // …which is why a reviewer cannot open it until their blind second scoring is saved.
    const peek = await callLoader(casePage.loader, `/audits/${auditId}/cases/${ids.C}`, { cookie: w.users.reviewer.cookie, params: p(auditId, ids.C) });
    expect(peek.status).toBe(403);
    const refused = await db.selectFrom("audit_log").selectAll().where("action", "=", "access-denied").where("user_id", "=", w.users.reviewer.user.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(refused.after!).reason).toBe(`case ${ids.C} awaits this reviewer's blind second scoring`);
    // Nor through the designated doctor's IHA review of the same case (T01), which shows the answers too.
    const review = await callLoader(ihaReview.loader, `/reviews/${ids.C}`, { cookie: w.users.reviewer.cookie, params: { caseId: String(ids.C) } });
    expect(review.status).toBe(403);
    expect(JSON.stringify(review.data ?? "")).not.toContain(SECRET_NOTE);
    // Nor by downloading the audit's answers: no CSV, and a workbook of figures only.
    const csv = await callLoader(exportPage.loader, `/audits/${auditId}/export?format=csv`, { cookie: w.users.reviewer.cookie, params: p(auditId) });
    expect(csv.status).toBe(403);
    const xlsx = await exportPage.loader({ request: new Request(`http://localhost/audits/${auditId}/export?format=xlsx`, { headers: { Cookie: w.users.reviewer.cookie } }), params: p(auditId), context: {} });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["Summary", "By service", "By criterion"]);
    // Every auditor-answered criterion is offered, none of the date rules.
    expect(page.data.criteria.map((c: { id: string }) => c.id)).toEqual(scoredCriteria().map((c) => c.id));
  });

  it("requires an answer to every criterion", async () => {
    const fields = moderationFields();
    delete fields[`answers.${X}.answer`];
    const res = await postModeration(auditId, ids.A, fields);
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ [`answers.${X}.answer`]: "Select whether this is met, partially met or not met" });
    expect(await db.selectFrom("moderation_answers").select("id").where("case_id", "=", ids.A).execute()).toHaveLength(0);
  });

  it("refuses the person who scored the case first", async () => {
    await db.updateTable("users").set({ role: "administrator" }).where("id", "=", w.users.auditor.user.id).execute();
    try {
      expect((await casePageData(auditId, ids.A, w.users.auditor.cookie)).status).toBe(403);
      expect((await postModeration(auditId, ids.A, moderationFields(), w.users.auditor.cookie)).status).toBe(403);
    } finally {
      await db.updateTable("users").set({ role: "auditor" }).where("id", "=", w.users.auditor.user.id).execute();
    }
  });

  it("saves the second scoring, logs it, and still shows none of the first", async () => {
    for (const k of ["A", "B", "C", "D"] as const) {
      const res = await postModeration(auditId, ids[k], moderationFields({ [X]: { answer: secondX[k], note: `second note ${k}` }, [Y]: { answer: firstY[k] } }));
      expect(res.data?.errors).toBeUndefined();
      expect(res.status).toBe(302);
      expect(res.location).toBe(`/audits/${auditId}/moderation?done=moderated`);
    }
    const mc = await db.selectFrom("moderation_cases").selectAll().where("case_id", "=", ids.B).executeTakeFirstOrThrow();
    expect(mc.moderator_id).toBe(w.users.reviewer.user.id);
    expect(mc.completed_at).not.toBeNull();
    expect(await db.selectFrom("audit_log").select("id").where("entity", "=", "moderation_answer").where("entity_id", "=", `${ids.B}/${X}`).executeTakeFirst()).toBeDefined();
    const page = await casePageData(auditId, ids.C);
    const json = JSON.stringify(page.data);
    expect(json).not.toContain(SECRET_NOTE);
    expect(page.data.answers[X]).toEqual({ answer: "not_met", note: "second note C" });
    // Once scored the second time, the reviewer may read the case page and its IHA review again.
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${ids.C}`, { cookie: w.users.reviewer.cookie, params: p(auditId, ids.C) })).status).toBe(200);
    expect((await callLoader(ihaReview.loader, `/reviews/${ids.C}`, { cookie: w.users.reviewer.cookie, params: { caseId: String(ids.C) } })).status).toBe(200);
    expect((await callLoader(exportPage.loader, `/audits/${auditId}/export?format=csv`, { cookie: w.users.reviewer.cookie, params: p(auditId) })).status).toBe(200);
  });

  it("shows percentage agreement and Cohen's kappa per criterion and overall (hand-computed)", async () => {
    const page = await overview(auditId);
    expect(page.status).toBe(200);
    expect(page.data.moderatedCount).toBe(4);
    const byId = Object.fromEntries(page.data.agreement.byCriterion.map((a: { criterionId: string }) => [a.criterionId, a]));
    // X: 3 of 4 agree = 75%. First: met 2, not_met 2; second: met 1, not_met 3.
    // pe = (2·1 + 2·3) / 16 = 0.5, κ = (0.75 − 0.5) / (1 − 0.5) = 0.5.
    expect(byId[X]).toMatchObject({ n: 4, agreement: 0.75, kappa: 0.5, agreementText: "75.0%", kappaText: "0.50", strength: "Moderate" });
    // Y: all agree over two categories: κ = 1.
    expect(byId[Y]).toMatchObject({ n: 4, agreement: 1, kappa: 1, agreementText: "100.0%", kappaText: "1.00", strength: "Almost perfect" });
    // Any other: "met" eight times: pe = 1, κ not defined.
    expect(byId["core-chronology"]).toMatchObject({ n: 4, agreement: 1, kappa: null, kappaText: "Not defined", strength: "Not defined" });
    // Overall: 24 criteria × 4 cases = 96 pairs, 95 agree. First: met 93, not_met 2, partial 1;
    // second: met 92, not_met 3, partial 1. Σrc = 93·92 + 2·3 + 1·1 = 8563.
    // κ = (96·95 − 8563) / (96² − 8563) = 557 / 653 = 0.8530 (to 4 places).
    expect(scoredCriteria()).toHaveLength(24);
    const o = page.data.agreement.overall;
    expect(o.n).toBe(96);
    expect(o.agreement).toBeCloseTo(95 / 96, 12);
    expect(o.kappa).toBeCloseTo(557 / 653, 12);
    expect(o.agreementText).toBe("99.0%");
    expect(o.kappaText).toBe("0.85");
    expect(o.strength).toBe("Almost perfect");
    // The one disagreement, side by side with both notes.
    expect(page.data.disagreements).toHaveLength(1);
    expect(page.data.disagreements[0]).toMatchObject({
      caseId: ids.B,
      caseRef: "AGR-B1",
      criterionId: X,
      first: { answer: "met", note: null },
      second: { answer: "not_met", note: "second note B" },
      agreed: null,
      key: `c${ids.B}_${X}`,
    });
  });

  it("settles a disagreement: a reason is required, then results use the agreed answer and both originals stay", async () => {
    const key = `c${ids.B}_${X}`;
    const resultsBefore = await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) });
    const xBefore = resultsBefore.data.rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === X);
    expect(xBefore).toMatchObject({ met: 2, notMet: 2, percent: 50 });
    const trendPoint = async () => (await templateTrends(db, w.template.key))!.criteria.find((s) => s.criterionId === X)!.points.find((pt) => pt.auditId === auditId);
    expect(await trendPoint()).toMatchObject({ met: 2, notMet: 2, percent: 50 });

    const noReason = await post(auditId, { intent: "settle", caseId: String(ids.B), criterionId: X, [`agreed.${key}.answer`]: "not_met", [`agreed.${key}.reason`]: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ [`agreed.${key}.reason`]: "Enter the reason for the agreed answer" });
    const noAnswer = await post(auditId, { intent: "settle", caseId: String(ids.B), criterionId: X, [`agreed.${key}.reason`]: "Checked" });
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.data.errors).toEqual({ [`agreed.${key}.answer`]: "Select the agreed answer" });
    expect(await db.selectFrom("agreed_answers").select("id").execute()).toHaveLength(0);

    // A criterion both scorings agree on has nothing to settle.
    const yKey = `c${ids.B}_${Y}`;
    const agreeing = await post(auditId, { intent: "settle", caseId: String(ids.B), criterionId: Y, [`agreed.${yKey}.answer`]: "met", [`agreed.${yKey}.reason`]: "No" });
    expect(agreeing.status).toBe(400);

    const res = await post(auditId, { intent: "settle", caseId: String(ids.B), criterionId: X, [`agreed.${key}.answer`]: "not_met", [`agreed.${key}.reason`]: "The record names no practitioner" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}/moderation?done=settled`);

    // Both originals are kept, beside the agreed answer.
    const first = await db.selectFrom("answers").select(["answer"]).where("case_id", "=", ids.B).where("criterion_id", "=", X).executeTakeFirstOrThrow();
    expect(first.answer).toBe("met");
    const second = await db.selectFrom("moderation_answers").select(["answer"]).where("case_id", "=", ids.B).where("criterion_id", "=", X).executeTakeFirstOrThrow();
    expect(second.answer).toBe("not_met");
    const agreed = await db.selectFrom("agreed_answers").selectAll().where("case_id", "=", ids.B).where("criterion_id", "=", X).executeTakeFirstOrThrow();
    expect(agreed).toMatchObject({ answer: "not_met", reason: "The record names no practitioner", settled_by: w.users.reviewer.user.id });
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "agreed_answer").where("entity_id", "=", `${ids.B}/${X}`).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ answer: "not_met", first: "met", second: "not_met" });

    // Results use the agreed answer: met 1, not met 3.
    const resultsAfter = await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) });
    const xAfter = resultsAfter.data.rollup.byCriterion.find((c: { criterionId: string }) => c.criterionId === X);
    expect(xAfter).toMatchObject({ met: 1, notMet: 3, percent: 25 });
    // So do the figures stored for the finished audit (trends, dashboard), refreshed by the settlement.
    expect(await trendPoint()).toMatchObject({ met: 1, notMet: 3, percent: 25 });

    // The comparison itself is unchanged, and shows the settlement.
    const page = await overview(auditId);
    expect(page.data.agreement.overall.kappa).toBeCloseTo(557 / 653, 12);
    expect(page.data.disagreements[0].agreed).toMatchObject({ answer: "not_met", reason: "The record names no practitioner" });

    // Once settled, the case's second scoring is fixed.
    expect((await postModeration(auditId, ids.B, moderationFields())).status).toBe(403);
    expect((await casePageData(auditId, ids.B)).data.canEdit).toBe(false);
  });

  it("validates in the browser with only the fields react-hook-form registers", () => {
    // Hidden inputs (intent, caseId, criterionId) are not registered, so the browser's schema must not need them.
    expect(settleSchema.safeParse({ agreed: { c1_x: { answer: "met", reason: "Agreed at the meeting" } } }).success).toBe(true);
    // An unticked radio is null in react-hook-form: the field's own message, not a type error.
    const r = moderationAnswersSchema([{ id: "x", options: ["met", "not_met"] }]).safeParse({ answers: { x: { answer: null, note: "" } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["answers", "x", "answer"], message: "Select whether this is met or not met" });
  });

  it("refuses a tampered settle form (400)", async () => {
    expect((await post(auditId, { intent: "settle", caseId: "abc", criterionId: X })).status).toBe(400);
  });

  it("refuses auditors and managers (403), and gives 404 for a case not chosen", async () => {
    for (const cookie of [w.users.auditor.cookie, w.users.manager.cookie]) {
      expect((await overview(auditId, cookie)).status).toBe(403);
      expect((await post(auditId, { intent: "draw", percent: "10", seed: "ABC" }, cookie)).status).toBe(403);
      expect((await post(auditId, { intent: "select", caseIds: [String(ids.A)] }, cookie)).status).toBe(403);
      expect((await casePageData(auditId, ids.A, cookie)).status).toBe(403);
      expect((await postModeration(auditId, ids.A, moderationFields(), cookie)).status).toBe(403);
    }
    expect((await overview(auditId, w.users.admin.cookie)).status).toBe(200);
    const other = await createAudit(w, "Other");
    const stray = await newCase(other, "STRAY-1");
    expect((await casePageData(auditId, stray)).status).toBe(404);
  });
});
