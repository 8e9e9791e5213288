import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FAMILIES, FAMILY_LABELS } from "~/lib/families";
import { listLatestTemplates } from "~/models/templates.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Audit templates – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewTemplates");
  return { templates: await listLatestTemplates(db) };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  const criterionLink = (t: (typeof templates)[number], id: string) => `/templates/${t.key}/${t.version}#criterion-${id}`;
  return (
    <>
      <h1>Audit templates</h1>
      <p className="nhsuk-lede-text">
        Each template turns the criteria inspectors use into a checklist, with guidance on what counts as met and the review report paragraphs each criterion comes from.
      </p>
      {templates.length === 0 ? (
        <p>No templates have been loaded.</p>
      ) : (
        <>
          <nav aria-labelledby="families-heading" className="nhsuk-u-margin-bottom-6">
            <h2 id="families-heading">Find a headline criterion</h2>
            <p>The five things inspectors and boards ask about most, and where each template checks them.</p>
            {FAMILIES.map((family) => {
              const hits = templates.flatMap((t) => t.families.filter((f) => f.family === family).map((f) => ({ t, f })));
              return (
                <details className="nhsuk-details" key={family}>
                  <summary className="nhsuk-details__summary">
                    <span className="nhsuk-details__summary-text">
                      {FAMILY_LABELS[family]} ({hits.length === 1 ? "1 criterion" : `${hits.length} criteria`} in {new Set(hits.map((h) => h.t.key)).size} templates)
                    </span>
                  </summary>
                  <div className="nhsuk-details__text">
                    <ul className="nhsuk-list nhsuk-list--bullet">
                      {hits.map(({ t, f }) => (
                        <li key={`${t.key}-${f.criterionId}`}>
                          <Link to={criterionLink(t, f.criterionId)}>{t.title}</Link>: {f.question}
                        </li>
                      ))}
                    </ul>
                  </div>
                </details>
              );
            })}
          </nav>
          <h2>All templates</h2>
          <ul className="nhsuk-list">
            {templates.map((t) => (
              <li key={t.id} className="app-template-summary">
                <h3 className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
                  <Link to={`/templates/${t.key}/${t.version}`}>{t.title}</Link>
                </h3>
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                  Version {t.version} · {t.criteriaCount} criteria · case types {t.caseTypes.join(", ")}
                  {t.auditedBy ? ` · audited by: ${t.auditedBy}` : ""}
                </p>
                <p>{t.description}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
