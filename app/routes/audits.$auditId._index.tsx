import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AuditStatusTag, BackLink, RagTag, SummaryList } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { requireAudit } from "~/models/audits.server";
import { auditProgress } from "~/models/results.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.audit.title ?? "Audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewAudits");
  const audit = await requireAudit(db, params.auditId);
  const progress = await auditProgress(db, audit);
  const canViewCases = can(user.role, "viewCases");
  return {
    audit: {
      id: audit.id,
      title: audit.title,
      status: audit.status,
      periodStart: audit.period_start,
      periodEnd: audit.period_end,
      templateTitle: audit.template.title,
      templateKey: audit.templateKey,
      templateVersion: audit.templateVersion,
      services: audit.services.map((s) => `${s.name} (${s.provider_name})`),
    },
    progress: { complete: progress.complete, total: progress.total },
    // Managers see counts and results, never the case list.
    cases: canViewCases ? progress.cases : null,
    canEdit: can(user.role, "editCases") && audit.status !== "complete",
    canChangeDetails: can(user.role, "createAudit") && audit.status !== "complete",
  };
}

function percentText(p: number | null) {
  return p === null ? "No applicable criteria" : `${p.toFixed(1)}%`;
}

export default function AuditOverview() {
  const { audit, progress, cases, canEdit, canChangeDetails } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/audits">Back to audits</BackLink>
      <span className="nhsuk-caption-l">
        {audit.templateTitle}, version {audit.templateVersion}
      </span>
      <h1>{audit.title}</h1>
      <SummaryList
        rows={[
          { key: "Status", value: <AuditStatusTag status={audit.status} /> },
          { key: "Template", value: <Link to={`/templates/${audit.templateKey}/${audit.templateVersion}`}>{`${audit.templateTitle} (version ${audit.templateVersion})`}</Link> },
          { key: "Services in scope", value: audit.services.join(", ") },
          { key: "Audit period", value: `${formatDate(audit.periodStart)} to ${formatDate(audit.periodEnd)}` },
          { key: "Progress", value: `${progress.complete} of ${progress.total} cases complete` },
        ]}
      />
      {canChangeDetails && (
        <p>
          <Link to={`/audits/${audit.id}/edit`}>Change audit details</Link>
        </p>
      )}
      <div className="nhsuk-u-margin-bottom-5">
        {canEdit && (
          <Link to={`/audits/${audit.id}/cases/new`} className="nhsuk-button nhsuk-u-margin-right-3">
            Add a case
          </Link>
        )}
        <Link to={`/audits/${audit.id}/results`} className="nhsuk-button nhsuk-button--secondary">
          See results
        </Link>
      </div>
      {cases && (
        <>
          <h2>Cases</h2>
          {cases.length === 0 ? (
            <p>No cases have been added yet.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Cases in this audit</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Case reference</th>
                  <th scope="col" className="nhsuk-table__header">Service</th>
                  <th scope="col" className="nhsuk-table__header">Team</th>
                  <th scope="col" className="nhsuk-table__header">Answered</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Case score</th>
                  <th scope="col" className="nhsuk-table__header">RAG</th>
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
                      {c.answered} of {c.total}
                      {c.complete ? (
                        <strong className="nhsuk-tag nhsuk-tag--green nhsuk-u-margin-left-2">Complete</strong>
                      ) : (
                        <strong className="nhsuk-tag nhsuk-tag--grey nhsuk-u-margin-left-2">In progress</strong>
                      )}
                    </td>
                    <td className="nhsuk-table__cell app-table-numeric">{percentText(c.percent)}</td>
                    <td className="nhsuk-table__cell">
                      <RagTag rag={c.rag} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
