import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionStatusTags } from "~/components/action-status";
import { AuditStatusTag, BackLink } from "~/components/ui";
import { formatDate, formatDateShort } from "~/lib/dates";
import { isAuditOpen } from "~/lib/audit-status";
import { requireAudit } from "~/models/audits.server";
import { compareWithOriginal, getReauditLinks } from "~/models/reaudit.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Compare with the original audit: ${data?.reaudit.title ?? "re-audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewResults");
  const audit = await requireAudit(db, params.auditId);
  if (!audit.reaudit_of) {
    // The original's address leads to its re-audit's comparison.
    const { reaudits } = await getReauditLinks(db, audit);
    if (reaudits.length) throw redirect(`/audits/${reaudits[0].id}/compare`);
    throw new Response("This audit is not a re-audit and has not been re-audited, so there is nothing to compare it with.", { status: 404, statusText: "Not Found" });
  }
  const comparison = await compareWithOriginal(db, audit);
  if (!comparison) throw new Response("The audit this re-audit repeats no longer exists.", { status: 404, statusText: "Not Found" });
  return { ...comparison, reauditOpen: isAuditOpen(audit.status) };
}

type Data = Awaited<ReturnType<typeof loader>>;
type Row = Data["rows"][number];
type Action = Data["actions"][number];

function Side({ f }: { f: Row["before"] }) {
  if (!f) return <>Not audited</>;
  return (
    <>
      {f.text}
      {f.smallSample && f.denominator > 0 && (
        <>
          <br />
          <strong className="nhsuk-tag nhsuk-tag--grey">Small sample</strong>
        </>
      )}
    </>
  );
}

function ActionStatus({ a }: { a: Action }) {
  return <ActionStatusTags status={a.status} overdue={a.overdue} />;
}

export default function Compare() {
  const { original, reaudit, rows, actions, reauditOpen } = useLoaderData<typeof loader>();
  const byCriterion = new Map<string, Action[]>();
  for (const a of actions) if (a.criterionId) byCriterion.set(a.criterionId, [...(byCriterion.get(a.criterionId) ?? []), a]);
  const matched = rows.filter((r) => r.match === "both");
  const significant = matched.filter((r) => r.test?.significant);
  return (
    <>
      <BackLink to={`/audits/${reaudit.id}`}>Back to {reaudit.title}</BackLink>
      <span className="nhsuk-caption-l">{reaudit.title}</span>
      <h1>Compare with the original audit</h1>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">The two audits</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header"></th>
            <th scope="col" className="nhsuk-table__header">Before (original audit)</th>
            <th scope="col" className="nhsuk-table__header">After (re-audit)</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          <tr className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__cell">Audit</th>
            <td className="nhsuk-table__cell">
              <Link to={`/audits/${original.id}`}>{original.title}</Link> <AuditStatusTag status={original.status} />
            </td>
            <td className="nhsuk-table__cell">
              <Link to={`/audits/${reaudit.id}`}>{reaudit.title}</Link> <AuditStatusTag status={reaudit.status} />
            </td>
          </tr>
          <tr className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__cell">Period</th>
            <td className="nhsuk-table__cell">
              {formatDate(original.periodStart)} to {formatDate(original.periodEnd)}
            </td>
            <td className="nhsuk-table__cell">
              {formatDate(reaudit.periodStart)} to {formatDate(reaudit.periodEnd)}
            </td>
          </tr>
          <tr className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__cell">Template version</th>
            <td className="nhsuk-table__cell">{original.templateVersion}</td>
            <td className="nhsuk-table__cell">{reaudit.templateVersion}</td>
          </tr>
          <tr className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__cell">Cases scored</th>
            <td className="nhsuk-table__cell">{original.caseCount}</td>
            <td className="nhsuk-table__cell">{reaudit.caseCount}</td>
          </tr>
        </tbody>
      </table>
      {reauditOpen && (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              The re-audit is not complete
            </span>
          </h2>
          <p>Its figures are for the cases scored so far and will change.</p>
        </div>
      )}
      <p>
        {significant.length === 0
          ? `None of the ${matched.length} criteria in both audits changed by more than chance alone would usually explain.`
          : `${significant.length} of the ${matched.length} criteria in both audits changed by more than chance alone would usually explain.`}
      </p>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">How the change is tested</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>
            Criteria are matched by their id in the two templates. The change is the re-audit's compliance minus the original's, in percentage points. A two-proportion test asks whether a change
            that large would often happen by chance between two samples of these sizes if practice had not changed. A p-value below 0.05 means it would not, so the change is probably real.
          </p>
          <p>With fewer than 10 applicable cases (marked “Small sample”) the test is rough: treat its answer with care.</p>
        </div>
      </details>
      <table className="nhsuk-table-responsive nhsuk-table">
        <caption className="nhsuk-table__caption">Each criterion before and after</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Criterion</th>
            <th scope="col" className="nhsuk-table__header">Before</th>
            <th scope="col" className="nhsuk-table__header">After</th>
            <th scope="col" className="nhsuk-table__header app-table-numeric">Change (percentage points)</th>
            <th scope="col" className="nhsuk-table__header">Larger than chance?</th>
            <th scope="col" className="nhsuk-table__header">Actions since the original audit</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((r) => {
            const taken = byCriterion.get(r.criterionId) ?? [];
            return (
              <tr className="nhsuk-table__row" key={r.criterionId} data-row={`criterion-${r.criterionId}`}>
                <th scope="row" className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Criterion </span>
                  {r.question}
                  {r.match !== "both" && (
                    <>
                      {" "}
                      <strong className="nhsuk-tag nhsuk-tag--grey">{r.match === "new" ? "New" : "Removed"}</strong>
                    </>
                  )}
                </th>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Before </span>
                  <Side f={r.before} />
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">After </span>
                  <Side f={r.after} />
                </td>
                <td className="nhsuk-table__cell app-table-numeric">
                  <span className="nhsuk-table-responsive__heading">Change (percentage points) </span>
                  {r.changeText ?? "None to show"}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Larger than chance? </span>
                  {r.testText}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Actions since the original audit </span>
                  {taken.length === 0 ? (
                    "None"
                  ) : (
                    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                      {taken.map((a) => (
                        <li key={a.id}>
                          {a.description} <ActionStatus a={a} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>Actions taken since the original audit</h2>
      {actions.length === 0 ? (
        <p>The original audit has no actions recorded.</p>
      ) : (
        <table className="nhsuk-table-responsive nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Actions from the original audit</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Action</th>
              <th scope="col" className="nhsuk-table__header">Criterion</th>
              <th scope="col" className="nhsuk-table__header">Owner</th>
              <th scope="col" className="nhsuk-table__header">Due</th>
              <th scope="col" className="nhsuk-table__header">Status</th>
              <th scope="col" className="nhsuk-table__header">Evidence</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {actions.map((a) => (
              <tr className="nhsuk-table__row" key={a.id} data-row={`action-${a.id}`}>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Action </span>
                  {a.description}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Criterion </span>
                  {a.criterion ?? "Not linked to a criterion"}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Owner </span>
                  {a.owner}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Due </span>
                  {formatDateShort(a.dueDate)}
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Status </span>
                  <ActionStatus a={a} />
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading">Evidence </span>
                  {a.evidence ?? "None recorded"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
