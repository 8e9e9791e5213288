/**
 * Re-audits: scheduling and creating one (defaults, what is copied, links both ways, roles),
 * and the comparison page on a hand-computed fixture (6/10 before, 9/10 after → +30.0 points,
 * p = 0.12), with new and removed criteria and the original's actions.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTemplateSource, syncTemplates } from "~/models/templates.server";
import { getReauditLinks } from "~/models/reaudit.server";
import * as newAudit from "~/routes/audits.new";
import * as reauditPage from "~/routes/audits.$auditId.reaudit";
import * as comparePage from "~/routes/audits.$auditId.compare";
import * as samplePage from "~/routes/audits.$auditId.sample";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, userWithSession, useTempDb } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let users: Record<"admin" | "auditor" | "reviewer" | "manager", Awaited<ReturnType<typeof userWithSession>>>;
let serviceA: number, serviceB: number, serviceC: number;
let v1Id: number, v2Id: number;
let originalId: number;

// Completed at 10:00 UTC on 15 March 2026 (GMT, so also 15 March in England).
const COMPLETED_AT = "2026-03-15T10:00:00.000Z";

async function publish(file: string) {
  const loaded = parseTemplateSource(file, fs.readFileSync(file, "utf8"));
  if ("problems" in loaded) throw new Error(JSON.stringify(loaded.problems));
  const result = await syncTemplates(db, [loaded]);
  expect(result.problems).toEqual([]);
  return (await db.selectFrom("template_versions").select("id").where("key", "=", loaded.template.key).where("version", "=", loaded.template.version).executeTakeFirstOrThrow()).id;
}

async function createAuditViaRoute(title: string, serviceIds: number[], templateVersionId = v1Id) {
  const res = await callAction(
    newAudit.action,
    "/audits/new",
    {
      templateVersionId: String(templateVersionId),
      title,
      serviceIds: serviceIds.map(String),
      "periodStart.day": "1",
      "periodStart.month": "1",
      "periodStart.year": "2026",
      "periodEnd.day": "31",
      "periodEnd.month": "3",
      "periodEnd.year": "2026",
    },
    { cookie: users.auditor.cookie },
  );
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

/**
 * Sampled cases with the given answers: `answers[criterionId]` is a list of "met" / "not_met" /
 * "na", one per case (shorter lists leave later cases unanswered).
 */
async function scoreCases(auditId: number, prefix: string, count: number, answers: Record<string, string[]>) {
  const now = nowIso();
  for (let i = 0; i < count; i += 1) {
    const c = await db
      .insertInto("cases")
      .values({ audit_id: auditId, case_ref: `${prefix}-${i + 1}`, service_id: serviceA, team_id: null, case_type: "CHILD", fields: "{}", created_by: users.auditor.user.id, created_at: now, updated_at: now, in_sample: 1, origin: "manual" })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [criterionId, list] of Object.entries(answers)) {
      if (!list[i]) continue;
      await db
        .insertInto("answers")
        .values({ case_id: c.id, criterion_id: criterionId, answer: list[i], note: null, answered_by: users.auditor.user.id, answered_at: now, detail: null, override_reason: null, changed_reason: null })
        .execute();
    }
  }
}

const times = (n: number, a: string) => Array.from({ length: n }, () => a);

async function markComplete(auditId: number, completedAt = COMPLETED_AT) {
  await db.updateTable("audits").set({ status: "complete", completed_at: completedAt }).where("id", "=", auditId).execute();
}

const dueFields = (iso: string, intent: "schedule" | "create") => {
  const [y, m, d] = iso.split("-");
  return { "due.day": String(Number(d)), "due.month": String(Number(m)), "due.year": y, intent };
};

const params = (id: number) => ({ params: { auditId: String(id) } });

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  v1Id = await publish("tests/fixtures/templates/reaudit/v1.yaml");
  const now = nowIso();
  const provider = (await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  const service = async (name: string) => (await db.insertInto("services").values({ provider_id: provider, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  serviceA = await service("LAC health team");
  serviceB = await service("Health visiting");
  serviceC = await service("Emergency department");
  users = {
    admin: await userWithSession(db, "administrator", { name: "Ada Admin" }),
    auditor: await userWithSession(db, "auditor", { name: "Bea Auditor" }),
    reviewer: await userWithSession(db, "reviewer", { name: "Dee Reviewer" }),
    manager: await userWithSession(db, "manager", { name: "Eve Manager" }),
  };

  // The original audit, on version 1: voice 6 of 10 met, chronology 10 of 10, gone 3 of 10.
  originalId = await createAuditViaRoute("IHA audit Q1", [serviceA, serviceB]);
  await scoreCases(originalId, "OR", 10, {
    voice: [...times(6, "met"), ...times(4, "not_met")],
    chronology: times(10, "met"),
    gone: [...times(3, "met"), ...times(7, "not_met")],
  });
  await db
    .insertInto("samples")
    .values({
      audit_id: originalId,
      seed: "SEED-ORIGINAL-42",
      algorithm: "test",
      method: JSON.stringify({ method: "simple", stratifyBy: null, allocation: null, sizeBy: "number", size: 10, percent: null, perStratum: null, minPerStratum: 0, strata: [] }),
      population_size: 40,
      sample_size: 10,
      drawn_by: users.auditor.user.id,
      drawn_at: now,
    })
    .execute();
  await markComplete(originalId);
  // Version 2 is published after the original audit: the re-audit must use it.
  v2Id = await publish("tests/fixtures/templates/reaudit/v2.yaml");
});

afterAll(async () => env.cleanup());

describe("the re-audit page", () => {
  it("offers a due date 12 months after completion, the latest template version, the services and the previous sampling method", async () => {
    const res = await callLoader(reauditPage.loader, `/audits/${originalId}/reaudit`, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(res.status).toBe(200);
    const { plan, values, eligible, canCreate } = res.data;
    expect(eligible).toBe(true);
    expect(canCreate).toBe(true);
    expect(plan.completedOn).toBe("2026-03-15");
    expect(plan.defaultDue).toBe("2027-03-15");
    expect(values.due).toEqual({ day: "15", month: "3", year: "2027" });
    expect(plan.title).toBe("IHA audit Q1 (re-audit)");
    expect(plan.template).toMatchObject({ id: v2Id, key: "reaudit-fixture", version: 2 });
    expect(plan.pinnedVersion).toBe(1);
    expect(plan.criteriaAdded).toEqual([{ id: "fresh", question: "Is the safety plan shared with the family?" }]);
    expect(plan.criteriaRemoved).toEqual([{ id: "gone", question: "Is the old checklist on file?" }]);
    expect(plan.services.map((s: { id: number }) => s.id).sort()).toEqual([serviceA, serviceB].sort());
    expect(plan.period).toEqual({ periodStart: "2026-04-01", periodEnd: "2026-06-30" });
    expect(plan.sample).toMatchObject({ methodText: "Simple random sample, 10 cases", seed: "SEED-ORIGINAL-42" });
  });

  it("refuses an audit that is not complete yet", async () => {
    const draft = await createAuditViaRoute("Draft audit", [serviceA]);
    const page = await callLoader(reauditPage.loader, `/audits/${draft}/reaudit`, { cookie: users.auditor.cookie, ...params(draft) });
    expect(page.data.eligible).toBe(false);
    const res = await callAction(reauditPage.action, `/audits/${draft}/reaudit`, dueFields("2027-01-01", "create"), { cookie: users.auditor.cookie, ...params(draft) });
    expect(res.status).toBe(403);
    expect(await db.selectFrom("audits").select("id").where("reaudit_of", "=", draft).execute()).toEqual([]);
  });

  it("gives GOV.UK messages for a missing, impossible or too-early due date, and saves nothing", async () => {
    const count = async () => (await db.selectFrom("audits").select("id").execute()).length;
    const before = await count();
    const empty = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, { intent: "create" }, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toEqual({ due: "Enter the re-audit due date" });
    const impossible = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, { ...dueFields("2027-02-01", "create"), "due.day": "30" }, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(impossible.status).toBe(400);
    expect(impossible.data.errors.due).toBe("Re-audit due date must be a real date");
    const early = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, dueFields("2026-03-15", "schedule"), { cookie: users.auditor.cookie, ...params(originalId) });
    expect(early.status).toBe(400);
    expect(early.data.errors.due).toBe("Re-audit due date must be after the audit was completed (15 March 2026)");
    expect(early.data.values["due.day"] ?? early.data.values.due?.day).toBe("15");
    expect(await count()).toBe(before);
    const original = await db.selectFrom("audits").select("reaudit_due").where("id", "=", originalId).executeTakeFirstOrThrow();
    expect(original.reaudit_due).toBeNull();
  });

  it("lets a manager or reviewer save the due date (logged) but not create the re-audit", async () => {
    for (const role of ["manager", "reviewer"] as const) {
      const page = await callLoader(reauditPage.loader, `/audits/${originalId}/reaudit`, { cookie: users[role].cookie, ...params(originalId) });
      expect(page.status).toBe(200);
      expect(page.data.canCreate).toBe(false);
      const create = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, dueFields("2027-03-15", "create"), { cookie: users[role].cookie, ...params(originalId) });
      expect(create.status).toBe(403);
    }
    expect(await db.selectFrom("audits").select("id").where("reaudit_of", "=", originalId).execute()).toEqual([]);

    const res = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, dueFields("2027-02-01", "schedule"), { cookie: users.manager.cookie, ...params(originalId) });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${originalId}/reaudit?done=scheduled`);
    const row = await db.selectFrom("audits").select("reaudit_due").where("id", "=", originalId).executeTakeFirstOrThrow();
    expect(row.reaudit_due).toBe("2027-02-01");
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "schedule-reaudit").where("entity_id", "=", String(originalId)).execute();
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0].after!)).toEqual({ reaudit_due: "2027-02-01" });
    expect(log[0].user_id).toBe(users.manager.user.id);
    // The saved date is what the form shows next time.
    const page = await callLoader(reauditPage.loader, `/audits/${originalId}/reaudit`, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(page.data.values.due).toEqual({ day: "1", month: "2", year: "2027" });
  });

  it("signs out users are sent to sign in", async () => {
    const res = await callLoader(reauditPage.loader, `/audits/${originalId}/reaudit`, params(originalId));
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/sign-in/);
  });
});

let reauditId: number;

describe("creating the re-audit", () => {
  it("copies the title, the latest template version and the services, links both ways, logs, and goes to the new audit", async () => {
    const res = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, dueFields("2027-03-15", "create"), { cookie: users.auditor.cookie, ...params(originalId) });
    expect(res.status).toBe(302);
    reauditId = Number(res.location!.split("/").pop());
    expect(res.location).toBe(`/audits/${reauditId}`);

    const created = await db.selectFrom("audits").selectAll().where("id", "=", reauditId).executeTakeFirstOrThrow();
    expect(created).toMatchObject({
      title: "IHA audit Q1 (re-audit)",
      template_version_id: v2Id,
      status: "draft",
      reaudit_of: originalId,
      period_start: "2026-04-01",
      period_end: "2026-06-30",
      created_by: users.auditor.user.id,
      completed_at: null,
    });
    const services = await db.selectFrom("audit_services").select("service_id").where("audit_id", "=", reauditId).execute();
    expect(services.map((s) => s.service_id).sort()).toEqual([serviceA, serviceB].sort());
    expect(services.map((s) => s.service_id)).not.toContain(serviceC);
    // Nothing of the original's cases or sample is copied.
    expect(await db.selectFrom("cases").select("id").where("audit_id", "=", reauditId).execute()).toEqual([]);
    expect(await db.selectFrom("samples").select("id").where("audit_id", "=", reauditId).execute()).toEqual([]);

    const original = await db.selectFrom("audits").selectAll().where("id", "=", originalId).executeTakeFirstOrThrow();
    expect(original.reaudit_due).toBe("2027-03-15");
    expect(original.status).toBe("complete");

    const links = await getReauditLinks(db, original);
    expect(links.reaudits.map((r) => r.id)).toEqual([reauditId]);
    expect((await getReauditLinks(db, created)).reauditOf).toMatchObject({ id: originalId, title: "IHA audit Q1" });

    const created_log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "audit").where("entity_id", "=", String(reauditId)).execute();
    expect(created_log.map((l) => l.action)).toEqual(["create"]);
    expect(JSON.parse(created_log[0].after!)).toMatchObject({ reauditOf: originalId, template: "reaudit-fixture@2", serviceIds: expect.arrayContaining([serviceA, serviceB]) });
    const scheduled = await db.selectFrom("audit_log").selectAll().where("action", "=", "schedule-reaudit").where("entity_id", "=", String(originalId)).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(scheduled.after!)).toEqual({ reaudit_due: "2027-03-15", reauditId });
  });

  it("shows the link both ways and the previous sampling method on the re-audit", async () => {
    const originalPage = await callLoader(reauditPage.loader, `/audits/${originalId}/reaudit`, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(originalPage.data.plan.links.reaudits).toEqual([{ id: reauditId, title: "IHA audit Q1 (re-audit)", status: "draft" }]);
    expect(originalPage.data.canCreate).toBe(false);
    const reauditPageData = await callLoader(reauditPage.loader, `/audits/${reauditId}/reaudit`, { cookie: users.auditor.cookie, ...params(reauditId) });
    expect(reauditPageData.data.plan.links.reauditOf).toEqual({ id: originalId, title: "IHA audit Q1", status: "complete" });
    expect(reauditPageData.data.previousSample).toMatchObject({ methodText: "Simple random sample, 10 cases", seed: "SEED-ORIGINAL-42" });
    expect(reauditPageData.data.eligible).toBe(false);
  });

  it("fills in the original's sampling method on the re-audit's sampling page, with a new seed", async () => {
    const page = await callLoader(samplePage.loader, `/audits/${reauditId}/sample`, { cookie: users.auditor.cookie, ...params(reauditId) });
    expect(page.status).toBe(200);
    expect(page.data.copiedFrom).toEqual({ auditId: originalId, title: "IHA audit Q1", methodText: "Simple random sample, 10 cases" });
    expect(page.data.drawDefaults).toMatchObject({ method: "simple", sizeBy: "number", size: "10" });
    expect(page.data.drawDefaults.seed).not.toBe("SEED-ORIGINAL-42");
    // An audit that repeats nothing gets the usual blank defaults.
    const original = await callLoader(samplePage.loader, `/audits/${originalId}/sample`, { cookie: users.auditor.cookie, ...params(originalId) });
    expect(original.data.copiedFrom).toBeNull();
  });

  it("refuses a second re-audit of the same audit", async () => {
    const res = await callAction(reauditPage.action, `/audits/${originalId}/reaudit`, dueFields("2027-03-15", "create"), { cookie: users.admin.cookie, ...params(originalId) });
    expect(res.status).toBe(400);
    expect(res.data.errors.due).toBe("This audit already has a re-audit: IHA audit Q1 (re-audit)");
    expect(await db.selectFrom("audits").select("id").where("reaudit_of", "=", originalId).execute()).toHaveLength(1);
  });

  it("a closed audit can be re-audited too; its title is not doubled", async () => {
    const closed = await createAuditViaRoute("Closed audit (re-audit)", [serviceC]);
    await db.updateTable("audits").set({ status: "closed", completed_at: "2026-07-01T23:30:00.000Z", closed_at: "2026-07-05T09:00:00.000Z" }).where("id", "=", closed).execute();
    const page = await callLoader(reauditPage.loader, `/audits/${closed}/reaudit`, { cookie: users.admin.cookie, ...params(closed) });
    // 23:30 UTC on 1 July is 2 July in England (BST).
    expect(page.data.plan.completedOn).toBe("2026-07-02");
    expect(page.data.values.due).toEqual({ day: "2", month: "7", year: "2027" });
    const res = await callAction(reauditPage.action, `/audits/${closed}/reaudit`, dueFields("2027-07-02", "create"), { cookie: users.admin.cookie, ...params(closed) });
    expect(res.status).toBe(302);
    const created = await db.selectFrom("audits").selectAll().where("reaudit_of", "=", closed).executeTakeFirstOrThrow();
    expect(created.title).toBe("Closed audit (re-audit)");
    expect(created.template_version_id).toBe(v2Id);
  });
});

describe("the comparison page", () => {
  beforeAll(async () => {
    // The re-audit, on version 2: voice 9 of 10 met, chronology 10 of 10, fresh 4 of 5 (5 not applicable).
    await scoreCases(reauditId, "RA", 10, {
      voice: [...times(9, "met"), "not_met"],
      chronology: times(10, "met"),
      fresh: [...times(4, "met"), "not_met", ...times(5, "na")],
    });
    const now = nowIso();
    const action = (over: Partial<{ criterion_id: string | null; description: string; owner_user_id: number | null; owner_role: string | null; due_date: string; status: "open" | "in_progress" | "done"; evidence: string | null }>) =>
      db
        .insertInto("actions")
        .values({
          audit_id: originalId,
          criterion_id: null,
          description: "",
          owner_user_id: null,
          owner_role: null,
          due_date: "2026-05-01",
          status: "open",
          evidence: null,
          created_by: users.auditor.user.id,
          created_at: now,
          updated_at: now,
          completed_at: null,
          ...over,
        })
        .execute();
    await action({ criterion_id: "voice", description: "Teach the voice of the child template at team meetings", owner_user_id: users.auditor.user.id, status: "done", evidence: "Slides and attendance list", due_date: "2026-04-20" });
    await action({ criterion_id: null, description: "Remind teams about chronologies", owner_role: "Named nurse for LAC", status: "open", due_date: "2026-04-30" });
    // Another audit's action is not shown.
    const other = await createAuditViaRoute("Another audit", [serviceA]);
    await db.insertInto("actions").values({ audit_id: other, criterion_id: "voice", description: "Not this one", owner_user_id: null, owner_role: "Someone", due_date: "2026-05-01", status: "open", evidence: null, created_by: users.auditor.user.id, created_at: now, updated_at: now, completed_at: null }).execute();
  });

  it("shows each criterion before and after with the change and the test in words (6/10 → 9/10: +30.0 points, p = 0.12)", async () => {
    const res = await callLoader(comparePage.loader, `/audits/${reauditId}/compare`, { cookie: users.manager.cookie, ...params(reauditId) });
    expect(res.status).toBe(200);
    const rows = res.data.rows as { criterionId: string; match: string; before: { text: string; numerator: number; denominator: number } | null; after: { text: string } | null; changeText: string | null; testText: string; test: { pValue: number } | null }[];
    expect(rows.map((r) => [r.criterionId, r.match])).toEqual([
      ["fresh", "new"],
      ["voice", "both"],
      ["chronology", "both"],
      ["gone", "removed"],
    ]);
    const voice = rows[1];
    expect(voice.before).toMatchObject({ numerator: 6, denominator: 10, text: "60.0% (6 of 10)" });
    expect(voice.after!.text).toBe("90.0% (9 of 10)");
    expect(voice.changeText).toBe("+30.0");
    expect(voice.test!.pValue).toBeCloseTo(0.1213, 4);
    expect(voice.testText).toBe("The change of +30.0 percentage points could be due to chance (p = 0.12).");
    const chronology = rows[2];
    expect(chronology.changeText).toBe("0.0");
    expect(chronology.testText).toMatch(/^The change cannot be tested/);
    expect(rows[0].before).toBeNull();
    expect(rows[0].after!.text).toBe("80.0% (4 of 5)");
    expect(rows[3].after).toBeNull();
    expect(rows[3].before!.text).toBe("30.0% (3 of 10)");
    expect(res.data.original).toMatchObject({ id: originalId, caseCount: 10, templateVersion: 1 });
    expect(res.data.reaudit).toMatchObject({ id: reauditId, caseCount: 10, templateVersion: 2 });
    expect(res.data.reauditOpen).toBe(true);
  });

  it("lists the original audit's actions, read only, with owner name or role and overdue worked out", async () => {
    const res = await callLoader(comparePage.loader, `/audits/${reauditId}/compare`, { cookie: users.reviewer.cookie, ...params(reauditId) });
    expect(res.data.actions).toEqual([
      expect.objectContaining({ criterionId: "voice", criterion: "Does the record show the child's own views, in their words?", description: "Teach the voice of the child template at team meetings", owner: "Bea Auditor", status: "done", overdue: false, evidence: "Slides and attendance list" }),
      expect.objectContaining({ criterionId: null, criterion: null, description: "Remind teams about chronologies", owner: "Named nurse for LAC", status: "open", overdue: true }),
    ]);
  });

  it("every role can see it; the original's address leads to the re-audit's comparison; other audits have none", async () => {
    for (const role of ["admin", "auditor", "reviewer", "manager"] as const) {
      const res = await callLoader(comparePage.loader, `/audits/${reauditId}/compare`, { cookie: users[role].cookie, ...params(reauditId) });
      expect(res.status).toBe(200);
    }
    const fromOriginal = await callLoader(comparePage.loader, `/audits/${originalId}/compare`, { cookie: users.manager.cookie, ...params(originalId) });
    expect(fromOriginal.status).toBe(302);
    expect(fromOriginal.location).toBe(`/audits/${reauditId}/compare`);
    const lone = await createAuditViaRoute("Lone audit", [serviceA]);
    const none = await callLoader(comparePage.loader, `/audits/${lone}/compare`, { cookie: users.manager.cookie, ...params(lone) });
    expect(none.status).toBe(404);
    const anonymous = await callLoader(comparePage.loader, `/audits/${reauditId}/compare`, params(reauditId));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/sign-in/);
  });
});

describe("deleting an audit that has been re-audited", () => {
  it("deletes the original with its actions and keeps the re-audit, no longer linked (no 500)", async () => {
    const { deleteAudit } = await import("~/models/audits.server");
    const before = await db.selectFrom("actions").select("id").where("audit_id", "=", originalId).execute();
    expect(before.length).toBeGreaterThan(0);
    const admin = await db.selectFrom("users").select(["id", "email"]).where("role", "=", "administrator").executeTakeFirstOrThrow();
    expect(await deleteAudit(db, admin, originalId)).toBe(true);
    expect(await db.selectFrom("audits").select("id").where("id", "=", originalId).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("actions").select("id").where("audit_id", "=", originalId).execute()).toEqual([]);
    expect((await db.selectFrom("audits").select("reaudit_of").where("id", "=", reauditId).executeTakeFirstOrThrow()).reaudit_of).toBeNull();
  });
});
