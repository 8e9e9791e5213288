/**
 * An audit's action plan: the criteria and services below their threshold (red or amber) with
 * their actions, a form to add an action, reasons for no action on red criteria, and closing
 * the audit once every red criterion has an action or a reason.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, Checkboxes, CsrfInput, DateInput, GovForm, Select, TextInput, Textarea, useResetAfterSubmit } from "~/components/form";
import { AuditStatusTag, BackLink, Banner, RagTag } from "~/components/ui";
import { ActionsTable } from "~/components/action-status";
import { defaultDueDate, DEFAULT_DUE_WORKING_DAYS } from "~/lib/actions";
import { formatDate, formatDateTimeLondon, todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { actionPlan, closeAudit, createAction, listPossibleOwners, recordNoActionReason } from "~/models/actions.server";
import { requireAudit } from "~/models/audits.server";
import { newActionSchema, noActionReasonSchema } from "~/schemas/actions";
import { isoToParts } from "~/schemas/fields";
import { allCriteria } from "~/schemas/template";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";
import type { Role } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Action plan: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

/** Closing an audit: the roles that complete or reopen audits (administrator, auditor, reviewer). */
const mayClose = (role: Role) => can(role, "completeAudit") || can(role, "reopenAudit");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const audit = await requireAudit(db, params.auditId);
  const today = todayInLondon();
  const plan = await actionPlan(db, audit, today);
  const url = new URL(request.url);
  const criteria = allCriteria(audit.template);
  const askedCriterion = url.searchParams.get("criterion");
  const criterionId = askedCriterion && criteria.some((c) => c.id === askedCriterion) ? askedCriterion : "";
  const askedService = Number(url.searchParams.get("service"));
  const serviceIds = audit.services.some((s) => s.id === askedService) ? [String(askedService)] : [];
  // The criteria offered in the form: those below threshold, plus one asked for in the link.
  const criterionOptions = criteria
    .filter((c) => plan.criteria.some((p) => p.criterionId === c.id) || c.id === criterionId)
    .map((c) => ({ value: c.id, label: c.question }));
  const dueDate = defaultDueDate(today);
  const created = Number(url.searchParams.get("created")) || null;
  return {
    audit: { id: audit.id, title: audit.title, status: audit.status, closedAt: audit.closed_at },
    today,
    plan,
    owners: (await listPossibleOwners(db)).map((u) => ({ value: String(u.id), label: u.name })),
    services: audit.services.map((s) => ({ value: String(s.id), label: s.name })),
    criterionOptions,
    defaultDueDate: dueDate,
    values: { criterionId, serviceIds, dueDate: isoToParts(dueDate), description: "", ownerUserId: "", ownerRole: "" },
    canManage: can(user.role, "manageActions"),
    canClose: mayClose(user.role),
    done: { created: created !== null, reason: url.searchParams.get("reason") === "saved", closed: url.searchParams.get("closed") === "1" },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageActions");
  const audit = await requireAudit(db, params.auditId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/audits/${audit.id}/actions`;

  if (intent === "create") {
    const parsed = parseForm(newActionSchema(todayInLondon()), form, { arrays: ["serviceIds"] });
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const created = await createAction(db, user, audit, parsed.data, request);
      return redirect(`${here}?created=${created.id}`);
    });
  }

  if (intent === "no-action") {
    const parsed = parseForm(noActionReasonSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await recordNoActionReason(db, user, audit, parsed.data, request);
      return redirect(`${here}?reason=saved`);
    });
  }

  if (intent === "close") {
    if (!mayClose(user.role)) throw new Response("Only an administrator, auditor or reviewer can close an audit.", { status: 403, statusText: "Forbidden" });
    return orInvalid({ intent }, async () => {
      await closeAudit(db, user, audit, request);
      return redirect(`${here}?closed=1`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

type Data = Awaited<ReturnType<typeof loader>>;

function NoActionReasonForm({ criterionId, failed }: { criterionId: string; failed?: { errors: Record<string, string>; values: Record<string, unknown> } }) {
  const form = useForm({ resolver: zodResolver(noActionReasonSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <GovForm form={form} serverErrors={failed?.errors} values={failed?.values ?? { criterionId }}>
      <input type="hidden" name="intent" value="no-action" />
      <input type="hidden" {...form.register("criterionId")} value={criterionId} />
      <Textarea name="reason" label="Why is no action needed?" hint="For example, the shortfall is already being addressed by another plan" />
      <Button secondary>Record the reason</Button>
    </GovForm>
  );
}

export default function ActionPlanPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failedIntent = actionData?.values.intent;
  const schema = useMemo(() => newActionSchema(data.today), [data.today]);
  const createForm = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ create: createForm }, failedIntent);
  const { audit, plan } = data;
  const failedReason = failedIntent === "no-action" ? (actionData as { errors: Record<string, string>; values: Record<string, unknown> }) : undefined;
  const closeError = failedIntent === "close" ? actionData?.errors.close : undefined;
  const red = plan.criteria.filter((c) => c.rag === "red");
  const amber = plan.criteria.filter((c) => c.rag === "amber");

  const criterionSection = (c: Data["plan"]["criteria"][number]) => (
    <section key={c.criterionId} className="nhsuk-u-margin-bottom-6" aria-labelledby={`criterion-${c.criterionId}`} data-criterion={c.criterionId}>
      <h3 id={`criterion-${c.criterionId}`}>{c.question}</h3>
      <p>
        <RagTag rag={c.rag} /> {c.percent}
      </p>
      {c.actions.length > 0 ? (
        <ActionsTable caption="Actions for this criterion" actions={c.actions.map((a) => ({ ...a, auditId: audit.id }))} columns={{ owner: true, services: true }} />
      ) : c.noActionReason ? (
        <div className="nhsuk-inset-text">
          <p>
            No action: {c.noActionReason.reason}
            <br />
            <span className="nhsuk-body-s">
              Recorded by {c.noActionReason.recorded_by_name ?? "a former user"} on {formatDateTimeLondon(c.noActionReason.recorded_at)}
            </span>
          </p>
        </div>
      ) : (
        <p>{c.rag === "red" ? "No action yet. A red criterion needs an action, or a recorded reason for none, before the audit can be closed." : "No action yet."}</p>
      )}
      {data.canManage && (
        <p>
          <Link to={`?criterion=${encodeURIComponent(c.criterionId)}#add-action`}>
            Add an action<span className="nhsuk-u-visually-hidden"> for {c.question}</span>
          </Link>
        </p>
      )}
      {data.canManage && c.rag === "red" && c.actions.length === 0 && (
        <details className="nhsuk-details" open={failedReason?.values.criterionId === c.criterionId}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">{c.noActionReason ? "Change the reason for no action" : "Record a reason for no action"}</span>
          </summary>
          <div className="nhsuk-details__text">
            <NoActionReasonForm criterionId={c.criterionId} failed={failedReason?.values.criterionId === c.criterionId ? failedReason : undefined} />
          </div>
        </details>
      )}
    </section>
  );

  return (
    <>
      <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
      <span className="nhsuk-caption-l">{audit.title}</span>
      <h1>Action plan</h1>
      {data.done.created && !actionData && <Banner>The action has been added. The change is recorded in the audit log.</Banner>}
      {data.done.reason && !actionData && <Banner>The reason for no action has been recorded.</Banner>}
      {data.done.closed && !actionData && <Banner>The audit is closed.</Banner>}
      <p>
        <AuditStatusTag status={audit.status} />
        {audit.closedAt ? ` Closed on ${formatDateTimeLondon(audit.closedAt)}.` : ""}
      </p>
      {audit.status !== "complete" && audit.status !== "closed" && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This audit is not complete yet, so these results may still change.</p>
        </div>
      )}
      <p>
        Results from {plan.caseCount} {plan.caseCount === 1 ? "case" : "cases"}, judged as of {formatDate(plan.asOf)}. <Link to={`/audits/${audit.id}/results`}>See the full results</Link>.
      </p>

      <h2>Criteria below their threshold</h2>
      {plan.criteria.length === 0 ? (
        <p>No criterion is red or amber.</p>
      ) : (
        <>
          {red.map(criterionSection)}
          {amber.map(criterionSection)}
        </>
      )}

      <h2>Services below their threshold</h2>
      {plan.services.length === 0 ? (
        <p>No service is red or amber.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Services below their threshold</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Service</th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">Compliance</th>
              <th scope="col" className="nhsuk-table__header">RAG</th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">Actions</th>
              {data.canManage && (
                <th scope="col" className="nhsuk-table__header">
                  <span className="nhsuk-u-visually-hidden">Add</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {plan.services.map((s) => (
              <tr className="nhsuk-table__row" key={s.serviceId}>
                <td className="nhsuk-table__cell">{s.serviceName}</td>
                <td className="nhsuk-table__cell app-table-numeric">{s.percent}</td>
                <td className="nhsuk-table__cell">
                  <RagTag rag={s.rag} />
                </td>
                <td className="nhsuk-table__cell app-table-numeric">{s.actions}</td>
                {data.canManage && (
                  <td className="nhsuk-table__cell">
                    <Link to={`?service=${s.serviceId}#add-action`}>
                      Add an action<span className="nhsuk-u-visually-hidden"> for {s.serviceName}</span>
                    </Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>All actions for this audit</h2>
      {plan.actions.length === 0 ? <p>There are no actions yet.</p> : <ActionsTable caption="All actions for this audit" actions={plan.actions.map((a) => ({ ...a, auditId: audit.id }))} columns={{ criterion: true, owner: true, services: true }} />}

      {data.canManage && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h2 id="add-action">Add an action</h2>
            {/* Remounted when a link chooses a different criterion or service. */}
            <GovForm
              key={`${data.values.criterionId}|${data.values.serviceIds.join(",")}`}
              form={createForm}
              serverErrors={failedIntent === "create" ? actionData?.errors : undefined}
              values={failedIntent === "create" ? actionData?.values : data.values}
            >
              <input type="hidden" name="intent" value="create" />
              <Select name="criterionId" label="Criterion this action addresses" options={data.criterionOptions} placeholder="No single criterion (for the services below)" />
              <Textarea name="description" label="What will change?" hint="Say what will be done differently, so it can be checked at re-audit" rows={4} />
              <Select name="ownerUserId" label="Owner" hint="The person responsible. If no one person owns it, leave this empty and enter a named role instead" options={data.owners} placeholder="Choose a person" />
              <TextInput name="ownerRole" label="Or a named role" hint="For example, Named nurse for looked-after children" width={30} />
              <DateInput
                name="dueDate"
                legend="Due date"
                hint={`Suggested: ${DEFAULT_DUE_WORKING_DAYS} working days from today, ${formatDate(data.defaultDueDate)}. You can change it`}
              />
              <Checkboxes name="serviceIds" legend="Services this action addresses" legendSize="s" hint="Select all that apply. Needed when the action is not about one criterion" options={data.services} />
              <Button>Add the action</Button>
            </GovForm>
          </div>
        </div>
      )}

      <h2>Close the audit</h2>
      {audit.status === "closed" ? (
        <p>This audit is closed. Its actions can still be updated as they are done.</p>
      ) : audit.status !== "complete" ? (
        <p>An audit can be closed once it is complete and every red criterion has at least one action or a recorded reason for no action.</p>
      ) : (
        <>
          {plan.stillNeeding.length > 0 ? (
            <>
              <p>These red criteria still need at least one action or a recorded reason for no action:</p>
              <ul>
                {plan.stillNeeding.map((c) => (
                  <li key={c.criterionId}>{c.question}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>Every red criterion has an action or a recorded reason for no action.</p>
          )}
          {data.canClose && (
            <Form method="post">
              {closeError && (
                <div className="nhsuk-error-summary" aria-labelledby="close-error-title" role="alert" tabIndex={-1}>
                  <h2 className="nhsuk-error-summary__title" id="close-error-title">
                    There is a problem
                  </h2>
                  <div className="nhsuk-error-summary__body">
                    <p>{closeError}</p>
                  </div>
                </div>
              )}
              <CsrfInput />
              <input type="hidden" name="intent" value="close" />
              <Button>Close the audit</Button>
            </Form>
          )}
        </>
      )}
    </>
  );
}
