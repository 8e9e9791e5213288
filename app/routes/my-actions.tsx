/** The actions the signed-in user owns, across all audits: overdue first, then by due date, done last. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionStatusTags } from "~/components/action-status";
import { sortForFollowUp } from "~/lib/actions";
import { formatDate, todayInLondon } from "~/lib/dates";
import { listActions } from "~/models/actions.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "My actions – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "manageActions");
  const today = todayInLondon();
  const actions = sortForFollowUp(await listActions(db, { ownerUserId: user.id }, today), today);
  return { actions, overdue: actions.filter((a) => a.overdue).length };
}

export default function MyActions() {
  const { actions, overdue } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My actions</h1>
      {actions.length === 0 ? (
        <p>You do not own any actions. When an action in an audit's action plan is given to you, it is listed here.</p>
      ) : (
        <>
          <p>
            {actions.length} {actions.length === 1 ? "action" : "actions"}
            {overdue > 0 ? `, ${overdue} overdue` : ""}. Overdue actions are listed first.
          </p>
          <table className="nhsuk-table-responsive nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Your actions</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">What will change</th>
                <th scope="col" className="nhsuk-table__header">Audit</th>
                <th scope="col" className="nhsuk-table__header">Criterion</th>
                <th scope="col" className="nhsuk-table__header">Due</th>
                <th scope="col" className="nhsuk-table__header">Status</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {actions.map((a) => (
                <tr className="nhsuk-table__row" key={a.id} data-action={a.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/audits/${a.auditId}/actions/${a.id}`}>{a.description}</Link>
                  </td>
                  <td className="nhsuk-table__cell">{a.auditTitle}</td>
                  <td className="nhsuk-table__cell">{a.criterion ?? "No single criterion"}</td>
                  <td className="nhsuk-table__cell">{formatDate(a.dueDate)}</td>
                  <td className="nhsuk-table__cell">
                    <ActionStatusTags status={a.status} overdue={a.overdue} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
