/**
 * The history import page for administrators (issue #5): /admin/import-results, the page version
 * of `npm run cli -- import-results` (tests/integration/history-import.test.ts).
 *
 * Template tests/fixtures/history/history-fixture.yaml (the same as history-import.test.ts's) and
 * its files tests/fixtures/history/*.csv: history-good.csv has 3 cases (9 rows) in Alpha and Beta.
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { getAudit } from "~/models/audits.server";
import * as adminHome from "~/routes/admin._index";
import * as auditHome from "~/routes/audits.$auditId._index";
import * as page from "~/routes/admin.import-results";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";
import { historyFixture, setUpHistoryWorld } from "./history-fixtures";
import { callUpload, caseListFixture } from "./upload";

const URL_ = "/admin/import-results";
const history = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(historyFixture(name))) });

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
const cookies = {} as Record<Role, string>;

/** The form's fields as a browser posts them (the file apart). */
const fields = (over: Record<string, string> = {}): Record<string, string> => ({
  template: "history-fixture@1",
  title: "LAC audit Q1 2024",
  "periodStart.day": "1",
  "periodStart.month": "1",
  "periodStart.year": "2024",
  "periodEnd.day": "31",
  "periodEnd.month": "3",
  "periodEnd.year": "2024",
  provider: "",
  ...over,
});

const post = (file: Parameters<typeof callUpload>[2], over: Record<string, string> = {}, cookie = cookies.administrator) =>
  callUpload(page.action, URL_, file, { cookie, fields: fields(over) });

async function counts() {
  const n = async (t: "audits" | "cases" | "answers" | "services" | "teams" | "providers") =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { audits: await n("audits"), cases: await n("cases"), answers: await n("answers"), services: await n("services"), teams: await n("teams"), providers: await n("providers") };
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  await setUpHistoryWorld(db);
  for (const role of ["administrator", "auditor", "reviewer", "manager"] as const) cookies[role] = (await userWithSession(db, role)).cookie;
});

afterAll(async () => env.cleanup());

describe("the page", () => {
  it("offers every template version, and the administration home links to it", async () => {
    const res = await callLoader(page.loader, URL_, { cookie: cookies.administrator });
    expect(res.status).toBe(200);
    expect(res.data.templates).toEqual([{ value: "history-fixture@1", label: "History fixture (version 1)" }]);
    const home = await callLoader(adminHome.loader, "/admin", { cookie: cookies.administrator });
    expect(home.data.links.importResults).toBe(true);
  });

  it("is for administrators only: auditors, reviewers and managers get 403 for the loader and the action", async () => {
    const before = await counts();
    for (const role of ["auditor", "reviewer", "manager"] as const) {
      expect((await callLoader(page.loader, URL_, { cookie: cookies[role] })).status, role).toBe(403);
      expect((await post(history("history-good.csv"), {}, cookies[role])).status, role).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it("sends someone not signed in to sign in", async () => {
    const res = await callLoader(page.loader, URL_);
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/sign-in/);
  });

  it("refuses a post without this browser's CSRF token", async () => {
    const res = await callUpload(page.action, URL_, history("history-good.csv"), { cookie: cookies.administrator, fields: fields(), csrf: "wrong-token-wrong-token-00" });
    expect(res.status).toBe(403);
  });
});

describe("importing a good file", () => {
  it("creates the completed audit with the file's cases and answers, logs it as from the page, and goes to the audit", async () => {
    const before = await counts();
    const res = await post(history("history-good.csv"));
    expect(res.status, JSON.stringify(res.data)).toBe(302);
    const match = /^\/audits\/(\d+)\?done=results-imported$/.exec(res.location ?? "");
    expect(match, res.location ?? "").not.toBeNull();
    const auditId = Number(match![1]);

    const audit = (await getAudit(db, auditId))!;
    expect(audit).toMatchObject({ title: "LAC audit Q1 2024", status: "complete", period_start: "2024-01-01", period_end: "2024-03-31", templateKey: "history-fixture", templateVersion: 1 });
    expect(audit.services.map((s) => s.name)).toEqual(["Alpha", "Beta"]);
    const cases = await db.selectFrom("cases").select(["case_ref", "in_sample"]).where("audit_id", "=", auditId).orderBy("case_ref").execute();
    expect(cases).toEqual([
      { case_ref: "H-001", in_sample: 1 },
      { case_ref: "H-002", in_sample: 1 },
      { case_ref: "H-003", in_sample: 1 },
    ]);
    expect(await counts()).toMatchObject({ audits: before.audits + 1, cases: before.cases + 3, answers: before.answers + 9, services: before.services, providers: before.providers });

    const event = await db.selectFrom("audit_log").selectAll().where("action", "=", "import-results").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!)).toMatchObject({ fileName: "history-good.csv", via: "page", template: "history-fixture@1", rows: 9, cases: 3, answers: 9 });

    // The audit's page says what happened.
    const auditPage = await callLoader(auditHome.loader, res.location!, { cookie: cookies.administrator, params: { auditId: String(auditId) } });
    expect(auditPage.data.done).toBe("results-imported");
  });
});

describe("problems: 400, everything listed, the answers kept, nothing written", () => {
  let before: Awaited<ReturnType<typeof counts>>;
  beforeAll(async () => {
    before = await counts();
  });
  afterEach(async () => {
    expect(await counts()).toEqual(before);
  });

  it("lists every problem in the file by line and column", async () => {
    const res = await post(history("history-problems.csv"));
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ problems: "Nothing was imported because the file has 7 problems. Fix them and choose the file again" });
    expect(res.data.problemCount).toBe(7);
    expect(res.data.where).toBe("Line");
    expect(res.data.problems).toEqual([
      { line: 3, column: "criterion_id", message: "nosuch is not a criterion of history-fixture version 1. Use one of: voice, plan, seen-on-time" },
      { line: 4, column: "answer", message: "maybe is not an answer. Use one of: met, partial, not_met, na" },
      { line: 5, column: null, message: "case H-010 already has an answer to criterion voice on line 2. Give each case one row per criterion" },
      {
        line: 6,
        column: "service",
        message: "Gamma is not a service in this app. Add it under the organisation first, or tick “Create services and teams that are not in the app yet” and enter the provider",
      },
      { line: 7, column: "answer", message: "partial is not an answer criterion seen-on-time allows. Use one of: met, not_met" },
      { line: 8, column: "case_ref", message: "case reference must include at least one number. Do not enter a child's name" },
      { line: 9, column: "date_of_birth", message: "31/02/2015 is not a real date" },
    ]);
    // The answers are kept for the form, and the page asks for the file again by name.
    expect(res.data.values).toMatchObject({ template: "history-fixture@1", title: "LAC audit Q1 2024", periodStart: { day: "1", month: "1", year: "2024" } });
    expect(res.data.fileName).toBe("history-problems.csv");
  });

  it("needs the provider when the box is ticked", async () => {
    const res = await post(history("history-new-service.csv"), { createMissing: "yes", provider: "  " });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ provider: "Enter the provider for the new services and teams" });
    expect(res.data.values).toMatchObject({ createMissing: ["yes"], title: "LAC audit Q1 2024" });
  });

  it("checks the other fields with the form's schema, and asks for a file", async () => {
    const res = await post(null, { template: "", title: "", "periodEnd.year": "2099", "periodStart.day": "" });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({
      template: "Select the template version the audit used",
      title: "Enter a title for the audit",
      periodStart: "Start of the audit period must include a day",
      periodEnd: "End of the audit period must be today or in the past",
      file: "Select a CSV or Excel file",
    });
  });

  it("gives an end before the start its message", async () => {
    const res = await post(history("history-good.csv"), { "periodEnd.month": "1", "periodEnd.day": "1", "periodStart.day": "2" });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ periodEnd: "End of the audit period must be the same as or after the start" });
  });

  it("gives a file that is not CSV or Excel, an empty file and a file with no rows the case import's messages", async () => {
    const notCsv = await post(caseListFixture("png-renamed.csv"));
    expect(notCsv.status).toBe(400);
    expect(notCsv.data.errors).toEqual({ file: "The selected file must be a CSV or Excel (.xlsx) file" });
    const empty = await post({ name: "results.csv", bytes: new Uint8Array() });
    expect(empty.data.errors).toEqual({ file: "The selected file is empty" });
    const headerOnly = await post(history("history-header-only.csv"));
    expect(headerOnly.data.errors).toEqual({ file: "The selected file has a header row but no cases" });
  });

  it("refuses a file that is too big, keeping the other answers", async () => {
    process.env.CASE_LIST_MAX_BYTES = "100";
    try {
      const res = await post(history("history-good.csv"));
      expect(res.status).toBe(400);
      expect(res.data.errors).toEqual({ file: "The selected file must be smaller than 100 bytes" });
      expect(res.data.values).toMatchObject({ title: "LAC audit Q1 2024", template: "history-fixture@1" });
    } finally {
      delete process.env.CASE_LIST_MAX_BYTES;
    }
  });

  it("answers a url-encoded post (no file can come with it) by asking for the file", async () => {
    const res = await callAction(page.action, URL_, fields(), { cookie: cookies.administrator });
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual({ file: "Select a CSV or Excel file" });
  });
});

// Last: it adds the service Gamma, which the problem files rely on being unknown.
describe("creating missing services and teams", () => {
  it("creates missing services and teams under the provider when the box is ticked", async () => {
    const before = await counts();
    const res = await post(history("history-new-service.csv"), { createMissing: "yes", provider: "New Trust", title: "Gamma audit" });
    expect(res.status, JSON.stringify(res.data)).toBe(302);
    const audit = (await getAudit(db, Number(/\/audits\/(\d+)/.exec(res.location!)![1])))!;
    expect(audit.services).toEqual([expect.objectContaining({ name: "Gamma", provider_name: "New Trust" })]);
    expect(await counts()).toMatchObject({ providers: before.providers + 1, services: before.services + 1, teams: before.teams + 1, cases: before.cases + 2 });
  });
});
