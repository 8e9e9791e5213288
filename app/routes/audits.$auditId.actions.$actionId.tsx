/** One action: what, who, when and what it addresses; move it on (open, in progress, done with evidence). */
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { ActionStatusTags } from "~/components/action-status";
import { Button, GovForm, Radios, Textarea } from "~/components/form";
import { BackLink, Banner, SummaryList } from "~/components/ui";
import { ACTION_STATUS_LABELS, ACTION_STATUSES } from "~/lib/actions";
import { formatDate, formatDateTimeLondon, todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { requireAction, updateActionStatus } from "~/models/actions.server";
import { requireAudit } from "~/models/audits.server";
import { actionStatusSchema } from "~/schemas/actions";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Action: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const audit = await requireAudit(db, params.auditId);
  const action = await requireAction(db, audit.id, params.actionId, todayInLondon());
  return {
    audit: { id: audit.id, title: audit.title },
    action,
    values: { status: action.status, evidence: action.evidence ?? "" },
    canManage: can(user.role, "manageActions"),
    saved: new URL(request.url).searchParams.get("saved") === "1",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageActions");
  const audit = await requireAudit(db, params.auditId);
  const existing = await requireAction(db, audit.id, params.actionId, todayInLondon());
  const form = await readForm(request);
  const parsed = parseForm(actionStatusSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await updateActionStatus(db, user, audit.id, existing.id, parsed.data, request);
    return redirect(`/audits/${audit.id}/actions/${existing.id}?saved=1`);
  });
}

export default function ActionPage() {
  const { audit, action: a, values, canManage, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const form = useForm({ resolver: zodResolver(actionStatusSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${audit.id}/actions`}>Back to the action plan</BackLink>
        <span className="nhsuk-caption-l">{audit.title}</span>
        <h1>Action</h1>
        {saved && !actionData && <Banner>The action has been updated. The change is recorded in the audit log.</Banner>}
        <SummaryList
          rows={[
            { key: "What will change", value: a.description },
            { key: "Criterion", value: a.criterion ?? "No single criterion" },
            { key: "Services", value: a.services.length ? a.services.map((s) => s.name).join(", ") : "All services" },
            { key: "Owner", value: a.owner },
            { key: "Due date", value: formatDate(a.dueDate) },
            { key: "Status", value: <ActionStatusTags status={a.status} overdue={a.overdue} /> },
            ...(a.evidence ? [{ key: "Evidence", value: a.evidence }] : []),
            ...(a.completedAt ? [{ key: "Done on", value: formatDateTimeLondon(a.completedAt) }] : []),
          ]}
        />
        {canManage && (
          <>
            <h2>Update this action</h2>
            <GovForm key={`${a.status}|${a.evidence ?? ""}`} form={form} serverErrors={actionData?.errors} values={actionData?.values ?? values}>
              <Radios name="status" legend="Status" legendSize="s" options={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s], hint: s === "done" ? "Say what shows it is done" : undefined }))} />
              <Textarea name="evidence" label="Evidence" hint="Needed when the action is done: for example, what changed and where it can be seen" rows={4} />
              <Button>Save</Button>
            </GovForm>
          </>
        )}
      </div>
    </div>
  );
}
