import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, Checkboxes, GovForm, TextInput } from "~/components/form";
import { generateDemoData } from "~/models/demo-data.server";
import { FirstAdminSchema } from "~/schemas/account";
import { countUsers, createFirstAdministrator } from "~/models/users.server";
import { readForm } from "~/utils/csrf.server";
import { getDb } from "~/utils/db.server";
import { createSession, sessionCookie } from "~/utils/session.server";
import { invalid, parseForm, UserInputError } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Create the first administrator account – Safeguarding case-file audit" }];

/** Only reachable while there are no users at all: there is no default password anywhere. */
export async function loader(_: LoaderFunctionArgs) {
  const db = await getDb();
  if ((await countUsers(db)) > 0) throw redirect("/sign-in");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const db = await getDb();
  const form = await readForm(request);
  if ((await countUsers(db)) > 0) throw redirect("/sign-in");
  const parsed = parseForm(FirstAdminSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  let user: Awaited<ReturnType<typeof createFirstAdministrator>>;
  try {
    user = await createFirstAdministrator(db, parsed.data, request);
  } catch (e) {
    // A guessable password, or one containing the name or email address: say so at the field.
    if (e instanceof UserInputError) return invalid({ [e.field ?? "password"]: e.message }, parsed.values);
    throw e;
  }
  if (!user) throw redirect("/sign-in");
  const token = await createSession(db, user.id);
  const headers = { "Set-Cookie": sessionCookie(request, token) };
  if (!parsed.data.loadDemo) return redirect("/admin", { headers });
  // The account exists whatever happens next, so the newcomer is always signed in. Generation is
  // one transaction: if it is refused (already loaded), the Demonstration data page says so and
  // offers it again; on success the dashboard shows the figures at once.
  try {
    await generateDemoData(db, { id: user.id, email: user.email }, {});
  } catch (e) {
    if (!(e instanceof UserInputError)) console.error("Demonstration data could not be loaded on the first-run page:", e);
    return redirect("/admin/demo", { headers });
  }
  return redirect("/dashboard", { headers });
}

export default function Setup() {
  const actionData = useActionData<typeof action>();
  const form = useForm({ resolver: zodResolver(FirstAdminSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Create the first administrator account</h1>
        <p>Nobody has used this service yet. The person who creates this account can add other users, set up the organisation and manage templates.</p>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          <TextInput name="name" label="Full name" autoComplete="name" spellCheck={false} />
          <TextInput name="email" label="Email address" type="email" autoComplete="email" spellCheck={false} hint="Use your work email address, for example name@nhs.net" />
          <TextInput name="password" label="Create a password" type="password" autoComplete="new-password" hint="Must be 12 characters or more, not a common password, and not contain your name or email address. A short phrase of 3 or 4 random words is easy to remember and hard to guess." />
          <TextInput name="confirmPassword" label="Enter the password again" type="password" autoComplete="new-password" />
          <Checkboxes
            name="loadDemo"
            legend="Demonstration data"
            legendSize="s"
            hint="A fictional trust with services, teams and two years of quarterly audits, so you can see the dashboards and charts at once. It is clearly marked and you can remove it in one step from Administration."
            options={[{ value: "yes", label: "Load demonstration data" }]}
          />
          <Button>Create account</Button>
        </GovForm>
      </div>
    </div>
  );
}
