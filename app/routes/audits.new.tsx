import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { AuditDetailsFields } from "~/components/audit-fields";
import { Button, GovForm, Radios } from "~/components/form";
import { BackLink } from "~/components/ui";
import { todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { newAuditSchema } from "~/schemas/audit";
import { createAudit, listServicesForScope } from "~/models/audits.server";
import { listLatestTemplates } from "~/models/templates.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Start an audit – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "createAudit");
  const [templates, services] = await Promise.all([listLatestTemplates(db), listServicesForScope(db)]);
  return { templates, services, today: todayInLondon(), canManageOrganisation: can(user.role, "manageOrganisation") };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "createAudit");
  const form = await readForm(request);
  const parsed = parseForm(newAuditSchema(todayInLondon()), form, { arrays: ["serviceIds"] });
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    const audit = await createAudit(db, user, parsed.data, request);
    return redirect(`/audits/${audit.id}`);
  });
}

export default function NewAudit() {
  const { templates, services, today, canManageOrganisation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => newAuditSchema(today), [today]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  if (services.length === 0 || templates.length === 0) {
    return (
      <>
        <BackLink to="/audits">Back to audits</BackLink>
        <h1>Start an audit</h1>
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {templates.length === 0 ? (
            <p>No audit templates have been loaded. An administrator needs to add one to the audit-templates folder.</p>
          ) : canManageOrganisation ? (
            <p>
              Before you can start an audit, <Link to="/admin/organisation">add a provider and at least one service</Link>.
            </p>
          ) : (
            <p>Before you can start an audit, an administrator needs to add at least one service.</p>
          )}
        </div>
      </>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to="/audits">Back to audits</BackLink>
        <h1>Start an audit</h1>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          <Radios
            name="templateVersionId"
            legend="Which template are you auditing against?"
            options={templates.map((t) => ({ value: String(t.id), label: `${t.title} (version ${t.version})`, hint: t.description }))}
          />
          <AuditDetailsFields services={services} />
          <Button>Start audit</Button>
        </GovForm>
      </div>
    </div>
  );
}
