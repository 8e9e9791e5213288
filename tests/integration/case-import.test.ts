import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCasesCommand } from "~/cli/import-cases";
import { parseCsvCaseList } from "~/lib/case-list";
import { listLatestTemplates, loadTemplates } from "~/models/templates.server";
import * as newAudit from "~/routes/audits.new";
import * as importPage from "~/routes/audits.$auditId.import";
import * as rejectedRows from "~/routes/audits.$auditId.import.rejected";
import { NAMES_COLUMN_MESSAGE, NHS_NUMBER_COLUMN_MESSAGE } from "~/models/case-import.server";
import type { Db } from "~/utils/db.server";
import { PSEUDONYM_PATTERN, pseudonymise } from "~/utils/pseudonymise.server";
import { nowIso } from "~/utils/time.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";
import { callUpload, caseListFixture } from "./upload";

// Set before the import module first reads (and caches) the key.
const KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
process.env.PSEUDONYM_KEY = KEY_HEX;

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: string, auditor: string, reviewer: string, manager: string;
let auditorUser: { id: number; email: string };
let reviewerEmail: string;
let serviceA: number, serviceB: number;
let templateVersionId: number;

async function insertService(name: string, providerId: number) {
  const now = nowIso();
  return (await db.insertInto("services").values({ provider_id: providerId, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  expect((await loadTemplates(db)).problems).toEqual([]);
  templateVersionId = (await listLatestTemplates(db)).find((t) => t.key === "lac-iha")!.id;
  const now = nowIso();
  const provider = await db.insertInto("providers").values({ name: "Northshire NHS Trust", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  serviceA = await insertService("LAC health team", provider.id);
  serviceB = await insertService("Health visiting", provider.id);
  await insertService("Emergency department", provider.id);
  await db.insertInto("teams").values({ service_id: serviceA, name: "North", created_at: now, updated_at: now }).execute();
  await db.insertInto("teams").values({ service_id: serviceB, name: "South", created_at: now, updated_at: now }).execute();
  admin = (await userWithSession(db, "administrator")).cookie;
  const a = await userWithSession(db, "auditor");
  auditor = a.cookie;
  auditorUser = a.user;
  const r = await userWithSession(db, "reviewer");
  reviewer = r.cookie;
  reviewerEmail = r.user.email;
  manager = (await userWithSession(db, "manager")).cookie;
});

afterAll(async () => env.cleanup());

async function createAudit(title = "LAC IHA audit") {
  const res = await callAction(
    newAudit.action,
    "/audits/new",
    {
      templateVersionId: String(templateVersionId),
      title,
      serviceIds: [String(serviceA), String(serviceB)],
      "periodStart.day": "1",
      "periodStart.month": "4",
      "periodStart.year": "2025",
      "periodEnd.day": "31",
      "periodEnd.month": "10",
      "periodEnd.year": "2026",
    },
    { cookie: auditor },
  );
  expect(res.status).toBe(302);
  return Number(res.location!.split("/").pop());
}

const url = (auditId: number, search = "") => `/audits/${auditId}/import${search}`;
const params = (auditId: number) => ({ auditId: String(auditId) });

/** Uploads a fixture and returns the pending import's id (from the redirect to the column step). */
async function upload(auditId: number, fixture: string, cookie = auditor) {
  const res = await callUpload(importPage.action, url(auditId), caseListFixture(fixture), { cookie, params: params(auditId) });
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  const match = /^\/audits\/\d+\/import\?file=(\d+)$/.exec(res.location ?? "");
  expect(match).not.toBeNull();
  return Number(match![1]);
}

/** The column step's suggested choices. */
async function suggested(auditId: number, fileId: number, cookie = auditor) {
  const res = await callLoader(importPage.loader, url(auditId, `?file=${fileId}`), { cookie, params: params(auditId) });
  expect(res.status).toBe(200);
  expect(res.data.step).toBe("columns");
  return res.data.values as { caseRef: string; service: string; team: string; fields: Record<string, string>; pseudonymise: string[] };
}

/** The choices as posted form fields. */
function flat(choices: { fields?: Record<string, string> } & Record<string, unknown>, over: Record<string, string> = {}) {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(choices)) {
    if (k === "fields") for (const [f, h] of Object.entries(v as Record<string, string>)) out[`fields.${f}`] = h;
    else if (k === "pseudonymise") {
      if (Array.isArray(v) && v.includes("yes")) out.pseudonymise = "yes";
    } else if (typeof v === "string") out[k] = v;
  }
  return { ...out, ...over };
}

function post(auditId: number, fileId: number, fields: Record<string, string | string[]>, cookie = auditor) {
  return callAction(importPage.action, url(auditId, `?file=${fileId}`), { file: String(fileId), ...fields }, { cookie, params: params(auditId) });
}

const casesOf = (auditId: number) => db.selectFrom("cases").selectAll().where("audit_id", "=", auditId).orderBy("id").execute();

describe("importing a case list on the page", () => {
  it("imports a CSV with a BOM, Windows line endings, quoted commas and line breaks, and dd/mm/yyyy and ISO dates", async () => {
    const auditId = await createAudit();
    const fileId = await upload(auditId, "import-good.csv");
    const choices = await suggested(auditId, fileId);
    // Headings in any case and spacing are found.
    expect(choices).toMatchObject({ caseRef: "CASE REFERENCE", service: "Service", team: "team" });
    expect(choices.fields).toMatchObject({ date_of_birth: "Date_of_birth", date_looked_after: "Date the child became looked after", legal_status: "Legal status", uasc: "UASC", iha_seen: "" });

    const preview = await post(auditId, fileId, flat(choices, { intent: "preview" }));
    expect(preview.status).toBe(200);
    expect(preview.data.preview).toMatchObject({ total: 3, validCount: 3, rejectedCount: 0, problems: [] });
    expect(preview.data.preview.rows[0]).toMatchObject({
      line: 2,
      caseRef: "LAC-2025-101",
      service: "LAC health team",
      team: "North",
      caseType: "LAC",
      fields: { date_of_birth: "9 March 2015", date_looked_after: "3 November 2025", legal_status: "Care order", uasc: "No" },
    });
    // The quoted value with a line break spans lines 3 and 4, so the third case starts on line 5.
    expect(preview.data.preview.rows.map((r: { line: number }) => r.line)).toEqual([2, 3, 5]);
    expect(await casesOf(auditId)).toEqual([]);

    const done = await post(auditId, fileId, flat(choices, { intent: "import" }));
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/audits/${auditId}?imported=3`);
    const cases = await casesOf(auditId);
    expect(cases.map((c) => [c.case_ref, c.service_id, c.origin, c.in_sample, c.created_by])).toEqual([
      ["LAC-2025-101", serviceA, "import", 0, auditorUser.id],
      ["LAC-2025-102", serviceA, "import", 0, auditorUser.id],
      ["LAC-2025-103", serviceB, "import", 0, auditorUser.id],
    ]);
    expect(cases[2].team_id).not.toBeNull();
    expect(cases[1].team_id).toBeNull();
    expect(cases.map((c) => JSON.parse(c.fields))).toEqual([
      expect.objectContaining({ date_of_birth: "2015-03-09", date_looked_after: "2025-11-03", legal_status: "care_order", uasc: "no", iha_seen: null }),
      expect.objectContaining({ date_of_birth: "2016-02-01", date_looked_after: "2025-10-14", legal_status: "s20_accommodation", uasc: "yes" }),
      expect.objectContaining({ date_of_birth: "2017-02-01", date_looked_after: "2025-09-01", legal_status: null, uasc: null }),
    ]);

    const log = await db.selectFrom("audit_log").selectAll().where("entity_id", "=", String(auditId)).where("action", "=", "import").execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ entity: "audit", user_id: auditorUser.id });
    expect(JSON.parse(log[0].after!)).toMatchObject({ fileName: "import-good.csv", rows: 3, imported: 3, rejected: 0, columns: { caseRef: "CASE REFERENCE" } });
    expect(await db.selectFrom("audit_log").select("id").where("entity", "=", "case").where("action", "=", "create").execute()).toEqual([]);
    expect(await db.selectFrom("pending_imports").selectAll().where("audit_id", "=", auditId).execute()).toEqual([]);
  });

  it("reads an Excel file: real dates, text dates and TRUE/FALSE", async () => {
    const auditId = await createAudit();
    const fileId = await upload(auditId, "import-cases.xlsx");
    const choices = await suggested(auditId, fileId);
    expect(choices).toMatchObject({ caseRef: "Case ref", service: "Service" });
    const done = await post(auditId, fileId, flat(choices, { intent: "import" }));
    expect(done.status).toBe(302);
    const cases = await casesOf(auditId);
    expect(cases.map((c) => [c.case_ref, c.service_id, JSON.parse(c.fields).date_of_birth, JSON.parse(c.fields).date_looked_after, JSON.parse(c.fields).uasc])).toEqual([
      ["LAC-2025-401", serviceA, "2015-03-09", "2025-11-03", "no"],
      ["LAC-2025-402", serviceB, "2014-12-12", "2025-10-01", "yes"],
    ]);
  });

  it("lists every problem with its line, column and a fix, and writes nothing unless asked for the valid rows only", async () => {
    const auditId = await createAudit();
    const fileId = await upload(auditId, "import-problems.csv");
    const choices = await suggested(auditId, fileId);
    const preview = await post(auditId, fileId, flat(choices, { intent: "preview" }));
    expect(preview.status).toBe(200);
    expect(preview.data.preview).toMatchObject({ total: 6, validCount: 2, rejectedCount: 4 });
    expect(preview.data.preview.problems.map((p: { text: string }) => p.text)).toEqual([
      "Line 3, Date the child became looked after: 31/02/2025 is not a real date",
      "Line 4, Service: Emergency department is not a service in this audit. Use one of: Health visiting, LAC health team",
      "Line 5: case reference LAC-2025-201 is also on line 2",
      "Line 7, Date of birth: 01/01/2099 must be today or in the past",
    ]);
    expect(preview.data.preview.rows.map((r: { caseRef: string }) => r.caseRef)).toEqual(["LAC-2025-201", "LAC-2025-204"]);

    // The default: nothing unless every row is valid.
    const refused = await post(auditId, fileId, flat(choices, { intent: "import" }));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.problems).toBe("Nothing was imported because 4 of 6 rows have problems. Fix them and upload the file again, or import only the valid rows");
    expect(await casesOf(auditId)).toEqual([]);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "import").where("entity_id", "=", String(auditId)).execute()).toEqual([]);

    // The rejected rows, with the file's columns and a reason, formulas neutralised.
    const search = new URLSearchParams(flat(choices, { file: String(fileId) }) as Record<string, string>);
    const csv = await callLoader(rejectedRows.loader, `/audits/${auditId}/import/rejected?${search}`, { cookie: auditor, params: params(auditId) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="import-problems-rejected-rows.csv"');
    const table = parseCsvCaseList(new TextEncoder().encode(csv.data as string));
    if (!table.ok) throw new Error(table.message);
    expect(table.headers).toEqual(["Case reference", "Service", "Team", "Date of birth", "Date the child became looked after", "Notes", "reason"]);
    expect(table.rows.map((r) => [r.values["Case reference"], r.values.Notes, r.values.reason])).toEqual([
      ["LAC-2025-202", `'=HYPERLINK("http://example.com")`, "Date the child became looked after: 31/02/2025 is not a real date"],
      ["LAC-2025-203", "'+44 1234", "Service: Emergency department is not a service in this audit. Use one of: Health visiting, LAC health team"],
      ["LAC-2025-201", "'@SUM(A1)", "case reference LAC-2025-201 is also on line 2"],
      ["LAC-2025-205", "'-2+3", "Date of birth: 01/01/2099 must be today or in the past"],
    ]);

    const done = await post(auditId, fileId, flat(choices, { intent: "import", validOnly: "yes" }));
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/audits/${auditId}?imported=2`);
    expect((await casesOf(auditId)).map((c) => c.case_ref)).toEqual(["LAC-2025-201", "LAC-2025-204"]);
    const log = await db.selectFrom("audit_log").select("after").where("action", "=", "import").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ rows: 6, imported: 2, rejected: 4, validOnly: true });

    // The same file again: the cases already imported are reported, not merged.
    const again = await upload(auditId, "import-problems.csv");
    const second = await post(auditId, again, flat(await suggested(auditId, again), { intent: "preview" }));
    expect(second.data.preview.validCount).toBe(0);
    expect(second.data.preview.problems.map((p: { text: string }) => p.text)).toEqual(
      expect.arrayContaining(["Line 2: case reference LAC-2025-201 is already in this audit", "Line 6: case reference LAC-2025-204 is already in this audit"]),
    );
  });

  it("refuses a column of NHS numbers, then makes the same pseudonymous reference for the same child in every audit", async () => {
    const identifiers = ["9434765803", "9434765811", "9434765838"];
    const auditA = await createAudit("Audit A");
    const fileA = await upload(auditA, "import-nhs-numbers.csv");
    const choices = await suggested(auditA, fileA);
    expect(choices.caseRef).toBe(""); // "NHS number" is never picked as the case reference by itself

    const refused = await post(auditA, fileA, flat(choices, { caseRef: "NHS number", intent: "preview" }));
    expect(refused.status).toBe(400);
    expect(refused.data.errors.caseRef).toBe(NHS_NUMBER_COLUMN_MESSAGE);
    expect(NHS_NUMBER_COLUMN_MESSAGE).toBe("The case reference column looks like NHS numbers. Choose 'make a pseudonymous reference' or map a column of local references");

    const preview = await post(auditA, fileA, flat(choices, { caseRef: "NHS number", pseudonymise: "yes", intent: "preview" }));
    expect(preview.status).toBe(200);
    expect(preview.data.preview.validCount).toBe(3);
    const expected = identifiers.map((n) => pseudonymise(Buffer.from(KEY_HEX, "hex"), n));
    expect(preview.data.preview.rows.map((r: { caseRef: string }) => r.caseRef)).toEqual(expected);
    expect(JSON.stringify(preview.data)).not.toMatch(/943.?476.?58/);
    expect((await post(auditA, fileA, flat(choices, { caseRef: "NHS number", pseudonymise: "yes", intent: "import" }))).status).toBe(302);

    // The choice is remembered with its column, so the next import to the template suggests it.
    const auditB = await createAudit("Audit B");
    const fileB = await upload(auditB, "import-nhs-numbers.csv");
    const remembered = await suggested(auditB, fileB);
    expect(remembered).toMatchObject({ caseRef: "NHS number", pseudonymise: ["yes"] });
    expect((await post(auditB, fileB, flat(remembered, { intent: "import" }))).status).toBe(302);

    const refsA = (await casesOf(auditA)).map((c) => c.case_ref);
    const refsB = (await casesOf(auditB)).map((c) => c.case_ref);
    expect(refsA).toEqual(expected);
    expect(refsB).toEqual(refsA);
    for (const ref of refsA) expect(ref).toMatch(PSEUDONYM_PATTERN);

    // The identifiers are nowhere in the database, in any spacing.
    const everything = JSON.stringify([
      await db.selectFrom("cases").selectAll().execute(),
      await db.selectFrom("audit_log").selectAll().execute(),
      await db.selectFrom("pending_imports").selectAll().execute(),
      await db.selectFrom("column_mappings").selectAll().execute(),
    ]);
    for (const n of identifiers) {
      expect(everything).not.toContain(n);
      expect(everything).not.toContain(`${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`);
      expect(everything).not.toContain(`${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`);
    }
    // The uploads (base64, so not caught by the search above) are gone once imported.
    expect(await db.selectFrom("pending_imports").selectAll().where("audit_id", "in", [auditA, auditB]).execute()).toEqual([]);
  });

  it("refuses a column of names as case references", async () => {
    const auditId = await createAudit();
    const fileId = await upload(auditId, "import-names.csv");
    const res = await post(auditId, fileId, flat(await suggested(auditId, fileId), { caseRef: "Child", intent: "preview" }));
    expect(res.status).toBe(400);
    expect(res.data.errors.caseRef).toBe(NAMES_COLUMN_MESSAGE);
  });

  it("asks for the columns it cannot find, and remembers the choice for the next import to the template", async () => {
    const auditId = await createAudit();
    const fileId = await upload(auditId, "import-own-headings.csv");
    const choices = await suggested(auditId, fileId);
    const missing = await post(auditId, fileId, flat(choices, { intent: "preview" }));
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toMatchObject({
      caseRef: "Select the column that holds the case reference",
      service: "Select the column that holds the service",
      "fields.date_of_birth": "Select the column that holds the date of birth",
      "fields.date_looked_after": "Select the column that holds the date the child became looked after",
    });
    const bogus = await post(auditId, fileId, flat(choices, { caseRef: "Not a heading", intent: "preview" }));
    expect(bogus.data.errors.caseRef).toBe("Select a column from the list");

    const chosen = { caseRef: "Local ID", service: "Team name (service)", "fields.date_of_birth": "DOB", "fields.date_looked_after": "Entered care" };
    const done = await post(auditId, fileId, flat(choices, { ...chosen, intent: "import" }));
    expect(done.status).toBe(302);
    expect((await casesOf(auditId)).map((c) => c.case_ref)).toEqual(["LAC-2025-301", "LAC-2025-302"]);

    const next = await createAudit();
    const nextFile = await upload(next, "import-own-headings.csv");
    expect(await suggested(next, nextFile)).toMatchObject({
      caseRef: "Local ID",
      service: "Team name (service)",
      fields: expect.objectContaining({ date_of_birth: "DOB", date_looked_after: "Entered care" }),
    });
  });
});

describe("the upload", () => {
  it("refuses a file over the size limit with the GOV.UK message, keeping nothing", async () => {
    const auditId = await createAudit();
    const before = await db.selectFrom("pending_imports").select("id").execute();
    const big = { name: "big.csv", bytes: new Uint8Array(20 * 1024 * 1024 + 1).fill(0x41) };
    const res = await callUpload(importPage.action, url(auditId), big, { cookie: auditor, params: params(auditId) });
    expect(res.status).toBe(400);
    expect(res.data.errors.file).toBe("The selected file must be smaller than 20 MB");

    process.env.CASE_LIST_MAX_BYTES = "100";
    try {
      const small = await callUpload(importPage.action, url(auditId), caseListFixture("import-problems.csv"), { cookie: auditor, params: params(auditId) });
      expect(small.status).toBe(400);
      expect(small.data.errors.file).toBe("The selected file must be smaller than 100 bytes");
    } finally {
      delete process.env.CASE_LIST_MAX_BYTES;
    }
    expect(await db.selectFrom("pending_imports").select("id").execute()).toEqual(before);
  });

  it("refuses files that are not CSV or Excel, and no file at all", async () => {
    const auditId = await createAudit();
    for (const name of ["import-notes.txt", "png-renamed.csv"]) {
      const res = await callUpload(importPage.action, url(auditId), caseListFixture(name), { cookie: auditor, params: params(auditId) });
      expect(res.status).toBe(400);
      expect(res.data.errors.file).toBe("The selected file must be a CSV or Excel (.xlsx) file");
    }
    const none = await callUpload(importPage.action, url(auditId), null, { cookie: auditor, params: params(auditId) });
    expect(none.status).toBe(400);
    expect(none.data.errors.file).toBe("Select a CSV or Excel file");
  });

  it("checks the CSRF token on the upload, also when the file is too big", async () => {
    const auditId = await createAudit();
    const res = await callUpload(importPage.action, url(auditId), caseListFixture("import-good.csv"), { cookie: auditor, params: params(auditId), csrf: false });
    expect(res.status).toBe(403);
    const wrong = await callUpload(importPage.action, url(auditId), { name: "big.csv", bytes: new Uint8Array(20 * 1024 * 1024 + 1) }, { cookie: auditor, params: params(auditId), csrf: "wrong-token" });
    expect(wrong.status).toBe(403);
  });

  it("keeps one upload per user and audit, and shows an upload only to the user who made it", async () => {
    const auditId = await createAudit();
    const first = await upload(auditId, "import-good.csv");
    const second = await upload(auditId, "import-good.csv");
    const rows = await db.selectFrom("pending_imports").select("id").where("audit_id", "=", auditId).execute();
    expect(rows.map((r) => r.id)).toEqual([second]);
    expect(first).not.toBe(second);
    const other = await callLoader(importPage.loader, url(auditId, `?file=${second}`), { cookie: admin, params: params(auditId) });
    expect(other.data).toMatchObject({ step: "upload", uploadError: expect.stringContaining("Upload it again") });
  });

  it("deletes uploads older than a day when a new one is stored", async () => {
    const auditId = await createAudit();
    const old = await db
      .insertInto("pending_imports")
      .values({ audit_id: auditId, user_id: auditorUser.id, file_name: "old.csv", content: "", created_at: "2020-01-01T00:00:00.000Z" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const otherAudit = await createAudit();
    await upload(otherAudit, "import-good.csv", admin);
    expect(await db.selectFrom("pending_imports").select("id").where("id", "=", old.id).execute()).toEqual([]);
  });
});

describe("who may import", () => {
  it("refuses roles without manageSample (reviewer, manager) with 403", async () => {
    const auditId = await createAudit();
    for (const cookie of [reviewer, manager]) {
      expect((await callLoader(importPage.loader, url(auditId), { cookie, params: params(auditId) })).status).toBe(403);
      expect((await callUpload(importPage.action, url(auditId), caseListFixture("import-good.csv"), { cookie, params: params(auditId) })).status).toBe(403);
      expect((await callLoader(rejectedRows.loader, `/audits/${auditId}/import/rejected?file=1`, { cookie, params: params(auditId) })).status).toBe(403);
    }
    expect(await casesOf(auditId)).toEqual([]);
    expect((await callLoader(importPage.loader, url(auditId), { cookie: admin, params: params(auditId) })).status).toBe(200);
  });

  it("refuses imports into a complete audit", async () => {
    const auditId = await createAudit();
    await db.updateTable("audits").set({ status: "complete", completed_at: nowIso() }).where("id", "=", auditId).execute();
    expect((await callLoader(importPage.loader, url(auditId), { cookie: auditor, params: params(auditId) })).status).toBe(403);
  });
});

describe("npm run cli -- import-cases", () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/case-lists/${name}`, import.meta.url));

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await importCasesCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it("prints every problem with its line and writes nothing for a bad file; imports the valid rows with --valid-only", async () => {
    const auditId = await createAudit();
    const bad = await run(["--audit", String(auditId), fixture("import-problems.csv")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toEqual(
      expect.arrayContaining([
        "Line 3, Date the child became looked after: 31/02/2025 is not a real date",
        "Line 4, Service: Emergency department is not a service in this audit. Use one of: Health visiting, LAC health team",
        "Line 5: case reference LAC-2025-201 is also on line 2",
      ]),
    );
    expect(bad.err.at(-1)).toMatch(/^Nothing was imported: 4 of 6 rows have problems/);
    expect(await casesOf(auditId)).toEqual([]);

    const validOnly = await run(["--audit", String(auditId), "--valid-only", fixture("import-problems.csv")]);
    expect(validOnly.code).toBe(0);
    expect(validOnly.out[0]).toBe(`Imported 2 cases into audit ${auditId}`);
    expect(await casesOf(auditId)).toHaveLength(2);
  });

  it("imports as the first active administrator, or the --user named, and refuses other roles", async () => {
    const auditId = await createAudit();
    const res = await run(["--audit", String(auditId), fixture("import-good.csv")]);
    expect(res).toMatchObject({ code: 0, out: [`Imported 3 cases into audit ${auditId}`] });
    const firstAdmin = await db.selectFrom("users").select("id").where("role", "=", "administrator").orderBy("id").executeTakeFirstOrThrow();
    expect(new Set((await casesOf(auditId)).map((c) => c.created_by))).toEqual(new Set([firstAdmin.id]));
    const log = await db.selectFrom("audit_log").select(["user_id", "after"]).where("action", "=", "import").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(log.user_id).toBe(firstAdmin.id);
    expect(JSON.parse(log.after!)).toMatchObject({ via: "command line", imported: 3 });

    const asAuditor = await createAudit();
    expect((await run(["--audit", String(asAuditor), "--user", auditorUser.email.toUpperCase(), fixture("import-good.csv")])).code).toBe(0);
    expect(new Set((await casesOf(asAuditor)).map((c) => c.created_by))).toEqual(new Set([auditorUser.id]));

    const refused = await run(["--audit", String(asAuditor), "--user", reviewerEmail, fixture("import-good.csv")]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toBe(`${reviewerEmail} cannot import cases: the user must be an active administrator or auditor`);
  });

  it("refuses NHS numbers unless --pseudonymise-column names the column, and gives the file's messages", async () => {
    // Forget the remembered "pseudonymise the NHS number column" from the page test above.
    await db.deleteFrom("column_mappings").execute();
    const auditId = await createAudit();
    const refused = await run(["--audit", String(auditId), fixture("import-nhs-numbers.csv")]);
    expect(refused.code).toBe(1);
    expect(refused.err.join("\n")).toContain("Select the column that holds the case reference");

    const done = await run(["--audit", String(auditId), "--pseudonymise-column", "nhs number", fixture("import-nhs-numbers.csv")]);
    expect(done.code).toBe(0);
    expect((await casesOf(auditId)).map((c) => c.case_ref)).toEqual(["9434765803", "9434765811", "9434765838"].map((n) => pseudonymise(Buffer.from(KEY_HEX, "hex"), n)));

    const notACaseList = await run(["--audit", String(auditId), fixture("import-notes.txt")]);
    expect(notACaseList.code).toBe(1);
    expect(notACaseList.err[0]).toMatch(/import-notes\.txt: The selected file must be a CSV or Excel \(\.xlsx\) file$/);
    expect((await run(["--audit", "99999", fixture("import-good.csv")])).code).toBe(1);
    expect((await run([fixture("import-good.csv")])).code).toBe(2);
  });
});

describe("npm run cli -- import-cases (as a separate process)", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
  const cli = (args: string[]) =>
    spawnSync(tsx, ["app/cli/main.ts", "import-cases", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, PSEUDONYM_KEY: KEY_HEX },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("exits non-zero with the messages for a bad file, and imports a good one", async () => {
    const auditId = await createAudit();
    const bad = cli(["--audit", String(auditId), "tests/fixtures/case-lists/import-problems.csv"]);
    expect(bad.status, bad.stderr).toBe(1);
    expect(bad.stderr).toContain("Line 3, Date the child became looked after: 31/02/2025 is not a real date\n");
    expect(await casesOf(auditId)).toEqual([]);

    const good = cli(["--audit", String(auditId), "tests/fixtures/case-lists/import-good.csv"]);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain(`Imported 3 cases into audit ${auditId}\n`);
    expect(await casesOf(auditId)).toHaveLength(3);
  }, 120_000);
});
