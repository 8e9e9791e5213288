import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import * as z from "zod/mini";
import { Button, GovForm, TextInput, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner } from "~/components/ui";
import { ProviderSchema, ServiceSchema } from "~/schemas/organisation";
import { createService, getProvider, listServices, renameProvider } from "~/models/organisation.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import type { Db } from "~/utils/db.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.provider.name ?? "Provider"} – Safeguarding case-file audit` }];

/** Two forms on one page need different field names (each control's id is its name). */
const RenameProviderSchema = z.object({ providerName: ProviderSchema.shape.name });

async function requireProvider(db: Db, param: string | undefined) {
  const provider = await getProvider(db, Number(param));
  if (!provider) throw new Response("This provider does not exist.", { status: 404, statusText: "Not Found" });
  return provider;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageOrganisation");
  const provider = await requireProvider(db, params.providerId);
  const services = await listServices(db, provider.id);
  const search = new URL(request.url).searchParams;
  const addedService = services.find((s) => s.id === Number(search.get("service")));
  const notice =
    search.get("added") === "provider"
      ? `${provider.name} has been added. Now add its services.`
      : addedService
        ? `${addedService.name} has been added.`
        : search.get("renamed")
          ? `The provider has been renamed to ${provider.name}.`
          : null;
  return {
    provider: { id: provider.id, name: provider.name },
    services: services.map((s) => ({ id: s.id, name: s.name, teamCount: s.team_count })),
    notice,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageOrganisation");
  const form = await readForm(request);
  const provider = await requireProvider(db, params.providerId);
  const here = `/admin/providers/${provider.id}`;
  const intent = form.get("intent");

  if (intent === "add-service") {
    const parsed = parseForm(ServiceSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const service = await createService(db, user, provider.id, parsed.data, request);
      if (!service) throw new Response("This provider does not exist.", { status: 404, statusText: "Not Found" });
      return redirect(`${here}?service=${service.id}`);
    }, { field: "name" });
  }

  if (intent === "rename") {
    const parsed = parseForm(RenameProviderSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await renameProvider(db, user, provider.id, { name: parsed.data.providerName }, request);
      return redirect(`${here}?renamed=1`);
    }, { field: "providerName" });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

export default function ProviderPage() {
  const { provider, services, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values.intent;
  const addForm = useForm({ resolver: zodResolver(ServiceSchema), mode: "onSubmit", shouldFocusError: false });
  const renameForm = useForm({ resolver: zodResolver(RenameProviderSchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ "add-service": addForm, rename: renameForm }, failed);
  return (
    <>
      <BackLink to="/admin/organisation">Back to organisation</BackLink>
      <span className="nhsuk-caption-l">Provider</span>
      <h1>{provider.name}</h1>
      {notice && !actionData && <Banner>{notice}</Banner>}
      <h2>Services</h2>
      {services.length === 0 ? (
        <p>This provider has no services yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Services of {provider.name} and how many teams each has</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Service</th>
              <th scope="col" className="nhsuk-table__header app-table-numeric">Teams</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {services.map((s) => (
              <tr className="nhsuk-table__row" key={s.id}>
                <td className="nhsuk-table__cell">
                  <Link to={`/admin/services/${s.id}`}>{s.name}</Link>
                </td>
                <td className="nhsuk-table__cell app-table-numeric">{s.teamCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2>Add a service</h2>
          <GovForm form={addForm} serverErrors={failed === "add-service" ? actionData?.errors : undefined} values={failed === "add-service" ? actionData?.values : undefined}>
            <input type="hidden" name="intent" value="add-service" />
            <TextInput name="name" label="Service name" hint="For example, Health visiting, Emergency department or Looked-after children's health team" />
            <Button>Add service</Button>
          </GovForm>

          <h2>Rename this provider</h2>
          <GovForm
            form={renameForm}
            serverErrors={failed === "rename" ? actionData?.errors : undefined}
            values={failed === "rename" ? actionData?.values : { providerName: provider.name }}
          >
            <input type="hidden" name="intent" value="rename" />
            <TextInput name="providerName" label="Provider name" />
            <Button secondary>Save name</Button>
          </GovForm>
        </div>
      </div>
    </>
  );
}
