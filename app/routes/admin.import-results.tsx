/**
 * Import historical results (issue #5), for administrators: the page version of
 * `npm run cli -- import-results` (app/cli/import-results.ts). One form posted as
 * multipart/form-data: the file (CSV or Excel, read by `readCaseList` as the command does), the
 * template version, title and period, and whether to create missing services and teams under a
 * provider. `importHistoricalResults` checks every row and writes nothing on any problem; the
 * problems are listed by line and column. On success: the new, completed audit's page.
 *
 * The form is GovForm (react-hook-form + the shared zod schema in the browser, the same schema in
 * the action). GovForm posts url-encoded, so the submit button carries
 * formEncType="multipart/form-data": browsers without JavaScript honour it, and Remix's submit
 * reads it from the button too. The text fields come before the file in the form, so they are
 * read (and kept) even when the file is too big and the reading stops at it.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { Checkboxes, DateInput, GovForm, Select, TextInput } from "~/components/form";
import { FileUpload } from "~/components/file-upload";
import { BackLink } from "~/components/ui";
import { todayInLondon } from "~/lib/dates";
import type { FieldErrors } from "~/lib/form-data";
import { caseListMaxBytes, caseListMaxSize, NO_FILE_MESSAGE, PROBLEMS_SHOWN, readCaseList, readCaseListUpload, type CaseListTable } from "~/models/case-import.server";
import { importHistoricalResults } from "~/models/history-import.server";
import { listLatestTemplates, listTemplateVersions } from "~/models/templates.server";
import { CREATE_MISSING_LABEL, historyImportSchema, PROVIDER_MESSAGE, type HistoryImportInput } from "~/schemas/history-import";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import type { Db } from "~/utils/db.server";
import { parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Import historical results – Safeguarding case-file audit" }];

/** Every published version of every template, "Title (version N)", newest version first within a template. */
async function templateOptions(db: Db) {
  const latest = await listLatestTemplates(db);
  const versions = (await Promise.all(latest.map((t) => listTemplateVersions(db, t.key)))).flat();
  return versions.map((v) => ({ value: `${v.key}@${v.version}`, label: `${v.title} (version ${v.version})` }));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageOrganisation");
  return { templates: await templateOptions(db), today: todayInLondon(), maxSize: caseListMaxSize() };
}

// ---------------------------------------------------------------------------------------------
// The action

/** A problem in the file: its line (or row, for Excel) and column when it has them. */
export type FileProblem = { line: number | null; column: string | null; message: string };

type ActionData = {
  errors: FieldErrors;
  values: Record<string, unknown>;
  /** The name of the file posted, if any: the page asks for it again. */
  fileName: string | null;
  /** "Line" or "Row", as the problems are numbered. */
  where: "Line" | "Row";
  problems: FileProblem[];
  problemCount: number;
};

const isMultipart = (request: Request) => (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");

/** "Line 3, criterion_id: nosuch is not…" → { line: 3, column: "criterion_id", message: "nosuch is not…" }, using the file's headings. */
function splitProblem(text: string, table: CaseListTable): FileProblem {
  const where = table.type === "xlsx" ? "Row" : "Line";
  const m = new RegExp(`^${where} (\\d+)(,|:) `).exec(text);
  if (!m) return { line: null, column: null, message: text };
  const line = Number(m[1]);
  const rest = text.slice(m[0].length);
  if (m[2] === ":") return { line, column: null, message: rest };
  // Longest heading first, so "date of birth" is not taken for "date".
  const heading = [...table.headers].sort((a, b) => b.length - a.length).find((h) => rest.startsWith(`${h}: `));
  if (heading) return { line, column: heading, message: rest.slice(heading.length + 2) };
  const colon = rest.indexOf(": ");
  return colon > 0 ? { line, column: rest.slice(0, colon), message: rest.slice(colon + 2) } : { line, column: null, message: rest };
}

/** The problems about the form's own fields (the schema finds them first; this is the model's copy of the same checks). */
function fieldOf(message: string): keyof HistoryImportInput | null {
  if (/^(Enter a title|Title )/.test(message)) return "title";
  if (/^Period start/.test(message)) return "periodStart";
  if (/^Period (end|must)/.test(message)) return "periodEnd";
  if (/^(Template |There is no template)/.test(message)) return "template";
  if (message === PROVIDER_MESSAGE) return "provider";
  return null;
}

function failed(body: Omit<ActionData, "where" | "problems" | "problemCount"> & Partial<ActionData>) {
  return data<ActionData>({ where: "Line", problems: [], problemCount: 0, ...body }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageOrganisation");
  const ctx = { today: todayInLondon(), templates: (await templateOptions(db)).map((t) => t.value) };
  const maxBytes = caseListMaxBytes();

  // A url-encoded post (no file can come with it) is answered as a form without a file.
  const upload = isMultipart(request)
    ? await readCaseListUpload(request, maxBytes)
    : { ok: false as const, message: NO_FILE_MESSAGE, texts: await readForm(request), fileName: null };
  const parsed = parseForm(historyImportSchema(ctx), upload.texts, { arrays: ["createMissing"] });
  const values = parsed.values;

  let fileError = upload.ok ? null : upload.message;
  let table: CaseListTable | null = null;
  if (upload.ok) {
    const read = await readCaseList(upload.file, maxBytes);
    if (read.ok) table = read;
    else fileError = read.message;
  }
  if (!parsed.ok || fileError || !table) {
    const errors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors) };
    if (fileError) errors.file = fileError;
    return failed({ errors, values, fileName: upload.fileName });
  }

  const input = parsed.data;
  const outcome = await importHistoricalResults(db, user, table, {
    template: input.template,
    title: input.title,
    period: `${input.periodStart}..${input.periodEnd}`,
    createMissing: input.createMissing,
    // Also names the provider when a service's name belongs to more than one provider.
    provider: input.provider || null,
    fileName: upload.fileName ?? undefined,
    via: "page",
    request,
  });
  if (outcome.ok) return redirect(`/audits/${outcome.auditId}?done=results-imported`);

  const errors: FieldErrors = {};
  const problems: FileProblem[] = [];
  for (const text of outcome.problems) {
    const field = fieldOf(text);
    if (field) errors[field] ??= text;
    else problems.push(splitProblem(text, table));
  }
  if (problems.length) {
    errors.problems = `Nothing was imported because the file has ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}. Fix ${problems.length === 1 ? "it" : "them"} and choose the file again`;
  }
  return failed({
    errors,
    values,
    fileName: upload.fileName,
    where: table.type === "xlsx" ? "Row" : "Line",
    problems: problems.slice(0, PROBLEMS_SHOWN),
    problemCount: problems.length,
  });
}

// ---------------------------------------------------------------------------------------------
// The page

export default function ImportResults() {
  const { templates, today, maxSize } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const schema = useMemo(() => historyImportSchema({ today, templates: templates.map((t) => t.value) }), [today, templates]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });

  if (templates.length === 0) {
    return (
      <>
        <BackLink to="/admin">Back to administration</BackLink>
        <h1>Import historical results</h1>
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>No audit templates have been loaded. Add the template the audit used to the audit-templates folder first.</p>
        </div>
      </>
    );
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to="/admin">Back to administration</BackLink>
        <h1>Import historical results</h1>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          {actionData && actionData.problemCount > 0 && <Problems data={actionData} />}
          <p>Turn the results of an audit done before this app into a completed audit, so its results and trends include it from the start.</p>
          <Guidance />
          <Select name="template" label="Template version the audit used" placeholder="Choose a template version" options={templates} />
          <TextInput name="title" label="Audit title" hint="For example, LAC initial health assessments, April to June 2024" />
          <DateInput name="periodStart" legend="Start of the audit period" hint="For example, 1 4 2024" />
          <DateInput name="periodEnd" legend="End of the audit period" hint="Today or earlier: only a finished audit can be imported. For example, 30 6 2024" />
          <Checkboxes
            name="createMissing"
            legend="Services and teams"
            legendSize="s"
            hint="Services and teams in the file are matched to the app's by name. Without this, a service that is not in the app is a problem in the file."
            options={[{ value: "yes", label: CREATE_MISSING_LABEL }]}
          />
          <TextInput
            name="provider"
            label="Provider name"
            hint="Needed only when the box above is ticked: the provider the new services belong to (added if it is not in the app yet). It also says which provider's service is meant when two providers have a service of the same name."
          />
          <FileUpload label="Upload the file of results" maxSize={maxSize} error={actionData?.errors.file} chosenBefore={actionData?.fileName ?? null} />
          <button className="nhsuk-button" data-module="nhsuk-button" type="submit" formEncType="multipart/form-data">
            Import results
          </button>
        </GovForm>
      </div>
    </div>
  );
}

function Guidance() {
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">What the file must look like</span>
      </summary>
      <div className="nhsuk-details__text">
        <ul className="nhsuk-list nhsuk-list--bullet">
          <li>A CSV or Excel (.xlsx) file whose first row holds the column headings.</li>
          <li>
            One row per case and criterion, with the columns <code>case_ref</code>, <code>service</code>, <code>team</code>, <code>case_type</code>,{" "}
            <code>criterion_id</code>, <code>answer</code> and <code>note</code>. Columns for the template's case fields (such as the date of birth) may be added, by
            their id or label; they are optional.
          </li>
          <li>
            <code>answer</code> is <code>met</code>, <code>partial</code>, <code>not_met</code> or <code>na</code> (not applicable), and must be an answer the criterion
            allows. <code>criterion_id</code> is the id of one of the template version's criteria.
          </li>
          <li>Case references are pseudonymous: never a child's name or NHS number.</li>
        </ul>
        <p>
          Every answer in the file stands as recorded, date-rule criteria included: the app does not work them out again from the case's dates. The cases are the audit's
          sample and the audit is complete once imported.
        </p>
        <p>Every row is checked first. If any row has a problem, nothing is imported and every problem is listed with its line and column.</p>
      </div>
    </details>
  );
}

function Problems({ data: d }: { data: ActionData }): ReactNode {
  return (
    <>
      <h2 id="problems" tabIndex={-1}>
        {d.problemCount === 1 ? "The file has 1 problem" : `The file has ${d.problemCount} problems`}
      </h2>
      <p>Nothing was imported. Fix the file, then choose it again below.</p>
      <div style={{ overflowX: "auto" }} tabIndex={0} role="region" aria-label="Problems in the file">
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                {d.where}
              </th>
              <th scope="col" className="nhsuk-table__header">Column</th>
              <th scope="col" className="nhsuk-table__header">Problem</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.problems.map((p, i) => (
              <tr className="nhsuk-table__row" key={i}>
                <td className="nhsuk-table__cell">{p.line ?? "Whole file"}</td>
                <td className="nhsuk-table__cell">{p.column ?? ""}</td>
                <td className="nhsuk-table__cell">{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.problemCount > d.problems.length && <p>And {d.problemCount - d.problems.length} more problems. Fix these and import the file again to see the rest.</p>}
    </>
  );
}
