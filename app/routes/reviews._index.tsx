import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IhaTimelinessTag } from "~/components/iha-timeliness";
import { formatDate } from "~/lib/dates";
import { listIhaQueue } from "~/models/iha-reviews.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "IHAs to review – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "reviewQuality");
  return { queue: await listIhaQueue(db) };
}

export default function ReviewQueue() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Initial health assessments to review</h1>
      <p>
        Cases of initial health assessment audits that have no quality judgement yet, oldest first by the date the child became looked after. Timeliness is worked out from the case dates: working days from becoming looked after to
        the IHA report, within 20 working days.
      </p>
      <p>
        <Link to="/reviews/summary">See the summary of judgements</Link>
      </p>
      {queue.length === 0 ? (
        <p>There are no initial health assessments waiting for review.</p>
      ) : (
        <table className="nhsuk-table-responsive nhsuk-table">
          <caption className="nhsuk-table__caption">
            {queue.length} {queue.length === 1 ? "assessment" : "assessments"} waiting for review
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Case reference</th>
              <th scope="col" className="nhsuk-table__header">Became looked after</th>
              <th scope="col" className="nhsuk-table__header">Timeliness</th>
              <th scope="col" className="nhsuk-table__header">Service</th>
              <th scope="col" className="nhsuk-table__header">Audit</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {queue.map((row) => (
              <tr className="nhsuk-table__row" key={row.caseId}>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Case reference </span>
                  <Link to={`/reviews/${row.caseId}`}>
                    <span className="nhsuk-u-visually-hidden">Review case </span>
                    {row.caseRef}
                  </Link>
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Became looked after </span>
                  {row.lookedAfter ? formatDate(row.lookedAfter) : "Not recorded"}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Timeliness </span>
                  <IhaTimelinessTag t={row.timeliness} />
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Service </span>
                  {row.serviceName}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Audit </span>
                  {row.auditTitle}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
