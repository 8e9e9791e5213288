import { isAuditOpen } from "~/lib/audit-status";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CaseForm } from "~/components/case-form";
import { CsrfInput } from "~/components/form";
import { BackLink } from "~/components/ui";
import { todayInLondon } from "~/lib/dates";
import { caseSchema, type CaseInput } from "~/schemas/case";
import { caseFormContext, requireAudit } from "~/models/audits.server";
import { caseToFormValues, deleteCase, getCase, updateCase } from "~/models/cases.server";
import { logCaseView } from "~/utils/audit-log.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Change case details – Safeguarding case-file audit" }];

async function load(request: Request, params: Record<string, string | undefined>) {
  const { db, user } = await requireUser(request, "editCases");
  const audit = await requireAudit(db, params.auditId);
  const c = await getCase(db, audit.id, Number(params.caseId));
  if (!c) throw new Response("This case does not exist in this audit.", { status: 404, statusText: "Not Found" });
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so its cases cannot be changed.", { status: 403 });
  return { db, user, audit, c };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit, c } = await load(request, params);
  await logCaseView(db, user, { id: c.id, caseRef: c.case_ref, auditId: audit.id }, "change case details", request);
  return {
    audit: { id: audit.id, title: audit.title },
    caseId: c.id,
    caseRef: c.case_ref,
    ctx: caseFormContext(audit, todayInLondon()),
    values: caseToFormValues(c, audit.template.caseFields),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit, c } = await load(request, params);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    await deleteCase(db, user, audit.id, c.id, request);
    return redirect(`/audits/${audit.id}`);
  }
  const parsed = parseForm(caseSchema(caseFormContext(audit, todayInLondon())), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await updateCase(db, user, audit.id, c.id, parsed.data as CaseInput, request);
    return redirect(`/audits/${audit.id}/cases/${c.id}`);
  });
}

export default function EditCase() {
  const { audit, caseId, caseRef, ctx, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${audit.id}/cases/${caseId}`}>Back to case {caseRef}</BackLink>
        <span className="nhsuk-caption-l">{audit.title}</span>
        <h1>Change case details</h1>
        <CaseForm ctx={ctx} serverErrors={actionData?.errors} values={actionData?.values ?? values} submitLabel="Save case details" />
        <h2>Remove this case</h2>
        <p>Removing the case also removes its answers. This is recorded in the audit log.</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="delete" />
          <button className="nhsuk-button nhsuk-button--warning" type="submit">
            Remove case {caseRef}
          </button>
        </Form>
      </div>
    </div>
  );
}
