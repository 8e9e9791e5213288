import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IhaTimelinessTag } from "~/components/iha-timeliness";
import { addWorkingDays, workingDaysBetween } from "~/lib/working-days";
import { loadTemplates, listLatestTemplates } from "~/models/templates.server";
import * as newAudit from "~/routes/audits.new";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as queuePage from "~/routes/reviews._index";
import * as reviewPage from "~/routes/reviews.$caseId";
import * as summaryPage from "~/routes/reviews.summary";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let auditor: string, reviewer: string, admin: string, manager: string;
let reviewerName: string;
let serviceA: number, serviceB: number;
let ihaVersionId: number, rhaVersionId: number;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  expect((await loadTemplates(db)).problems).toEqual([]);
  const latest = await listLatestTemplates(db);
  ihaVersionId = latest.find((t) => t.key === "lac-iha")!.id;
  rhaVersionId = latest.find((t) => t.key === "lac-rha")!.id;
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  const service = async (name: string) =>
    (await db.insertInto("services").values({ provider_id: provider.id, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  serviceA = await service("LAC health team");
  serviceB = await service("Community paediatrics");
  auditor = (await userWithSession(db, "auditor")).cookie;
  admin = (await userWithSession(db, "administrator")).cookie;
  manager = (await userWithSession(db, "manager")).cookie;
  const rev = await userWithSession(db, "reviewer", { name: "Dr Asha Reviewer" });
  reviewer = rev.cookie;
  reviewerName = rev.user.name;
});

afterAll(async () => env.cleanup());

async function createAudit(templateVersionId: number, title: string) {
  const res = await callAction(
    newAudit.action,
    "/audits/new",
    {
      templateVersionId: String(templateVersionId),
      title,
      serviceIds: [String(serviceA), String(serviceB)],
      "periodStart.day": "1",
      "periodStart.month": "10",
      "periodStart.year": "2025",
      "periodEnd.day": "31",
      "periodEnd.month": "3",
      "periodEnd.year": "2026",
    },
    { cookie: auditor },
  );
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

const dateParts = (name: string, iso?: string) => {
  if (!iso) return {};
  const [y, m, d] = iso.split("-");
  return { [`fields.${name}.day`]: String(Number(d)), [`fields.${name}.month`]: String(Number(m)), [`fields.${name}.year`]: y };
};

async function addIha(auditId: number, ref: string, d: { lookedAfter: string; seen?: string; reportSent?: string }, over: Record<string, string> = {}) {
  const res = await callAction(
    newCase.action,
    `/audits/${auditId}/cases/new`,
    {
      caseRef: ref,
      serviceId: String(serviceA),
      teamId: "",
      caseType: "LAC",
      ...dateParts("date_of_birth", "2015-05-01"),
      ...dateParts("date_looked_after", d.lookedAfter),
      ...dateParts("iha_seen", d.seen),
      ...dateParts("iha_report_sent", d.reportSent),
      ...over,
    },
    { cookie: auditor, params: { auditId: String(auditId) } },
  );
  expect(res.data?.errors).toBeUndefined();
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

const judgement = (over: Record<string, string> = {}) => ({
  intent: "judgement",
  judgement: "good",
  rationale: "Thorough history and a SMART plan; growth chart not plotted.",
  clinicianGroup: "paediatrician",
  feedback: "Plot the growth chart next time.",
  ...over,
});

const postReview = (caseId: number, fields: Record<string, string>, cookie = reviewer) =>
  callAction(reviewPage.action, `/reviews/${caseId}`, fields, { cookie, params: { caseId: String(caseId) } });

const getReview = (caseId: number, cookie = reviewer, query = "") => callLoader(reviewPage.loader, `/reviews/${caseId}${query}`, { cookie, params: { caseId: String(caseId) } });

describe("the reviewer's queue", () => {
  let auditId: number;
  let onTime: number, late: number, notSeen: number, excluded: number;
  let late2: { lookedAfter: string; seen: string; reportSent: string };

  beforeAll(async () => {
    auditId = await createAudit(ihaVersionId, "IHA audit 2025/26 H2");
    // Entered care Mon 5 Jan 2026, due 20 working days later; seen and report sent in time.
    onTime = await addIha(auditId, "IHA-01-ONTIME", { lookedAfter: "2026-01-05", seen: "2026-01-20", reportSent: "2026-01-27" });
    // Entered care earliest; seen long after the due date.
    late2 = { lookedAfter: "2025-11-03", seen: "2025-12-15", reportSent: "2025-12-19" };
    late = await addIha(auditId, "IHA-02-LATE", late2);
    // Not seen at all, and long past the due date (today is after 2026).
    notSeen = await addIha(auditId, "IHA-03-NOTSEEN", { lookedAfter: "2026-02-02" });
    excluded = await addIha(auditId, "IHA-04-EXCL", { lookedAfter: "2025-10-01" });
    await db.updateTable("cases").set({ excluded_at: nowIso(), excluded_reason: "Wrong cohort" }).where("id", "=", excluded).execute();
    // A case of another template's audit (review health assessments) is never in the IHA queue.
    const rhaAudit = await createAudit(rhaVersionId, "RHA audit");
    const now = nowIso();
    await db
      .insertInto("cases")
      .values({ audit_id: rhaAudit, case_ref: "RHA-1", service_id: serviceA, team_id: null, case_type: "LAC", fields: JSON.stringify({ date_looked_after: "2025-01-01" }), created_by: 1, created_at: now, updated_at: now })
      .execute();
  });

  it("lists the unreviewed IHAs of lac-iha audits, oldest looked-after date first, with their timeliness", async () => {
    const res = await callLoader(queuePage.loader, "/reviews", { cookie: reviewer });
    expect(res.status).toBe(200);
    const mine = res.data.queue.filter((r: { auditId: number }) => r.auditId === auditId);
    expect(mine.map((r: { caseRef: string }) => r.caseRef)).toEqual(["IHA-02-LATE", "IHA-01-ONTIME", "IHA-03-NOTSEEN"]);
    expect(res.data.queue.map((r: { caseRef: string }) => r.caseRef)).not.toContain("RHA-1");
    expect(res.data.queue.map((r: { caseRef: string }) => r.caseRef)).not.toContain("IHA-04-EXCL");

    const byRef = Object.fromEntries(mine.map((r: { caseRef: string }) => [r.caseRef, r]));
    expect(byRef["IHA-01-ONTIME"].timeliness).toMatchObject({
      status: "on_time",
      answer: "met",
      workingDays: workingDaysBetween("2026-01-05", "2026-01-27"),
      dueDate: addWorkingDays("2026-01-05", 20),
    });
    expect(byRef["IHA-02-LATE"].timeliness).toMatchObject({ status: "overdue", answer: "not_met", workingDays: workingDaysBetween(late2.lookedAfter, late2.reportSent) });
    expect(byRef["IHA-02-LATE"].timeliness.workingDays).toBeGreaterThan(20);
    expect(byRef["IHA-03-NOTSEEN"].timeliness).toMatchObject({ status: "overdue", answer: "not_met", dueDate: addWorkingDays("2026-02-02", 20) });
    expect(byRef["IHA-02-LATE"]).toMatchObject({ caseId: late, lookedAfter: "2025-11-03", serviceName: "LAC health team" });
    expect(byRef["IHA-03-NOTSEEN"].caseId).toBe(notSeen);
    // Overdue is a red tag with the word "Overdue" (never colour alone); on time is green.
    const lateHtml = renderToStaticMarkup(createElement(IhaTimelinessTag, { t: byRef["IHA-02-LATE"].timeliness }));
    expect(lateHtml).toMatch(/<strong class="nhsuk-tag app-tag--red">Overdue<\/strong>/);
    expect(lateHtml).toContain(`${byRef["IHA-02-LATE"].timeliness.workingDays} working days`);
    const fine = renderToStaticMarkup(createElement(IhaTimelinessTag, { t: byRef["IHA-01-ONTIME"].timeliness }));
    expect(fine).toContain("On time");
    expect(fine).not.toContain("Overdue");
    expect(byRef["IHA-01-ONTIME"].caseId).toBe(onTime);
  });

  it("drops a case from the queue once it has a judgement", async () => {
    const res = await postReview(onTime, judgement());
    expect(res.status).toBe(302);
    const queue = (await callLoader(queuePage.loader, "/reviews", { cookie: reviewer })).data.queue;
    expect(queue.map((r: { caseId: number }) => r.caseId)).not.toContain(onTime);
    expect(queue.map((r: { caseId: number }) => r.caseId)).toContain(late);
  });
});

describe("reviewing one IHA", () => {
  let auditId: number;
  let caseId: number, gpCase: number;

  beforeAll(async () => {
    auditId = await createAudit(ihaVersionId, "IHA audit for review");
    caseId = await addIha(auditId, "IHA-R1", { lookedAfter: "2026-01-05", seen: "2026-01-20", reportSent: "2026-01-27" }, { "fields.iha_practitioner": "other_medical" });
    gpCase = await addIha(auditId, "IHA-R2", { lookedAfter: "2026-01-06", seen: "2026-01-21", reportSent: "2026-01-28" }, { "fields.iha_practitioner": "gp_lac_trained" });
    const saved = await callAction(
      casePage.action,
      `/audits/${auditId}/cases/${caseId}`,
      { "answers.iha-practitioner.answer": "met", "answers.iha-care-context.answer": "met" },
      { cookie: auditor, params: { auditId: String(auditId), caseId: String(caseId) } },
    );
    expect(saved.status).toBe(200);
  });

  it("shows the case, its answers and a clinician group suggested from who did the IHA", async () => {
    const res = await getReview(caseId);
    expect(res.status).toBe(200);
    expect(res.data.case.ref).toBe("IHA-R1");
    expect(res.data.review).toBeNull();
    expect(res.data.judgementValues.clinicianGroup).toBe("other");
    expect((await getReview(gpCase)).data.judgementValues.clinicianGroup).toBe("gp");
    const criteria = res.data.sections.flatMap((s: { criteria: unknown[] }) => s.criteria);
    expect(criteria.find((k: { id: string }) => k.id === "iha-practitioner")).toMatchObject({ answer: "met", changeable: true });
    // A date rule answers from the case's dates: never changed by hand here.
    expect(criteria.find((k: { id: string }) => k.id === "iha-timely")).toMatchObject({ answer: "met", changeable: false });
  });

  it("requires a rationale for the judgement and saves nothing without one", async () => {
    const res = await postReview(caseId, judgement({ rationale: "   " }));
    expect(res.status).toBe(400);
    expect(res.data.errors.rationale).toBe("Enter the rationale for your judgement");
    expect(res.data.values.feedback).toBe("Plot the growth chart next time.");
    const bad = await postReview(caseId, judgement({ judgement: "brilliant", clinicianGroup: "" }));
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toMatchObject({ judgement: "Select a quality judgement", clinicianGroup: "Select the assessing clinician's group" });
    expect(await db.selectFrom("iha_reviews").select("id").where("case_id", "=", caseId).executeTakeFirst()).toBeUndefined();
  });

  it("records the judgement, logs it, and the case then shows who quality assured it", async () => {
    const res = await postReview(caseId, judgement({ judgement: "requires_improvement", clinicianGroup: "other" }));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/reviews/${caseId}?done=judgement`);
    const row = await db.selectFrom("iha_reviews").selectAll().where("case_id", "=", caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ judgement: "requires_improvement", clinician_group: "other", feedback: "Plot the growth chart next time." });
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "iha_review").where("entity_id", "=", String(caseId)).execute();
    expect(log.map((l) => l.action)).toEqual(["create"]);
    expect(JSON.parse(log[0].after!).judgement).toBe("requires_improvement");

    const page = await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: auditor, params: { auditId: String(auditId), caseId: String(caseId) } });
    expect(page.data.qualityAssured).toMatchObject({ by: reviewerName, judgement: "Requires improvement" });
    expect(page.data.qualityAssured.on).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    const other = await callLoader(casePage.loader, `/audits/${auditId}/cases/${gpCase}`, { cookie: auditor, params: { auditId: String(auditId), caseId: String(gpCase) } });
    expect(other.data.qualityAssured).toBeNull();

    // Recording again replaces it, keeping the earlier one in the log.
    expect((await postReview(caseId, judgement({ judgement: "good" }))).status).toBe(302);
    const log2 = await db.selectFrom("audit_log").selectAll().where("entity", "=", "iha_review").where("entity_id", "=", String(caseId)).orderBy("id").execute();
    expect(log2.map((l) => l.action)).toEqual(["create", "update"]);
    expect(JSON.parse(log2[1].before!).judgement).toBe("requires_improvement");
    expect((await getReview(caseId)).data.review).toMatchObject({ judgement: "good", reviewerName });
  });

  it("changes an answer only with a reason, keeping the answer before and after in the log", async () => {
    const change = { intent: "answer", criterionId: "iha-practitioner", "change.answer": "not_met", "change.note": "Done by a nurse; no clinical reason recorded." };
    const noReason = await postReview(caseId, { ...change, reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("Enter the reason for changing this answer");
    const noNote = await postReview(caseId, { ...change, "change.note": "", reason: "Record shows a nurse did it" });
    expect(noNote.status).toBe(400);
    expect(noNote.data.errors["change.note"]).toBe("Enter a note to say why this is not met");
    const noAnswer = await postReview(caseId, { intent: "answer", criterionId: "iha-practitioner", reason: "x" });
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.data.errors["change.answer"]).toMatch(/^Select whether this is /);
    let row = await db.selectFrom("answers").selectAll().where("case_id", "=", caseId).where("criterion_id", "=", "iha-practitioner").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answer: "met", changed_reason: null });

    const ok = await postReview(caseId, { ...change, reason: "The record shows a LAC nurse did the assessment" });
    expect(ok.status).toBe(302);
    row = await db.selectFrom("answers").selectAll().where("case_id", "=", caseId).where("criterion_id", "=", "iha-practitioner").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answer: "not_met", note: "Done by a nurse; no clinical reason recorded.", changed_reason: "The record shows a LAC nurse did the assessment" });
    const log = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity", "=", "answer")
      .where("entity_id", "=", `${caseId}/iha-practitioner`)
      .where("action", "=", "review_change")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toMatchObject({ answer: "met", note: null, changed_reason: null });
    expect(JSON.parse(log.after!)).toMatchObject({ answer: "not_met", changed_reason: "The record shows a LAC nurse did the assessment" });
    const page = await getReview(caseId);
    const k = page.data.sections.flatMap((s: { criteria: unknown[] }) => s.criteria).find((x: { id: string }) => x.id === "iha-practitioner");
    expect(k).toMatchObject({ answer: "not_met", changedReason: "The record shows a LAC nurse did the assessment" });
  });

  it("refuses to change a date-rule answer or an unknown criterion", async () => {
    const res = await postReview(caseId, { intent: "answer", criterionId: "iha-timely", "change.answer": "not_met", "change.note": "x", reason: "x" });
    expect(res.status).toBe(400);
    const res2 = await postReview(caseId, { intent: "answer", criterionId: "no-such-thing", "change.answer": "met", reason: "x" });
    expect(res2.status).toBe(400);
  });

  it("offers the change form for one criterion, with the stored answer", async () => {
    const res = await getReview(caseId, reviewer, "?change=iha-care-context");
    expect(res.data.changing.criterion.id).toBe("iha-care-context");
    expect(res.data.changing.values.change.answer).toBe("met");
    expect((await getReview(caseId, reviewer, "?change=iha-timely")).data.changing).toBeNull();
  });

  it("does not change answers of a complete audit, but still records judgements", async () => {
    await db.updateTable("audits").set({ status: "complete", completed_at: nowIso() }).where("id", "=", auditId).execute();
    try {
      const res = await postReview(gpCase, { intent: "answer", criterionId: "iha-care-context", "change.answer": "met", reason: "x" });
      expect(res.status).toBe(403);
      const page = await getReview(gpCase);
      expect(page.data.audit.open).toBe(false);
      expect(page.data.sections.flatMap((s: { criteria: { changeable: boolean }[] }) => s.criteria).some((k: { changeable: boolean }) => k.changeable)).toBe(false);
      expect((await postReview(gpCase, judgement({ clinicianGroup: "gp", judgement: "outstanding" }))).status).toBe(302);
    } finally {
      await db.updateTable("audits").set({ status: "in_progress", completed_at: null }).where("id", "=", auditId).execute();
    }
  });

  it("gives 404 for a case that is not an IHA", async () => {
    const rhaAudit = await createAudit(rhaVersionId, "RHA audit 2");
    const now = nowIso();
    const c = await db
      .insertInto("cases")
      .values({ audit_id: rhaAudit, case_ref: "RHA-9", service_id: serviceA, team_id: null, case_type: "LAC", fields: "{}", created_by: 1, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect((await getReview(c.id)).status).toBe(404);
    expect((await getReview(999999)).status).toBe(404);
  });
});

describe("the summary of judgements", () => {
  it("counts judgements by quarter of review, assessing service and clinician group", async () => {
    const auditId = await createAudit(ihaVersionId, "IHA audit for summary");
    const c1 = await addIha(auditId, "S-1", { lookedAfter: "2026-01-05" });
    const c2 = await addIha(auditId, "S-2", { lookedAfter: "2026-01-05" }, { serviceId: String(serviceB) });
    const c3 = await addIha(auditId, "S-3", { lookedAfter: "2026-01-05" }, { serviceId: String(serviceB) });
    const c4 = await addIha(auditId, "S-4", { lookedAfter: "2026-01-05" });
    await postReview(c1, judgement({ judgement: "inadequate", clinicianGroup: "gp" }));
    await postReview(c2, judgement({ judgement: "good", clinicianGroup: "paediatrician" }));
    await postReview(c3, judgement({ judgement: "good", clinicianGroup: "gp" }));
    await postReview(c4, judgement({ judgement: "outstanding", clinicianGroup: "paediatrician" }));
    // Move the four reviews (and only them) into known quarters: three in Jan–Mar 2026, one in Oct–Dec 2025.
    await db.updateTable("iha_reviews").set({ reviewed_at: "2026-02-10T10:00:00.000Z" }).where("case_id", "in", [c1, c2, c3]).execute();
    await db.updateTable("iha_reviews").set({ reviewed_at: "2025-12-31T23:30:00.000Z" }).where("case_id", "=", c4).execute();
    // Everything else reviewed in this file is moved out of the way, to a later quarter.
    await db.updateTable("iha_reviews").set({ reviewed_at: "2026-08-01T10:00:00.000Z" }).where("case_id", "not in", [c1, c2, c3, c4]).execute();

    const res = await callLoader(summaryPage.loader, "/reviews/summary", { cookie: reviewer });
    expect(res.status).toBe(200);
    const quarters = res.data.quarters;
    expect(quarters.map((q: { key: string; label: string }) => [q.key, q.label])).toEqual([
      ["2026-Q3", "July to September 2026"],
      ["2026-Q1", "January to March 2026"],
      ["2025-Q4", "October to December 2025"],
    ]);
    const q1 = quarters[1];
    expect(q1.total).toEqual({ outstanding: 0, good: 2, requires_improvement: 0, inadequate: 1, total: 3 });
    expect(q1.byService).toEqual([
      { serviceId: serviceB, serviceName: "Community paediatrics", counts: { outstanding: 0, good: 2, requires_improvement: 0, inadequate: 0, total: 2 } },
      { serviceId: serviceA, serviceName: "LAC health team", counts: { outstanding: 0, good: 0, requires_improvement: 0, inadequate: 1, total: 1 } },
    ]);
    expect(q1.byGroup).toEqual([
      { group: "paediatrician", counts: { outstanding: 0, good: 1, requires_improvement: 0, inadequate: 0, total: 1 } },
      { group: "gp", counts: { outstanding: 0, good: 1, requires_improvement: 0, inadequate: 1, total: 2 } },
    ]);
    expect(quarters[2].byGroup).toEqual([{ group: "paediatrician", counts: { outstanding: 1, good: 0, requires_improvement: 0, inadequate: 0, total: 1 } }]);
  });
});

describe("who may review", () => {
  it("lets reviewers and administrators in, and refuses auditors and managers with 403", async () => {
    const auditId = await createAudit(ihaVersionId, "IHA audit for roles");
    const caseId = await addIha(auditId, "ROLE-1", { lookedAfter: "2026-01-05" });
    expect((await callLoader(queuePage.loader, "/reviews", { cookie: admin })).status).toBe(200);
    expect((await getReview(caseId, admin)).status).toBe(200);
    for (const cookie of [auditor, manager]) {
      expect((await callLoader(queuePage.loader, "/reviews", { cookie })).status).toBe(403);
      expect((await callLoader(summaryPage.loader, "/reviews/summary", { cookie })).status).toBe(403);
      expect((await getReview(caseId, cookie)).status).toBe(403);
      expect((await postReview(caseId, judgement(), cookie)).status).toBe(403);
      expect((await postReview(caseId, { intent: "answer", criterionId: "iha-care-context", "change.answer": "met", reason: "x" }, cookie)).status).toBe(403);
    }
    expect(await db.selectFrom("iha_reviews").select("id").where("case_id", "=", caseId).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("answers").select("id").where("case_id", "=", caseId).executeTakeFirst()).toBeUndefined();
  });
});
