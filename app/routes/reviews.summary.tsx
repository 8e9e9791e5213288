import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { BackLink } from "~/components/ui";
import { ihaReviewSummary } from "~/models/iha-reviews.server";
import { CLINICIAN_GROUP_LABELS, JUDGEMENT_LABELS, JUDGEMENTS, type Judgement } from "~/schemas/iha-review";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "IHA quality judgements – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "reviewQuality");
  return { quarters: await ihaReviewSummary(db) };
}

type Counts = Record<Judgement, number> & { total: number };

function JudgementTable({ caption, firstHeader, rows, total }: { caption: string; firstHeader: string; rows: { key: string; label: ReactNode; counts: Counts }[]; total: Counts }) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">{firstHeader}</th>
          {JUDGEMENTS.map((j) => (
            <th scope="col" className="nhsuk-table__header app-table-numeric" key={j}>
              {JUDGEMENT_LABELS[j]}
            </th>
          ))}
          <th scope="col" className="nhsuk-table__header app-table-numeric">Total</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((r) => (
          <tr className="nhsuk-table__row" key={r.key}>
            <th scope="row" className="nhsuk-table__cell">{r.label}</th>
            {JUDGEMENTS.map((j) => (
              <td className="nhsuk-table__cell app-table-numeric" key={j}>
                {r.counts[j]}
              </td>
            ))}
            <td className="nhsuk-table__cell app-table-numeric">{r.counts.total}</td>
          </tr>
        ))}
        <tr className="nhsuk-table__row">
          <th scope="row" className="nhsuk-table__cell">
            <strong>All</strong>
          </th>
          {JUDGEMENTS.map((j) => (
            <td className="nhsuk-table__cell app-table-numeric" key={j}>
              <strong>{total[j]}</strong>
            </td>
          ))}
          <td className="nhsuk-table__cell app-table-numeric">
            <strong>{total.total}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export default function ReviewSummary() {
  const { quarters } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/reviews">Back to initial health assessments to review</BackLink>
      <h1>Quality judgements of initial health assessments</h1>
      <p>
        The designated doctor's judgements, by the quarter they were recorded in (newest first), by the service that did the assessment and by the assessing clinician's group. Each assessment counts once, with its latest judgement.
      </p>
      {quarters.length === 0 ? (
        <p>
          No judgements have been recorded yet. <Link to="/reviews">Review an initial health assessment</Link>.
        </p>
      ) : (
        quarters.map((q) => (
          <section key={q.key} aria-labelledby={`quarter-${q.key}`}>
            <h2 id={`quarter-${q.key}`}>{q.label}</h2>
            <p>
              {q.total.total} {q.total.total === 1 ? "assessment" : "assessments"} reviewed.
            </p>
            <JudgementTable
              caption={`Judgements by assessing service, ${q.label}`}
              firstHeader="Assessing service"
              rows={q.byService.map((s) => ({ key: String(s.serviceId), label: s.serviceName, counts: s.counts }))}
              total={q.total}
            />
            <JudgementTable
              caption={`Judgements by clinician group, ${q.label}`}
              firstHeader="Clinician group"
              rows={q.byGroup.map((g) => ({ key: g.group, label: CLINICIAN_GROUP_LABELS[g.group], counts: g.counts }))}
              total={q.total}
            />
          </section>
        ))
      )}
    </>
  );
}
