/**
 * Importing historical results (issue #5): a long-format file of answers given in an audit done
 * before the app (one row per case × criterion) becomes a COMPLETED audit, so trends start on
 * day one. Used by `npm run cli -- import-results` (app/cli/import-results.ts) and the
 * administrators' page, Administration → Import historical results (app/routes/admin.import-results.tsx).
 *
 * Columns: case_ref, service, team, case_type, criterion_id, answer, note, plus any of the
 * template's case fields (by id or label). The case fields are optional here, because the
 * answers were already given; otherwise each case is checked exactly as the case import checks
 * a row (`analyseCaseList`, with the same messages: "Line 14, service: …").
 *
 * Every answer in the file stands as recorded:
 * - ordinary criteria: stored in `answers` (with an override reason where the case's details
 *   would make the criterion "not applicable", so the recorded answer is the one scored);
 * - date-rule criteria: stored in `answers` and, as the answer that stands, in
 *   `agreed_answers` with the reason "Imported historical result" (`caseAnswers` in
 *   app/lib/scoring.ts lets a settled answer stand for a rule criterion).
 *
 * All in one transaction: on any problem nothing is written (services, teams and the provider
 * created with `createMissing` included) and every problem is returned.
 */
import { ANSWERS, isAnswer, type Answer } from "~/lib/answers";
import { evaluateApplicability } from "~/lib/applicability";
import { findHeader, parseUkDate } from "~/lib/case-list";
import { compareIso, todayInLondon } from "~/lib/dates";
import { CREATE_MISSING_LABEL, PROVIDER_MESSAGE } from "~/schemas/history-import";
import { allCriteria } from "~/schemas/template";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { getAudit, type AuditWithTemplate } from "./audits.server";
import { analyseCaseList, importedCaseRow, type CaseListTable, type ColumnMapping } from "./case-import.server";
import { currentSettings } from "./settings.server";
import { getTemplateVersionByKey, type TemplateVersion } from "./templates.server";
import { refreshAuditResults } from "./stored-results.server";

/** The reason stored with a date-rule criterion's imported answer (in agreed_answers) and with an override. */
export const IMPORTED_REASON = "Imported historical result";

export type HistoryImportOptions = {
  /** "<key>@<version>", e.g. "lac-iha@2". */
  template: string;
  title: string;
  /** "<start>..<end>", each a UK (dd/mm/yyyy) or ISO date. */
  period: string;
  /** Create services and teams that are not in the app, under `provider` (created if needed). */
  createMissing?: boolean;
  provider?: string | null;
  /** For the audit log. */
  fileName?: string;
  /** Where the import came from: the messages name the page's fields or the command's options. */
  via?: "page" | "command line";
  /** The page's request, for the audit log (address and browser). */
  request?: Request;
};

/** How a message tells the user to give an option, on the page or on the command line. */
const HOW = {
  "command line": {
    provider: 'Name the provider with --provider "<name>"',
    createMissing: 'import with --create-missing --provider "<name>"',
    needProvider: 'Give the provider to create missing services under with --provider "<name>"',
    templates: " (see npm run cli -- templates:check)",
  },
  page: {
    provider: "Enter the provider's name in “Provider name”",
    createMissing: `tick “${CREATE_MISSING_LABEL}” and enter the provider`,
    needProvider: PROVIDER_MESSAGE,
    templates: "",
  },
} as const;

export type HistoryImportOutcome =
  | {
      ok: true;
      auditId: number;
      cases: number;
      answers: number;
      services: string[];
      created: { provider: string | null; services: string[]; teams: string[] };
    }
  | { ok: false; problems: string[] };

/** "lac-iha@2" → { key, version }, or the message. */
export function parseTemplateRef(text: string): { key: string; version: number } | string {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)@(\d+)\s*$/.exec(text ?? "");
  if (!m || Number(m[2]) <= 0) return `Template must be given as <key>@<version>, for example lac-iha@1 (got "${text ?? ""}")`;
  return { key: m[1], version: Number(m[2]) };
}

/** "01/04/2024..30/06/2024" (or ISO dates) → { start, end } as ISO dates, or the message. */
export function parsePeriod(text: string, today = todayInLondon()): { start: string; end: string } | string {
  const parts = (text ?? "").split("..");
  if (parts.length !== 2) return `Period must be given as <start>..<end>, for example 01/04/2024..30/06/2024 (got "${text ?? ""}")`;
  const [start, end] = parts.map((p) => parseUkDate(p.trim()));
  if (!start) return `Period start ${parts[0].trim() || "(blank)"} is not a real date. Write dates as day/month/year, for example 01/04/2024`;
  if (!end) return `Period end ${parts[1].trim() || "(blank)"} is not a real date. Write dates as day/month/year, for example 30/06/2024`;
  if (compareIso(end, start) < 0) return "Period end must be the same as or after the period start";
  if (compareIso(end, today) > 0) return "Period end must be today or in the past: only finished audits can be imported";
  return { start, end };
}

const same = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");
const list = (xs: string[]) => xs.join(", ");

/** Thrown inside the transaction to undo everything when there are problems. */
class Rollback extends Error {
  constructor(readonly problems: string[]) {
    super("rolled back");
  }
}

type Columns = {
  caseRef: string;
  service: string;
  team: string | null;
  caseType: string | null;
  criterion: string;
  answer: string;
  note: string | null;
  fields: Record<string, string | null>;
};

const COLUMN_NAMES = {
  caseRef: ["case_ref", "case reference"],
  service: ["service"],
  team: ["team"],
  caseType: ["case_type"],
  criterion: ["criterion_id", "criterion"],
  answer: ["answer"],
  note: ["note", "notes"],
};

function findColumns(table: CaseListTable, tv: TemplateVersion): Columns | string[] {
  const problems: string[] = [];
  const need = (names: string[]) => {
    const h = findHeader(table.headers, names);
    if (!h) problems.push(`The file has no ${names[0]} column. The first row must hold the column headings: case_ref, service, team, case_type, criterion_id, answer, note`);
    return h ?? "";
  };
  const cols: Columns = {
    caseRef: need(COLUMN_NAMES.caseRef),
    service: need(COLUMN_NAMES.service),
    team: findHeader(table.headers, COLUMN_NAMES.team) ?? null,
    caseType: findHeader(table.headers, COLUMN_NAMES.caseType) ?? null,
    criterion: need(COLUMN_NAMES.criterion),
    answer: need(COLUMN_NAMES.answer),
    note: findHeader(table.headers, COLUMN_NAMES.note) ?? null,
    fields: Object.fromEntries(tv.template.caseFields.map((f) => [f.id, findHeader(table.headers, [f.id, f.label]) ?? null])),
  };
  const known = new Set([cols.caseRef, cols.service, cols.team, cols.caseType, cols.criterion, cols.answer, cols.note, ...Object.values(cols.fields)].filter(Boolean));
  const fieldNames = tv.template.caseFields.map((f) => f.id);
  for (const h of table.headers) {
    if (!known.has(h)) {
      problems.push(
        `Column "${h}" is not one the import knows. Use case_ref, service, team, case_type, criterion_id, answer, note` +
          (fieldNames.length ? ` or a case field of the template (${list(fieldNames)})` : "") +
          ", or delete the column",
      );
    }
  }
  return problems.length ? problems : cols;
}

/**
 * Creates the completed audit from the file, or returns every problem (nothing written).
 * `actor` is the administrator importing (created_by, answered_by, settled_by).
 */
export async function importHistoricalResults(
  db: Db,
  actor: NonNullable<Actor>,
  table: CaseListTable,
  options: HistoryImportOptions,
  today = todayInLondon(),
): Promise<HistoryImportOutcome> {
  // --- The options
  const how = HOW[options.via ?? "command line"];
  const problems: string[] = [];
  const title = (options.title ?? "").trim();
  if (!title) problems.push("Enter a title for the audit");
  else if (title.length > 150) problems.push("Title must be 150 characters or less");
  const period = parsePeriod(options.period, today);
  if (typeof period === "string") problems.push(period);
  const ref = parseTemplateRef(options.template);
  let tv: TemplateVersion | undefined;
  if (typeof ref === "string") problems.push(ref);
  else {
    tv = await getTemplateVersionByKey(db, ref.key, ref.version);
    if (!tv) {
      const versions = await db.selectFrom("template_versions").select("version").where("key", "=", ref.key).orderBy("version").execute();
      problems.push(
        versions.length
          ? `Template ${ref.key} has no version ${ref.version}. Its versions are: ${list(versions.map((v) => String(v.version)))}`
          : `There is no template ${ref.key}. Use the key of a published template${how.templates}`,
      );
    }
  }
  const providerName = (options.provider ?? "").trim();
  if (options.createMissing && !providerName) problems.push(how.needProvider);
  if (!tv) return { ok: false, problems };
  const template = tv.template;

  const cols = findColumns(table, tv);
  if (Array.isArray(cols)) return { ok: false, problems: [...problems, ...cols] };
  if (problems.length) return { ok: false, problems };
  const { start, end } = period as { start: string; end: string };

  const where = table.type === "xlsx" ? "Row" : "Line";
  const cell = (values: Record<string, string>, heading: string | null) => (heading ? (values[heading] ?? "").trim() : "");
  const at = (line: number, column: string | null, message: string) => `${where} ${line}${column ? `, ${column}` : ""}: ${message}`;

  try {
    return await db.transaction().execute(async (trx) => {
      const now = nowIso();
      const rowProblems: { line: number; text: string }[] = [];
      const add = (line: number, column: string | null, message: string) => rowProblems.push({ line, text: at(line, column, message) });

      // --- Group the rows by case (the reference as it will be stored), merging case-level values.
      type CaseGroup = { ref: string; first: number; values: Record<string, string>; lines: number[] };
      const groups = new Map<string, CaseGroup>();
      const caseColumns = [cols.service, cols.team, cols.caseType, ...Object.values(cols.fields)].filter((h): h is string => Boolean(h));
      for (const row of table.rows) {
        const raw = cell(row.values, cols.caseRef);
        const key = raw.toUpperCase() || `\u0000blank-${row.line}`;
        const g = groups.get(key);
        if (!g) {
          groups.set(key, { ref: raw, first: row.line, values: { ...row.values }, lines: [row.line] });
          continue;
        }
        g.lines.push(row.line);
        for (const h of caseColumns) {
          const v = cell(row.values, h);
          if (v === "") continue;
          const earlier = cell(g.values, h);
          if (earlier === "") g.values[h] = v;
          else if (same(earlier) !== same(v)) add(row.line, h, `${v} is not the same as on line ${g.first} (${earlier}) for case ${raw.toUpperCase()}. Give each case the same ${h} on every row`);
        }
      }

      // --- Services and teams, by name.
      const allServices = await trx
        .selectFrom("services")
        .innerJoin("providers", "providers.id", "services.provider_id")
        .select(["services.id", "services.name", "providers.id as provider_id", "providers.name as provider_name"])
        .execute();
      let provider: { id: number; name: string } | undefined;
      let createdProvider: string | null = null;
      const createdServices: string[] = [];
      const createdTeams: string[] = [];
      const ensureProvider = async () => {
        if (provider) return provider;
        const existing = (await trx.selectFrom("providers").select(["id", "name"]).execute()).find((p) => same(p.name) === same(providerName));
        if (existing) provider = existing;
        else {
          provider = await trx.insertInto("providers").values({ name: providerName, created_at: now, updated_at: now }).returning(["id", "name"]).executeTakeFirstOrThrow();
          createdProvider = provider.name;
        }
        return provider;
      };

      const serviceByName = new Map<string, { id: number; name: string }>();
      const firstLineOf = new Map<string, { line: number; text: string; others: number }>();
      for (const g of groups.values()) {
        const v = cell(g.values, cols.service);
        if (v === "") continue; // reported by the case checks ("this is blank")
        const seen = firstLineOf.get(same(v));
        if (seen) seen.others += 1;
        else firstLineOf.set(same(v), { line: g.first, text: v, others: 0 });
      }
      for (const [name, { line, text, others }] of firstLineOf) {
        let matches = allServices.filter((s) => same(s.name) === name);
        if (matches.length > 1 && providerName) matches = matches.filter((s) => same(s.provider_name) === same(providerName));
        const also = others > 0 ? ` (also for ${others} more ${others === 1 ? "case" : "cases"})` : "";
        if (matches.length === 1) serviceByName.set(name, { id: matches[0].id, name: matches[0].name });
        else if (matches.length > 1) {
          add(line, cols.service, `${text} is a service of more than one provider (${list(matches.map((m) => m.provider_name))}). ${how.provider}${also}`);
        } else if (options.createMissing) {
          const p = await ensureProvider();
          const created = await trx.insertInto("services").values({ provider_id: p.id, name: text, created_at: now, updated_at: now }).returning(["id", "name"]).executeTakeFirstOrThrow();
          createdServices.push(created.name);
          serviceByName.set(name, created);
        } else {
          add(line, cols.service, `${text} is not a service in this app. Add it under the organisation first, or ${how.createMissing}${also}`);
        }
      }

      if (options.createMissing && cols.team) {
        const teamsSeen = new Set<string>();
        for (const g of groups.values()) {
          const service = serviceByName.get(same(cell(g.values, cols.service)));
          const teamText = cell(g.values, cols.team);
          if (!service || teamText === "" || teamsSeen.has(`${service.id}\u0000${same(teamText)}`)) continue;
          teamsSeen.add(`${service.id}\u0000${same(teamText)}`);
          const teams = await trx.selectFrom("teams").select(["id", "name"]).where("service_id", "=", service.id).execute();
          if (teams.some((t) => same(t.name) === same(teamText))) continue;
          await trx.insertInto("teams").values({ service_id: service.id, name: teamText, created_at: now, updated_at: now }).execute();
          createdTeams.push(`${teamText} (${service.name})`);
        }
      }

      // --- The audit (services in scope = those in the file), then the cases checked against it.
      const scope = [...new Map([...serviceByName.values()].map((s) => [s.id, s])).values()];
      const auditRow = await trx
        .insertInto("audits")
        .values({
          template_version_id: tv!.id,
          title,
          period_start: start,
          period_end: end,
          status: "complete",
          created_by: actor.id,
          completed_at: `${end}T23:59:59.999Z`,
          created_at: now,
          updated_at: now,
          settings: JSON.stringify(await currentSettings(trx)),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (scope.length) await trx.insertInto("audit_services").values(scope.map((s) => ({ audit_id: auditRow.id, service_id: s.id }))).execute();
      const audit = (await getAudit(trx, auditRow.id))!;
      // The case fields are optional here: the answers were already given.
      const relaxed: AuditWithTemplate = { ...audit, template: { ...template, caseFields: template.caseFields.map((f) => ({ ...f, required: false })) } };

      const mapping: ColumnMapping = { caseRef: cols.caseRef, service: cols.service, team: cols.team, caseType: cols.caseType, fields: cols.fields, pseudonymise: false };
      // Cases whose service could not be matched were reported above; check the rest as the case import does.
      const checked = [...groups.values()].filter((g) => cell(g.values, cols.service) === "" || serviceByName.has(same(cell(g.values, cols.service))));
      const analysis = analyseCaseList(relaxed, { ...table, rows: checked.map((g) => ({ line: g.first, values: g.values })) }, mapping, new Set(), today);
      for (const p of analysis.problems) rowProblems.push({ line: p.line, text: p.text });
      const inputByLine = new Map(analysis.valid.map((v) => [v.line, v.input]));

      // --- The answers.
      const criteria = new Map(allCriteria(template).map((c) => [c.id, c]));
      const criterionIds = [...criteria.keys()];
      const answerLine = new Map<string, number>();
      const answers: { group: CaseGroup; criterionId: string; answer: Answer; note: string | null }[] = [];
      const groupOfLine = new Map<number, CaseGroup>();
      for (const g of groups.values()) for (const l of g.lines) groupOfLine.set(l, g);
      for (const row of table.rows) {
        const g = groupOfLine.get(row.line)!;
        const criterionText = cell(row.values, cols.criterion);
        const answerText = cell(row.values, cols.answer).toLowerCase();
        const criterion = criteria.get(criterionText) ?? [...criteria.values()].find((c) => c.id.toLowerCase() === criterionText.toLowerCase());
        if (criterionText === "") add(row.line, cols.criterion, `this is blank. Enter the id of one of the template's criteria: ${list(criterionIds)}`);
        else if (!criterion) add(row.line, cols.criterion, `${criterionText} is not a criterion of ${tv!.key} version ${tv!.version}. Use one of: ${list(criterionIds)}`);
        let answer: Answer | null = null;
        if (answerText === "") add(row.line, cols.answer, `this is blank. Enter one of: ${list([...ANSWERS])}`);
        else if (!isAnswer(answerText)) add(row.line, cols.answer, `${cell(row.values, cols.answer)} is not an answer. Use one of: ${list([...ANSWERS])}`);
        else if (criterion && !(criterion.answers ?? template.answers).includes(answerText)) {
          add(row.line, cols.answer, `${answerText} is not an answer criterion ${criterion.id} allows. Use one of: ${list(criterion.answers ?? template.answers)}`);
        } else answer = answerText;
        const note = cell(row.values, cols.note);
        if (note.length > 2000) add(row.line, cols.note, "Note must be 2000 characters or less");
        if (criterion && g.ref !== "") {
          const k = `${g.ref.toUpperCase()}\u0000${criterion.id}`;
          const earlier = answerLine.get(k);
          if (earlier !== undefined) add(row.line, null, `case ${g.ref.toUpperCase()} already has an answer to criterion ${criterion.id} on ${where.toLowerCase()} ${earlier}. Give each case one row per criterion`);
          else answerLine.set(k, row.line);
        }
        if (criterion && answer) answers.push({ group: g, criterionId: criterion.id, answer, note: note || null });
      }

      if (rowProblems.length) throw new Rollback(rowProblems.sort((a, b) => a.line - b.line).map((p) => p.text));

      // --- Write: cases in the sample, their answers, and the rule criteria's answers as agreed answers.
      const caseIds = new Map<CaseGroup, number>();
      for (const g of groups.values()) {
        const input = inputByLine.get(g.first)!;
        const row = await trx
          .insertInto("cases")
          .values(importedCaseRow(audit.id, input, actor.id, now, { inSample: true }))
          .returning("id")
          .executeTakeFirstOrThrow();
        caseIds.set(g, row.id);
      }
      const answerRows = answers.map((a) => {
        const criterion = criteria.get(a.criterionId)!;
        const input = inputByLine.get(a.group.first)!;
        const ruledOut = !criterion.rule && a.answer !== "na" && evaluateApplicability(criterion.applicableWhen, input.fields, template.caseFields).applicable === false;
        return {
          case_id: caseIds.get(a.group)!,
          criterion_id: a.criterionId,
          answer: a.answer,
          note: a.note,
          answered_by: actor.id,
          answered_at: now,
          detail: null,
          override_reason: ruledOut ? IMPORTED_REASON : null,
        };
      });
      for (let i = 0; i < answerRows.length; i += 200) await trx.insertInto("answers").values(answerRows.slice(i, i + 200)).execute();
      const agreedRows = answers
        .filter((a) => criteria.get(a.criterionId)!.rule)
        .map((a) => ({ case_id: caseIds.get(a.group)!, criterion_id: a.criterionId, answer: a.answer, reason: IMPORTED_REASON, settled_by: actor.id, settled_at: now }));
      for (let i = 0; i < agreedRows.length; i += 200) await trx.insertInto("agreed_answers").values(agreedRows.slice(i, i + 200)).execute();
      await refreshAuditResults(trx, audit.id);

      const created = { provider: createdProvider, services: createdServices, teams: createdTeams };
      await logEvent(trx, {
        actor,
        action: "import-results",
        entity: "audit",
        entityId: audit.id,
        after: {
          fileName: options.fileName ?? null,
          via: options.via ?? "command line",
          template: `${tv!.key}@${tv!.version}`,
          title,
          period: { start, end },
          rows: table.rows.length,
          cases: groups.size,
          answers: answerRows.length,
          ruleAnswers: agreedRows.length,
          services: scope.map((s) => s.name),
          created,
        },
        request: options.request,
      });
      return { ok: true as const, auditId: audit.id, cases: groups.size, answers: answerRows.length, services: scope.map((s) => s.name), created };
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, problems: error.problems };
    throw error;
  }
}
