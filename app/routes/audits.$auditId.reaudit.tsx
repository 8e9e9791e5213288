import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, DateInput, GovForm } from "~/components/form";
import { AuditStatusTag, BackLink, Banner, SummaryList } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { REAUDIT_MONTHS } from "~/lib/reaudit";
import { isoToParts } from "~/schemas/fields";
import { reauditSchema } from "~/schemas/reaudit";
import { requireAudit } from "~/models/audits.server";
import { canBeReaudited, createReaudit, previousSample, reauditPlan, scheduleReaudit } from "~/models/reaudit.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Re-audit: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

// Scheduling (the due date) is part of the action plan (manageActions); creating the re-audit
// is creating an audit (createAudit).
async function load(request: Request, auditIdParam: string | undefined) {
  const { db, user } = await requireUser(request, "manageActions");
  const audit = await requireAudit(db, auditIdParam);
  return { db, user, audit };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);
  const plan = await reauditPlan(db, audit);
  const due = plan.due ?? plan.defaultDue;
  return {
    audit: { id: audit.id, title: audit.title, status: audit.status },
    eligible: canBeReaudited(audit),
    plan,
    values: { due: isoToParts(due) },
    canCreate: can(user.role, "createAudit") && plan.links.reaudits.length === 0,
    canCompare: can(user.role, "viewResults"),
    // When this audit is itself a re-audit: how the original's sample was drawn, to reuse.
    previousSample: audit.reaudit_of ? await previousSample(db, audit.reaudit_of) : null,
    done: new URL(request.url).searchParams.get("done") === "scheduled",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);
  if (!canBeReaudited(audit)) throw new Response("A re-audit can only be scheduled once this audit is complete.", { status: 403, statusText: "Forbidden" });
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "schedule" && intent !== "create") throw new Response("The form could not be read. Go back and try again.", { status: 400 });
  if (intent === "create" && !can(user.role, "createAudit")) throw new Response("Only an auditor or administrator can create a re-audit.", { status: 403, statusText: "Forbidden" });
  const { completedOn } = await reauditPlan(db, audit);
  const parsed = parseForm(reauditSchema(completedOn ?? "1900-01-01"), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    if (intent === "create") {
      const created = await createReaudit(db, user, audit, parsed.data, request);
      return redirect(`/audits/${created.id}`);
    }
    await scheduleReaudit(db, user, audit, parsed.data, request);
    return redirect(`/audits/${audit.id}/reaudit?done=scheduled`);
  });
}

function PreviousSample({ sample }: { sample: NonNullable<Awaited<ReturnType<typeof loader>>["previousSample"]> | null }) {
  if (!sample) return <>The sample was not drawn in this app (cases were added by hand).</>;
  return (
    <>
      {sample.methodText}, drawn from {sample.populationSize} {sample.populationSize === 1 ? "case" : "cases"}, seed <code>{sample.seed}</code>
    </>
  );
}

export default function Reaudit() {
  const { audit, eligible, plan, values, canCreate, canCompare, previousSample: prior, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => reauditSchema(plan.completedOn ?? "1900-01-01"), [plan.completedOn]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  const existing = plan.links.reaudits[0];
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
        <span className="nhsuk-caption-l">{audit.title}</span>
        <h1>{eligible && !existing ? "Schedule a re-audit" : "Re-audit"}</h1>
        {done && <Banner>The re-audit due date has been saved and recorded in the audit log.</Banner>}

        {plan.links.reauditOf && (
          <>
            <h2>This audit is a re-audit</h2>
            <p>
              It repeats <Link to={`/audits/${plan.links.reauditOf.id}`}>{plan.links.reauditOf.title}</Link>.{" "}
              {canCompare && <Link to={`/audits/${audit.id}/compare`}>Compare the two audits</Link>}
            </p>
            <p>
              How the original sample was drawn: <PreviousSample sample={prior} />. To compare like with like, draw this audit's sample the same way on its{" "}
              <Link to={`/audits/${audit.id}/sample`}>sampling page</Link>.
            </p>
          </>
        )}

        {!eligible ? (
          <p>A re-audit can be scheduled once this audit is complete. It is {audit.status === "draft" ? "a draft" : "in progress"}.</p>
        ) : (
          <>
            {existing && (
              <div className="nhsuk-inset-text">
                <p>
                  This audit has been re-audited: <Link to={`/audits/${existing.id}`}>{existing.title}</Link> <AuditStatusTag status={existing.status} />
                </p>
                {canCompare && (
                  <p>
                    <Link to={`/audits/${existing.id}/compare`}>Compare the re-audit with this audit</Link>
                  </p>
                )}
              </div>
            )}
            {!existing && (
              <>
                <h2>What the re-audit copies</h2>
                <SummaryList
                  rows={[
                    { key: "Title", value: plan.title },
                    {
                      key: "Template",
                      value: plan.template ? (
                        <>
                          <p className={plan.template.version === plan.pinnedVersion ? "nhsuk-u-margin-bottom-0" : undefined}>
                            {plan.template.title}, version {plan.template.version} (the latest)
                          </p>
                          {plan.template.version !== plan.pinnedVersion && (
                            <p className="nhsuk-u-margin-bottom-0">
                              This audit used version {plan.pinnedVersion}. Criteria are compared by their id
                              {plan.criteriaAdded.length + plan.criteriaRemoved.length === 0 ? "; none were added or removed." : "."}
                            </p>
                          )}
                        </>
                      ) : (
                        "Not found"
                      ),
                    },
                    ...(plan.criteriaAdded.length
                      ? [{ key: "New criteria", value: <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0">{plan.criteriaAdded.map((c) => <li key={c.id}>{c.question}</li>)}</ul> }]
                      : []),
                    ...(plan.criteriaRemoved.length
                      ? [{ key: "Criteria no longer audited", value: <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0">{plan.criteriaRemoved.map((c) => <li key={c.id}>{c.question}</li>)}</ul> }]
                      : []),
                    {
                      key: "Services in scope",
                      value: <ul className="nhsuk-list nhsuk-u-margin-bottom-0">{plan.services.map((s) => <li key={s.id}>{s.name} ({s.providerName})</li>)}</ul>,
                    },
                    {
                      key: "Audit period",
                      value: `${formatDate(plan.period.periodStart)} to ${formatDate(plan.period.periodEnd)}: as long as this audit's, starting the day after it ended. You can change it on the re-audit's details page.`,
                    },
                    {
                      key: "Sampling",
                      value: (
                        <>
                          <p>
                            This audit: <PreviousSample sample={plan.sample} />.
                          </p>
                          <p className="nhsuk-u-margin-bottom-0">Cases and the sample are not copied. Draw the re-audit's sample on its sampling page, using the same method so the figures are comparable.</p>
                        </>
                      ),
                    },
                  ]}
                />
              </>
            )}

            <h2>When is the re-audit due?</h2>
            {plan.completedOn && (
              <p>
                This audit was completed on {formatDate(plan.completedOn)}. A re-audit is usually due within {REAUDIT_MONTHS} months
                {plan.defaultDue ? `, by ${formatDate(plan.defaultDue)}` : ""}.
              </p>
            )}
            <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values ?? values}>
              <DateInput name="due" legend="Re-audit due date" hint={`For example, ${plan.defaultDue ? isoHint(plan.defaultDue) : "15 3 2027"}`} />
              <div className="nhsuk-button-group">
                {canCreate && (
                  <Button name="intent" value="create">
                    Create the re-audit now
                  </Button>
                )}
                <Button name="intent" value="schedule" secondary={canCreate}>
                  Save the due date
                </Button>
              </div>
            </GovForm>
          </>
        )}
      </div>
    </div>
  );
}

/** "2027-03-15" → "15 3 2027", the GOV.UK date hint. */
function isoHint(iso: string) {
  const p = isoToParts(iso);
  return `${p.day} ${p.month} ${p.year}`;
}
