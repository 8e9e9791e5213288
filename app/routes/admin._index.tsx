import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "~/lib/permissions";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Administration – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request, "manageUsers");
  return {
    links: {
      users: can(user.role, "manageUsers"),
      organisation: can(user.role, "manageOrganisation"),
      auditLog: can(user.role, "readAuditLog"),
      settings: can(user.role, "manageSettings"),
      demo: can(user.role, "manageOrganisation"),
      importResults: can(user.role, "manageOrganisation"),
      apiTokens: can(user.role, "manageApiTokens"),
    },
  };
}

function Card({ to, title, description }: { to: string; title: string; description: string }) {
  return (
    <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading nhsuk-heading-m">
            <Link className="nhsuk-card__link" to={to}>
              {title}
            </Link>
          </h2>
          <p className="nhsuk-card__description">{description}</p>
        </div>
      </div>
    </li>
  );
}

export default function AdminHome() {
  const { links } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {links.users && <Card to="/admin/users" title="Users" description="Add people, change their role, disable accounts and set new passwords." />}
        {links.organisation && (
          <Card to="/admin/organisation" title="Organisation" description="Providers, their services and teams, which audits and cases are recorded against." />
        )}
        {links.settings && (
          <Card to="/admin/settings" title="Local rules" description="Timescales that are local, not statutory, such as how soon an IHA request must reach health." />
        )}
        {links.apiTokens && (
          <Card to="/admin/api-tokens" title="API tokens" description="Let Power BI or Excel read audits, summaries and trends: create and revoke tokens for the JSON API." />
        )}
        {links.importResults && (
          <Card
            to="/admin/import-results"
            title="Import historical results"
            description="Turn the results of an audit done before this app, from a CSV or Excel file, into a completed audit so trends start on day one."
          />
        )}
        {links.demo && (
          <Card to="/admin/demo" title="Demonstration data" description="Load a fictional trust with two years of audits to see the results and trends at once, and remove it in one step." />
        )}
        {links.auditLog && <Card to="/admin/audit-log" title="Audit log" description="Who did what and when: sign-ins, changes to users, the organisation and audits." />}
      </ul>
    </>
  );
}
