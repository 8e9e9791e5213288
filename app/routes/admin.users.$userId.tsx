import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { ROLES, type Role } from "../../db/schema";
import { Button, CsrfInput, ErrorSummary, GovForm, Radios, TextInput, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner, SummaryList } from "~/components/ui";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/lib/permissions";
import { ChangeRoleSchema, ResetPasswordSchema } from "~/schemas/account";
import { formatDateTimeLondon } from "~/lib/dates";
import { changeRole, getUser, resetPassword, setDisabled } from "~/models/users.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import type { Db } from "~/utils/db.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? "User"} – Safeguarding case-file audit` }];

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], hint: ROLE_DESCRIPTIONS[r] }));

const LAST_ADMIN_ROLE = "You cannot change the role of the only active administrator. Make another user an administrator first, so that someone can still manage users";
const LAST_ADMIN_DISABLE = "You cannot disable the only active administrator. Make another user an administrator first, so that someone can still manage users";
const SELF_DISABLE = "You cannot disable your own account. Ask another administrator to do this";

const DONE = ["role", "disabled", "enabled", "password"] as const;
type Done = (typeof DONE)[number];

async function requireTarget(db: Db, param: string | undefined) {
  const target = await getUser(db, Number(param));
  if (!target) throw new Response("This user does not exist.", { status: 404, statusText: "Not Found" });
  return target;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "manageUsers");
  const target = await requireTarget(db, params.userId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    user: {
      id: target.id,
      name: target.name,
      email: target.email,
      role: target.role,
      disabled: Boolean(target.disabled_at),
      disabledAt: target.disabled_at ? formatDateTimeLondon(target.disabled_at) : null,
      lastSignIn: target.last_sign_in_at ? formatDateTimeLondon(target.last_sign_in_at) : null,
      createdAt: formatDateTimeLondon(target.created_at),
    },
    isSelf: target.id === user.id,
    canReadLog: can(user.role, "readAuditLog"),
    done: DONE.includes(done as Done) ? (done as Done) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageUsers");
  const form = await readForm(request);
  const target = await requireTarget(db, params.userId);
  const intent = form.get("intent");
  const here = `/admin/users/${target.id}`;

  if (intent === "role") {
    const parsed = parseForm(ChangeRoleSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    const { role } = parsed.data;
    return orInvalid(
      parsed.values,
      async () => {
        await changeRole(db, user, target.id, role, request);
        // Someone who has just given up being an administrator can no longer see this page.
        return redirect(target.id === user.id && !can(role, "manageUsers") ? "/" : `${here}?done=role`);
      },
      { field: "role", message: LAST_ADMIN_ROLE },
    );
  }

  if (intent === "disable" || intent === "enable") {
    const values = { intent };
    if (intent === "disable" && target.id === user.id) return invalid({ disable: SELF_DISABLE }, values);
    return orInvalid(
      values,
      async () => {
        await setDisabled(db, user, target.id, intent === "disable", request);
        return redirect(`${here}?done=${intent}d`);
      },
      { field: "disable", message: LAST_ADMIN_DISABLE },
    );
  }

  if (intent === "password") {
    const parsed = parseForm(ResetPasswordSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await resetPassword(db, user, target.id, parsed.data.password, request);
      return redirect(`${here}?done=password`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

function doneMessage(done: Done, name: string, role: Role) {
  switch (done) {
    case "role":
      return `${name}'s role is now ${ROLE_LABELS[role]}.`;
    case "disabled":
      return `${name}'s account has been disabled. They have been signed out, cannot sign in, and their API tokens have been revoked.`;
    case "enabled":
      return `${name}'s account has been enabled. They can sign in again.`;
    case "password":
      return `A new password has been set for ${name}. They have been signed out and need the new password to sign in.`;
  }
}

export default function UserPage() {
  const { user, isSelf, canReadLog, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values.intent;
  const roleForm = useForm({ resolver: zodResolver(ChangeRoleSchema), mode: "onSubmit", shouldFocusError: false });
  const passwordForm = useForm({ resolver: zodResolver(ResetPasswordSchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ role: roleForm, password: passwordForm }, failed);
  const disableError = failed === "disable" ? actionData?.errors.disable : undefined;
  return (
    <>
      <BackLink to="/admin/users">Back to users</BackLink>
      <span className="nhsuk-caption-l">User</span>
      <h1>{user.name}</h1>
      {done && !actionData && <Banner>{doneMessage(done, user.name, user.role)}</Banner>}
      <SummaryList
        rows={[
          { key: "Name", value: user.name },
          { key: "Email address", value: user.email },
          { key: "Role", value: ROLE_LABELS[user.role] },
          {
            key: "Status",
            value: user.disabled ? (
              <>
                <strong className="nhsuk-tag nhsuk-tag--grey">Disabled</strong> since {user.disabledAt}
              </>
            ) : (
              <strong className="nhsuk-tag nhsuk-tag--green">Active</strong>
            ),
          },
          { key: "Last signed in", value: user.lastSignIn ?? "Never" },
          { key: "Added", value: user.createdAt },
        ]}
      />
      {canReadLog && (
        <p>
          <Link to={`/admin/audit-log?user=${user.id}`}>See what {isSelf ? "you have" : `${user.name} has`} done in the audit log</Link>
        </p>
      )}

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2>Change role</h2>
          <GovForm
            form={roleForm}
            serverErrors={failed === "role" ? actionData?.errors : undefined}
            values={failed === "role" ? actionData?.values : { role: user.role }}
          >
            <input type="hidden" name="intent" value="role" />
            <Radios name="role" legend={`What should ${user.name} be able to do?`} legendSize="s" options={ROLE_OPTIONS} />
            <Button>Change role</Button>
          </GovForm>

          <h2>{user.disabled ? "Enable account" : "Disable account"}</h2>
          {user.disabled ? (
            <>
              <p>{user.name} cannot sign in while their account is disabled.</p>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="enable" />
                <Button secondary>Enable account</Button>
              </Form>
            </>
          ) : isSelf ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>You cannot disable your own account. Ask another administrator if it needs to be disabled.</p>
            </div>
          ) : (
            <>
              {disableError && <ErrorSummary errors={{ disable: disableError }} />}
              <p>Disabling an account signs {user.name} out straight away, stops them signing in and revokes their API tokens for good. Their audit work is kept.</p>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="disable" />
                <div className={`nhsuk-form-group${disableError ? " nhsuk-form-group--error" : ""}`}>
                  {disableError && (
                    <span className="nhsuk-error-message" id="disable-error">
                      <span className="nhsuk-u-visually-hidden">Error:</span> {disableError}
                    </span>
                  )}
                  <button className="nhsuk-button nhsuk-button--warning" data-module="nhsuk-button" type="submit" id="disable" aria-describedby={disableError ? "disable-error" : undefined}>
                    Disable account
                  </button>
                </div>
              </Form>
            </>
          )}

          <h2>Set a new password</h2>
          <p>
            Use this if {isSelf ? "you have" : `${user.name} has`} forgotten {isSelf ? "your" : "their"} password. {isSelf ? "You" : "They"} will be signed out everywhere and
            will need the new password to sign in.
          </p>
          <GovForm form={passwordForm} serverErrors={failed === "password" ? actionData?.errors : undefined} values={failed === "password" ? actionData?.values : undefined}>
            <input type="hidden" name="intent" value="password" />
            <TextInput name="password" label="New password" type="password" autoComplete="new-password" hint="Must be 12 characters or more, not a common password, and not contain their name or email address" />
            <Button secondary>Set new password</Button>
          </GovForm>
        </div>
      </div>
    </>
  );
}
