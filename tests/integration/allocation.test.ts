import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditPage from "~/routes/audits.$auditId._index";
import * as allocatePage from "~/routes/audits.$auditId.allocate";
import * as samplePage from "~/routes/audits.$auditId.sample";
import * as excludePage from "~/routes/audits.$auditId.cases.$caseId.exclude";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as editCase from "~/routes/audits.$auditId.cases.$caseId.edit";
import * as editAudit from "~/routes/audits.$auditId.edit";
import * as myCases from "~/routes/my-cases";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb } from "./helpers";
import { addCaseByHand, caseForm, casesOf, createAudit, importCases, pad, postAnswers, scoreCompletely, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
});

afterAll(async () => env.cleanup());

const p = (auditId: number, extra: Record<string, string> = {}) => ({ auditId: String(auditId), ...extra });
const allocate = (auditId: number, fields: Record<string, string | string[]>, cookie = w.users.auditor.cookie) =>
  callAction(allocatePage.action, `/audits/${auditId}/allocate`, fields, { cookie, params: p(auditId) });
const auditAction = (auditId: number, fields: Record<string, string>, cookie = w.users.auditor.cookie) =>
  callAction(auditPage.action, `/audits/${auditId}`, fields, { cookie, params: p(auditId) });
const myCasesOf = (cookie: string) => callLoader(myCases.loader, "/my-cases", { cookie });
const assignees = async (auditId: number) => {
  const out: Record<string, number | null> = {};
  for (const c of (await casesOf(db, auditId)).values()) if (c.in_sample === 1 && !c.excluded_at) out[c.case_ref] = c.assigned_to;
  return out;
};

/** An audit with `n` imported cases, all drawn into the sample. */
async function sampledAudit(n: number, title = "Allocation") {
  const auditId = await createAudit(w, title);
  await importCases(db, w, auditId, Array.from({ length: n }, (_, i) => ({ ref: `AL-${pad(i)}`, serviceId: w.serviceA })));
  const res = await callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw", method: "simple", sizeBy: "number", size: String(n), seed: "ALLOC" }, { cookie: w.users.auditor.cookie, params: p(auditId) });
  expect(res.status).toBe(302);
  return auditId;
}

describe("assigning cases evenly", () => {
  let auditId: number;
  beforeAll(async () => {
    auditId = await sampledAudit(10);
    // One case only in the case list (not drawn) must never be assigned.
    await importCases(db, w, auditId, [{ ref: "AL-POP", serviceId: w.serviceA }]);
  });

  it("lists the sampled cases and the people who can be given them (auditors and administrators)", async () => {
    const res = await callLoader(allocatePage.loader, `/audits/${auditId}/allocate`, { cookie: w.users.auditor.cookie, params: p(auditId) });
    expect(res.status).toBe(200);
    expect(res.data.cases).toHaveLength(10);
    expect(res.data.cases.map((c: { ref: string }) => c.ref)).not.toContain("AL-POP");
    expect(res.data.users.map((u: { name: string }) => u.name)).toEqual(["Ada Admin", "Bea Auditor", "Cal Auditor"]);
    expect(res.data.unassigned).toBe(10);
  });

  it("shares cases out in turn, in case-reference order, over the chosen auditors in name order, and logs it", async () => {
    const { auditor, auditor2, admin } = w.users;
    const res = await allocate(auditId, { intent: "even", userIds: [String(auditor2.user.id), String(auditor.user.id), String(admin.user.id)], scope: "all" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}/allocate?done=even&changed=10`);
    const a = await assignees(auditId);
    // Name order: Ada Admin, Bea Auditor, Cal Auditor.
    const order = [admin.user.id, auditor.user.id, auditor2.user.id];
    for (let i = 0; i < 10; i++) expect(a[`AL-${pad(i)}`], `AL-${pad(i)}`).toBe(order[i % 3]);
    expect((await casesOf(db, auditId)).get("AL-POP")!.assigned_to).toBeNull();
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "assign-cases").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ how: "evenly", scope: "all", assignments: { "AL-000": admin.user.id, "AL-001": auditor.user.id } });
  });

  it("with 'only cases without an auditor', tops up whoever has fewest and leaves the rest alone", async () => {
    const { auditor, auditor2 } = w.users;
    // Take three cases away from their auditors by hand.
    const ids = [...(await casesOf(db, auditId)).values()].filter((c) => ["AL-000", "AL-003", "AL-006"].includes(c.case_ref)).map((c) => c.id);
    const hand = await allocate(auditId, { intent: "hand", ...Object.fromEntries(ids.map((id) => [`assign.c${id}`, ""])) });
    expect(hand.status).toBe(302);
    const before = await assignees(auditId);
    const res = await allocate(auditId, { intent: "even", userIds: [String(auditor.user.id), String(auditor2.user.id)], scope: "unassigned" });
    expect(res.status).toBe(302);
    const after = await assignees(auditId);
    for (const [ref, who] of Object.entries(before)) if (who !== null) expect(after[ref], ref).toBe(who);
    // Bea and Cal had 3 each; the three free cases go Bea, Cal, Bea (ties in name order).
    expect([after["AL-000"], after["AL-003"], after["AL-006"]]).toEqual([auditor.user.id, auditor2.user.id, auditor.user.id]);
    const none = await allocate(auditId, { intent: "even", userIds: [String(auditor.user.id)], scope: "unassigned" });
    expect(none.status).toBe(400);
    expect(none.data.errors.scope).toBe("Every case in the sample already has an auditor. Choose all cases to share them out again");
  });

  it("needs at least one auditor, from the list", async () => {
    const before = await assignees(auditId);
    const none = await allocate(auditId, { intent: "even", scope: "all" });
    expect(none.status).toBe(400);
    expect(none.data.errors).toEqual({ userIds: "Select at least one auditor" });
    const manager = await allocate(auditId, { intent: "even", userIds: [String(w.users.manager.user.id)], scope: "all" });
    expect(manager.status).toBe(400);
    expect(manager.data.errors).toEqual({ userIds: "Select auditors from the list" });
    expect(await assignees(auditId)).toEqual(before);
  });
});

describe("assigning cases by hand", () => {
  it("saves only what changed, refuses people who cannot score, and logs it", async () => {
    const auditId = await sampledAudit(3, "By hand");
    const cases = [...(await casesOf(db, auditId)).values()].sort((a, b) => a.case_ref.localeCompare(b.case_ref));
    const { auditor, auditor2, reviewer } = w.users;
    const res = await allocate(auditId, { intent: "hand", [`assign.c${cases[0].id}`]: String(auditor.user.id), [`assign.c${cases[1].id}`]: String(auditor2.user.id), [`assign.c${cases[2].id}`]: "" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}/allocate?done=hand&changed=2`);
    expect(await assignees(auditId)).toEqual({ [cases[0].case_ref]: auditor.user.id, [cases[1].case_ref]: auditor2.user.id, [cases[2].case_ref]: null });
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "assign-cases").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toEqual({ assignments: { [cases[0].case_ref]: null, [cases[1].case_ref]: null } });
    expect(JSON.parse(log.after!)).toMatchObject({ how: "by hand", assignments: { [cases[0].case_ref]: auditor.user.id, [cases[1].case_ref]: auditor2.user.id } });

    const refused = await allocate(auditId, { intent: "hand", [`assign.c${cases[2].id}`]: String(reviewer.user.id) });
    expect(refused.status).toBe(400);
    expect(refused.data.errors.assign).toBe("Select an auditor from the list");
    const crafted = await allocate(auditId, { intent: "hand", [`assign.c${cases[2].id}`]: "someone" });
    expect(crafted.status).toBe(400);
    expect(crafted.data.errors[`assign.c${cases[2].id}`]).toBe("Select an auditor from the list");
    expect((await assignees(auditId))[cases[2].case_ref]).toBeNull();
  });
});

describe("My cases", () => {
  let auditId: number;
  let mine: number[];
  beforeAll(async () => {
    auditId = await createAudit(w, "My cases audit");
    const ids = [];
    for (const ref of ["MY-001", "MY-002", "MY-003"]) {
      const res = await addCaseByHand(w, auditId, ref);
      ids.push(Number(res.location!.split("/").pop()));
    }
    mine = ids;
    const { auditor, auditor2 } = w.users;
    await allocate(auditId, { intent: "hand", [`assign.c${ids[0]}`]: String(auditor.user.id), [`assign.c${ids[1]}`]: String(auditor.user.id), [`assign.c${ids[2]}`]: String(auditor2.user.id) });
    await scoreCompletely(w, auditId, ids[0]);
  });

  it("shows each auditor only their own cases, with progress per audit", async () => {
    const bea = await myCasesOf(w.users.auditor.cookie);
    expect(bea.status).toBe(200);
    const entry = bea.data.audits.find((a: { audit: { id: number } }) => a.audit.id === auditId);
    expect(entry).toMatchObject({ audit: { title: "My cases audit", status: "in_progress" }, complete: 1, total: 2 });
    expect(entry.cases.map((c: { caseRef: string; complete: boolean }) => [c.caseRef, c.complete])).toEqual([
      ["MY-001", true],
      ["MY-002", false],
    ]);
    const cal = await myCasesOf(w.users.auditor2.cookie);
    const calEntry = cal.data.audits.find((a: { audit: { id: number } }) => a.audit.id === auditId);
    expect(calEntry).toMatchObject({ complete: 0, total: 1 });
    expect(calEntry.cases.map((c: { caseRef: string }) => c.caseRef)).toEqual(["MY-003"]);
    const ada = await myCasesOf(w.users.admin.cookie);
    expect(ada.data.audits.find((a: { audit: { id: number } }) => a.audit.id === auditId)).toBeUndefined();
  });

  it("drops a case once it is excluded", async () => {
    const res = await callAction(excludePage.action, `/audits/${auditId}/cases/${mine[1]}/exclude`, { reason: "Record cannot be found" }, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(mine[1]) }) });
    expect(res.status).toBe(302);
    const entry = (await myCasesOf(w.users.auditor.cookie)).data.audits.find((a: { audit: { id: number } }) => a.audit.id === auditId);
    expect(entry).toMatchObject({ complete: 1, total: 1 });
  });

  it("is only for people who score cases", async () => {
    expect((await myCasesOf(w.users.manager.cookie)).status).toBe(403);
    expect((await myCasesOf(w.users.reviewer.cookie)).status).toBe(403);
    const anon = await callLoader(myCases.loader, "/my-cases");
    expect(anon.status).toBe(302);
  });
});

describe("completing, read-only and reopening an audit", () => {
  let auditId: number;
  let caseIds: number[];
  beforeAll(async () => {
    auditId = await createAudit(w, "Completion");
    caseIds = [];
    for (const ref of ["DONE-001", "DONE-002", "DONE-003"]) caseIds.push(Number((await addCaseByHand(w, auditId, ref)).location!.split("/").pop()));
    // A population case that was never drawn must not hold completion up.
    await importCases(db, w, auditId, [{ ref: "DONE-POP", serviceId: w.serviceA }]);
    await scoreCompletely(w, auditId, caseIds[0]);
  });

  it("refuses to complete while cases are incomplete, saying how many", async () => {
    const res = await auditAction(auditId, { intent: "complete" });
    expect(res.status).toBe(400);
    expect(res.data.errors.complete).toBe("2 of 3 cases are still incomplete. Finish scoring them, or exclude them from the sample with a reason, before marking the audit as complete");
    expect((await db.selectFrom("audits").select("status").where("id", "=", auditId).executeTakeFirstOrThrow()).status).toBe("in_progress");
  });

  it("refuses managers and reviewers (403)", async () => {
    expect((await auditAction(auditId, { intent: "complete" }, w.users.manager.cookie)).status).toBe(403);
    expect((await auditAction(auditId, { intent: "complete" }, w.users.reviewer.cookie)).status).toBe(403);
  });

  it("completes once every sampled case is scored or excluded, and logs it", async () => {
    await scoreCompletely(w, auditId, caseIds[1]);
    const excluded = await callAction(excludePage.action, `/audits/${auditId}/cases/${caseIds[2]}/exclude`, { reason: "Child moved out of area before the IHA" }, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(caseIds[2]) }) });
    expect(excluded.status).toBe(302);
    const res = await auditAction(auditId, { intent: "complete" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}?done=completed`);
    const audit = await db.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirstOrThrow();
    expect(audit.status).toBe("complete");
    expect(audit.completed_at).not.toBeNull();
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "complete").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ status: "complete", cases: 2 });
    const page = await callLoader(auditPage.loader, `/audits/${auditId}`, { cookie: w.users.reviewer.cookie, params: p(auditId) });
    expect(page.data).toMatchObject({ canReopen: true, canComplete: false, canEdit: false, canManageSample: false });
  });

  it("is read-only once complete: every write route answers 403", async () => {
    const c = String(caseIds[0]);
    const cookie = w.users.auditor.cookie;
    const writes = [
      { name: "GET add case", run: () => callLoader(newCase.loader, `/audits/${auditId}/cases/new`, { cookie, params: p(auditId) }) },
      { name: "POST add case", run: () => callAction(newCase.action, `/audits/${auditId}/cases/new`, caseForm(w, "LATE-001", { sampleReason: "x" }), { cookie, params: p(auditId) }) },
      { name: "GET edit case", run: () => callLoader(editCase.loader, `/audits/${auditId}/cases/${c}/edit`, { cookie, params: p(auditId, { caseId: c }) }) },
      { name: "POST edit case", run: () => callAction(editCase.action, `/audits/${auditId}/cases/${c}/edit`, caseForm(w, "DONE-001"), { cookie, params: p(auditId, { caseId: c }) }) },
      { name: "POST delete case", run: () => callAction(editCase.action, `/audits/${auditId}/cases/${c}/edit`, { intent: "delete" }, { cookie, params: p(auditId, { caseId: c }) }) },
      { name: "POST answers", run: () => postAnswers(w, auditId, caseIds[0], { "answers.iha-uasc.answer": "not_met", "answers.iha-uasc.note": "x", "answers.iha-uasc.overrideReason": "x" }) },
      { name: "POST audit details", run: () => callAction(editAudit.action, `/audits/${auditId}/edit`, {}, { cookie, params: p(auditId) }) },
      { name: "POST draw", run: () => callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw", method: "simple", sizeBy: "number", size: "1", seed: "X" }, { cookie, params: p(auditId) }) },
      { name: "POST add to sample", run: () => callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "add", caseRef: "DONE-POP", reason: "x" }, { cookie, params: p(auditId) }) },
      { name: "GET exclude", run: () => callLoader(excludePage.loader, `/audits/${auditId}/cases/${c}/exclude`, { cookie, params: p(auditId, { caseId: c }) }) },
      { name: "POST exclude", run: () => callAction(excludePage.action, `/audits/${auditId}/cases/${c}/exclude`, { reason: "x" }, { cookie, params: p(auditId, { caseId: c }) }) },
      { name: "POST assign evenly", run: () => allocate(auditId, { intent: "even", userIds: [String(w.users.auditor.user.id)], scope: "all" }) },
      { name: "POST assign by hand", run: () => allocate(auditId, { intent: "hand", [`assign.c${c}`]: String(w.users.auditor.user.id) }) },
      { name: "POST complete again", run: () => auditAction(auditId, { intent: "complete" }) },
    ];
    const before = JSON.stringify([...(await casesOf(db, auditId)).values()]);
    for (const wr of writes) {
      const res = await wr.run();
      expect(res.status, wr.name).toBe(403);
      expect(typeof res.data === "string" && res.data.length > 0, `${wr.name} says why`).toBe(true);
    }
    expect(JSON.stringify([...(await casesOf(db, auditId)).values()])).toBe(before);
    // Reading is still allowed.
    expect((await callLoader(samplePage.loader, `/audits/${auditId}/sample`, { cookie, params: p(auditId) })).data.open).toBe(false);
    expect((await callLoader(allocatePage.loader, `/audits/${auditId}/allocate`, { cookie, params: p(auditId) })).data.open).toBe(false);
    expect((await callLoader(casePage.loader, `/audits/${auditId}/cases/${c}`, { cookie, params: p(auditId, { caseId: c }) })).data.canEdit).toBe(false);
  });

  it("can be reopened by a reviewer with a reason (not by an auditor or manager), logged", async () => {
    expect((await auditAction(auditId, { intent: "reopen", reason: "x" })).status).toBe(403);
    expect((await auditAction(auditId, { intent: "reopen", reason: "x" }, w.users.manager.cookie)).status).toBe(403);
    const noReason = await auditAction(auditId, { intent: "reopen", reason: " " }, w.users.reviewer.cookie);
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ reason: "Enter why the audit is being reopened" });
    expect((await db.selectFrom("audits").select("status").where("id", "=", auditId).executeTakeFirstOrThrow()).status).toBe("complete");

    const res = await auditAction(auditId, { intent: "reopen", reason: "Designated nurse found a scoring error in DONE-002" }, w.users.reviewer.cookie);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}?done=reopened`);
    const audit = await db.selectFrom("audits").selectAll().where("id", "=", auditId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ status: "in_progress", completed_at: null });
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "reopen").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(log.user_id).toBe(w.users.reviewer.user.id);
    expect(JSON.parse(log.after!)).toMatchObject({ status: "in_progress", reason: "Designated nurse found a scoring error in DONE-002" });
    // Open again: answers can be changed.
    expect((await postAnswers(w, auditId, caseIds[0], { "answers.iha-uasc.answer": "met", "answers.iha-uasc.overrideReason": "Still applies" })).status).toBe(200);
    // Reopening an open audit is refused.
    const twice = await auditAction(auditId, { intent: "reopen", reason: "again" }, w.users.admin.cookie);
    expect(twice.status).toBe(400);
  });

  it("refuses to complete an audit with no cases", async () => {
    const empty = await createAudit(w, "Empty");
    const res = await auditAction(empty, { intent: "complete" });
    expect(res.status).toBe(400);
    expect(res.data.errors.complete).toMatch(/^There are no cases in the sample yet/);
  });
});

describe("who may assign cases", () => {
  it("lets administrators and auditors in, refuses reviewers and managers with 403", async () => {
    const auditId = await sampledAudit(1, "Roles");
    const runs = [
      { name: "GET allocate", run: (cookie?: string) => callLoader(allocatePage.loader, `/audits/${auditId}/allocate`, { cookie, params: p(auditId) }) },
      { name: "POST allocate", run: (cookie?: string) => callAction(allocatePage.action, `/audits/${auditId}/allocate`, { intent: "even" }, { cookie, params: p(auditId) }) },
      { name: "GET my cases", run: (cookie?: string) => callLoader(myCases.loader, "/my-cases", { cookie }) },
    ];
    for (const r of runs) {
      for (const [role, u] of Object.entries(w.users)) {
        const res = await r.run(u.cookie);
        if (role === "reviewer" || role === "manager") expect(res.status, `${r.name} as ${role}`).toBe(403);
        else expect([200, 302, 400], `${r.name} as ${role}`).toContain(res.status);
      }
      const anon = await r.run(undefined);
      expect(anon.status, `${r.name} signed out`).toBe(302);
      expect(anon.location).toMatch(/^\/sign-in\?redirectTo=/);
    }
    // The audit page's status action: an unknown intent is a 400, never a 500.
    expect((await auditAction(auditId, { intent: "banana" })).status).toBe(400);
  });
});
