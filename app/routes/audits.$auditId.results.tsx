import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FigureTable, IntervalCell, Percent, SmallSampleTag, WorstTable } from "~/components/figures";
import { BackLink, RagTag } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { formatInterval, formatNumerator } from "~/lib/rollup-figures";
import { SMALL_SAMPLE_THRESHOLD } from "~/lib/statistics";
import { requireAudit } from "~/models/audits.server";
import { countModeratedCases } from "~/models/moderation.server";
import { auditFigures } from "~/models/summary.server";
import { can } from "~/lib/permissions";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Results: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const audit = await requireAudit(db, params.auditId);
  const { rollup, worst, caseCount, asOf } = await auditFigures(db, audit);
  const moderated = await countModeratedCases(db, audit.id);
  return {
    audit: { id: audit.id, title: audit.title, templateTitle: audit.template.title, templateVersion: audit.templateVersion },
    rag: audit.template.rag,
    partialCredit: audit.template.partialCredit,
    caseCount,
    moderated,
    asOf,
    rollup,
    worst,
    /** Case-level answers (the CSV) are for administrators, auditors and reviewers, not managers. */
    canExportAnswers: can(user.role, "viewCases"),
  };
}

export default function Results() {
  const { audit, rollup, worst, caseCount, moderated, rag, partialCredit, asOf, canExportAnswers } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
      <span className="nhsuk-caption-l">
        {audit.templateTitle}, version {audit.templateVersion}
      </span>
      <h1>Results: {audit.title}</h1>
      <ul className="nhsuk-list" data-testid="export-links">
        <li>
          <a className="nhsuk-link" href={`/audits/${audit.id}/report`}>Printable report</a>
        </li>
        <li>
          <a className="nhsuk-link" href={`/audits/${audit.id}/export?format=xlsx`}>Download the results (Excel)</a>
        </li>
        {canExportAnswers && (
          <li>
            <a className="nhsuk-link" href={`/audits/${audit.id}/export?format=csv`}>Download the answers (CSV)</a>
          </li>
        )}
      </ul>
      <div className="nhsuk-card">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading">Overall compliance</h2>
          <p className="nhsuk-heading-xl nhsuk-u-margin-bottom-2" data-testid="overall-percent">
            <Percent f={rollup.overall} />
          </p>
          {rollup.overall.denominator > 0 ? (
            <p data-testid="overall-interval">
              {formatInterval(rollup.overall)} <SmallSampleTag f={rollup.overall} />
            </p>
          ) : null}
          <p>
            <RagTag rag={rollup.overall.rag} /> {formatNumerator(rollup.overall.numerator)} of {rollup.overall.denominator} applicable answers met, from {caseCount} {caseCount === 1 ? "case" : "cases"}.
            Met {rollup.overall.met}, partially met {rollup.overall.partial}, not met {rollup.overall.notMet}, not applicable {rollup.overall.na}
            {rollup.overall.unanswered > 0 ? `, not yet answered or not yet determined ${rollup.overall.unanswered}` : ""}.
          </p>
          <p data-testid="moderated">
            {moderated === 0
              ? "No cases have been moderated yet."
              : `${moderated} ${moderated === 1 ? "case was" : "cases were"} moderated: a reviewer scored ${moderated === 1 ? "it" : "them"} again without seeing the first answers, and where the two differed the agreed answer is used.`}
          </p>
        </div>
      </div>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">How these figures are worked out</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>
            Compliance is met answers{partialCredit > 0 ? ` plus ${partialCredit} for each partially met answer` : ""}, divided by the answers that apply (met, partially met and not met). Not applicable answers, and
            criteria not yet answered, are left out. Where nothing applies the figure says “No applicable cases” rather than 0% or 100%.
          </p>
          <p>
            RAG: green at {rag.green}% or more, amber at {rag.amber}% or more, red below {rag.amber}%. Date rules are judged as of {formatDate(asOf)}.
          </p>
          <p>
            The 95% confidence interval (Wilson score) is the range the true compliance is likely to lie in, given how many answers the figure rests on: the
            fewer the answers, the wider it is. A figure based on fewer than {SMALL_SAMPLE_THRESHOLD} applicable cases is marked “Small sample”: treat it with
            caution.
          </p>
        </div>
      </details>
      <WorstTable rows={worst} green={rag.green} />
      <FigureTable caption="Compliance by service" firstHeader="Service" rows={rollup.byService.map((s) => ({ key: `service-${s.serviceId}`, label: s.serviceName, f: s }))} />
      <FigureTable caption="Compliance by section" firstHeader="Section" rows={rollup.bySection.map((s) => ({ key: `section-${s.sectionId}`, label: s.title, f: s }))} />
      <FigureTable
        caption="Compliance by criterion"
        firstHeader="Criterion"
        rows={rollup.byCriterion.map((c) => ({ key: `criterion-${c.criterionId}`, label: c.question, f: c }))}
      />
    </>
  );
}
