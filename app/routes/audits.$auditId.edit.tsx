import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { AuditDetailsFields } from "~/components/audit-fields";
import { Button, CsrfInput, GovForm } from "~/components/form";
import { BackLink } from "~/components/ui";
import { todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { auditDetailsSchema } from "~/schemas/audit";
import { isoToParts } from "~/schemas/fields";
import { deleteAudit, listServicesForScope, requireAudit, updateAudit } from "~/models/audits.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Change audit details – Safeguarding case-file audit" }];

async function load(request: Request, auditIdParam: string | undefined) {
  const { db, user } = await requireUser(request, "createAudit");
  const audit = await requireAudit(db, auditIdParam);
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so its details cannot be changed.", { status: 403 });
  return { db, user, audit };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);
  return {
    audit: { id: audit.id, title: audit.title, templateTitle: audit.template.title, templateVersion: audit.templateVersion },
    values: {
      title: audit.title,
      serviceIds: audit.services.map((s) => String(s.id)),
      periodStart: isoToParts(audit.period_start),
      periodEnd: isoToParts(audit.period_end),
    },
    services: await listServicesForScope(db),
    today: todayInLondon(),
    canDelete: can(user.role, "deleteAudit"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit } = await load(request, params.auditId);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    if (!can(user.role, "deleteAudit")) throw new Response("Only an administrator can delete an audit.", { status: 403, statusText: "Forbidden" });
    await deleteAudit(db, user, audit.id, request);
    return redirect("/audits");
  }
  const parsed = parseForm(auditDetailsSchema(todayInLondon()), form, { arrays: ["serviceIds"] });
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await updateAudit(db, user, audit.id, parsed.data, request);
    return redirect(`/audits/${audit.id}`);
  });
}

export default function EditAudit() {
  const { audit, values, services, today, canDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => auditDetailsSchema(today), [today]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${audit.id}`}>Back to {audit.title}</BackLink>
        <span className="nhsuk-caption-l">
          {audit.templateTitle}, version {audit.templateVersion}
        </span>
        <h1>Change audit details</h1>
        <p>The template version cannot change: cases already scored keep the criteria they were scored against.</p>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values ?? values}>
          <AuditDetailsFields services={services} />
          <Button>Save audit details</Button>
        </GovForm>
        {canDelete && (
          <>
            <h2>Delete this audit</h2>
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  This cannot be undone
                </span>
              </h3>
              <p>Deleting the audit removes all its cases and answers. The audit log keeps a record of what was deleted and by whom.</p>
            </div>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="delete" />
              <button className="nhsuk-button nhsuk-button--warning" type="submit">
                Delete audit
              </button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
