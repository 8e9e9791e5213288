/**
 * API tokens (administrators): every token with its user, name, when created and last used and
 * whether revoked; create one for a user (shown once, never again); revoke one. All logged.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, CsrfInput, GovForm, Select, TextInput } from "~/components/form";
import { BackLink, Banner } from "~/components/ui";
import { formatDateTimeLondon } from "~/lib/dates";
import { ROLE_LABELS } from "~/lib/permissions";
import { createApiToken, listApiTokens, listTokenOwners, revokeApiToken } from "~/models/api-tokens.server";
import { NewApiTokenSchema } from "~/schemas/api-token";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "API tokens – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageApiTokens");
  const [tokens, owners] = await Promise.all([listApiTokens(db), listTokenOwners(db)]);
  const revokedId = Number(new URL(request.url).searchParams.get("revoked"));
  const revoked = tokens.find((t) => t.id === revokedId && t.revoked_at);
  return {
    revoked: revoked ? revoked.name : null,
    owners: owners.map((o) => ({ value: String(o.id), label: `${o.name} (${o.email}, ${ROLE_LABELS[o.role]})` })),
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      user: t.user_name,
      email: t.user_email,
      userDisabled: Boolean(t.user_disabled_at),
      createdBy: t.created_by_name,
      created: formatDateTimeLondon(t.created_at),
      lastUsed: t.last_used_at ? formatDateTimeLondon(t.last_used_at) : null,
      revoked: t.revoked_at ? formatDateTimeLondon(t.revoked_at) : null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageApiTokens");
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "revoke") {
    const revoked = await revokeApiToken(db, user, Number(form.get("tokenId")), request);
    if (!revoked) throw new Response("This API token does not exist.", { status: 404, statusText: "Not Found" });
    return redirect(`/admin/api-tokens?revoked=${revoked.id}`);
  }
  const parsed = parseForm(NewApiTokenSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    const created = await createApiToken(db, user, parsed.data, request);
    // The token is in this answer only: never cached, never shown again.
    return data(
      { created: { token: created.token, name: created.name, user: created.user.name }, errors: undefined, values: undefined },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}

export default function ApiTokens() {
  const { tokens, owners, revoked } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const created = actionData && "created" in actionData ? actionData.created : null;
  const form = useForm({ resolver: zodResolver(NewApiTokenSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      <h1>API tokens</h1>
      <p>
        A token lets a program such as Power BI or Excel read audits, audit summaries and trends from the JSON API at <code>/api/v1</code>, with the
        permissions of the user it belongs to. It cannot change anything.
      </p>
      {revoked && <Banner>The token {revoked} has been revoked. Programs using it can no longer read the API.</Banner>}
      {created && (
        <div className="nhsuk-card nhsuk-card--feature" data-testid="new-token">
          <div className="nhsuk-card__content nhsuk-card__content--feature">
            <h2 className="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-m">Token created</h2>
            <p>
              The token {created.name} for {created.user}:
            </p>
            <p>
              <code className="app-token" style={{ wordBreak: "break-all", fontSize: "1.1rem" }}>
                {created.token}
              </code>
            </p>
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Copy it now
                </span>
              </h3>
              <p>This is the only time the token is shown. Only a fingerprint of it is kept, so it cannot be shown again. Store it like a password; if it is lost, revoke it and create another.</p>
            </div>
          </div>
        </div>
      )}

      <h2>Create a token</h2>
      <GovForm form={form} serverErrors={actionData && "errors" in actionData ? actionData.errors : undefined} values={actionData && "values" in actionData ? actionData.values : undefined}>
        <Select name="userId" label="User" hint="The token can read only what this user's role can see" options={owners} placeholder="Select a user" />
        <TextInput name="name" label="Name" hint="What it is for, so you recognise it later, for example Power BI compliance dashboard" autoComplete="off" />
        <Button name="intent" value="create">
          Create token
        </Button>
      </GovForm>

      <h2>Tokens</h2>
      {tokens.length === 0 ? (
        <p>There are no API tokens yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">API tokens, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Name</th>
              <th scope="col" className="nhsuk-table__header">User</th>
              <th scope="col" className="nhsuk-table__header">Created</th>
              <th scope="col" className="nhsuk-table__header">Last used</th>
              <th scope="col" className="nhsuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {tokens.map((t) => (
              <tr className="nhsuk-table__row" key={t.id} data-token={t.id}>
                <td className="nhsuk-table__cell">{t.name}</td>
                <td className="nhsuk-table__cell">
                  {t.user}
                  <br />
                  <span className="nhsuk-body-s">{t.email}</span>
                  {t.userDisabled && (
                    <>
                      {" "}
                      <strong className="nhsuk-tag nhsuk-tag--grey">Account disabled</strong>
                    </>
                  )}
                </td>
                <td className="nhsuk-table__cell">
                  {t.created}
                  <br />
                  <span className="nhsuk-body-s">by {t.createdBy}</span>
                </td>
                <td className="nhsuk-table__cell">{t.lastUsed ?? "Never"}</td>
                <td className="nhsuk-table__cell">
                  {t.revoked ? (
                    <>
                      <strong className="nhsuk-tag nhsuk-tag--grey">Revoked</strong>
                      <br />
                      <span className="nhsuk-body-s">{t.revoked}</span>
                    </>
                  ) : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="tokenId" value={t.id} />
                      <button type="submit" name="intent" value="revoke" className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0">
                        Revoke<span className="nhsuk-u-visually-hidden"> {t.name}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
