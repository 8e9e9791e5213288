import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, CsrfInput, ErrorSummary, GovForm, Textarea } from "~/components/form";
import { AuditStatusTag, BackLink, Banner, RagTag, SummaryList } from "~/components/ui";
import { formatDate, formatDateTimeLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { reopenAuditSchema } from "~/schemas/sampling";
import { listCasesToAssign } from "~/models/allocation.server";
import { completeAudit, reopenAudit, requireAudit } from "~/models/audits.server";
import { auditProgress } from "~/models/results.server";
import { listSampleChanges, samplingOverview } from "~/models/sampling.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.audit.title ?? "Audit"} – Safeguarding case-file audit` }];

const DONE = { excluded: "The case has been excluded from the sample. It is listed under changes after the draw.", completed: "The audit is complete. It is now read-only.", reopened: "The audit has been reopened. Cases can be scored and changed again.", "results-imported": "The historical results have been imported as a completed audit. Its results and trends include them." } as const;
type Done = keyof typeof DONE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewAudits");
  const audit = await requireAudit(db, params.auditId);
  const progress = await auditProgress(db, audit);
  const overview = await samplingOverview(db, audit.id);
  const canViewCases = can(user.role, "viewCases");
  const open = isAuditOpen(audit.status);
  const assignees = canViewCases ? new Map((await listCasesToAssign(db, audit.id)).map((c) => [c.id, c.assignee_name])) : new Map<number, string | null>();
  const search = new URL(request.url).searchParams;
  const done = search.get("done");
  const imported = Number(search.get("imported"));
  return {
    audit: {
      id: audit.id,
      title: audit.title,
      status: audit.status,
      completedAt: audit.completed_at ? formatDateTimeLondon(audit.completed_at) : null,
      periodStart: audit.period_start,
      periodEnd: audit.period_end,
      templateTitle: audit.template.title,
      templateKey: audit.templateKey,
      templateVersion: audit.templateVersion,
      services: audit.services.map((s) => `${s.name} (${s.provider_name})`),
    },
    progress: { complete: progress.complete, total: progress.total },
    population: { total: overview.population, imported: overview.imported, handAdded: overview.handAdded, excluded: overview.excluded },
    sample: overview.sample && { seed: overview.sample.seed, drawnBy: overview.sample.drawnBy, drawnAt: formatDateTimeLondon(overview.sample.drawnAt) },
    // Managers see counts and results, never the case list (or the reasons given for changes to it).
    cases: canViewCases ? progress.cases.map((c) => ({ ...c, assignee: assignees.get(c.id) ?? null })) : null,
    changes: canViewCases
      ? (await listSampleChanges(db, audit.id)).map((c) => ({ ...c, at: c.at ? formatDateTimeLondon(c.at) : null }))
      : null,
    canEdit: can(user.role, "editCases") && open,
    canChangeDetails: can(user.role, "createAudit") && open,
    canManageSample: can(user.role, "manageSample") && open,
    canComplete: can(user.role, "completeAudit") && open,
    canReopen: can(user.role, "reopenAudit") && !open,
    followUp: {
      moderate: can(user.role, "reviewQuality") && audit.status !== "draft",
      reaudit: can(user.role, "createAudit") && !open,
      reauditOf: audit.reaudit_of,
      reauditDue: audit.reaudit_due,
      closedAt: audit.closed_at ? formatDateTimeLondon(audit.closed_at) : null,
    },
    done: done && done in DONE ? (done as Done) : null,
    imported: Number.isInteger(imported) && imported > 0 ? imported : null,
  };
}

/** Status changes: "Mark as complete" (completeAudit) and "Reopen" with a reason (reopenAudit). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "viewAudits");
  const audit = await requireAudit(db, params.auditId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/audits/${audit.id}`;

  if (intent === "complete") {
    if (!can(user.role, "completeAudit")) throw new Response("You do not have permission to complete an audit.", { status: 403, statusText: "Forbidden" });
    if (!isAuditOpen(audit.status)) throw new Response("This audit is already complete.", { status: 403, statusText: "Forbidden" });
    return orInvalid({ intent }, async () => {
      await completeAudit(db, user, audit, request);
      return redirect(`${here}?done=completed`);
    });
  }

  if (intent === "reopen") {
    if (!can(user.role, "reopenAudit")) throw new Response("Only a reviewer or administrator can reopen an audit.", { status: 403, statusText: "Forbidden" });
    const parsed = parseForm(reopenAuditSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await reopenAudit(db, user, audit.id, parsed.data.reason, request);
      return redirect(`${here}?done=reopened`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

function percentText(p: number | null) {
  return p === null ? "No applicable criteria" : `${p.toFixed(1)}%`;
}

function StatusControls({ data, actionData }: { data: ReturnType<typeof useLoaderData<typeof loader>>; actionData: ReturnType<typeof useActionData<typeof action>> }) {
  const failed = actionData?.values.intent;
  const reopenForm = useForm({ resolver: zodResolver(reopenAuditSchema), mode: "onSubmit", shouldFocusError: false });
  const completeError = failed === "complete" ? actionData?.errors.complete : undefined;
  const { audit, progress } = data;
  if (!data.canComplete && !data.canReopen) return null;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h2>Audit status</h2>
        {data.canComplete && (
          <>
            {completeError && <ErrorSummary errors={{ complete: completeError }} />}
            <p>
              An audit can be marked as complete once every case in the sample is complete, or has been excluded with a reason. A complete audit is read-only: only a reviewer or
              administrator can reopen it.
            </p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="complete" />
              <div className={`nhsuk-form-group${completeError ? " nhsuk-form-group--error" : ""}`}>
                {completeError && (
                  <span className="nhsuk-error-message" id="complete-error">
                    <span className="nhsuk-u-visually-hidden">Error:</span> {completeError}
                  </span>
                )}
                <button className="nhsuk-button" data-module="nhsuk-button" type="submit" id="complete" aria-describedby={completeError ? "complete-error" : undefined}>
                  Mark as complete
                </button>
              </div>
            </Form>
            {progress.total > progress.complete && !completeError && (
              <p className="nhsuk-body-s">
                {progress.total - progress.complete} of {progress.total} cases are still incomplete.
              </p>
            )}
          </>
        )}
        {data.canReopen && (
          <>
            <p>This audit was completed on {audit.completedAt}. Reopening it lets cases be scored and changed again; your reason is kept in the audit log.</p>
            <GovForm form={reopenForm} serverErrors={failed === "reopen" ? actionData?.errors : undefined} values={failed === "reopen" ? actionData?.values : undefined}>
              <input type="hidden" name="intent" value="reopen" />
              <Textarea name="reason" label="Why are you reopening this audit?" />
              <Button secondary>Reopen audit</Button>
            </GovForm>
          </>
        )}
      </div>
    </div>
  );
}

export default function AuditOverview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { audit, progress, population, sample, cases, changes, canEdit, canChangeDetails, canManageSample } = data;
  return (
    <>
      <BackLink to="/audits">Back to audits</BackLink>
      <span className="nhsuk-caption-l">
        {audit.templateTitle}, version {audit.templateVersion}
      </span>
      <h1>{audit.title}</h1>
      {data.done && !actionData && <Banner>{DONE[data.done]}</Banner>}
      {data.imported && !actionData && (
        <Banner title="Case list imported">
          {data.imported === 1 ? "1 case has" : `${data.imported} cases have`} been added to the population.{" "}
          {data.canManageSample && <Link to={`/audits/${data.audit.id}/sample`}>Draw the sample</Link>}
        </Banner>
      )}
      <SummaryList
        rows={[
          { key: "Status", value: audit.completedAt ? <><AuditStatusTag status={audit.status} /> on {audit.completedAt}</> : <AuditStatusTag status={audit.status} /> },
          { key: "Template", value: <Link to={`/templates/${audit.templateKey}/${audit.templateVersion}`}>{`${audit.templateTitle} (version ${audit.templateVersion})`}</Link> },
          { key: "Services in scope", value: audit.services.join(", ") },
          { key: "Audit period", value: `${formatDate(audit.periodStart)} to ${formatDate(audit.periodEnd)}` },
          {
            key: "Population",
            value: `${population.total} ${population.total === 1 ? "case" : "cases"} (${population.imported} imported, ${population.handAdded} added by hand)${population.excluded ? `, ${population.excluded} excluded` : ""}`,
          },
          {
            key: "Sample",
            value: sample ? `${progress.total} ${progress.total === 1 ? "case" : "cases"}, drawn by ${sample.drawnBy} on ${sample.drawnAt} with seed ${sample.seed}` : `${progress.total} ${progress.total === 1 ? "case" : "cases"}, not drawn at random yet`,
          },
          { key: "Progress", value: `${progress.complete} of ${progress.total} cases complete` },
        ]}
      />
      {canChangeDetails && (
        <p>
          <Link to={`/audits/${audit.id}/edit`}>Change audit details</Link>
        </p>
      )}
      {canManageSample && (
        <ul className="nhsuk-list">
          <li>
            <Link to={`/audits/${audit.id}/import`}>Import a case list</Link>
          </li>
          <li>
            <Link to={`/audits/${audit.id}/sample`}>{sample ? "See or change the sample" : "Draw the sample"}</Link>
          </li>
          <li>
            <Link to={`/audits/${audit.id}/allocate`}>Assign cases</Link>
          </li>
        </ul>
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
      <h2>Quality and follow-through</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to={`/audits/${audit.id}/actions`}>Action plan</Link>
          {data.followUp.closedAt && ` (closed on ${data.followUp.closedAt})`}
        </li>
        {data.followUp.moderate && (
          <li>
            <Link to={`/audits/${audit.id}/moderation`}>Moderation: score cases again, blind, and settle disagreements</Link>
          </li>
        )}
        {data.followUp.reaudit && (
          <li>
            <Link to={`/audits/${audit.id}/reaudit`}>{data.followUp.reauditDue ? `Re-audit (due by ${formatDate(data.followUp.reauditDue)})` : "Schedule a re-audit"}</Link>
          </li>
        )}
        {data.followUp.reauditOf && (
          <li>
            <Link to={`/audits/${audit.id}/compare`}>Compare with the audit this one repeats</Link>
          </li>
        )}
      </ul>
      <StatusControls data={data} actionData={actionData} />
      {cases && (
        <>
          <h2>Cases</h2>
          {cases.length === 0 ? (
            <p>No cases have been added to the sample yet.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Cases in this audit's sample</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Case reference</th>
                  <th scope="col" className="nhsuk-table__header">Service</th>
                  <th scope="col" className="nhsuk-table__header">Team</th>
                  <th scope="col" className="nhsuk-table__header">Assigned to</th>
                  <th scope="col" className="nhsuk-table__header">Answered</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Case score</th>
                  <th scope="col" className="nhsuk-table__header">RAG</th>
                  {canManageSample && (
                    <th scope="col" className="nhsuk-table__header">
                      <span className="nhsuk-u-visually-hidden">Actions</span>
                    </th>
                  )}
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
                    <td className="nhsuk-table__cell">{c.assignee ?? "Not assigned"}</td>
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
                    {canManageSample && (
                      <td className="nhsuk-table__cell">
                        <Link to={`/audits/${audit.id}/cases/${c.id}/exclude`}>
                          Exclude<span className="nhsuk-u-visually-hidden"> case {c.caseRef}</span>
                        </Link>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {changes && changes.length > 0 && (
        <>
          <h2>Changes after the draw</h2>
          <p>Cases added to the sample by hand, and cases excluded from it, each with the reason given.</p>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Changes to the sample after the draw</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Case reference</th>
                <th scope="col" className="nhsuk-table__header">Change</th>
                <th scope="col" className="nhsuk-table__header">Reason</th>
                <th scope="col" className="nhsuk-table__header">Who</th>
                <th scope="col" className="nhsuk-table__header">When</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {changes.map((c) => (
                <tr className="nhsuk-table__row" key={`${c.caseId}-${c.change}`}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/audits/${audit.id}/cases/${c.caseId}`}>{c.caseRef}</Link>
                  </td>
                  <td className="nhsuk-table__cell">{c.change === "added" ? "Added to the sample" : "Excluded"}</td>
                  <td className="nhsuk-table__cell">{c.reason}</td>
                  <td className="nhsuk-table__cell">{c.by ?? "Not recorded"}</td>
                  <td className="nhsuk-table__cell">{c.at ?? "Not recorded"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
