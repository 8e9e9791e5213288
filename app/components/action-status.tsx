/** Actions on pages: status tags with words, and the one table of actions. */
import { Link } from "@remix-run/react";
import { actionStatusLabel } from "~/lib/actions";
import { formatDate } from "~/lib/dates";

export function ActionStatusTags({ status, overdue }: { status: string; overdue: boolean }) {
  const tag = status === "done" ? "nhsuk-tag--green" : status === "in_progress" ? "nhsuk-tag--blue" : "nhsuk-tag--grey";
  return (
    <>
      <strong className={`nhsuk-tag ${tag}`}>{actionStatusLabel(status)}</strong>
      {overdue && (
        <>
          {" "}
          <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
        </>
      )}
    </>
  );
}

type ActionRow = {
  id: number;
  auditId: number;
  auditTitle?: string;
  description: string;
  criterion: string | null;
  owner?: string;
  services?: { name: string }[];
  dueDate: string;
  status: string;
  overdue: boolean;
};

/**
 * The one table of actions (an audit's plan, all audits, My actions): which columns show is
 * the page's choice; every row links to the action.
 */
export function ActionsTable({
  actions,
  caption,
  captionHidden = false,
  columns,
}: {
  actions: ActionRow[];
  caption: string;
  captionHidden?: boolean;
  columns: { audit?: boolean; criterion?: boolean; owner?: boolean; services?: boolean };
}) {
  return (
    <table className="nhsuk-table-responsive nhsuk-table">
      <caption className={`nhsuk-table__caption ${captionHidden ? "nhsuk-u-visually-hidden" : "nhsuk-table__caption--s"}`}>{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">What will change</th>
          {columns.audit && <th scope="col" className="nhsuk-table__header">Audit</th>}
          {columns.criterion && <th scope="col" className="nhsuk-table__header">Criterion</th>}
          {columns.owner && <th scope="col" className="nhsuk-table__header">Owner</th>}
          {columns.services && <th scope="col" className="nhsuk-table__header">Services</th>}
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
            {columns.audit && (
              <td className="nhsuk-table__cell">
                <Link to={`/audits/${a.auditId}/actions`}>{a.auditTitle}</Link>
              </td>
            )}
            {columns.criterion && <td className="nhsuk-table__cell">{a.criterion ?? "No single criterion"}</td>}
            {columns.owner && <td className="nhsuk-table__cell">{a.owner}</td>}
            {columns.services && <td className="nhsuk-table__cell">{a.services?.length ? a.services.map((s) => s.name).join(", ") : "All services"}</td>}
            <td className="nhsuk-table__cell">{formatDate(a.dueDate)}</td>
            <td className="nhsuk-table__cell">
              <ActionStatusTags status={a.status} overdue={a.overdue} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
