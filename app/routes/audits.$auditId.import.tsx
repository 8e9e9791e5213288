/**
 * Import a case list into an audit's population, in three steps on one page:
 * 1. upload (CSV or Excel; `?file` absent): kept as a pending import, then on to step 2;
 * 2. choose the columns (`?file=<pending import id>`), pre-filled from the last import for
 *    the template or from the headings;
 * 3. check (the action's answer to step 2): the first rows as they will be stored and every
 *    problem; confirm to import them all, or only the valid ones.
 * The rejected rows download is audits.$auditId.import.rejected.tsx.
 */
import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, Checkboxes, CsrfInput, ErrorSummary, GovForm, Select } from "~/components/form";
import { BackLink, SummaryList } from "~/components/ui";
import { FileUpload } from "~/components/file-upload";
import type { FieldErrors } from "~/lib/form-data";
import { requireAudit, type AuditWithTemplate } from "~/models/audits.server";
import {
  caseListMaxBytes,
  caseListMaxSize,
  choicesToMapping,
  columnChoiceContext,
  importCaseList,
  mappingProblems,
  mappingToChoices,
  openPendingImport,
  previewImport,
  readCaseList,
  readCaseListUpload,
  searchToValues,
  storePendingImport,
  suggestedMapping,
  toPreview,
  type ImportPreview,
} from "~/models/case-import.server";
import { choicesToSearch, columnChoiceSchema, PSEUDONYMISE_LABEL, type ColumnChoiceContext, type ColumnChoices } from "~/schemas/case-import";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Import a case list – Safeguarding case-file audit" }];

async function load(request: Request, auditIdParam: string | undefined) {
  const { db, user } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, auditIdParam);
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so no cases can be imported into it.", { status: 403, statusText: "Forbidden" });
  return { db, user, audit };
}

const auditSummary = (audit: AuditWithTemplate) => ({ id: audit.id, title: audit.title, templateTitle: audit.template.title });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);
  const search = new URL(request.url).searchParams;
  const base = { audit: auditSummary(audit), maxSize: caseListMaxSize() };
  if (!search.has("file")) return { ...base, step: "upload" as const, uploadError: null };
  const opened = await openPendingImport(db, user, audit, Number(search.get("file")));
  if (!opened.ok) return { ...base, step: "upload" as const, uploadError: opened.message };
  const { file, table } = opened;
  // Back from the check step ("change the columns") the choices are in the URL.
  const values = search.has("caseRef") ? searchToValues(search) : null;
  const suggested = values ? null : mappingToChoices(await suggestedMapping(db, audit, table.headers));
  return {
    ...base,
    step: "columns" as const,
    uploadError: null,
    file: { id: file.id, name: file.name, rows: table.rows.length, type: table.type },
    ctx: columnChoiceContext(audit, table) as ColumnChoiceContext,
    values: values ?? { ...suggested, pseudonymise: suggested?.pseudonymise ? ["yes"] : [] },
  };
}

function isMultipart(request: Request) {
  return (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);

  if (isMultipart(request)) {
    const maxBytes = caseListMaxBytes();
    const upload = await readCaseListUpload(request, maxBytes);
    if (!upload.ok) return invalid({ file: upload.message }, {});
    const table = await readCaseList(upload.file, maxBytes);
    if (!table.ok) return invalid({ file: table.message }, {});
    const id = await storePendingImport(db, user, audit.id, upload.file);
    return redirect(`/audits/${audit.id}/import?file=${id}`);
  }

  const form = await readForm(request);
  const opened = await openPendingImport(db, user, audit, Number(form.get("file")));
  if (!opened.ok) return invalid({ file: opened.message }, {});
  const { file, table } = opened;
  const parsed = parseForm(columnChoiceSchema(columnChoiceContext(audit, table)), form, { arrays: ["pseudonymise"] });
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const mapping = choicesToMapping(audit, parsed.data as ColumnChoices);
  const problems = mappingProblems(audit, table, mapping);
  if (Object.keys(problems).length > 0) return invalid(problems, parsed.values);
  const checked = { choices: mappingToChoices(mapping), fileId: file.id };

  if (form.get("intent") === "import") {
    const outcome = await importCaseList(db, user, audit, file, table, mapping, { validOnly: form.get("validOnly") === "yes", request });
    if (outcome.ok) return redirect(`/audits/${audit.id}?imported=${outcome.imported}`);
    const preview = toPreview(audit, file.name, mapping, outcome.analysis);
    const message =
      outcome.reason === "nothing-valid"
        ? "Nothing was imported because no row can be imported. Fix the problems in the file and upload it again"
        : `Nothing was imported because ${preview.rejectedCount} of ${preview.total} rows have problems. Fix them and upload the file again, or import only the valid rows`;
    return data({ ...checked, preview, errors: { problems: message } as FieldErrors }, { status: 400 });
  }
  return { ...checked, preview: await previewImport(db, audit, file, table, mapping), errors: {} as FieldErrors };
}

/** "Error: " before the page title while there are errors (GovForm does this for its own forms). */
function useErrorTitle(hasErrors: boolean) {
  useEffect(() => {
    const prefix = "Error: ";
    if (hasErrors && !document.title.startsWith(prefix)) document.title = prefix + document.title;
    if (!hasErrors && document.title.startsWith(prefix)) document.title = document.title.slice(prefix.length);
  }, [hasErrors]);
}

export default function ImportCaseList() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { audit } = loaded;
  const checked = actionData && "preview" in actionData ? actionData : null;
  return (
    <div className="nhsuk-grid-row">
      <div className={checked ? "nhsuk-grid-column-full" : "nhsuk-grid-column-two-thirds"}>
        <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
        <span className="nhsuk-caption-l">{audit.title}</span>
        {checked ? (
          <CheckStep auditId={audit.id} preview={checked.preview} choices={checked.choices} fileId={checked.fileId} errors={checked.errors} />
        ) : loaded.step === "columns" ? (
          <ColumnsStep
            auditId={audit.id}
            file={loaded.file}
            ctx={loaded.ctx}
            values={actionData && "values" in actionData ? actionData.values : loaded.values}
            errors={actionData && "errors" in actionData ? actionData.errors : undefined}
          />
        ) : (
          <UploadStep
            auditId={audit.id}
            maxSize={loaded.maxSize}
            error={(actionData && "errors" in actionData ? actionData.errors.file : undefined) ?? loaded.uploadError ?? undefined}
          />
        )}
      </div>
    </div>
  );
}

function UploadStep({ auditId, maxSize, error }: { auditId: number; maxSize: string; error?: string }) {
  useErrorTitle(Boolean(error));
  return (
    <>
      <ErrorSummary errors={error ? { file: error } : {}} />
      <h1>Import a case list</h1>
      <p>Upload the list of cases exported from your record system (such as SystmOne, RiO, EMIS or Lorenzo). The cases become this audit's population, which the sample to score is drawn from.</p>
      <ul className="nhsuk-list nhsuk-list--bullet">
        <li>The first row must hold the column headings.</li>
        <li>Dates can be written like 31/12/2025 or 2025-12-31.</li>
        <li>Nothing is imported until you have checked the cases on the next pages.</li>
      </ul>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>Do not upload children's names. If the only reference in the file is the NHS number, you can ask for pseudonymous references instead: the NHS numbers are then not stored.</p>
      </div>
      <Form method="post" encType="multipart/form-data" action={`/audits/${auditId}/import`} noValidate>
        <CsrfInput />
        <FileUpload label="Upload a file" labelSize="m" maxSize={maxSize} error={error} />
        <Button>Upload and continue</Button>
      </Form>
    </>
  );
}

function ColumnsStep({
  auditId,
  file,
  ctx,
  values,
  errors,
}: {
  auditId: number;
  file: { id: number; name: string; rows: number; type: string };
  ctx: ColumnChoiceContext;
  values: Record<string, unknown>;
  errors?: FieldErrors;
}) {
  const schema = useMemo(() => columnChoiceSchema(ctx), [ctx]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  const options = ctx.headings.map((h) => ({ value: h, label: h }));
  const [refTarget, ...others] = ctx.targets;
  return (
    <>
      <h1>Choose the columns</h1>
      <p>
        {file.name}: {file.rows} {file.rows === 1 ? "row" : "rows"}. Choose the column of the file that holds each of these. Your choices are remembered for the next
        import to this template.
      </p>
      <GovForm form={form} serverErrors={errors} values={values} action={`/audits/${auditId}/import?file=${file.id}`}>
        <input type="hidden" name="file" value={file.id} />
        <Select name={refTarget.name} label={refTarget.label} hint="Your service's reference for the case or child" placeholder="Not in the file" options={options} />
        <Checkboxes
          name="pseudonymise"
          legend="NHS numbers and other identifiers"
          legendSize="s"
          hint="The app then stores a reference made from each identifier with a secret key, never the identifier itself. The same child gets the same reference in every audit."
          options={[{ value: "yes", label: PSEUDONYMISE_LABEL }]}
        />
        {others.map((t) => (
          <Select key={t.name} name={t.name} label={t.required ? t.label : `${t.label} (optional)`} hint={t.hint} placeholder="Not in the file" options={options} />
        ))}
        <Button name="intent" value="preview">
          Continue
        </Button>
      </GovForm>
      <p>
        <Link to={`/audits/${auditId}/import`}>Upload a different file</Link>
      </p>
    </>
  );
}

function CheckStep({ auditId, preview, choices, fileId, errors }: { auditId: number; preview: ImportPreview; choices: ColumnChoices; fileId: number; errors: FieldErrors }) {
  const hasErrors = Object.keys(errors).length > 0;
  useErrorTitle(hasErrors);
  const search = choicesToSearch(fileId, choices);
  const where = preview.fileType === "xlsx" ? "row" : "line";
  const hidden: [string, string][] = [
    ["file", String(fileId)],
    ["caseRef", choices.caseRef],
    ["service", choices.service],
    ["team", choices.team],
    ["caseType", choices.caseType],
    ...Object.entries(choices.fields).map(([k, v]) => [`fields.${k}`, v] as [string, string]),
    ...(choices.pseudonymise ? [["pseudonymise", "yes"] as [string, string]] : []),
  ];
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1>Check the cases before importing</h1>
      <SummaryList
        rows={[
          { key: "File", value: preview.fileName },
          { key: `${where === "row" ? "Rows" : "Cases"} in the file`, value: String(preview.total) },
          { key: "Ready to import", value: String(preview.validCount) },
          { key: "With problems", value: String(preview.rejectedCount) },
        ]}
      />
      {choices.pseudonymise && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Case references are pseudonymous references made from the {choices.caseRef} column. The identifiers themselves are not stored.
          </p>
        </div>
      )}
      {preview.rows.length > 0 && (
        <>
          <h2>
            {preview.rows.length < preview.validCount
              ? `The first ${preview.rows.length} cases as they will be stored`
              : preview.rows.length === 1
                ? "The case as it will be stored"
                : "The cases as they will be stored"}
          </h2>
          <div style={{ overflowX: "auto" }} tabIndex={0} role="region" aria-label="Cases as they will be stored">
            <table className="nhsuk-table">
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    {where === "row" ? "Row" : "Line"}
                  </th>
                  <th scope="col" className="nhsuk-table__header">Case reference</th>
                  <th scope="col" className="nhsuk-table__header">Service</th>
                  <th scope="col" className="nhsuk-table__header">Team</th>
                  <th scope="col" className="nhsuk-table__header">Case type</th>
                  {preview.columns.map((c) => (
                    <th scope="col" className="nhsuk-table__header" key={c.id}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {preview.rows.map((r) => (
                  <tr className="nhsuk-table__row" key={r.line}>
                    <td className="nhsuk-table__cell">{r.line}</td>
                    <td className="nhsuk-table__cell">{r.caseRef}</td>
                    <td className="nhsuk-table__cell">{r.service}</td>
                    <td className="nhsuk-table__cell">{r.team || "None"}</td>
                    <td className="nhsuk-table__cell">{r.caseType}</td>
                    {preview.columns.map((c) => (
                      <td className="nhsuk-table__cell" key={c.id}>
                        {r.fields[c.id] || "Not given"}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {preview.problems.length > 0 && (
        <>
          <h2 id="problems" tabIndex={-1}>
            {preview.rejectedCount === 1 ? "1 row has problems" : `${preview.rejectedCount} rows have problems`}
          </h2>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {preview.problems.map((p, i) => (
              <li key={i}>{p.text}</li>
            ))}
          </ul>
          {preview.problemCount > preview.problems.length && (
            <p>And {preview.problemCount - preview.problems.length} more problems: download the rejected rows to see them all.</p>
          )}
          <p>
            <a href={`/audits/${auditId}/import/rejected?${search}`} download>
              Download the {preview.rejectedCount === 1 ? "rejected row" : `${preview.rejectedCount} rejected rows`} (CSV)
            </a>
            , with a column saying what is wrong with each.
          </p>
        </>
      )}
      <Form method="post" action={`/audits/${auditId}/import?file=${fileId}`}>
        <CsrfInput />
        {hidden.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="intent" value="import" />
        {preview.problems.length === 0 ? (
          <Button>{preview.validCount === 1 ? "Import 1 case" : `Import ${preview.validCount} cases`}</Button>
        ) : preview.validCount > 0 ? (
          <>
            <p>
              Nothing is imported unless every row is valid. Fix the rows in your file and <Link to={`/audits/${auditId}/import`}>upload it again</Link>, or import only
              the valid rows now and add the others later.
            </p>
            <Button name="validOnly" value="yes" secondary>
              {preview.validCount === 1 ? "Import the 1 valid row" : `Import the ${preview.validCount} valid rows`}
            </Button>
          </>
        ) : (
          <p>
            No row can be imported. Fix the problems in your file and <Link to={`/audits/${auditId}/import`}>upload it again</Link>.
          </p>
        )}
      </Form>
      <p>
        <Link to={`/audits/${auditId}/import?${search}`}>Change the columns</Link>
      </p>
    </>
  );
}
