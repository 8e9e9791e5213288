import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AuditStatusTag } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { listMyCases } from "~/models/allocation.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "My cases – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "editCases");
  return { audits: await listMyCases(db, user.id) };
}

export default function MyCases() {
  const { audits } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My cases</h1>
      {audits.length === 0 ? (
        <p>No cases are assigned to you. When cases in an audit's sample are assigned to you, they are listed here.</p>
      ) : (
        audits.map(({ audit, cases, complete, total }) => {
          const progressId = `progress-${audit.id}`;
          return (
            <section key={audit.id} className="nhsuk-u-margin-bottom-7" aria-labelledby={`audit-${audit.id}`}>
              <h2 id={`audit-${audit.id}`} className="nhsuk-u-margin-bottom-2">
                <Link to={`/audits/${audit.id}`}>{audit.title}</Link>
              </h2>
              <p className="nhsuk-body-s">
                <AuditStatusTag status={audit.status} /> Audit period {formatDate(audit.periodStart)} to {formatDate(audit.periodEnd)}
              </p>
              <p className="nhsuk-u-margin-bottom-1" id={progressId}>
                {complete} of {total} {total === 1 ? "case" : "cases"} complete
              </p>
              <progress max={total} value={complete} aria-labelledby={progressId} style={{ width: "100%", maxWidth: "30rem", height: "1.5rem" }}>
                {complete} of {total}
              </progress>
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Your cases in {audit.title}</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">Case reference</th>
                    <th scope="col" className="nhsuk-table__header">Service</th>
                    <th scope="col" className="nhsuk-table__header">Team</th>
                    <th scope="col" className="nhsuk-table__header">Progress</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {cases.map((c) => (
                    <tr className="nhsuk-table__row" key={c.id}>
                      <td className="nhsuk-table__cell">
                        <Link to={`/audits/${audit.id}/cases/${c.id}`}>{c.caseRef}</Link>
                      </td>
                      <td className="nhsuk-table__cell">{c.serviceName}</td>
                      <td className="nhsuk-table__cell">{c.teamName ?? "None"}</td>
                      <td className="nhsuk-table__cell">
                        {c.complete ? (
                          <strong className="nhsuk-tag nhsuk-tag--green">Complete</strong>
                        ) : (
                          <>
                            <strong className="nhsuk-tag nhsuk-tag--grey">In progress</strong> {c.answered} of {c.total} criteria answered
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}
    </>
  );
}
