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
  const cards = [
    { show: true, to: "/dashboard", title: "Dashboard", description: "Latest compliance by service and template, with trends and changes since the last cycle." },
    { show: links.audits, to: "/audits", title: "Audits", description: "See audits, their progress and results." },
    { show: links.newAudit, to: "/audits/new", title: "Start an audit", description: "Choose a template, the services in scope and the period." },
    { show: links.admin, to: "/admin", title: "Administration", description: "Users, providers, services, teams and the audit log." },
  ];
  return (
    <>
      <h1>Welcome, {name}</h1>
      <p className="nhsuk-lede-text">{ROLE_DESCRIPTIONS[role]}.</p>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {cards
          .filter((c) => c.show)
          .map((c) => (
            <li className="nhsuk-grid-column-one-third nhsuk-card-group__item" key={c.to}>
              <div className="nhsuk-card nhsuk-card--clickable">
                <div className="nhsuk-card__content">
                  <h2 className="nhsuk-card__heading nhsuk-heading-m">
                    <Link className="nhsuk-card__link" to={c.to}>
                      {c.title}
                    </Link>
                  </h2>
                  <p className="nhsuk-card__description">{c.description}</p>
                </div>
              </div>
            </li>
          ))}
      </ul>
    </>
  );
}
