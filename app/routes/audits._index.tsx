import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AuditStatusTag } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { listAudits } from "~/models/audits.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Audits – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewAudits");
  const audits = await listAudits(db);
  return { audits, canCreate: can(user.role, "createAudit") };
}

export default function Audits() {
  const { audits, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audits</h1>
      {canCreate && (
        <Link to="/audits/new" className="nhsuk-button">
          Start an audit
        </Link>
      )}
      {audits.length === 0 ? (
        <p>There are no audits yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">All audits, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Audit</th>
              <th scope="col" className="nhsuk-table__header">Template</th>
              <th scope="col" className="nhsuk-table__header">Period</th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">Cases</th>
              <th scope="col" className="nhsuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {audits.map((a) => (
              <tr className="nhsuk-table__row" key={a.id}>
                <td className="nhsuk-table__cell">
                  <Link to={`/audits/${a.id}`}>{a.title}</Link>
                </td>
                <td className="nhsuk-table__cell">
                  {a.template_title} (version {a.template_version})
                </td>
                <td className="nhsuk-table__cell">
                  {formatDate(a.period_start)} to {formatDate(a.period_end)}
                </td>
                <td className="nhsuk-table__cell app-table-numeric">{Number(a.case_count)}</td>
                <td className="nhsuk-table__cell">
                  <AuditStatusTag status={a.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
