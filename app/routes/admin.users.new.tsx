import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { ROLES } from "../../db/schema";
import { Button, GovForm, Radios, TextInput } from "~/components/form";
import { BackLink } from "~/components/ui";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/lib/permissions";
import { NewUserSchema } from "~/schemas/account";
import { createUser } from "~/models/users.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Add a user – Safeguarding case-file audit" }];

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], hint: ROLE_DESCRIPTIONS[r] }));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "manageUsers");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageUsers");
  const form = await readForm(request);
  const parsed = parseForm(NewUserSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  // A taken email address is shown at the email field, a guessable password at the password field.
  return orInvalid(parsed.values, async () => {
    const created = await createUser(db, user, parsed.data, request);
    return redirect(`/admin/users?added=${created.id}`);
  });
}

export default function NewUser() {
  const actionData = useActionData<typeof action>();
  const form = useForm({ resolver: zodResolver(NewUserSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to="/admin/users">Back to users</BackLink>
        <h1>Add a user</h1>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          <TextInput name="name" label="Full name" autoComplete="off" spellCheck={false} />
          <TextInput name="email" label="Email address" type="email" autoComplete="off" spellCheck={false} hint="Their work email address, for example name@nhs.net. They use it to sign in." />
          <Radios name="role" legend="Role" hint="What they can see and do" options={ROLE_OPTIONS} />
          <TextInput
            name="password"
            label="Create a password for them"
            type="password"
            autoComplete="new-password"
            hint="Must be 12 characters or more, not a common password, and not contain their name or email address. Give it to them in person or by phone, never in the same email as their sign-in address."
          />
          <TextInput name="confirmPassword" label="Enter the password again" type="password" autoComplete="new-password" />
          <Button>Add user</Button>
        </GovForm>
      </div>
    </div>
  );
}
