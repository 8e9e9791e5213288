/**
 * The printable audit report: purpose, standards audited (with sources), method, results by
 * criterion and service with a bar chart, and the action plan. Laid out for paper: a print
 * stylesheet hides the service's header, navigation and buttons, and "Print or save as PDF"
 * opens the browser's print dialogue (where "Save as PDF" is a printer).
 *
 * Everyone who may see results may read it. Case references and the reasons for changes to the
 * sample are shown only to roles that may see cases; managers get the counts.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ActionsTable } from "~/components/action-status";
import { FigureTable, SmallSampleTag } from "~/components/figures";
import { BackLink, RagTag, SummaryList } from "~/components/ui";
import { AUDIT_STATUS_LABELS } from "~/lib/audit-status";
import { formatDate, formatDateTimeLondon, todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { formatInterval, formatNumerator } from "~/lib/rollup-figures";
import { formatPercent } from "~/lib/scoring";
import { SMALL_SAMPLE_THRESHOLD } from "~/lib/statistics";
import { auditReport } from "~/models/audit-report.server";
import { requireAudit } from "~/models/audits.server";
import printStyles from "~/styles/print.css";
import { requireUser } from "~/utils/auth.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printStyles, media: "print" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Audit report: ${data?.report.audit.title ?? "audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const audit = await requireAudit(db, params.auditId);
  const report = await auditReport(db, audit, { caseDetail: can(user.role, "viewCases"), today: todayInLondon() });
  return { report };
}

type Report = Awaited<ReturnType<typeof loader>>["report"];
type Fig = Report["results"]["overall"];

const RAG_COLOURS = { green: "#007f3b", amber: "#ffb81c", red: "#d5281b" } as const;
const INK = "#212b32";

/** "Section 2, criterion 3" numbering as the reports use it: "2.3". */
function numbering(report: Report) {
  const byId = new Map<string, string>();
  report.standards.forEach((s, i) => s.criteria.forEach((c, j) => byId.set(c.id, `${i + 1}.${j + 1}`)));
  return byId;
}

/**
 * Compliance by criterion as horizontal bars, drawn on the server (so it prints and needs no
 * JavaScript). Each bar is labelled with its number and percentage, so colour is never the only
 * cue; the table after it gives the same figures in text.
 */
function ComplianceChart({ rows, rag }: { rows: { label: string; question: string; f: Fig }[]; rag: { green: number; amber: number } }) {
  const left = 56;
  const right = 72;
  const top = 28;
  const rowH = 26;
  const plotW = 520;
  const width = left + plotW + right;
  const height = top + rows.length * rowH + 28;
  const x = (p: number) => left + (p / 100) * plotW;
  const threshold = (value: number, name: string, dash: string) => (
    <g data-line={name}>
      <line x1={x(value)} x2={x(value)} y1={top - 6} y2={top + rows.length * rowH} stroke={INK} strokeWidth={1.5} strokeDasharray={dash} />
      <text x={x(value)} y={top - 10} textAnchor="middle" fontSize={11} fill={INK}>
        {`${name} ${value}%`}
      </text>
    </g>
  );
  return (
    <figure className="app-report-figure nhsuk-u-margin-0 nhsuk-u-margin-bottom-4">
      <svg
        data-testid="criterion-chart"
        role="img"
        aria-label={`Bar chart of compliance by criterion, ${rows.length} ${rows.length === 1 ? "criterion" : "criteria"}, with the green (${rag.green}%) and amber (${rag.amber}%) thresholds. The table “Compliance by criterion” gives the same figures.`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: `${width}px` }}
        xmlns="http://www.w3.org/2000/svg"
      >
        {[0, 25, 50, 75, 100].map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top} y2={top + rows.length * rowH} stroke="#d8dde0" strokeWidth={1} />
            <text x={x(t)} y={top + rows.length * rowH + 16} textAnchor="middle" fontSize={11} fill={INK}>
              {`${t}%`}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const p = r.f.percent;
          return (
            <g key={r.label} data-bar={r.label}>
              <title>{`${r.label} ${r.question}: ${p === null ? "no applicable cases" : formatPercent(p)}`}</title>
              <text x={left - 8} y={y + rowH / 2 + 4} textAnchor="end" fontSize={12} fill={INK}>
                {r.label}
              </text>
              {p === null ? (
                <text x={left + 4} y={y + rowH / 2 + 4} fontSize={12} fill={INK}>
                  No applicable cases
                </text>
              ) : (
                <>
                  <rect x={left} y={y + 4} width={Math.max((p / 100) * plotW, 1)} height={rowH - 8} fill={r.f.rag ? RAG_COLOURS[r.f.rag] : "#768692"} stroke={INK} strokeWidth={0.5} />
                  <text x={x(p) + 4} y={y + rowH / 2 + 4} fontSize={12} fill={INK}>
                    {formatPercent(p)}
                  </text>
                </>
              )}
            </g>
          );
        })}
        {threshold(rag.amber, "Amber", "2 3")}
        {threshold(rag.green, "Green", "6 4")}
      </svg>
      <figcaption className="nhsuk-body-s">
        Compliance by criterion. Bars are coloured by RAG (green, amber or red); the dashed lines mark the green ({rag.green}%) and amber ({rag.amber}%) thresholds.
      </figcaption>
    </figure>
  );
}

/** The print button needs JavaScript; without it the page says how to print. */
function PrintButton() {
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  if (!scripted) {
    return (
      <p className="app-no-print" data-testid="print-hint">
        To print this report or save it as a PDF, use your browser’s Print command (Ctrl+P, or Cmd+P on a Mac) and choose “Save as PDF” as the printer if you want a file.
      </p>
    );
  }
  return (
    <button className="nhsuk-button nhsuk-button--secondary app-no-print" type="button" data-testid="print-button" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function Method({ report }: { report: Report }) {
  const { method } = report;
  const { sample, changes } = method;
  return (
    <section aria-labelledby="method" data-testid="section-method">
      <h2 id="method">Method</h2>
      {sample ? (
        <>
          <p>
            The case list held {plural(sample.populationSize, "case", "cases")} when the sample was drawn. {sample.description ? `${sample.description}: ` : ""}
            {plural(sample.sampleSize, "case was", "cases were")} drawn at random on {formatDateTimeLondon(sample.drawnAt)}
            {sample.drawnBy ? ` by ${sample.drawnBy}` : ""}.
          </p>
          <SummaryList
            rows={[
              { key: "Population (case list)", value: plural(method.population, "case", "cases") },
              { key: "Sample drawn", value: plural(sample.sampleSize, "case", "cases") },
              { key: "How it was drawn", value: sample.description ?? "Not recorded" },
              { key: "Seed", value: <code>{sample.seed}</code> },
              { key: "Algorithm", value: <code>{sample.algorithm}</code> },
              { key: "Cases scored", value: plural(method.scored, "case", "cases") },
            ]}
          />
          {sample.strata.length > 0 && (
            <table className="nhsuk-table app-report-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Sample by stratum</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Stratum</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Cases in the list</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Drawn</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {sample.strata.map((s) => (
                  <tr className="nhsuk-table__row" key={s.label}>
                    <th scope="row" className="nhsuk-table__cell">{s.label}</th>
                    <td className="nhsuk-table__cell app-table-numeric">{s.population}</td>
                    <td className="nhsuk-table__cell app-table-numeric">{s.sample}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : (
        <>
          <p>No random sample was drawn: the cases were chosen and added by hand.</p>
          <SummaryList
            rows={[
              { key: "Cases in the audit", value: plural(method.population, "case", "cases") },
              { key: "Cases scored", value: plural(method.scored, "case", "cases") },
            ]}
          />
        </>
      )}
      <h3>Exclusions and changes after the draw</h3>
      <p data-testid="sample-changes">
        {changes.added === 0 && changes.excluded === 0
          ? "No cases were excluded or added by hand after the draw."
          : `${plural(changes.excluded, "case was", "cases were")} excluded from the sample and ${plural(changes.added, "case was", "cases were")} added to it by hand, each with a recorded reason.`}
      </p>
      {changes.list && changes.list.length > 0 && (
        <table className="nhsuk-table app-report-table" data-testid="sample-change-list">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Changes to the sample</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Case reference</th>
              <th scope="col" className="nhsuk-table__header">Change</th>
              <th scope="col" className="nhsuk-table__header">Reason</th>
              <th scope="col" className="nhsuk-table__header">When</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {changes.list.map((c) => (
              <tr className="nhsuk-table__row" key={`${c.change}-${c.caseRef}`}>
                <td className="nhsuk-table__cell">{c.caseRef}</td>
                <td className="nhsuk-table__cell">{c.change === "added" ? "Added by hand" : "Excluded"}</td>
                <td className="nhsuk-table__cell">{c.reason}</td>
                <td className="nhsuk-table__cell">{c.at ? formatDateTimeLondon(c.at) : "Not recorded"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Moderation</h3>
      <p data-testid="report-moderated">
        {method.moderated === 0
          ? "No cases were moderated."
          : `${plural(method.moderated, "case was", "cases were")} moderated: a reviewer scored ${method.moderated === 1 ? "it" : "them"} again without seeing the first answers, and where the two differed the agreed answer is used.`}
      </p>
    </section>
  );
}

export default function AuditReport() {
  const { report } = useLoaderData<typeof loader>();
  const { audit, results, actionPlan } = report;
  const numbers = numbering(report);
  const criterionRows = results.byCriterion.map((c) => ({ key: `criterion-${c.criterionId}`, label: `${numbers.get(c.criterionId) ?? ""} ${c.question}`.trim(), f: c }));
  return (
    <article className="app-report">
      <div className="app-no-print">
        <BackLink to={`/audits/${audit.id}/results`}>Back to the results</BackLink>
      </div>
      <span className="nhsuk-caption-l">Audit report</span>
      <h1>{audit.title}</h1>
      <PrintButton />
      <SummaryList
        rows={[
          { key: report.organisation.providers.length === 1 ? "Organisation" : "Organisations", value: report.organisation.providers.join(", ") || "None" },
          { key: "Services", value: report.organisation.services.map((s) => s.name).join(", ") || "None" },
          { key: "Audit period", value: `${formatDate(audit.periodStart)} to ${formatDate(audit.periodEnd)}` },
          { key: "Template", value: `${audit.templateTitle}, version ${audit.templateVersion}` },
          { key: "Status", value: `${AUDIT_STATUS_LABELS[audit.status]}${audit.completedAt ? `, completed ${formatDateTimeLondon(audit.completedAt)}` : ""}` },
          { key: "Figures as of", value: formatDate(results.asOf) },
        ]}
      />

      <section aria-labelledby="purpose" data-testid="section-purpose">
        <h2 id="purpose">Purpose</h2>
        <p>{report.purpose}</p>
        {report.auditedBy && <p>Usually audited by: {report.auditedBy}.</p>}
      </section>

      <section aria-labelledby="standards" data-testid="section-standards">
        <h2 id="standards">Standards audited</h2>
        {report.standards.map((s, i) => (
          <div key={s.id} data-section={s.id}>
            <h3>
              {i + 1}. {s.title}
            </h3>
            {s.description && <p>{s.description}</p>}
            <ol className="nhsuk-list app-report-criteria">
              {s.criteria.map((c) => (
                <li key={c.id} data-criterion={c.id}>
                  <strong>{numbers.get(c.id)}</strong> {c.question}
                  <br />
                  <span className="nhsuk-body-s">
                    Source:{" "}
                    {c.sources
                      .map((src) => `${src.report} ${src.paragraph}${src.recommendation ? `, recommendation ${src.recommendation}` : ""}`)
                      .join("; ")}
                  </span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </section>

      <Method report={report} />

      <section aria-labelledby="results" data-testid="section-results">
        <h2 id="results">Results</h2>
        <p data-testid="report-overall">
          Overall compliance was <strong>{formatPercent(results.overall.percent)}</strong>
          {results.overall.denominator > 0 ? ` (${formatInterval(results.overall)})` : ""}: {formatNumerator(results.overall.numerator)} of {results.overall.denominator} applicable answers met,
          from {plural(results.caseCount, "case", "cases")}. RAG: <RagTag rag={results.overall.rag} /> <SmallSampleTag f={results.overall} />
        </p>
        <p className="nhsuk-body-s">
          Compliance is met answers{results.partialCredit > 0 ? ` plus ${results.partialCredit} for each partially met answer` : ""}, divided by the answers that apply. RAG: green at {results.rag.green}% or
          more, amber at {results.rag.amber}% or more, red below. The 95% confidence interval (Wilson score) is the range the true compliance is likely to lie in. Figures on fewer than{" "}
          {SMALL_SAMPLE_THRESHOLD} applicable cases are marked “Small sample”.
        </p>
        <ComplianceChart rows={results.byCriterion.map((c) => ({ label: numbers.get(c.criterionId) ?? c.criterionId, question: c.question, f: c }))} rag={results.rag} />
        <FigureTable className="nhsuk-table app-report-table" captionClassName="nhsuk-table__caption nhsuk-table__caption--s" caption="Compliance by criterion" firstHeader="Criterion" rows={criterionRows} />
        <FigureTable className="nhsuk-table app-report-table" captionClassName="nhsuk-table__caption nhsuk-table__caption--s" caption="Compliance by section" firstHeader="Section" rows={results.bySection.map((s) => ({ key: `section-${s.sectionId}`, label: s.title, f: s }))} />
        <FigureTable className="nhsuk-table app-report-table" captionClassName="nhsuk-table__caption nhsuk-table__caption--s" caption="Compliance by service" firstHeader="Service" rows={results.byService.map((s) => ({ key: `service-${s.serviceId}`, label: s.serviceName, f: s }))} />
      </section>

      <section aria-labelledby="action-plan" data-testid="section-actions">
        <h2 id="action-plan">Action plan</h2>
        {actionPlan.actions.length === 0 ? (
          <p>No actions have been recorded for this audit.</p>
        ) : (
          <ActionsTable actions={actionPlan.actions} caption="Actions" columns={{ criterion: true, owner: true, services: true }} />
        )}
        {actionPlan.noActionReasons.length > 0 && (
          <table className="nhsuk-table app-report-table" data-testid="no-action-reasons">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Criteria below threshold with no action, and why</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Criterion</th>
                <th scope="col" className="nhsuk-table__header">Reason for no action</th>
                <th scope="col" className="nhsuk-table__header">Recorded</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {actionPlan.noActionReasons.map((r) => (
                <tr className="nhsuk-table__row" key={r.criterionId}>
                  <th scope="row" className="nhsuk-table__cell">{`${numbers.get(r.criterionId) ?? ""} ${r.criterion}`.trim()}</th>
                  <td className="nhsuk-table__cell">{r.reason}</td>
                  <td className="nhsuk-table__cell">
                    {formatDateTimeLondon(r.recordedAt)}
                    {r.recordedBy ? `, ${r.recordedBy}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
