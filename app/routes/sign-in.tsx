import { zodResolver } from "@hookform/resolvers/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, GovForm, TextInput } from "~/components/form";
import { Banner } from "~/components/ui";
import { SignInSchema, type SignInInput } from "~/schemas/account";
import { describeWait } from "~/lib/sign-in-throttle";
import { authenticate, countUsers } from "~/models/users.server";
import { logEvent } from "~/utils/audit-log.server";
import { getOptionalUser, safeRedirect } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { createSession, destroySession, sessionCookie } from "~/utils/session.server";
import { invalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Sign in – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  if ((await countUsers(db)) === 0) throw redirect("/setup");
  if (user) throw redirect("/");
  return { signedOutEverywhere: new URL(request.url).searchParams.get("signedOut") === "everywhere" };
}

function throttledMessage(scope: "email" | "address", waitSeconds: number) {
  const from = scope === "email" ? "with this email address from your network" : "from your network";
  return `There have been too many unsuccessful attempts to sign in ${from}. Wait ${describeWait(waitSeconds)}, then try again`;
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user: previous } = await getOptionalUser(request);
  const form = await readForm(request);
  const parsed = parseForm(SignInSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const result = await authenticate(db, parsed.data.email, parsed.data.password, request);
  if (!result.ok) {
    const message =
      result.reason === "throttled"
        ? throttledMessage(result.scope, result.waitSeconds)
        : {
            disabled: "Your account has been disabled. Contact your administrator if you need access",
            invalid: "Enter a correct email address and password",
          }[result.reason];
    return data({ errors: { email: message }, values: { email: parsed.data.email } }, { status: 400 });
  }
  // One browser, one session: whoever was signed in here before (this user or another) is
  // signed out, so their token cannot be used again.
  await destroySession(db, request);
  if (previous) await logEvent(db, { actor: previous, action: "sign-out", entity: "session", after: { reason: "another sign-in in the same browser" }, request });
  const token = await createSession(db, result.user.id, { unsuccessfulAttempts: result.unsuccessfulAttempts });
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": sessionCookie(request, token) } });
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const loaderData = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const form = useForm<SignInInput>({ resolver: zodResolver(SignInSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Sign in</h1>
        {loaderData?.signedOutEverywhere && !actionData && <Banner>You have been signed out everywhere: on this and every other browser and device.</Banner>}
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
