/**
 * Exports of one audit (/audits/:id/export): the CSV parsed back (one row per case × criterion,
 * case fields as labels, answer sources, notes, measure details), the workbook read back with
 * exceljs (sheet names, a hand-checked figure row, figures equal to the results page), a
 * malicious note neutralised in both formats, the manager's restrictions and the log entry.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as exportRoute from "~/routes/audits.$auditId.export";
import * as resultsPage from "~/routes/audits.$auditId.results";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import { formatPercent } from "~/lib/scoring";
import { allCriteria } from "~/schemas/template";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { callLoader, useTempDb } from "./helpers";
import { addCaseByHand, casesOf, createAudit, postAnswers, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;
let auditId: number;

const EVIL = '=HYPERLINK("http://evil.example","Click")';
const NEUTRALISED = `'${EVIL}`;

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) back into rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

const params = () => ({ auditId: String(auditId) });
const download = (format: string, cookie: string) => callLoader(exportRoute.loader, `/audits/${auditId}/export?format=${format}`, { cookie, params: params() });

/** The CSV's text with its byte-order mark kept (Response.text() would drop it). */
async function csvFor(cookie: string) {
  const request = new Request(`http://localhost/audits/${auditId}/export?format=csv`, { headers: { Cookie: cookie } });
  const response = (await exportRoute.loader({ request, params: params(), context: {} })) as Response;
  expect(response.status).toBe(200);
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
}

/** The route's response itself (callLoader turns bodies into text, which breaks XLSX bytes). */
async function workbookFor(cookie: string) {
  const request = new Request(`http://localhost/audits/${auditId}/export?format=xlsx`, { headers: { Cookie: cookie } });
  const response = (await exportRoute.loader({ request, params: params(), context: {} })) as Response;
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return { workbook, response };
}

function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : v))));
  return rows;
}

/** Answers every criterion the auditor answers with "met" (2 of 2 for ratios), leaving those the case details make "not applicable". */
async function scoreMet(caseId: number, extra: Record<string, string>, skip: string[] = []) {
  const page = await callLoader(casePage.loader, `/audits/${auditId}/cases/${caseId}`, { cookie: w.users.auditor.cookie, params: { auditId: String(auditId), caseId: String(caseId) } });
  const autoNa = new Set<string>(page.data.autoNa);
  const fields: Record<string, string> = {};
  for (const c of allCriteria(w.template).filter((k) => !k.rule && !autoNa.has(k.id) && !skip.includes(k.id))) {
    if (c.measure?.type === "ratio") Object.assign(fields, { [`answers.${c.id}.numerator`]: "2", [`answers.${c.id}.denominator`]: "2" });
    else fields[`answers.${c.id}.answer`] = "met";
  }
  const res = await postAnswers(w, auditId, caseId, { ...fields, ...extra });
  expect(res.data?.errors).toBeUndefined();
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
  auditId = await createAudit(w, "=Export audit");
  // EXP-1: care order, not UASC (so iha-uasc is "not applicable" from the details); EXP-3 in the other service.
  expect((await addCaseByHand(w, auditId, "EXP-1", { teamId: String(w.north), "fields.legal_status": "care_order", "fields.uasc": "no" })).status).toBe(302);
  expect((await addCaseByHand(w, auditId, "EXP-2")).status).toBe(302);
  expect((await addCaseByHand(w, auditId, "EXP-3", { serviceId: String(w.serviceB) })).status).toBe(302);
  const cases = await casesOf(db, auditId);
  // iha-birth-neonatal: EXP-1 not met (a malicious note), EXP-2 met, EXP-3 met by the auditor but agreed "not met" at moderation.
  // iha-care-context: EXP-1 met, EXP-2 partially met, EXP-3 met. EXP-2 leaves iha-qa-recorded unanswered.
  await scoreMet(cases.get("EXP-1")!.id, { "answers.iha-birth-neonatal.answer": "not_met", "answers.iha-birth-neonatal.note": EVIL });
  await scoreMet(cases.get("EXP-2")!.id, { "answers.iha-care-context.answer": "partial", "answers.iha-care-context.note": "Placement type missing" }, ["iha-qa-recorded"]);
  await scoreMet(cases.get("EXP-3")!.id, {});
  await db
    .insertInto("agreed_answers")
    .values({ case_id: cases.get("EXP-3")!.id, criterion_id: "iha-birth-neonatal", answer: "not_met", reason: "No neonatal history in the record", settled_by: w.users.reviewer.user.id, settled_at: nowIso() })
    .execute();
});

afterAll(async () => {
  await env.cleanup();
});

describe("CSV", () => {
  let rows: string[][];
  let heading: string[];
  const row = (ref: string, criterionId: string) => {
    const r = rows.find((x) => x[heading.indexOf("Case reference")] === ref && x[heading.indexOf("Criterion id")] === criterionId);
    expect(r).toBeDefined();
    return Object.fromEntries(heading.map((h, i) => [h, r![i]]));
  };

  beforeAll(async () => {
    const res = await download("csv", w.users.auditor.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="audit-${auditId}-lac-iha-v2.csv"`);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const text = await csvFor(w.users.auditor.cookie);
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text.slice(1)).toBe(String(res.data));
    [heading, ...rows] = parseCsv(text.slice(1));
  });

  it("has the headings, with every case field as its own column", () => {
    expect(heading).toEqual([
      "Audit",
      "Case reference",
      "Service",
      "Team",
      "Case type",
      ...w.template.caseFields.map((f) => f.label),
      "Section",
      "Criterion id",
      "Question",
      "Answer",
      "Answer source",
      "Note",
      "Measure detail",
    ]);
  });

  it("has one row per case × criterion, in case then template order", () => {
    const criteria = allCriteria(w.template);
    expect(rows).toHaveLength(3 * criteria.length);
    expect(rows.map((r) => r[1])).toEqual(["EXP-1", "EXP-2", "EXP-3"].flatMap((ref) => criteria.map(() => ref)));
    expect(rows.slice(0, criteria.length).map((r) => r[heading.indexOf("Criterion id")])).toEqual(criteria.map((c) => c.id));
  });

  it("writes the case's details: dates ISO, choices and yes/no as labels, blanks blank; the audit title neutralised", () => {
    const r = row("EXP-1", "iha-care-context");
    expect(r).toMatchObject({ Audit: "'=Export audit", Service: "LAC health team", Team: "North", "Case type": "LAC", "Date of birth": "2015-05-01", "Legal status": "Care order", "Unaccompanied asylum-seeking child": "No", Placement: "" });
    expect(row("EXP-3", "iha-care-context")).toMatchObject({ Service: "Health visiting", Team: "", "Legal status": "" });
    const assessment = w.template.sections.find((s) => s.id === "assessment")!;
    expect(r.Section).toBe(assessment.title);
    expect(r.Question).toBe(assessment.criteria.find((c) => c.id === "iha-care-context")!.question);
  });

  it("gives each answer and where it came from", () => {
    expect(row("EXP-1", "iha-care-context")).toMatchObject({ Answer: "met", "Answer source": "auditor", Note: "" });
    expect(row("EXP-2", "iha-care-context")).toMatchObject({ Answer: "partial", "Answer source": "auditor", Note: "Placement type missing" });
    expect(row("EXP-3", "iha-birth-neonatal")).toMatchObject({ Answer: "not_met", "Answer source": "agreed after moderation" });
    expect(row("EXP-2", "iha-birth-neonatal")).toMatchObject({ Answer: "met", "Answer source": "auditor" });
    expect(row("EXP-1", "iha-uasc")).toMatchObject({ Answer: "na", "Answer source": "not applicable from case details" });
    // The request date is not recorded and the due date has passed: the date rule says not met.
    expect(row("EXP-1", "iha-notified")).toMatchObject({ Answer: "not_met", "Answer source": "date rule" });
    // Not answered yet: blank answer, no source.
    expect(row("EXP-2", "iha-qa-recorded")).toMatchObject({ Answer: "", "Answer source": "", Note: "" });
    expect(row("EXP-1", "iha-qa-recorded")).toMatchObject({ Answer: "met", "Answer source": "auditor" });
    expect(row("EXP-1", "iha-timely")["Answer source"]).toBe("date rule");
    expect(["met", "partial", "not_met"]).toContain(row("EXP-1", "iha-timely").Answer);
  });

  it("writes the measure detail as the case page does", () => {
    const smart = allCriteria(w.template).find((c) => c.id === "hp-smart")!;
    expect(smart.measure?.type).toBe("ratio");
    expect(row("EXP-2", "hp-smart")).toMatchObject({ Answer: "met", "Measure detail": `${(smart.measure as { numeratorLabel: string }).numeratorLabel}: 2 of 2` });
    expect(row("EXP-2", "iha-care-context")["Measure detail"]).toBe("");
  });

  it("neutralises the malicious note", () => {
    expect(row("EXP-1", "iha-birth-neonatal")).toMatchObject({ Answer: "not_met", "Answer source": "auditor", Note: NEUTRALISED });
    expect(rows.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);
  });

  it("is the same for a reviewer and an administrator", async () => {
    for (const u of [w.users.reviewer, w.users.admin]) {
      const res = await download("csv", u.cookie);
      expect(res.status).toBe(200);
      expect(parseCsv(String(res.data))).toHaveLength(rows.length + 1);
    }
  });
});

describe("XLSX", () => {
  let workbook: ExcelJS.Workbook;
  let results: Awaited<ReturnType<typeof callLoader>>["data"];

  beforeAll(async () => {
    const got = await workbookFor(w.users.auditor.cookie);
    workbook = got.workbook;
    expect(got.response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(got.response.headers.get("Content-Disposition")).toBe(`attachment; filename="audit-${auditId}-lac-iha-v2.xlsx"`);
    expect(got.response.headers.get("Cache-Control")).toBe("no-store");
    results = (await callLoader(resultsPage.loader, `/audits/${auditId}/results`, { cookie: w.users.auditor.cookie, params: params() })).data;
  });

  const figure = (f: { percent: number | null; numerator: number; denominator: number; rag: string | null; met: number; partial: number; notMet: number; na: number; unanswered: number }) => [
    f.percent === null ? "No applicable cases" : Number(formatPercent(f.percent).slice(0, -1)),
    f.numerator,
    f.denominator,
    f.rag ? f.rag[0].toUpperCase() + f.rag.slice(1) : "",
    f.met,
    f.partial,
    f.notMet,
    f.na,
    f.unanswered,
  ];

  it("has the four sheets", () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Summary", "By service", "By criterion", "Raw answers"]);
  });

  it("By criterion: a hand-checked row, numbers kept numeric", () => {
    const rows = sheetRows(workbook.getWorksheet("By criterion")!);
    expect(rows[0]).toEqual(["Section", "Criterion id", "Question", "Compliance (%)", "Numerator", "Denominator", "RAG", "Met", "Partially met", "Not met", "Not applicable", "Not yet answered or determined"]);
    const assessment = w.template.sections.find((s) => s.id === "assessment")!;
    const question = (id: string) => assessment.criteria.find((c) => c.id === id)!.question;
    // Met in EXP-2 only; not met in EXP-1 and (agreed at moderation) EXP-3: 1 / 3 = 33.3%, red.
    expect(rows.find((r) => r[1] === "iha-birth-neonatal")).toEqual([assessment.title, "iha-birth-neonatal", question("iha-birth-neonatal"), 33.3, 1, 3, "Red", 1, 0, 2, 0, 0]);
    // Met, partially met (no credit in this template), met: 2 / 3 = 66.7%, red.
    expect(rows.find((r) => r[1] === "iha-care-context")).toEqual([assessment.title, "iha-care-context", question("iha-care-context"), 66.7, 2, 3, "Red", 2, 1, 0, 0, 0]);
    const sheet = workbook.getWorksheet("By criterion")!;
    const line = rows.findIndex((r) => r[1] === "iha-birth-neonatal") + 1;
    expect(sheet.getRow(line).getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getRow(line).getCell(5).type).toBe(ExcelJS.ValueType.Number);
  });

  it("By criterion, By service and the overall figure match the results page exactly", () => {
    const byCriterion = sheetRows(workbook.getWorksheet("By criterion")!).slice(1);
    expect(byCriterion.map((r) => r.slice(3))).toEqual(results.rollup.byCriterion.map(figure));
    expect(byCriterion.map((r) => r[1])).toEqual(results.rollup.byCriterion.map((c: { criterionId: string }) => c.criterionId));
    const byService = sheetRows(workbook.getWorksheet("By service")!);
    expect(byService[0][0]).toBe("Service");
    expect(byService.slice(1)).toEqual(results.rollup.byService.map((s: { serviceName: string } & Parameters<typeof figure>[0]) => [s.serviceName, ...figure(s)]));
    expect(byService.slice(1).map((r) => r[0])).toEqual(["Health visiting", "LAC health team"]);
    const summary = sheetRows(workbook.getWorksheet("Summary")!);
    expect(summary.find((r) => r[0] === "Overall")).toEqual(["Overall", ...figure(results.rollup.overall)]);
  });

  it("Summary: the audit's details, text neutralised", () => {
    const summary = new Map(sheetRows(workbook.getWorksheet("Summary")!).map((r) => [r[0], r[1]]));
    expect(summary.get("Audit")).toBe("'=Export audit");
    expect(summary.get("Audit number")).toBe(auditId);
    expect(summary.get("Template")).toBe(`${w.template.title}, version 2`);
    expect(summary.get("Period start")).toBe("2025-10-01");
    expect(summary.get("Period end")).toBe("2025-12-31");
    expect(summary.get("Cases scored")).toBe(3);
    expect(summary.get("Services")).toBe("Health visiting; LAC health team");
    expect(summary.has("Case-level answers")).toBe(false);
  });

  it("Raw answers: the CSV rows, the malicious note neutralised as text", async () => {
    const raw = sheetRows(workbook.getWorksheet("Raw answers")!);
    const csv = parseCsv((await csvFor(w.users.auditor.cookie)).slice(1));
    expect(raw).toEqual(csv);
    const noteCol = csv[0].indexOf("Note") + 1;
    const line = raw.findIndex((r) => r[noteCol - 1] === NEUTRALISED) + 1;
    expect(line).toBeGreaterThan(1);
    const cell = workbook.getWorksheet("Raw answers")!.getRow(line).getCell(noteCol);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(NEUTRALISED);
  });

  it("has no formula cell anywhere", () => {
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === "string") expect(cell.value).not.toMatch(/^[=+\-@\t\r]/);
        }),
      );
    }
  });
});

describe("who may download what", () => {
  it("a manager gets the workbook without Raw answers, notes or case references", async () => {
    const { workbook } = await workbookFor(w.users.manager.cookie);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Summary", "By service", "By criterion"]);
    const cells = workbook.worksheets.flatMap((s) => sheetRows(s).flat().map(String));
    expect(cells.some((c) => c.includes("HYPERLINK") || c.includes("Placement type missing") || c.includes("EXP-"))).toBe(false);
    const summary = new Map(sheetRows(workbook.getWorksheet("Summary")!).map((r) => [r[0], r[1]]));
    expect(summary.get("Case-level answers")).toMatch(/^Not included/);
  });

  it("a manager gets 403 for the CSV", async () => {
    const res = await download("csv", w.users.manager.cookie);
    expect(res.status).toBe(403);
    expect(String(res.data)).not.toContain("EXP-");
  });

  it("refuses an unknown format, an unknown audit, and signed-out visitors", async () => {
    expect((await download("pdf", w.users.auditor.cookie)).status).toBe(400);
    expect((await callLoader(exportRoute.loader, "/audits/99999/export?format=csv", { cookie: w.users.auditor.cookie, params: { auditId: "99999" } })).status).toBe(404);
    const anon = await callLoader(exportRoute.loader, `/audits/${auditId}/export?format=csv`, { params: params() });
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/sign-in/);
  });
});

describe("the audit log", () => {
  it("logs each download as an export on the audit: format and row count, no case data", async () => {
    const before = await db.selectFrom("audit_log").select("id").where("action", "=", "export").execute();
    await download("csv", w.users.reviewer.cookie);
    await workbookFor(w.users.manager.cookie);
    await download("csv", w.users.manager.cookie); // refused: not logged
    const logged = await db.selectFrom("audit_log").selectAll().where("action", "=", "export").orderBy("id").execute();
    const fresh = logged.slice(before.length);
    expect(fresh).toHaveLength(2);
    const rowCount = 3 * allCriteria(w.template).length;
    expect(fresh[0]).toMatchObject({ entity: "audit", entity_id: String(auditId), user_id: w.users.reviewer.user.id, before: null });
    expect(JSON.parse(fresh[0].after!)).toEqual({ format: "csv", rows: rowCount, caseLevel: true });
    expect(fresh[1]).toMatchObject({ entity: "audit", entity_id: String(auditId), user_id: w.users.manager.user.id });
    expect(JSON.parse(fresh[1].after!)).toEqual({ format: "xlsx", rows: 0, caseLevel: false });
    for (const e of fresh) expect(e.after).not.toMatch(/EXP-|HYPERLINK/);
  });
});
