import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import * as z from "zod/mini";
import { Button, GovForm, Select, TextInput, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner } from "~/components/ui";
import { idChoice, requiredText } from "~/schemas/fields";
import { ServiceSchema, TeamSchema } from "~/schemas/organisation";
import { createTeam, getService, listTeams, renameService, renameTeam } from "~/models/organisation.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import type { Db } from "~/utils/db.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.service.name ?? "Service"} – Safeguarding case-file audit` }];

/** Several forms on one page need different field names (each control's id is its name). */
const RenameServiceSchema = z.object({ serviceName: ServiceSchema.shape.name });
const RenameTeamSchema = z.object({
  teamId: idChoice("Select the team to rename"),
  newTeamName: requiredText("Enter the new name for the team", { max: 120, label: "Team name" }),
});

async function requireService(db: Db, param: string | undefined) {
  const service = await getService(db, Number(param));
  if (!service) throw new Response("This service does not exist.", { status: 404, statusText: "Not Found" });
  return service;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageOrganisation");
  const service = await requireService(db, params.serviceId);
  const teams = await listTeams(db, service.id);
  const search = new URL(request.url).searchParams;
  const team = teams.find((t) => t.id === Number(search.get("team")));
  const notice = team
    ? search.get("renamed")
      ? `The team has been renamed to ${team.name}.`
      : `${team.name} has been added.`
    : search.get("renamed")
      ? `The service has been renamed to ${service.name}.`
      : null;
  return {
    service: { id: service.id, name: service.name, providerId: service.provider_id, providerName: service.provider_name },
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    notice,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageOrganisation");
  const form = await readForm(request);
  const service = await requireService(db, params.serviceId);
  const here = `/admin/services/${service.id}`;
  const intent = form.get("intent");

  if (intent === "add-team") {
    const parsed = parseForm(TeamSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const team = await createTeam(db, user, service.id, parsed.data, request);
      if (!team) throw new Response("This service does not exist.", { status: 404, statusText: "Not Found" });
      return redirect(`${here}?team=${team.id}`);
    }, { field: "name" });
  }

  if (intent === "rename") {
    const parsed = parseForm(RenameServiceSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await renameService(db, user, service.id, { name: parsed.data.serviceName }, request);
      return redirect(`${here}?renamed=1`);
    }, { field: "serviceName" });
  }

  if (intent === "rename-team") {
    const parsed = parseForm(RenameTeamSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const team = await renameTeam(db, user, parsed.data.teamId, { name: parsed.data.newTeamName }, request, service.id);
      if (!team) return invalid({ teamId: "Select the team to rename" }, parsed.values);
      return redirect(`${here}?team=${team.id}&renamed=1`);
    }, { field: "newTeamName" });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

export default function ServicePage() {
  const { service, teams, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values.intent;
  const errorsFor = (intent: string) => (failed === intent ? actionData?.errors : undefined);
  const valuesFor = (intent: string) => (failed === intent ? actionData?.values : undefined);
  const addForm = useForm({ resolver: zodResolver(TeamSchema), mode: "onSubmit", shouldFocusError: false });
  const renameForm = useForm({ resolver: zodResolver(RenameServiceSchema), mode: "onSubmit", shouldFocusError: false });
  const renameTeamForm = useForm({ resolver: zodResolver(RenameTeamSchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ "add-team": addForm, rename: renameForm, "rename-team": renameTeamForm }, failed);
  return (
    <>
      <BackLink to={`/admin/providers/${service.providerId}`}>Back to {service.providerName}</BackLink>
      <span className="nhsuk-caption-l">{service.providerName}</span>
      <h1>{service.name}</h1>
      {notice && !actionData && <Banner>{notice}</Banner>}
      <h2>Teams</h2>
      {teams.length === 0 ? (
        <p>This service has no teams yet. Teams are optional: add them if you want to see results by team.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Teams in {service.name}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Team</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {teams.map((t) => (
              <tr className="nhsuk-table__row" key={t.id}>
                <td className="nhsuk-table__cell">{t.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2>Add a team</h2>
          <GovForm form={addForm} serverErrors={errorsFor("add-team")} values={valuesFor("add-team")}>
            <input type="hidden" name="intent" value="add-team" />
            <TextInput name="name" label="Team name" hint="For example, North locality health visiting team" />
            <Button>Add team</Button>
          </GovForm>

          {teams.length > 0 && (
            <>
              <h2>Rename a team</h2>
              <GovForm form={renameTeamForm} serverErrors={errorsFor("rename-team")} values={valuesFor("rename-team")}>
                <input type="hidden" name="intent" value="rename-team" />
                <Select name="teamId" label="Team" options={teams.map((t) => ({ value: String(t.id), label: t.name }))} placeholder="Select a team" />
                <TextInput name="newTeamName" label="New team name" />
                <Button secondary>Rename team</Button>
              </GovForm>
            </>
          )}

          <h2>Rename this service</h2>
          <GovForm form={renameForm} serverErrors={errorsFor("rename")} values={valuesFor("rename") ?? { serviceName: service.name }}>
            <input type="hidden" name="intent" value="rename" />
            <TextInput name="serviceName" label="Service name" />
            <Button secondary>Save name</Button>
          </GovForm>
        </div>
      </div>
    </>
  );
}
