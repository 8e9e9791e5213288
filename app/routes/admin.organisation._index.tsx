import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, GovForm, TextInput } from "~/components/form";
import { BackLink } from "~/components/ui";
import { ProviderSchema } from "~/schemas/organisation";
import { createProvider, listProviders } from "~/models/organisation.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Organisation – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageOrganisation");
  return { providers: await listProviders(db) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageOrganisation");
  const form = await readForm(request);
  const parsed = parseForm(ProviderSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    const provider = await createProvider(db, user, parsed.data, request);
    return redirect(`/admin/providers/${provider.id}?added=provider`);
  }, { field: "name" });
}

export default function Organisation() {
  const { providers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const form = useForm({ resolver: zodResolver(ProviderSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      <h1>Organisation</h1>
      <p>Audits cover one or more services. Each service belongs to a provider, and can have teams that cases are recorded against.</p>
      <h2>Providers</h2>
      {providers.length === 0 ? (
        <p>There are no providers yet. Add one below, then add its services.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Providers and how many services each has</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Provider</th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">Services</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {providers.map((p) => (
              <tr className="nhsuk-table__row" key={p.id}>
                <td className="nhsuk-table__cell">
                  <Link to={`/admin/providers/${p.id}`}>{p.name}</Link>
                </td>
                <td className="nhsuk-table__cell app-table-numeric">{p.service_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2>Add a provider</h2>
          <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
            <TextInput name="name" label="Provider name" hint="The organisation that runs the services, for example Northshire Community Healthcare NHS Trust" />
            <Button>Add provider</Button>
          </GovForm>
        </div>
      </div>
    </>
  );
}
