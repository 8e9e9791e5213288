/**
 * Downloads of one audit: a CSV of every case × criterion answer, and an Excel workbook with the
 * summary, compliance by service and by criterion, and the same raw answers.
 *
 * The figures come from the one scoring module (auditResults → rollUp, and caseAnswers for each
 * row), so they match the results page exactly. Every text cell is neutralised
 * (app/lib/spreadsheet.ts) so a note such as "=HYPERLINK(…)" cannot run as a formula.
 *
 * Who gets what (checked by the route, decided here by `caseLevel`): roles with `viewCases`
 * get the case-level answers, notes and case details; a manager (viewResults only) gets the
 * workbook's figure sheets, with no "Raw answers" sheet and no notes, and no CSV at all.
 *
 * Each download is logged as an "export" event on the audit: the format and the number of rows,
 * never any case data.
 */
import { stringify } from "csv-stringify/sync";
import { AUDIT_STATUS_LABELS } from "~/lib/audit-status";
import { caseAnswers, formatPercent, RAG_LABELS, type CaseAnswer, type Figure } from "~/lib/scoring";
import { csvCell, safeCell, type CellValue } from "~/lib/spreadsheet";
import { bandFor, type AnswerDetail } from "~/schemas/answer";
import { allCriteria, type Criterion, type Template } from "~/schemas/template";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import type { AuditWithTemplate } from "./audits.server";
import { listCasesForScoring } from "./cases.server";
import { auditResults } from "./results.server";

export type ExportFormat = "csv" | "xlsx";

export const ANSWER_SOURCES = {
  auditor: "auditor",
  rule: "date rule",
  notApplicable: "not applicable from case details",
  moderation: "agreed after moderation",
} as const;

/** The raw-answer columns before the template's own case fields. */
const LEADING_HEADINGS = ["Audit", "Case reference", "Service", "Team", "Case type"];
/** The raw-answer columns after the case fields. */
const TRAILING_HEADINGS = ["Section", "Criterion id", "Question", "Answer", "Answer source", "Note", "Measure detail"];

/** "audit-12-lac-iha-v2.csv" (the template key is a slug, so the name is always safe). */
export function exportFileName(audit: Pick<AuditWithTemplate, "id" | "templateKey" | "templateVersion">, format: ExportFormat): string {
  return `audit-${audit.id}-${audit.templateKey}-v${audit.templateVersion}.${format}`;
}

// ---- Raw answers: one row per case × criterion ----------------------------------------------

/** A case field's stored value as a reader wants it: dates as ISO, choices as their labels, Yes/No. */
function fieldText(field: Template["caseFields"][number], value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  if (field.type === "choice") return field.options.find((o) => o.value === value)?.label ?? value;
  if (field.type === "yes_no") return value === "yes" ? "Yes" : value === "no" ? "No" : value;
  return value;
}

/** What a criterion's measure recorded, in words, as the case page shows it. */
export function measureText(c: Pick<Criterion, "measure">, detailJson: string | null): string {
  const m = c.measure;
  if (!m || !detailJson) return "";
  let d: AnswerDetail;
  try {
    d = JSON.parse(detailJson) as AnswerDetail;
  } catch {
    return "";
  }
  if (m.type === "choice" && "choice" in d) return `${m.label}: ${m.options.find((o) => o.value === d.choice)?.label ?? d.choice}`;
  if (m.type === "number" && "number" in d) {
    const band = bandFor(m, d.number);
    return `${m.label}: ${d.number}${band ? ` (${band})` : ""}`;
  }
  if (m.type === "ratio" && "numerator" in d) return `${m.numeratorLabel}: ${d.numerator} of ${d.denominator}`;
  return "";
}

function answerSource(criterion: Pick<Criterion, "rule">, a: CaseAnswer, agreed: boolean): string {
  if (a.answer === "na" && a.applicability?.applicable === false) return ANSWER_SOURCES.notApplicable;
  if (criterion.rule) return ANSWER_SOURCES.rule;
  if (a.answer === null) return "";
  return agreed ? ANSWER_SOURCES.moderation : ANSWER_SOURCES.auditor;
}

export type RawAnswers = { headings: string[]; rows: string[][] };

/**
 * Every case × criterion of the audit's scored cases (in the sample, not excluded), in case
 * reference then template order. Plain text, not yet neutralised. The answer is the one scoring
 * uses (met, partial, not_met, na), blank when unanswered or undetermined.
 */
export async function rawAnswers(db: Db, audit: AuditWithTemplate, asOf: string): Promise<RawAnswers> {
  const t = audit.template;
  const criteria = allCriteria(t);
  const sectionTitle = new Map(t.sections.map((s) => [s.id, s.title]));
  const cases = await listCasesForScoring(db, audit.id);
  // Notes and measure details as recorded, and which answers were settled at moderation.
  const stored = await db
    .selectFrom("answers")
    .innerJoin("cases", "cases.id", "answers.case_id")
    .select(["answers.case_id", "answers.criterion_id", "answers.note", "answers.detail"])
    .where("cases.audit_id", "=", audit.id)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .execute();
  const agreed = await db
    .selectFrom("agreed_answers")
    .innerJoin("cases", "cases.id", "agreed_answers.case_id")
    .select(["agreed_answers.case_id", "agreed_answers.criterion_id"])
    .where("cases.audit_id", "=", audit.id)
    .where("cases.in_sample", "=", 1)
    .where("cases.excluded_at", "is", null)
    .execute();
  const key = (caseId: number, criterionId: string) => `${caseId}\u0000${criterionId}`;
  const storedBy = new Map(stored.map((s) => [key(s.case_id, s.criterion_id), s]));
  const agreedSet = new Set(agreed.map((a) => key(a.case_id, a.criterion_id)));

  const headings = [...LEADING_HEADINGS, ...t.caseFields.map((f) => f.label), ...TRAILING_HEADINGS];
  const rows: string[][] = [];
  for (const c of cases) {
    const answers = caseAnswers(t, c, asOf, audit.settingValues);
    const lead = [audit.title, c.caseRef, c.serviceName, c.teamName ?? "", c.caseType, ...t.caseFields.map((f) => fieldText(f, c.fields[f.id]))];
    for (const criterion of criteria) {
      const a = answers[criterion.id];
      const s = storedBy.get(key(c.id, criterion.id));
      rows.push([
        ...lead,
        sectionTitle.get(criterion.sectionId) ?? criterion.sectionId,
        criterion.id,
        criterion.question,
        a.answer ?? "",
        answerSource(criterion, a, agreedSet.has(key(c.id, criterion.id))),
        s?.note ?? "",
        measureText(criterion, s?.detail ?? null),
      ]);
    }
  }
  return { headings, rows };
}

/** CSV, UTF-8 with a BOM (so Excel reads it as UTF-8) and Windows line ends; every cell neutralised. */
export function rawAnswersCsv(raw: RawAnswers): string {
  return stringify([raw.headings, ...raw.rows].map((r) => r.map(csvCell)), { bom: true, record_delimiter: "windows" });
}

// ---- The workbook -----------------------------------------------------------------------------

export const FIGURE_HEADINGS = ["Compliance (%)", "Numerator", "Denominator", "RAG", "Met", "Partially met", "Not met", "Not applicable", "Not yet answered or determined"];

/**
 * A figure as cells: the percentage rounded to one decimal place exactly as the results page
 * shows it (a number, or "No applicable cases"), then the numbers and the RAG label.
 */
export function figureCells(f: Figure): CellValue[] {
  const percent = f.percent === null ? "No applicable cases" : Number(formatPercent(f.percent).replace("%", ""));
  return [percent, f.numerator, f.denominator, f.rag ? RAG_LABELS[f.rag] : "", f.met, f.partial, f.notMet, f.na, f.unanswered];
}

type Sheet = { name: string; rows: CellValue[][]; widths: number[]; headingRows: number[] };

async function workbookBytes(sheets: Sheet[]): Promise<ArrayBuffer> {
  const mod = await import("exceljs");
  const ExcelJS = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Safeguarding case-file audit";
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.name);
    for (const row of s.rows) sheet.addRow(row.map(safeCell));
    for (const r of s.headingRows) sheet.getRow(r).font = { bold: true };
    if (s.headingRows[0] === 1) sheet.views = [{ state: "frozen", ySplit: 1 }];
    s.widths.forEach((w, i) => {
      sheet.getColumn(i + 1).width = w;
    });
  }
  const buffer = new Uint8Array(await workbook.xlsx.writeBuffer());
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

const FIGURE_WIDTHS = [14, 11, 12, 8, 7, 13, 8, 14, 16];

function summarySheet(audit: AuditWithTemplate, results: Awaited<ReturnType<typeof auditResults>>, caseLevel: boolean): Sheet {
  const t = audit.template;
  const rows: CellValue[][] = [
    ["Audit", audit.title],
    ["Audit number", audit.id],
    ["Template", `${t.title}, version ${audit.templateVersion}`],
    ["Template key", audit.templateKey],
    ["Period start", audit.period_start],
    ["Period end", audit.period_end],
    ["Status", AUDIT_STATUS_LABELS[audit.status]],
    ["Services", audit.services.map((s) => s.name).join("; ")],
    ["Cases scored", results.caseCount],
    ["Date rules judged as of", results.asOf],
    ["Partially met counts as", t.partialCredit],
    ["RAG thresholds", `Green at ${t.rag.green}% or more, amber at ${t.rag.amber}% or more, red below ${t.rag.amber}%`],
    ["Exported at (UTC)", nowIso()],
  ];
  if (!caseLevel) rows.push(["Case-level answers", "Not included: your role sees results only, without case answers or notes."]);
  rows.push([]);
  const headingRow = rows.length + 1;
  rows.push(["", ...FIGURE_HEADINGS], ["Overall", ...figureCells(results.rollup.overall)]);
  return { name: "Summary", rows, widths: [26, 40, ...FIGURE_WIDTHS.slice(1)], headingRows: [headingRow] };
}

/** The workbook's sheets: Summary, By service, By criterion, and (case level only) Raw answers. */
export function workbookSheets(audit: AuditWithTemplate, results: Awaited<ReturnType<typeof auditResults>>, raw: RawAnswers | null): Sheet[] {
  const { rollup } = results;
  const sectionTitle = new Map(audit.template.sections.map((s) => [s.id, s.title]));
  const sheets: Sheet[] = [
    summarySheet(audit, results, raw !== null),
    {
      name: "By service",
      rows: [["Service", ...FIGURE_HEADINGS], ...rollup.byService.map((s) => [s.serviceName, ...figureCells(s)])],
      widths: [30, ...FIGURE_WIDTHS],
      headingRows: [1],
    },
    {
      name: "By criterion",
      rows: [
        ["Section", "Criterion id", "Question", ...FIGURE_HEADINGS],
        ...rollup.byCriterion.map((c) => [sectionTitle.get(c.sectionId) ?? c.sectionId, c.criterionId, c.question, ...figureCells(c)]),
      ],
      widths: [24, 24, 60, ...FIGURE_WIDTHS],
      headingRows: [1],
    },
  ];
  if (raw) sheets.push({ name: "Raw answers", rows: [raw.headings, ...raw.rows], widths: raw.headings.map((h) => (h === "Question" || h === "Note" ? 50 : 18)), headingRows: [1] });
  return sheets;
}

// ---- The download -----------------------------------------------------------------------------

export type AuditExport = { fileName: string; contentType: string; body: string | ArrayBuffer; rows: number };

/**
 * Builds the download and logs it. `caseLevel` is true only for roles with `viewCases`; the
 * CSV is case level by nature, so the route must not ask for it without (this refuses it too).
 */
export async function exportAudit(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, opts: { format: ExportFormat; caseLevel: boolean }, request?: Request): Promise<AuditExport> {
  const { format, caseLevel } = opts;
  if (format === "csv" && !caseLevel) throw new Response("You do not have permission to download case-level answers.", { status: 403, statusText: "Forbidden" });
  const results = await auditResults(db, audit);
  const raw = caseLevel ? await rawAnswers(db, audit, results.asOf) : null;
  let out: AuditExport;
  if (format === "csv") {
    out = { fileName: exportFileName(audit, "csv"), contentType: "text/csv; charset=utf-8", body: rawAnswersCsv(raw!), rows: raw!.rows.length };
  } else {
    const sheets = workbookSheets(audit, results, raw);
    out = {
      fileName: exportFileName(audit, "xlsx"),
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      body: await workbookBytes(sheets),
      rows: raw?.rows.length ?? 0,
    };
  }
  await logEvent(db, {
    actor,
    action: "export",
    entity: "audit",
    entityId: audit.id,
    after: { format, rows: out.rows, caseLevel },
    request,
  });
  return out;
}

