/**
 * Importing a case list (CSV or Excel) into an audit's population, for the import page and the
 * `import-cases` command alike: the upload kept until the user confirms, the column choices
 * (remembered per template), the check of every row with the same rules as a case added by hand,
 * and the import itself in one transaction.
 *
 * Identifiers: a case reference column that looks like NHS numbers or names is refused unless
 * the user asks for pseudonymous references, made with the keyed HMAC in
 * app/utils/pseudonymise.server.ts. The identifier itself is never stored in a case, never
 * logged, and the uploaded file (which holds it) is deleted when the import is done, or after
 * a day if it is abandoned.
 */
import { stringify } from "csv-stringify/sync";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import {
  findHeader,
  formatFileSize,
  looksLikeNames,
  looksLikeNhsNumbers,
  MAX_CASE_LIST_BYTES,
  normaliseHeader,
  parseCaseList,
  parseUkDate,
  type CaseListResult,
} from "~/lib/case-list";
import { formatDate, todayInLondon } from "~/lib/dates";
import { formDataToObject, type FieldErrors } from "~/lib/form-data";
import { neutraliseCell } from "~/lib/spreadsheet";
import { NOT_IN_FILE, selectColumnMessage, type ColumnChoices, type ImportTarget } from "~/schemas/case-import";
import { caseSchema, type CaseInput } from "~/schemas/case";
import { isoToParts } from "~/schemas/fields";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import { csrfTokenMatches } from "~/utils/csrf.server";
import type { Db } from "~/utils/db.server";
import { loadPseudonymKey, pseudonymise } from "~/utils/pseudonymise.server";
import { nowIso } from "~/utils/time.server";
import { caseFormContext, type AuditWithTemplate } from "./audits.server";

export type CaseListTable = Extract<CaseListResult, { ok: true }>;
export type CaseListFile = { name: string; bytes: Uint8Array };

/** Uploads waiting for confirmation are deleted after this long. */
export const PENDING_IMPORT_HOURS = 24;
/** How many rows the preview shows as they will be stored. */
export const PREVIEW_ROWS = 10;
/** How many problems the preview lists (the page would get too long, and the rest are in the rejected rows download). */
export const PROBLEMS_SHOWN = 200;

// ---------------------------------------------------------------------------------------------
// The file

/** The largest case list accepted: 20 MB, or less when CASE_LIST_MAX_BYTES says so (it cannot raise it). */
export function caseListMaxBytes(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.CASE_LIST_MAX_BYTES);
  return Number.isSafeInteger(n) && n > 0 ? Math.min(n, MAX_CASE_LIST_BYTES) : MAX_CASE_LIST_BYTES;
}

/** The limit as the upload page's hint says it: "20 MB". */
export const caseListMaxSize = () => formatFileSize(caseListMaxBytes());

export const tooBigMessage = (maxBytes: number) => `The selected file must be smaller than ${formatFileSize(maxBytes)}`;
export const NO_FILE_MESSAGE = "Select a CSV or Excel file";

const FORBIDDEN = () =>
  new Response("This form has expired or did not come from this service. Go back, refresh the page and try again.", { status: 403, statusText: "Forbidden" });
const UNREADABLE = () => new Response("The form could not be read. Go back and try again.", { status: 400 });

/**
 * Reads the upload form (multipart, field "file"), holding at most `maxBytes` of the file in
 * memory. The CSRF field is checked exactly as `readForm` does, including when the file is too
 * big (the token comes before the file in the form, so it has been read by then).
 * Returns the file, or the message for the file field, with the form's text fields (read even
 * when the file is too big, as they come before it) and the file's name.
 */
export async function readCaseListUpload(
  request: Request,
  maxBytes: number,
): Promise<({ ok: true; file: CaseListFile } | { ok: false; message: string }) & { texts: FormData; fileName: string | null }> {
  const texts = new FormData();
  const fileHandler = unstable_createMemoryUploadHandler({ maxPartSize: maxBytes });
  const textHandler = unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 });
  let tooBig = false;
  let fileName: string | null = null;
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) {
      const value = await textHandler(part);
      if (typeof value === "string") texts.append(part.name, value);
      return value;
    }
    if (part.name === "file" && part.filename) fileName = part.filename;
    try {
      return await fileHandler(part);
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) tooBig = true;
      throw error;
    }
  };
  let form: FormData | undefined;
  try {
    form = await unstable_parseMultipartFormData(request, handler);
  } catch {
    // A part over its limit stops the reading; anything else is a form we cannot read.
    if (!tooBig) throw UNREADABLE();
  }
  if (!csrfTokenMatches(request, form ?? texts)) throw FORBIDDEN();
  if (tooBig || !form) return { ok: false, message: tooBigMessage(maxBytes), texts, fileName };
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) return { ok: false, message: NO_FILE_MESSAGE, texts, fileName: null };
  return { ok: true, file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, texts, fileName: file.name };
}

/** Reads a case list with the app's size limit. Never throws for a bad file: see `parseCaseList`. */
export function readCaseList(file: CaseListFile, maxBytes = caseListMaxBytes()): Promise<CaseListResult> {
  return parseCaseList(file, { maxBytes });
}

function expiryCutoff() {
  return new Date(Date.now() - PENDING_IMPORT_HOURS * 60 * 60 * 1000).toISOString();
}

/**
 * Keeps an upload until the user confirms the import. Replaces the user's earlier uploads for
 * this audit, and deletes anyone's uploads older than a day (they hold identifiers).
 */
export async function storePendingImport(db: Db, user: { id: number }, auditId: number, file: CaseListFile): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom("pending_imports").where("created_at", "<", expiryCutoff()).execute();
    await trx.deleteFrom("pending_imports").where("audit_id", "=", auditId).where("user_id", "=", user.id).execute();
    const row = await trx
      .insertInto("pending_imports")
      .values({
        audit_id: auditId,
        user_id: user.id,
        file_name: file.name.slice(0, 255),
        content: Buffer.from(file.bytes).toString("base64"),
        created_at: nowIso(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The user's own upload for this audit, if it has not expired. */
export async function getPendingImport(db: Db, user: { id: number }, auditId: number, id: number): Promise<(CaseListFile & { id: number }) | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const row = await db
    .selectFrom("pending_imports")
    .select(["id", "file_name", "content"])
    .where("id", "=", id)
    .where("audit_id", "=", auditId)
    .where("user_id", "=", user.id)
    .where("created_at", ">=", expiryCutoff())
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, name: row.file_name, bytes: new Uint8Array(Buffer.from(row.content, "base64")) };
}

// ---------------------------------------------------------------------------------------------
// Column choices

/** Which column holds what; null when it is not in the file. Stored as JSON in column_mappings. */
export type ColumnMapping = {
  caseRef: string | null;
  service: string | null;
  team: string | null;
  caseType: string | null;
  fields: Record<string, string | null>;
  /** Make a pseudonymous reference from the case reference column (it holds NHS numbers or other identifiers). */
  pseudonymise: boolean;
};

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const listNames = (names: string[]) => names.join(", ");

/** What the import looks for in a file, in the order the column-choice page asks for it. */
export function importTargets(audit: AuditWithTemplate): ImportTarget[] {
  const single = audit.services.length === 1 ? audit.services[0] : undefined;
  const firstType = audit.template.caseTypes[0];
  return [
    { name: "caseRef", label: "Case reference", required: true },
    {
      name: "service",
      label: "Service",
      required: !single,
      hint: single ? `If not in the file, every case is in ${single.name}` : `The service's name: ${listNames(audit.services.map((s) => s.name))}`,
    },
    // Only asked when a service in scope has teams: otherwise there is nothing to match a team to.
    ...(audit.teams.length > 0 ? [{ name: "team", label: "Team", required: false, hint: "The team's name, within the case's service" }] : []),
    // Only asked when there is a choice: a file's own "case type" column would not match a single type.
    ...(audit.template.caseTypes.length > 1 ? [{ name: "caseType", label: "Case type", required: false, hint: `If not in the file, every case is ${firstType}` }] : []),
    ...audit.template.caseFields.map((f) => ({ name: `fields.${f.id}`, label: f.label, required: f.required, hint: f.hint })),
  ];
}

const AUTOMATIC: Record<string, string[]> = {
  caseRef: ["case reference", "case ref", "caseref", "reference", "ref", "case id", "case number", "case no", "local reference", "local ref"],
  service: ["service", "service name"],
  team: ["team", "team name"],
  caseType: ["case type", "type"],
};

function emptyMapping(audit: AuditWithTemplate): ColumnMapping {
  return {
    caseRef: null,
    service: null,
    team: null,
    caseType: null,
    fields: Object.fromEntries(audit.template.caseFields.map((f) => [f.id, null])),
    pseudonymise: false,
  };
}

/** Columns found by their headings alone: "Case ref", "SERVICE", "date_of_birth", "Date of birth"… */
export function automaticMapping(audit: AuditWithTemplate, headers: string[]): ColumnMapping {
  const m = emptyMapping(audit);
  m.caseRef = findHeader(headers, AUTOMATIC.caseRef) ?? null;
  m.service = findHeader(headers, AUTOMATIC.service) ?? null;
  m.team = audit.teams.length > 0 ? (findHeader(headers, AUTOMATIC.team) ?? null) : null;
  m.caseType = audit.template.caseTypes.length > 1 ? (findHeader(headers, AUTOMATIC.caseType) ?? null) : null;
  for (const f of audit.template.caseFields) m.fields[f.id] = findHeader(headers, [f.id, f.label]) ?? null;
  return m;
}

function parseMapping(json: string): Partial<ColumnMapping> | null {
  try {
    const v = JSON.parse(json);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/** The choices made at the last import for this template, if any. */
export async function rememberedMapping(db: Db, templateKey: string): Promise<Partial<ColumnMapping> | null> {
  const row = await db.selectFrom("column_mappings").select("mapping").where("template_key", "=", templateKey).executeTakeFirst();
  return row ? parseMapping(row.mapping) : null;
}

/**
 * The columns to suggest for a file: each choice remembered from the last import for this
 * template when the file has that heading (in any case and spacing), otherwise the heading
 * match. Pseudonymising is remembered with the case reference column it applied to.
 */
export async function suggestedMapping(db: Db, audit: AuditWithTemplate, headers: string[]): Promise<ColumnMapping> {
  const auto = automaticMapping(audit, headers);
  const saved = await rememberedMapping(db, audit.templateKey);
  if (!saved) return auto;
  const pick = (remembered: unknown, fallback: string | null) =>
    typeof remembered === "string" && remembered ? (findHeader(headers, [remembered]) ?? fallback) : fallback;
  const savedRef = typeof saved.caseRef === "string" ? findHeader(headers, [saved.caseRef]) : undefined;
  const fields = (saved.fields && typeof saved.fields === "object" ? saved.fields : {}) as Record<string, unknown>;
  return {
    caseRef: savedRef ?? auto.caseRef,
    service: pick(saved.service, auto.service),
    team: audit.teams.length > 0 ? pick(saved.team, auto.team) : null,
    caseType: audit.template.caseTypes.length > 1 ? pick(saved.caseType, auto.caseType) : null,
    fields: Object.fromEntries(audit.template.caseFields.map((f) => [f.id, pick(fields[f.id], auto.fields[f.id])])),
    pseudonymise: Boolean(savedRef && saved.pseudonymise === true),
  };
}

/** The form's choices ("" for "Not in the file") as a mapping. */
export function choicesToMapping(audit: AuditWithTemplate, c: ColumnChoices): ColumnMapping {
  const col = (v: string | undefined) => (v && v !== NOT_IN_FILE ? v : null);
  return {
    caseRef: col(c.caseRef),
    service: col(c.service),
    team: col(c.team),
    caseType: col(c.caseType),
    fields: Object.fromEntries(audit.template.caseFields.map((f) => [f.id, col(c.fields?.[f.id])])),
    pseudonymise: c.pseudonymise,
  };
}

/** A mapping as the column-choice form's values (also the confirm form's hidden fields). */
export function mappingToChoices(m: ColumnMapping): ColumnChoices {
  const v = (x: string | null) => x ?? NOT_IN_FILE;
  return {
    caseRef: v(m.caseRef),
    service: v(m.service),
    team: v(m.team),
    caseType: v(m.caseType),
    fields: Object.fromEntries(Object.entries(m.fields).map(([k, x]) => [k, v(x)])),
    pseudonymise: m.pseudonymise,
  };
}

export const NHS_NUMBER_COLUMN_MESSAGE =
  "The case reference column looks like NHS numbers. Choose 'make a pseudonymous reference' or map a column of local references";
export const NAMES_COLUMN_MESSAGE =
  "The case reference column looks like people's names. Map a column of local references, or choose 'make a pseudonymous reference' if it holds identifiers";

/**
 * Whether the columns chosen can be imported, as messages by form field: the case reference
 * (and the service, when the audit has more than one) and every required case field need a
 * column; a case reference column of NHS numbers or names needs pseudonymising.
 */
export function mappingProblems(audit: AuditWithTemplate, table: CaseListTable, m: ColumnMapping): FieldErrors {
  const errors: FieldErrors = {};
  const chosen: Record<string, string | null> = {
    caseRef: m.caseRef,
    service: m.service,
    team: m.team,
    caseType: m.caseType,
    ...Object.fromEntries(Object.entries(m.fields).map(([k, v]) => [`fields.${k}`, v])),
  };
  for (const t of importTargets(audit)) {
    const heading = chosen[t.name] ?? null;
    if (heading !== null && !table.headers.includes(heading)) errors[t.name] = `The file has no column called "${heading}". Select a column from the list`;
    else if (heading === null && t.required) errors[t.name] = selectColumnMessage(t.label);
  }
  if (m.caseRef && !errors.caseRef && !m.pseudonymise) {
    const values = table.rows.map((r) => r.values[m.caseRef!] ?? "");
    if (looksLikeNhsNumbers(values)) errors.caseRef = NHS_NUMBER_COLUMN_MESSAGE;
    else if (looksLikeNames(values)) errors.caseRef = NAMES_COLUMN_MESSAGE;
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Checking the rows

export type ImportProblem = {
  line: number;
  /** The file's column heading, when the problem is in one column. */
  column: string | null;
  message: string;
  /** "Line 14, Date the child became looked after: 31/02/2025 is not a real date". */
  text: string;
};

type RowResult = { line: number; values: Record<string, string>; input: CaseInput | null; problems: ImportProblem[] };

export type ImportAnalysis = {
  fileType: CaseListTable["type"];
  total: number;
  rows: RowResult[];
  valid: { line: number; input: CaseInput }[];
  problems: ImportProblem[];
};

let pseudonymKey: Buffer | undefined;
/** Read once per process: the key file or PSEUDONYM_KEY (see app/utils/pseudonymise.server.ts). */
function cachedPseudonymKey() {
  pseudonymKey ??= loadPseudonymKey();
  return pseudonymKey;
}

const same = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");
const YES = new Set(["yes", "y", "true"]);
const NO = new Set(["no", "n", "false"]);

function dateProblem(text: string): string {
  if (/^\d{1,2}([/.-])\d{1,2}\1\d{2}$/.test(text)) return `${text} has a 2-digit year. Write the year in full, for example 01/12/2025`;
  if (/^\d{1,2}([/.-])\d{1,2}\1\d{4}\b/.test(text) || /^\d{4}-\d{2}-\d{2}\b/.test(text)) return `${text} is not a real date`;
  return `${text} is not a date. Write dates as day/month/year, for example 01/12/2025`;
}

/**
 * Checks every row exactly as a case added on the page is checked: each value is turned into
 * what the case form would post (a UK or ISO date into day, month and year; a choice matched
 * by value or label; yes/no from yes, y, true, no, n or false; the service and team matched by
 * name) and then run through `caseSchema`. Also finds case references used twice in the file
 * or already in the audit.
 */
export function analyseCaseList(
  audit: AuditWithTemplate,
  table: CaseListTable,
  m: ColumnMapping,
  existingRefs: ReadonlySet<string>,
  today = todayInLondon(),
): ImportAnalysis {
  const ctx = caseFormContext(audit, today);
  const schema = caseSchema(ctx);
  const where = table.type === "xlsx" ? "Row" : "Line";
  const whereLower = where.toLowerCase();
  const key = m.pseudonymise ? cachedPseudonymKey() : undefined;
  const defaultType = audit.template.caseTypes[0] ?? "";
  const onlyService = audit.services.length === 1 ? audit.services[0] : undefined;
  const serviceNames = listNames(audit.services.map((s) => s.name));
  const firstLine = new Map<string, number>();
  // Columns the column-choice page does not ask for (see importTargets) are ignored.
  const teamColumn = audit.teams.length > 0 ? m.team : null;
  const typeColumn = audit.template.caseTypes.length > 1 ? m.caseType : null;

  const rows: RowResult[] = table.rows.map((row) => {
    const problems: ImportProblem[] = [];
    const flagged = new Set<string>();
    const add = (path: string | null, column: string | null, message: string) => {
      if (path) flagged.add(path);
      problems.push({ line: row.line, column, message, text: `${where} ${row.line}${column ? `, ${column}` : ""}: ${message}` });
    };
    const cell = (heading: string | null) => (heading ? (row.values[heading] ?? "").trim() : "");

    const rawRef = cell(m.caseRef);
    // The identifier goes no further than this line: only its pseudonym is kept.
    const caseRef = key && rawRef !== "" ? pseudonymise(key, rawRef) : rawRef;

    let serviceId = "";
    let serviceName = "";
    if (m.service) {
      const v = cell(m.service);
      const found = audit.services.find((s) => same(s.name) === same(v));
      if (found) [serviceId, serviceName] = [String(found.id), found.name];
      else if (v === "") add("serviceId", m.service, `this is blank. Enter one of: ${serviceNames}`);
      else add("serviceId", m.service, `${v} is not a service in this audit. Use one of: ${serviceNames}`);
    } else if (onlyService) {
      [serviceId, serviceName] = [String(onlyService.id), onlyService.name];
    }

    let teamId = "";
    const teamText = cell(teamColumn);
    if (teamColumn && teamText !== "" && serviceId) {
      const teams = audit.teams.filter((t) => String(t.serviceId) === serviceId);
      const found = teams.find((t) => same(t.name) === same(teamText));
      if (found) teamId = String(found.id);
      else if (teams.length === 0) add("teamId", teamColumn, `${serviceName} has no teams in this app. Leave the team blank`);
      else add("teamId", teamColumn, `${teamText} is not a team of ${serviceName}. Use one of: ${listNames(teams.map((t) => t.name))}, or leave it blank`);
    }

    let caseType = defaultType;
    const typeText = cell(typeColumn);
    if (typeColumn && typeText !== "") {
      const found = audit.template.caseTypes.find((t) => same(t) === same(typeText));
      if (found) caseType = found;
      else add("caseType", typeColumn, `${typeText} is not a case type of this audit's template. Use one of: ${listNames(audit.template.caseTypes)}`);
    }

    const fields: Record<string, unknown> = {};
    for (const f of audit.template.caseFields) {
      const heading = m.fields[f.id] ?? null;
      const v = cell(heading);
      const path = `fields.${f.id}`;
      if (v === "") {
        fields[f.id] = f.type === "date" ? {} : "";
        continue;
      }
      if (f.type === "date") {
        const iso = parseUkDate(v);
        if (iso) fields[f.id] = isoToParts(iso);
        else add(path, heading, dateProblem(v));
      } else if (f.type === "choice") {
        const option = f.options.find((o) => same(o.value) === same(v) || same(o.label) === same(v));
        if (option) fields[f.id] = option.value;
        else add(path, heading, `${v} is not one of the options. Use one of: ${listNames(f.options.map((o) => o.label))}`);
      } else {
        const answer = YES.has(same(v)) ? "yes" : NO.has(same(v)) ? "no" : null;
        if (answer) fields[f.id] = answer;
        else add(path, heading, `${v} is not yes or no. Write yes or no`);
      }
    }

    const result = schema.safeParse({ caseRef, serviceId, teamId, caseType, fields });
    let input: CaseInput | null = null;
    if (result.success) {
      input = result.data as CaseInput;
    } else {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String).join(".");
        if (flagged.has(path)) continue;
        flagged.add(path);
        const heading =
          path === "caseRef" ? m.caseRef : path === "serviceId" ? m.service : path === "teamId" ? m.team : path === "caseType" ? m.caseType : (m.fields[path.slice("fields.".length)] ?? null);
        const field = ctx.caseFields.find((f) => `fields.${f.id}` === path);
        const v = cell(heading);
        // The form's messages, said about the cell: "Enter the date of birth" becomes "this is
        // blank. Enter the date of birth"; "Date of birth must be today or in the past" becomes
        // "03/04/2030 must be today or in the past". A case reference is never repeated back.
        let message: string;
        if (field?.type === "choice" && v === "") message = `this is blank. Enter one of: ${listNames(field.options.map((o) => o.label))}`;
        else if (field?.type === "yes_no" && v === "") message = "this is blank. Write yes or no";
        else if (v === "") message = `this is blank. ${issue.message}`;
        else if (field && issue.message.startsWith(field.label)) message = `${v}${issue.message.slice(field.label.length)}`;
        else message = lowerFirst(issue.message);
        add(null, heading, message);
      }
    }

    const ref = input?.caseRef ?? (caseRef && !flagged.has("caseRef") ? caseRef.trim().toUpperCase() : null);
    if (ref) {
      const earlier = firstLine.get(ref);
      if (earlier !== undefined) add(null, null, `case reference ${ref} is also on ${whereLower} ${earlier}`);
      else {
        firstLine.set(ref, row.line);
        if (existingRefs.has(ref)) add(null, null, `case reference ${ref} is already in this audit`);
      }
    }
    return { line: row.line, values: row.values, input: problems.length === 0 ? input : null, problems };
  });

  return {
    fileType: table.type,
    total: rows.length,
    rows,
    valid: rows.filter((r) => r.input).map((r) => ({ line: r.line, input: r.input! })),
    problems: rows.flatMap((r) => r.problems),
  };
}

async function existingRefs(db: Db, auditId: number): Promise<Set<string>> {
  const rows = await db.selectFrom("cases").select("case_ref").where("audit_id", "=", auditId).execute();
  return new Set(rows.map((r) => r.case_ref));
}

/** A case as the preview shows it: the reference as stored, names, dates written out, option labels. */
export type PreviewRow = { line: number; caseRef: string; service: string; team: string; caseType: string; fields: Record<string, string> };

export type ImportPreview = {
  fileName: string;
  fileType: CaseListTable["type"];
  total: number;
  validCount: number;
  rejectedCount: number;
  rows: PreviewRow[];
  /** The case fields shown in the preview (those with a column). */
  columns: { id: string; label: string }[];
  /** The first PROBLEMS_SHOWN problems; the rejected rows download has them all. */
  problems: ImportProblem[];
  problemCount: number;
};

/** A checked row of an imported file as a `cases` row (the case import's population, or an imported historical audit's sample). */
export function importedCaseRow(auditId: number, input: CaseInput, actorId: number, now: string, { inSample }: { inSample: boolean }) {
  return {
    audit_id: auditId,
    case_ref: input.caseRef,
    service_id: input.serviceId,
    team_id: input.teamId,
    case_type: input.caseType,
    fields: JSON.stringify(input.fields),
    created_by: actorId,
    created_at: now,
    updated_at: now,
    in_sample: inSample ? 1 : 0,
    origin: "import" as const,
  };
}

function previewRow(audit: AuditWithTemplate, line: number, input: CaseInput): PreviewRow {
  const fields: Record<string, string> = {};
  for (const f of audit.template.caseFields) {
    const v = input.fields[f.id];
    if (v === null || v === undefined || v === "") fields[f.id] = "";
    else if (f.type === "date") fields[f.id] = formatDate(v);
    else if (f.type === "choice") fields[f.id] = f.options.find((o) => o.value === v)?.label ?? v;
    else fields[f.id] = v === "yes" ? "Yes" : "No";
  }
  return {
    line,
    caseRef: input.caseRef,
    service: audit.services.find((s) => s.id === input.serviceId)?.name ?? "",
    team: audit.teams.find((t) => t.id === input.teamId)?.name ?? "",
    caseType: input.caseType,
    fields,
  };
}

export function toPreview(audit: AuditWithTemplate, fileName: string, m: ColumnMapping, analysis: ImportAnalysis): ImportPreview {
  return {
    fileName,
    fileType: analysis.fileType,
    total: analysis.total,
    validCount: analysis.valid.length,
    rejectedCount: analysis.total - analysis.valid.length,
    rows: analysis.valid.slice(0, PREVIEW_ROWS).map((r) => previewRow(audit, r.line, r.input)),
    columns: audit.template.caseFields.filter((f) => m.fields[f.id]).map((f) => ({ id: f.id, label: f.label })),
    problems: analysis.problems.slice(0, PROBLEMS_SHOWN),
    problemCount: analysis.problems.length,
  };
}

/** Every row checked against the audit as it is now. The caller has checked `mappingProblems`. */
export async function previewImport(db: Db, audit: AuditWithTemplate, file: { name: string }, table: CaseListTable, m: ColumnMapping): Promise<ImportPreview> {
  return toPreview(audit, file.name, m, analyseCaseList(audit, table, m, await existingRefs(db, audit.id)));
}

// ---------------------------------------------------------------------------------------------
// Rejected rows

/** The rows with problems, with the file's own columns and a `reason` column, as CSV (UTF-8 with BOM, for Excel). */
export function rejectedRowsCsv(table: CaseListTable, analysis: ImportAnalysis): string {
  const reasonHeading = table.headers.some((h) => normaliseHeader(h) === "reason") ? "import problem" : "reason";
  const records = [
    [...table.headers, reasonHeading],
    ...analysis.rows
      .filter((r) => r.problems.length > 0)
      .map((r) => [...table.headers.map((h) => r.values[h] ?? ""), r.problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join("; ")]),
  ];
  return stringify(records.map((rec) => rec.map(neutraliseCell)), { bom: true, record_delimiter: "windows" });
}

/** "children in care.xlsx" → "children in care-rejected-rows.csv", with only safe characters. */
export function rejectedFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9 _.-]/g, "").trim().slice(0, 80) || "case-list";
  return `${base}-rejected-rows.csv`;
}

/** The rejected rows of an upload, checked as the preview checked them. */
export async function rejectedRowsFor(db: Db, audit: AuditWithTemplate, table: CaseListTable, m: ColumnMapping): Promise<string> {
  return rejectedRowsCsv(table, analyseCaseList(audit, table, m, await existingRefs(db, audit.id)));
}

// ---------------------------------------------------------------------------------------------
// The import

export type ImportOutcome =
  | { ok: true; imported: number; rejected: number; problems: ImportProblem[] }
  | { ok: false; reason: "problems" | "nothing-valid"; analysis: ImportAnalysis };

const INSERT_CHUNK = 200;

/**
 * Imports the checked rows into the audit's population (in_sample 0, origin "import"), all in
 * one transaction; the rows are checked again inside it, so a case added meanwhile is caught.
 * Unless `validOnly`, nothing is written when any row has a problem. Remembers the columns for
 * the template, deletes the user's upload (it holds any identifiers), and logs one "import"
 * event on the audit with the counts, file name and columns. No per-case "create" events: the
 * cases carry origin "import", created_by and created_at, which the import event explains.
 */
export async function importCaseList(
  db: Db,
  actor: NonNullable<Actor>,
  audit: AuditWithTemplate,
  file: { name: string },
  table: CaseListTable,
  m: ColumnMapping,
  { validOnly = false, request, via = "page" }: { validOnly?: boolean; request?: Request; via?: "page" | "command line" } = {},
): Promise<ImportOutcome> {
  return db.transaction().execute(async (trx) => {
    const analysis = analyseCaseList(audit, table, m, await existingRefs(trx, audit.id));
    if (analysis.problems.length > 0 && !validOnly) return { ok: false, reason: "problems", analysis };
    if (analysis.valid.length === 0) return { ok: false, reason: "nothing-valid", analysis };
    const now = nowIso();
    for (let i = 0; i < analysis.valid.length; i += INSERT_CHUNK) {
      await trx
        .insertInto("cases")
        .values(
          analysis.valid.slice(i, i + INSERT_CHUNK).map(({ input }) => importedCaseRow(audit.id, input, actor.id, now, { inSample: false })),
        )
        .execute();
    }
    const mapping = JSON.stringify(m);
    await trx
      .insertInto("column_mappings")
      .values({ template_key: audit.templateKey, mapping, updated_by: actor.id, updated_at: now })
      .onConflict((oc) => oc.column("template_key").doUpdateSet({ mapping, updated_by: actor.id, updated_at: now }))
      .execute();
    await trx.deleteFrom("pending_imports").where("audit_id", "=", audit.id).where("user_id", "=", actor.id).execute();
    await trx.deleteFrom("pending_imports").where("created_at", "<", expiryCutoff()).execute();
    const rejected = analysis.total - analysis.valid.length;
    await logEvent(trx, {
      actor,
      action: "import",
      entity: "audit",
      entityId: audit.id,
      after: { fileName: file.name, via, rows: analysis.total, imported: analysis.valid.length, rejected, validOnly, columns: m },
      request,
    });
    return { ok: true, imported: analysis.valid.length, rejected, problems: analysis.problems };
  });
}

// ---------------------------------------------------------------------------------------------
// For the import pages

export const UPLOAD_EXPIRED_MESSAGE = `The file you uploaded is no longer available (uploads are kept for ${PENDING_IMPORT_HOURS} hours). Upload it again`;

/** The user's upload for this audit, read again; or the message for the upload page's file field. */
export async function openPendingImport(
  db: Db,
  user: { id: number },
  audit: AuditWithTemplate,
  id: number,
): Promise<{ ok: true; file: CaseListFile & { id: number }; table: CaseListTable } | { ok: false; message: string }> {
  const file = await getPendingImport(db, user, audit.id, id);
  if (!file) return { ok: false, message: UPLOAD_EXPIRED_MESSAGE };
  const table = await readCaseList(file);
  if (!table.ok) return { ok: false, message: table.message };
  return { ok: true, file, table };
}

/** What the column-choice form's schema is built from (sent to the browser too). */
export function columnChoiceContext(audit: AuditWithTemplate, table: CaseListTable) {
  return { targets: importTargets(audit), headings: table.headers };
}

/** URL search parameters as the object a posted form would give (for `columnChoiceSchema`). */
export function searchToValues(search: URLSearchParams): Record<string, unknown> {
  const form = new FormData();
  for (const [k, v] of search) form.append(k, v);
  return formDataToObject(form);
}
