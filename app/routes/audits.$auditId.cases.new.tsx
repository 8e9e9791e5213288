import { isAuditOpen } from "~/lib/audit-status";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CaseForm } from "~/components/case-form";
import { Textarea } from "~/components/form";
import { BackLink } from "~/components/ui";
import { todayInLondon } from "~/lib/dates";
import { caseSchema, type CaseInput } from "~/schemas/case";
import { caseWithReasonSchema } from "~/schemas/sampling";
import { caseFormContext, requireAudit } from "~/models/audits.server";
import { addCase, sampleDrawn } from "~/models/cases.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Add a case – Safeguarding case-file audit" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "editCases");
  const audit = await requireAudit(db, params.auditId);
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so no more cases can be added.", { status: 403 });
  // Once the sample is drawn, a case added by hand is a change to it, and needs a reason.
  return { audit: { id: audit.id, title: audit.title }, ctx: caseFormContext(audit, todayInLondon()), needsReason: await sampleDrawn(db, audit.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "editCases");
  const audit = await requireAudit(db, params.auditId);
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so no more cases can be added.", { status: 403 });
  const form = await readForm(request);
  const ctx = caseFormContext(audit, todayInLondon());
  const needsReason = await sampleDrawn(db, audit.id);
  const parsed = parseForm(needsReason ? caseWithReasonSchema(ctx) : caseSchema(ctx), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const sampleReason = needsReason ? (parsed.data as unknown as { sampleReason: string }).sampleReason : null;
  return orInvalid(parsed.values, async () => {
    const row = await addCase(db, user, audit, parsed.data as CaseInput, request, { sampleReason });
    return redirect(`/audits/${audit.id}/cases/${row.id}`);
  });
}

export default function NewCase() {
  const { audit, ctx, needsReason } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
        <span className="nhsuk-caption-l">{audit.title}</span>
        <h1>Add a case</h1>
        {needsReason && <p>The sample for this audit has been drawn, so a case added by hand is a change to it. Say why you are adding it: the reason is listed with the audit.</p>}
        <CaseForm
          ctx={ctx}
          serverErrors={actionData?.errors}
          values={actionData?.values}
          submitLabel="Add case and start scoring"
          schema={needsReason ? caseWithReasonSchema : caseSchema}
        >
          {needsReason && <Textarea name="sampleReason" label="Why are you adding this case to the sample?" hint="For example, a reviewer asked for this case to be audited" />}
        </CaseForm>
      </div>
    </div>
  );
}
