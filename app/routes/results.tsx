/** Compliance across complete audits, grouped by provider, service or team, filtered by template, period and case type (GET form). */
import {
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WorstTable } from "~/components/figures";
import { RagTag } from "~/components/ui";
import { formatDate, isoFromParts } from "~/lib/dates";
import { formatInterval, formatNumerator, GROUP_BY, type GroupBy } from "~/lib/rollup-figures";
import { formatPercent } from "~/lib/scoring";
import { SMALL_SAMPLE_THRESHOLD } from "~/lib/statistics";
import {
  DEFAULT_RAG,
  pooledResults,
  resultsFilterOptions,
  type ResultsFilters,
  type ResultsRow,
} from "~/models/dashboard.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [
  { title: "Results across audits – Safeguarding case-file audit" },
];

const GROUP_LABELS: Record<GroupBy, string> = {
  provider: "Provider",
  service: "Service",
  team: "Team",
};

type DateParts = { day: string; month: string; year: string };
type Errors = Partial<
  Record<"groupBy" | "template" | "from" | "to" | "caseType", string>
>;

function readDate(
  params: URLSearchParams,
  name: string,
  label: string,
  errors: Errors,
  key: "from" | "to"
): string | null {
  const parts = {
    day: params.get(`${name}-day`) ?? "",
    month: params.get(`${name}-month`) ?? "",
    year: params.get(`${name}-year`) ?? "",
  };
  const given = [parts.day, parts.month, parts.year].filter(
    (p) => p.trim() !== ""
  ).length;
  if (given === 0) return null;
  if (given < 3) {
    errors[key] = `${label} must include a day, month and year`;
    return null;
  }
  const iso = isoFromParts(parts.day, parts.month, parts.year);
  if (!iso) errors[key] = `${label} must be a real date`;
  return iso;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewResults");
  const params = new URL(request.url).searchParams;
  const options = await resultsFilterOptions(db);
  const errors: Errors = {};

  const rawGroup = params.get("group") ?? "service";
  if (!(GROUP_BY as readonly string[]).includes(rawGroup))
    errors.groupBy = "Select provider, service or team";
  const rawTemplate = params.get("template") ?? "";
  if (rawTemplate && !options.templates.some((t) => t.key === rawTemplate))
    errors.template = "Select a template from the list";
  const rawCaseType = params.get("caseType") ?? "";
  if (rawCaseType && !options.caseTypes.includes(rawCaseType))
    errors.caseType = "Select a case type from the list";
  const from = readDate(
    params,
    "from",
    "The start of the period",
    errors,
    "from"
  );
  const to = readDate(params, "to", "The end of the period", errors, "to");
  if (from && to && !errors.from && !errors.to && to < from)
    errors.to = "The end of the period must be the same as or after the start";

  const values = {
    group: rawGroup,
    template: rawTemplate,
    caseType: rawCaseType,
    from: {
      day: params.get("from-day") ?? "",
      month: params.get("from-month") ?? "",
      year: params.get("from-year") ?? "",
    },
    to: {
      day: params.get("to-day") ?? "",
      month: params.get("to-month") ?? "",
      year: params.get("to-year") ?? "",
    },
  };
  const base = { options, values, errors, defaultRag: DEFAULT_RAG };
  if (Object.keys(errors).length > 0) {
    return data({ ...base, filters: null, results: null }, { status: 400 });
  }
  const filters: ResultsFilters = {
    groupBy: rawGroup as GroupBy,
    template: rawTemplate || null,
    from,
    to,
    caseType: rawCaseType || null,
  };
  const results = await pooledResults(db, filters);
  return { ...base, filters, results };
}

const ERROR_ORDER = [
  ["groupBy", "group"],
  ["template", "template"],
  ["from", "from-day"],
  ["to", "to-day"],
  ["caseType", "caseType"],
] as const;

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {error}
    </span>
  );
}

function DateFields({
  name,
  legend,
  value,
  error,
}: {
  name: string;
  legend: string;
  value: DateParts;
  error?: string;
}) {
  const part = (p: keyof DateParts, label: string, width: 2 | 4) => (
    <div className="nhsuk-date-input__item">
      <div className="nhsuk-form-group">
        <label
          className="nhsuk-label nhsuk-date-input__label"
          htmlFor={`${name}-${p}`}
        >
          {label}
        </label>
        <input
          className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${
            error ? " nhsuk-input--error" : ""
          }`}
          id={`${name}-${p}`}
          name={`${name}-${p}`}
          type="text"
          inputMode="numeric"
          defaultValue={value[p]}
        />
      </div>
    </div>
  );
  return (
    <div
      className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}
    >
      <fieldset
        className="nhsuk-fieldset"
        role="group"
        aria-describedby={`${name}-hint${error ? ` ${name}-error` : ""}`}
      >
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
          {legend}
        </legend>
        <div className="nhsuk-hint" id={`${name}-hint`}>
          For example, 31 3 2025. Leave blank for no limit.
        </div>
        <ErrorMessage id={name} error={error} />
        <div className="nhsuk-date-input">
          {part("day", "Day", 2)}
          {part("month", "Month", 2)}
          {part("year", "Year", 4)}
        </div>
      </fieldset>
    </div>
  );
}

function SelectField({
  name,
  label,
  value,
  error,
  options,
}: {
  name: string;
  label: string;
  value: string;
  error?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div
      className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}
    >
      <label className="nhsuk-label" htmlFor={name}>
        {label}
      </label>
      <ErrorMessage id={name} error={error} />
      <select
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        id={name}
        name={name}
        defaultValue={value}
        aria-describedby={error ? `${name}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function ResultsTable({
  rows,
  groupBy,
}: {
  rows: ResultsRow[];
  groupBy: GroupBy;
}) {
  return (
    <table
      className="nhsuk-table-responsive nhsuk-table"
      data-testid="pooled-results"
    >
      <caption className="nhsuk-table__caption">
        Compliance by {groupBy}, pooling every applicable answer of the matching
        audits
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            {GROUP_LABELS[groupBy]}
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Compliance
          </th>
          <th scope="col" className="nhsuk-table__header">
            95% confidence interval
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Numerator / denominator
          </th>
          <th scope="col" className="nhsuk-table__header">
            RAG
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Met
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Partially met
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Not met
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Audits
          </th>
          <th scope="col" className="nhsuk-table__header app-table-numeric">
            Cases
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((r) => (
          <tr className="nhsuk-table__row" key={r.groupId} data-row={r.groupId}>
            <td className="nhsuk-table__cell">
              {r.label}
              {r.context && (
                <>
                  <br />
                  <span className="nhsuk-body-s">{r.context}</span>
                </>
              )}
            </td>
            <td className="nhsuk-table__cell app-table-numeric">
              {formatPercent(r.percent)}
            </td>
            <td className="nhsuk-table__cell">
              {formatInterval(r)}{" "}
              {r.smallSample && (
                <strong className="nhsuk-tag nhsuk-tag--grey">
                  Small sample
                </strong>
              )}
            </td>
            <td className="nhsuk-table__cell app-table-numeric">{`${formatNumerator(
              r.numerator
            )} / ${r.denominator}`}</td>
            <td className="nhsuk-table__cell">
              <RagTag rag={r.rag} />
              {r.mixedTemplates && (
                <span className="nhsuk-body-s">{` (more than one template: default ${r.thresholds.green} / ${r.thresholds.amber})`}</span>
              )}
            </td>
            <td className="nhsuk-table__cell app-table-numeric">{r.met}</td>
            <td className="nhsuk-table__cell app-table-numeric">{r.partial}</td>
            <td className="nhsuk-table__cell app-table-numeric">{r.notMet}</td>
            <td className="nhsuk-table__cell app-table-numeric">{r.audits}</td>
            <td className="nhsuk-table__cell app-table-numeric">{r.cases}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Results() {
  const d = useLoaderData<typeof loader>();
  const errors = d.errors as Errors;
  const errorList = ERROR_ORDER.filter(([k]) => errors[k]);
  return (
    <>
      <span className="nhsuk-caption-l">Results</span>
      <h1>Results across audits</h1>
      <p>
        Compliance across every complete or closed audit that matches, pooling
        all their applicable answers. Each audit&apos;s answers are scored with
        its own template, so partial credit follows that template. RAG uses the
        template&apos;s thresholds; where a row mixes templates it uses the
        default: green at {d.defaultRag.green}% or more, amber at{" "}
        {d.defaultRag.amber}% or more. Figures from fewer than{" "}
        {SMALL_SAMPLE_THRESHOLD} applicable cases are marked &ldquo;Small
        sample&rdquo;. See also the <Link to="/dashboard">dashboard</Link>.
      </p>

      {errorList.length > 0 && (
        <div
          className="nhsuk-error-summary"
          aria-labelledby="error-summary-title"
          role="alert"
          tabIndex={-1}
        >
          <h2 className="nhsuk-error-summary__title" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {errorList.map(([k, anchor]) => (
                <li key={k}>
                  <a href={`#${anchor}`}>{errors[k]}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}

      <form method="get" className="nhsuk-u-margin-bottom-6">
        <SelectField
          name="group"
          label="Group by"
          value={d.values.group}
          error={errors.groupBy}
          options={GROUP_BY.map((g) => ({ value: g, label: GROUP_LABELS[g] }))}
        />
        <SelectField
          name="template"
          label="Template"
          value={d.values.template}
          error={errors.template}
          options={[
            { value: "", label: "All templates" },
            ...d.options.templates.map((t) => ({
              value: t.key,
              label: t.title,
            })),
          ]}
        />
        <DateFields
          name="from"
          legend="Audit periods ending on or after"
          value={d.values.from}
          error={errors.from}
        />
        <DateFields
          name="to"
          legend="Audit periods ending on or before"
          value={d.values.to}
          error={errors.to}
        />
        <SelectField
          name="caseType"
          label="Case type"
          value={d.values.caseType}
          error={errors.caseType}
          options={[
            { value: "", label: "All case types" },
            ...d.options.caseTypes.map((c) => ({ value: c, label: c })),
          ]}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show results
        </button>
      </form>

      {d.results && d.filters && (
        <>
          <p>
            {d.results.auditCount} complete or closed{" "}
            {d.results.auditCount === 1 ? "audit" : "audits"} match
            {d.filters.from
              ? `, periods ending from ${formatDate(d.filters.from)}`
              : ""}
            {d.filters.to
              ? `, periods ending by ${formatDate(d.filters.to)}`
              : ""}
            {d.filters.caseType ? `, case type ${d.filters.caseType}` : ""}.
          </p>
          {d.results.anyMixed && (
            <p>
              Rows that pool more than one template use the default RAG
              thresholds, {d.defaultRag.green}% and {d.defaultRag.amber}%.
            </p>
          )}
          {d.results.rows.length === 0 ? (
            <p>No cases match these filters.</p>
          ) : (
            <ResultsTable rows={d.results.rows} groupBy={d.filters.groupBy} />
          )}
          {d.results.worst ? (
            <WorstTable
              rows={d.results.worst.criteria}
              green={d.results.worst.green}
              caption="Worst criteria first, across the matching audits"
            />
          ) : (
            d.results.rows.length > 0 && (
              <p>
                Choose a template to see its criteria ranked worst first across
                these audits.
              </p>
            )
          )}
        </>
      )}
    </>
  );
}
