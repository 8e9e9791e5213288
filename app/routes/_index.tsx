import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can, ROLE_DESCRIPTIONS } from "~/lib/permissions";
import { countUsers } from "~/models/users.server";
import { getOptionalUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Home – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  if (!user) throw redirect((await countUsers(db)) === 0 ? "/setup" : "/sign-in");
  return {
    name: user.name,
    role: user.role,
    links: {
      audits: can(user.role, "viewAudits"),
      newAudit: can(user.role, "createAudit"),
      admin: can(user.role, "manageUsers"),
    },
  };
}

export default function Home() {
  const { name, role, links } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {name}</h1>
      <p className="nhsuk-lede-text">{ROLE_DESCRIPTIONS[role]}.</p>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {links.audits && (
          <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to="/audits">Audits</Link>
                </h2>
                <p className="nhsuk-card__description">See audits, their progress and results.</p>
              </div>
            </div>
          </li>
        )}
        {links.newAudit && (
          <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to="/audits/new">Start an audit</Link>
                </h2>
                <p className="nhsuk-card__description">Choose a template, the services in scope and the period.</p>
              </div>
            </div>
          </li>
        )}
        {links.admin && (
          <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to="/admin">Administration</Link>
                </h2>
                <p className="nhsuk-card__description">Users, providers, services, teams and the audit log.</p>
              </div>
            </div>
          </li>
        )}
      </ul>
    </>
  );
}
