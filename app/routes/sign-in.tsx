import { zodResolver } from "@hookform/resolvers/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useSearchParams } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, GovForm, TextInput } from "~/components/form";
import { SignInSchema, type SignInInput } from "~/schemas/account";
import { authenticate, countUsers, SIGN_IN_WINDOW_MINUTES } from "~/models/users.server";
import { getOptionalUser, safeRedirect } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { createSession, sessionCookie } from "~/utils/session.server";
import { invalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Sign in – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  if ((await countUsers(db)) === 0) throw redirect("/setup");
  if (user) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db } = await getOptionalUser(request);
  const form = await readForm(request);
  const parsed = parseForm(SignInSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const result = await authenticate(db, parsed.data.email, parsed.data.password, request);
  if (!result.ok) {
    const message = {
      disabled: "Your account has been disabled. Contact your administrator if you need access",
      throttled: `There have been too many attempts to sign in with this email address. Wait ${SIGN_IN_WINDOW_MINUTES} minutes, then try again`,
      invalid: "Enter a correct email address and password",
    }[result.reason];
    return data({ errors: { email: message }, values: { email: parsed.data.email } }, { status: 400 });
  }
  const token = await createSession(db, result.user.id);
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": sessionCookie(request, token) } });
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const form = useForm<SignInInput>({ resolver: zodResolver(SignInSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Sign in</h1>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextInput name="email" label="Email address" type="email" autoComplete="username" spellCheck={false} />
          <TextInput name="password" label="Password" type="password" autoComplete="current-password" />
          <Button>Sign in</Button>
        </GovForm>
        <p>You will be signed out after 30 minutes without activity, and after 12 hours in any case.</p>
      </div>
    </div>
  );
}
