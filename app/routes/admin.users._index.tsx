import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, Banner } from "~/components/ui";
import { ROLE_LABELS } from "~/lib/permissions";
import { formatDateTimeLondon } from "~/lib/dates";
import { listUsers } from "~/models/users.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Users – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageUsers");
  const users = await listUsers(db);
  const addedId = Number(new URL(request.url).searchParams.get("added"));
  const added = users.find((u) => u.id === addedId);
  return {
    added: added ? added.name : null,
    users: users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: ROLE_LABELS[u.role],
      disabled: Boolean(u.disabled_at),
      lastSignIn: u.last_sign_in_at ? formatDateTimeLondon(u.last_sign_in_at) : null,
    })),
  };
}

export default function Users() {
  const { users, added } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      <h1>Users</h1>
      {added && <Banner>{added} has been added. They can now sign in with the password you set.</Banner>}
      <Link to="/admin/users/new" className="nhsuk-button">
        Add a user
      </Link>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Everyone who can sign in to this service</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Name</th>
            <th scope="col" className="nhsuk-table__header">Email address</th>
            <th scope="col" className="nhsuk-table__header">Role</th>
            <th scope="col" className="nhsuk-table__header">Status</th>
            <th scope="col" className="nhsuk-table__header">Last signed in</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {users.map((u) => (
            <tr className="nhsuk-table__row" key={u.id}>
              <td className="nhsuk-table__cell">
                <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
              </td>
              <td className="nhsuk-table__cell">{u.email}</td>
              <td className="nhsuk-table__cell">{u.role}</td>
              <td className="nhsuk-table__cell">
                {u.disabled ? <strong className="nhsuk-tag nhsuk-tag--grey">Disabled</strong> : <strong className="nhsuk-tag nhsuk-tag--green">Active</strong>}
              </td>
              <td className="nhsuk-table__cell">{u.lastSignIn ?? "Never"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
