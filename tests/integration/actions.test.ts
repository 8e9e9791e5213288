/**
 * Action plans: creating actions (validation, default due date), moving them on (done needs
 * evidence), overdue, closing an audit (every red criterion needs an action or a reason), the
 * list across audits with filters, CSV and Excel exports, My actions, and who may do what.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditPage from "~/routes/audits.$auditId._index";
import * as planPage from "~/routes/audits.$auditId.actions._index";
import * as actionPage from "~/routes/audits.$auditId.actions.$actionId";
import * as allActions from "~/routes/actions._index";
import * as exportRoute from "~/routes/actions.export";
import * as myActions from "~/routes/my-actions";
import { addDays, todayInLondon } from "~/lib/dates";
import { addWorkingDays } from "~/lib/working-days";
import { isoToParts } from "~/schemas/fields";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb } from "./helpers";
import { addCaseByHand, casesOf, createAudit, postAnswers, scoreCompletely, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;
let auditId: number;
let openAuditId: number;

const RED = "iha-care-context"; // not met in every case: 0%
const RED2 = "iha-parental-history"; // not met in every case: 0%
const AMBER = "iha-birth-neonatal"; // met in 3 of 4: 75%

const p = (id: number, extra: Record<string, string> = {}) => ({ auditId: String(id), ...extra });
const planLoader = (id: number, cookie = w.users.auditor.cookie, query = "") => callLoader(planPage.loader, `/audits/${id}/actions${query}`, { cookie, params: p(id) });
const planAction = (id: number, fields: Record<string, string | string[]>, cookie = w.users.auditor.cookie) =>
  callAction(planPage.action, `/audits/${id}/actions`, fields, { cookie, params: p(id) });
const due = (iso: string) => {
  const parts = isoToParts(iso);
  return { "dueDate.day": parts.day!, "dueDate.month": parts.month!, "dueDate.year": parts.year! };
};
const today = () => todayInLondon();
const newAction = (over: Record<string, string | string[]> = {}) => ({
  intent: "create",
  criterionId: RED,
  description: "Use the care-context checklist at every IHA",
  ownerUserId: String(w.users.auditor.user.id),
  ownerRole: "",
  ...due(addWorkingDays(today(), 20)),
  serviceIds: [String(w.serviceA)],
  ...over,
});
const statusOf = async (id: number) => (await db.selectFrom("audits").select(["status", "closed_at"]).where("id", "=", id).executeTakeFirstOrThrow());
const actionCount = async () => Number((await db.selectFrom("actions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const createdId = (location: string | null) => Number(new URL(`http://x${location}`).searchParams.get("created"));

/** A complete audit of 4 cases: RED and RED2 never met, AMBER met in 3 of 4. */
async function scoredAudit(title: string, complete: boolean) {
  const id = await createAudit(w, title);
  for (let i = 0; i < 4; i++) expect((await addCaseByHand(w, id, `${title.slice(0, 3).toUpperCase()}-${i}`, i % 2 ? { serviceId: String(w.serviceB) } : {})).status).toBe(302);
  let i = 0;
  for (const c of (await casesOf(db, id)).values()) {
    await scoreCompletely(w, id, c.id);
    const notMet = (criterionId: string) => ({ [`answers.${criterionId}.answer`]: "not_met", [`answers.${criterionId}.note`]: "Not in the record" });
    const res = await postAnswers(w, id, c.id, { ...notMet(RED), ...notMet(RED2), ...(i === 0 ? notMet(AMBER) : {}) });
    expect(res.data?.errors).toBeUndefined();
    expect(res.status).toBe(200);
    i += 1;
  }
  if (complete) {
    const res = await callAction(auditPage.action, `/audits/${id}`, { intent: "complete" }, { cookie: w.users.auditor.cookie, params: p(id) });
    expect(res.status).toBe(302);
  }
  return id;
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
  auditId = await scoredAudit("Actions audit", true);
  openAuditId = await scoredAudit("Open audit", false);
  // Other red criteria of the test data (date rules the fixture's dates fail) get a reason, so the tests follow RED and RED2.
  const plan = (await planLoader(auditId)).data.plan;
  for (const c of plan.stillNeeding.filter((c: { criterionId: string }) => c.criterionId !== RED && c.criterionId !== RED2)) {
    expect((await planAction(auditId, { intent: "no-action", criterionId: c.criterionId, reason: "Known data issue" })).status).toBe(302);
  }
}, 60_000);

afterAll(async () => env.cleanup());

describe("the action plan page", () => {
  it("lists the red and amber criteria, and which red ones still need an action or a reason", async () => {
    const res = await planLoader(auditId, w.users.manager.cookie);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.data.plan.criteria.map((c: { criterionId: string; rag: string }) => [c.criterionId, c.rag]));
    expect(byId).toMatchObject({ [RED]: "red", [RED2]: "red", [AMBER]: "amber" });
    expect(Object.values(byId).every((r) => r === "red" || r === "amber")).toBe(true);
    expect(res.data.plan.stillNeeding.map((c: { criterionId: string }) => c.criterionId).sort()).toEqual([RED, RED2].sort());
    expect(res.data.services.map((s: { label: string }) => s.label).sort()).toEqual(["Health visiting", "LAC health team"]);
  });

  it("offers a due date 20 working days from today, shown as a date", async () => {
    const res = await planLoader(auditId);
    const expected = addWorkingDays(today(), 20);
    expect(res.data.defaultDueDate).toBe(expected);
    expect(res.data.values.dueDate).toEqual(isoToParts(expected));
  });

  it("starts the form from the criterion or service the link came from", async () => {
    expect((await planLoader(auditId, undefined, `?criterion=${AMBER}`)).data.values).toMatchObject({ criterionId: AMBER, serviceIds: [] });
    expect((await planLoader(auditId, undefined, `?service=${w.serviceB}`)).data.values).toMatchObject({ criterionId: "", serviceIds: [String(w.serviceB)] });
    // Not a criterion of this template, or a service out of scope: ignored.
    expect((await planLoader(auditId, undefined, `?criterion=nope&service=99999`)).data.values).toMatchObject({ criterionId: "", serviceIds: [] });
  });

  it("needs a signed-in user", async () => {
    const res = await callLoader(planPage.loader, `/audits/${auditId}/actions`, { params: p(auditId) });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/sign-in/);
  });
});

describe("creating an action", () => {
  it("an empty form gives the GOV.UK messages and saves nothing", async () => {
    const before = await actionCount();
    const res = await planAction(auditId, { intent: "create", criterionId: RED, description: " ", ownerUserId: "", ownerRole: "", "dueDate.day": "", "dueDate.month": "", "dueDate.year": "" });
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({ description: "Enter what will change", dueDate: "Enter a due date", ownerUserId: "Select who owns this action" });
    expect(res.data.values.criterionId).toBe(RED);
    expect(await actionCount()).toBe(before);
  });

  it("refuses a crafted criterion, a service outside the audit and an unknown owner, on the field", async () => {
    const before = await actionCount();
    expect((await planAction(auditId, newAction({ criterionId: "not-a-criterion" }))).data.errors).toEqual({ criterionId: "Select a criterion from the list" });
    const other = (await db.insertInto("services").values({ provider_id: 1, name: "Elsewhere", created_at: "x", updated_at: "x" }).returning("id").executeTakeFirstOrThrow()).id;
    const outside = await planAction(auditId, newAction({ serviceIds: [String(other)] }));
    expect(outside.status).toBe(400);
    expect(outside.data.errors).toEqual({ serviceIds: "Select services from the list" });
    expect((await planAction(auditId, newAction({ ownerUserId: "99999" }))).data.errors).toEqual({ ownerUserId: "Select who owns this action" });
    expect((await planAction(auditId, newAction({ ownerRole: "Named nurse" }))).data.errors).toEqual({ ownerRole: "Choose a person or enter a named role, not both" });
    expect((await planAction(auditId, newAction({ ...due(addDays(today(), -1)) }))).data.errors).toEqual({ dueDate: "Due date must be today or in the future" });
    expect(await actionCount()).toBe(before);
  });

  it("saves an action for a red criterion with its owner, due date and services, and logs it", async () => {
    const res = await planAction(auditId, newAction());
    expect(res.status).toBe(302);
    const id = createdId(res.location);
    const row = await db.selectFrom("actions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ audit_id: auditId, criterion_id: RED, owner_user_id: w.users.auditor.user.id, owner_role: null, status: "open", due_date: addWorkingDays(today(), 20), created_by: w.users.auditor.user.id });
    const services = await db.selectFrom("action_services").select("service_id").where("action_id", "=", id).execute();
    expect(services.map((s) => s.service_id)).toEqual([w.serviceA]);
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "action").where("entity_id", "=", String(id)).where("action", "=", "create").executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ criterion_id: RED, serviceIds: [w.serviceA] });
    const plan = (await planLoader(auditId)).data.plan;
    expect(plan.criteria.find((c: { criterionId: string }) => c.criterionId === RED).actions.map((a: { id: number }) => a.id)).toEqual([id]);
    expect(plan.stillNeeding.map((c: { criterionId: string }) => c.criterionId)).toEqual([RED2]);
  });

  it("a manager can raise an action owned by a named role, for a service only", async () => {
    const res = await planAction(auditId, newAction({ criterionId: "", ownerUserId: "", ownerRole: "Named nurse for LAC", serviceIds: [String(w.serviceB)], description: "Audit supervision notes" }), w.users.manager.cookie);
    expect(res.status).toBe(302);
    const row = await db.selectFrom("actions").selectAll().where("id", "=", createdId(res.location)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ criterion_id: null, owner_user_id: null, owner_role: "Named nurse for LAC" });
  });

  it("an action with neither criterion nor service is refused", async () => {
    const res = await planAction(auditId, newAction({ criterionId: "", serviceIds: [] }));
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ serviceIds: "Select the services this action addresses, or choose a criterion" });
  });

  it("refuses a post without the CSRF token", async () => {
    const res = await callAction(planPage.action, `/audits/${auditId}/actions`, newAction(), { cookie: w.users.auditor.cookie, params: p(auditId), csrf: false });
    expect(res.status).toBe(403);
  });
});

describe("moving an action on", () => {
  let actionId: number;
  const post = (fields: Record<string, string>, cookie = w.users.reviewer.cookie, id = actionId, audit = auditId) =>
    callAction(actionPage.action, `/audits/${audit}/actions/${id}`, fields, { cookie, params: p(audit, { actionId: String(id) }) });
  beforeAll(async () => {
    actionId = createdId((await planAction(auditId, newAction({ description: "Status test" }))).location);
  });

  it("shows the action", async () => {
    const res = await callLoader(actionPage.loader, `/audits/${auditId}/actions/${actionId}`, { cookie: w.users.manager.cookie, params: p(auditId, { actionId: String(actionId) }) });
    expect(res.status).toBe(200);
    expect(res.data.action).toMatchObject({ description: "Status test", owner: "Bea Auditor", status: "open", overdue: false, services: [{ id: w.serviceA, name: "LAC health team" }] });
  });

  it("goes to in progress, and is logged", async () => {
    const res = await post({ status: "in_progress", evidence: "" });
    expect(res.status).toBe(302);
    expect((await db.selectFrom("actions").select(["status", "completed_at"]).where("id", "=", actionId).executeTakeFirstOrThrow())).toEqual({ status: "in_progress", completed_at: null });
    const log = await db.selectFrom("audit_log").selectAll().where("entity", "=", "action").where("entity_id", "=", String(actionId)).where("action", "=", "update").executeTakeFirstOrThrow();
    expect(JSON.parse(log.before!)).toMatchObject({ status: "open" });
    expect(JSON.parse(log.after!)).toMatchObject({ status: "in_progress" });
  });

  it("cannot be done without evidence", async () => {
    const res = await post({ status: "done", evidence: "   " });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ evidence: "Enter the evidence that this action is done" });
    expect((await db.selectFrom("actions").select("status").where("id", "=", actionId).executeTakeFirstOrThrow()).status).toBe("in_progress");
  });

  it("is done with evidence, with the date it was done", async () => {
    const res = await post({ status: "done", evidence: "Checklist in use since the team meeting" });
    expect(res.status).toBe(302);
    const row = await db.selectFrom("actions").selectAll().where("id", "=", actionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "done", evidence: "Checklist in use since the team meeting" });
    expect(row.completed_at).toBeTruthy();
  });

  it("refuses an unknown status, and an action of another audit (404)", async () => {
    expect((await post({ status: "finished" })).data.errors).toEqual({ status: "Select the status of this action" });
    const res = await post({ status: "open" }, w.users.reviewer.cookie, actionId, openAuditId);
    expect(res.status).toBe(404);
  });
});

describe("overdue", () => {
  let late: number;
  let lateDone: number;
  let dueToday: number;
  beforeAll(async () => {
    late = createdId((await planAction(auditId, newAction({ description: "Late one", ownerUserId: String(w.users.reviewer.user.id) }))).location);
    lateDone = createdId((await planAction(auditId, newAction({ description: "Late but done", ownerUserId: String(w.users.reviewer.user.id) }))).location);
    dueToday = createdId((await planAction(auditId, newAction({ description: "Due today", ownerUserId: String(w.users.reviewer.user.id), ...due(today()) }))).location);
    // The form refuses past dates, so time passes in the database.
    await db.updateTable("actions").set({ due_date: addDays(today(), -3) }).where("id", "in", [late, lateDone]).execute();
    await db.updateTable("actions").set({ status: "done", evidence: "Done", completed_at: new Date().toISOString() }).where("id", "=", lateDone).execute();
  });

  it("is worked out from the due date and today: not done and due before today", async () => {
    const res = await callLoader(allActions.loader, "/actions", { cookie: w.users.manager.cookie });
    const overdue = Object.fromEntries(res.data.actions.map((a: { id: number; overdue: boolean }) => [a.id, a.overdue]));
    expect(overdue[late]).toBe(true);
    expect(overdue[lateDone]).toBe(false);
    expect(overdue[dueToday]).toBe(false);
  });

  it("the overdue filter lists only overdue actions", async () => {
    const res = await callLoader(allActions.loader, "/actions?overdue=yes", { cookie: w.users.manager.cookie });
    expect(res.data.actions.map((a: { id: number }) => a.id)).toEqual([late]);
    expect(res.data.filters.overdue).toBe(true);
  });

  it("My actions shows the user's own actions, overdue first", async () => {
    const res = await callLoader(myActions.loader, "/my-actions", { cookie: w.users.reviewer.cookie });
    expect(res.status).toBe(200);
    expect(res.data.actions.map((a: { id: number }) => a.id)).toEqual([late, dueToday, lateDone]);
    expect(res.data.overdue).toBe(1);
  });
});

describe("closing the audit", () => {
  const close = (id: number, cookie = w.users.reviewer.cookie) => planAction(id, { intent: "close" }, cookie);

  it("is refused while a red criterion has neither an action nor a reason, naming it", async () => {
    const res = await close(auditId);
    expect(res.status).toBe(400);
    expect(res.data.errors.close).toMatch(/^This red criterion needs at least one action or a recorded reason for no action before the audit can be closed: /);
    expect(res.data.errors.close).toContain(w.template.sections.flatMap((s) => s.criteria).find((c) => c.id === RED2)!.question);
    expect(res.data.errors.close).not.toContain(w.template.sections.flatMap((s) => s.criteria).find((c) => c.id === RED)!.question);
    expect((await statusOf(auditId)).status).toBe("complete");
  });

  it("is refused for an audit that is not complete", async () => {
    const res = await close(openAuditId);
    expect(res.status).toBe(400);
    expect(res.data.errors.close).toBe("Only a complete audit can be closed. Mark the audit as complete first");
    expect((await statusOf(openAuditId)).status).toBe("in_progress");
  });

  it("managers cannot close an audit", async () => {
    expect((await close(auditId, w.users.manager.cookie)).status).toBe(403);
  });

  it("a reason for no action needs text", async () => {
    const res = await planAction(auditId, { intent: "no-action", criterionId: RED2, reason: "" });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ reason: "Enter why no action is needed for this criterion" });
    expect(res.data.values.criterionId).toBe(RED2);
  });

  it("is allowed once the red criterion has a recorded reason, and is logged", async () => {
    const saved = await planAction(auditId, { intent: "no-action", criterionId: RED2, reason: "Covered by the trust-wide records project" });
    expect(saved.status).toBe(302);
    const reason = await db.selectFrom("no_action_reasons").selectAll().where("audit_id", "=", auditId).where("criterion_id", "=", RED2).executeTakeFirstOrThrow();
    expect(reason.reason).toBe("Covered by the trust-wide records project");
    expect(await db.selectFrom("audit_log").select("id").where("entity", "=", "no-action-reason").where("entity_id", "=", String(reason.id)).executeTakeFirst()).toBeTruthy();
    expect((await planLoader(auditId)).data.plan.stillNeeding).toEqual([]);

    const res = await close(auditId);
    expect(res.status).toBe(302);
    const after = await statusOf(auditId);
    expect(after.status).toBe("closed");
    expect(after.closed_at).toBeTruthy();
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "close").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ status: "closed", redCriteria: expect.arrayContaining([RED, RED2]) });
    expect((await close(auditId)).data.errors.close).toBe("This audit is already closed");
  });

  it("actions of a closed audit can still be moved on", async () => {
    const id = (await db.selectFrom("actions").select("id").where("audit_id", "=", auditId).where("status", "=", "open").executeTakeFirstOrThrow()).id;
    const res = await callAction(actionPage.action, `/audits/${auditId}/actions/${id}`, { status: "in_progress", evidence: "" }, { cookie: w.users.manager.cookie, params: p(auditId, { actionId: String(id) }) });
    expect(res.status).toBe(302);
  });
});

describe("the list across audits", () => {
  let roleAction: number;
  let otherAuditAction: number;
  beforeAll(async () => {
    roleAction = (await db.selectFrom("actions").select("id").where("owner_role", "=", "Named nurse for LAC").executeTakeFirstOrThrow()).id;
    otherAuditAction = createdId((await planAction(openAuditId, newAction({ description: "Other audit", ownerUserId: String(w.users.auditor2.user.id), serviceIds: [String(w.serviceB)] }))).location);
  });
  const list = async (query: string) => (await callLoader(allActions.loader, `/actions${query}`, { cookie: w.users.manager.cookie })).data;
  const ids = async (query: string) => (await list(query)).actions.map((a: { id: number }) => a.id).sort((a: number, b: number) => a - b);

  it("holds actions from every audit", async () => {
    const all = await ids("");
    expect(all).toContain(otherAuditAction);
    expect(all).toContain(roleAction);
    expect(all.length).toBe(await actionCount());
  });

  it("filters by owner (a person or a named role), service and status", async () => {
    expect(await ids(`?owner=u${w.users.auditor2.user.id}`)).toEqual([otherAuditAction]);
    expect(await ids(`?owner=${encodeURIComponent("r:Named nurse for LAC")}`)).toEqual([roleAction]);
    const serviceB = await ids(`?service=${w.serviceB}`);
    expect(serviceB).toEqual([roleAction, otherAuditAction].sort((a, b) => a - b));
    const done = (await db.selectFrom("actions").select("id").where("status", "=", "done").orderBy("id").execute()).map((r) => r.id);
    expect(await ids("?status=done")).toEqual(done);
    expect(done.length).toBeGreaterThan(0);
    // Combined: the role's action is not done.
    expect(await ids(`?owner=${encodeURIComponent("r:Named nurse for LAC")}&status=done`)).toEqual([]);
  });

  it("offers people and named roles as owners, and keeps the filters for the export links", async () => {
    const data = await list(`?service=${w.serviceB}&status=open`);
    expect(data.ownerOptions).toContainEqual({ value: "r:Named nurse for LAC", label: "Named nurse for LAC" });
    expect(data.ownerOptions).toContainEqual({ value: `u${w.users.manager.user.id}`, label: "Eve Manager" });
    expect(data.query).toBe(`service=${w.serviceB}&status=open`);
  });
});

describe("exports", () => {
  let formulaAction: number;
  beforeAll(async () => {
    formulaAction = createdId(
      (await planAction(openAuditId, newAction({ description: "=HYPERLINK(\"http://evil.example\",\"Click\")", ownerUserId: "", ownerRole: "@Lead nurse", serviceIds: [String(w.serviceA)] }))).location,
    );
    expect(formulaAction).toBeGreaterThan(0);
  });
  const download = (query: string, cookie = w.users.manager.cookie) => callLoader(exportRoute.loader, `/actions/export${query}`, { cookie });

  it("CSV: headings, one row per action, the same filters, formulas neutralised", async () => {
    const res = await download(`?format=csv&owner=${encodeURIComponent("r:@Lead nurse")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="actions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = String(res.data).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("Audit,Criterion,What will change,Owner,Services,Due date,Status,Overdue,Evidence,Completed");
    expect(lines).toHaveLength(2);
    const criterion = w.template.sections.flatMap((s) => s.criteria).find((c) => c.id === RED)!.question;
    expect(lines[1]).toBe(`Open audit,${criterion.includes(",") ? `"${criterion}"` : criterion},"'=HYPERLINK(""http://evil.example"",""Click"")",'@Lead nurse,LAC health team,${addWorkingDays(today(), 20)},Open,No,,`);
  });

  it("CSV of overdue actions says so", async () => {
    const res = await download("?format=csv&overdue=yes");
    const lines = String(res.data).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Late one");
    expect(lines[1]).toMatch(/,Open,Yes,,$/);
  });

  it("XLSX: read back with exceljs, same contents, formulas neutralised as text", async () => {
    const res = await callLoader(exportRoute.loader, `/actions/export?format=xlsx&service=${w.serviceA}`, { cookie: w.users.auditor.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    // callLoader turns bodies into text; fetch the bytes again straight from the route.
    const request = new Request(`http://localhost/actions/export?format=xlsx&service=${w.serviceA}`, { headers: { Cookie: w.users.auditor.cookie } });
    const response = (await exportRoute.loader({ request, params: {}, context: {} })) as Response;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet("Actions")!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)))));
    expect(rows[0]).toEqual(["Audit", "Criterion", "What will change", "Owner", "Services", "Due date", "Status", "Overdue", "Evidence", "Completed"]);
    const expected = (await callLoader(allActions.loader, `/actions?service=${w.serviceA}`, { cookie: w.users.auditor.cookie })).data.actions;
    expect(rows).toHaveLength(expected.length + 1);
    const formula = rows.find((r) => r[2].includes("HYPERLINK"))!;
    expect(formula[2]).toBe("'=HYPERLINK(\"http://evil.example\",\"Click\")");
    expect(formula[3]).toBe("'@Lead nurse");
    expect(sheet.getRow(rows.indexOf(formula) + 1).getCell(3).type).toBe(ExcelJS.ValueType.String);
    const done = rows.find((r) => r[2] === "Status test")!;
    expect(done.slice(6, 9)).toEqual(["Done", "No", "Checklist in use since the team meeting"]);
    expect(rows.find((r) => r[2] === "Late one")![7]).toBe("Yes");
  });

  it("refuses an unknown format", async () => {
    expect((await download("?format=pdf")).status).toBe(400);
  });
});

describe("roles", () => {
  it("every role can read action plans and its own actions", async () => {
    for (const u of Object.values(w.users)) {
      expect((await callLoader(allActions.loader, "/actions", { cookie: u.cookie })).status).toBe(200);
      expect((await callLoader(myActions.loader, "/my-actions", { cookie: u.cookie })).status).toBe(200);
      expect((await planLoader(auditId, u.cookie)).status).toBe(200);
    }
  });

  it("My actions lists only the user's own actions", async () => {
    const mine = (await callLoader(myActions.loader, "/my-actions", { cookie: w.users.auditor2.cookie })).data.actions;
    expect(mine.map((a: { ownerUserId: number }) => a.ownerUserId)).toEqual([w.users.auditor2.user.id]);
    expect((await callLoader(myActions.loader, "/my-actions", { cookie: w.users.admin.cookie })).data.actions).toEqual([]);
  });

  it("signed-out visitors are sent to sign in, including for exports", async () => {
    expect((await callLoader(allActions.loader, "/actions")).status).toBe(302);
    expect((await callLoader(exportRoute.loader, "/actions/export?format=csv")).status).toBe(302);
    expect((await callLoader(myActions.loader, "/my-actions")).status).toBe(302);
  });
});
