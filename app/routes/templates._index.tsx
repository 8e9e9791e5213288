import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listLatestTemplates } from "~/models/templates.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Audit templates – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewTemplates");
  return { templates: await listLatestTemplates(db) };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit templates</h1>
      <p>Each template turns the criteria inspectors use into a checklist, with guidance on what counts as met and where each criterion comes from.</p>
      {templates.length === 0 ? (
        <p>No templates have been loaded.</p>
      ) : (
        <ul className="nhsuk-list">
          {templates.map((t) => (
            <li key={t.id}>
              <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
                <Link to={`/templates/${t.key}/${t.version}`}>{t.title}</Link>
              </h2>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">Version {t.version}</p>
              <p>{t.description}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
