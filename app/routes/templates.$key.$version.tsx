import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CriterionGuidance } from "~/components/criterion-guidance";
import { BackLink } from "~/components/ui";
import { ANSWER_LABELS } from "~/lib/answers";
import { getTemplateVersion, listTemplateVersions } from "~/models/templates.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.template.title ?? "Template"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewTemplates");
  const versions = await listTemplateVersions(db, params.key ?? "");
  const match = versions.find((v) => String(v.version) === params.version);
  const tv = match && (await getTemplateVersion(db, match.id));
  if (!tv) throw new Response("This template version does not exist.", { status: 404, statusText: "Not Found" });
  return { template: tv.template, versions: versions.map((v) => v.version) };
}

export default function TemplateView() {
  const { template, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/templates">Back to templates</BackLink>
      <span className="nhsuk-caption-l">Version {template.version}</span>
      <h1>{template.title}</h1>
      <p className="nhsuk-lede-text">{template.description}</p>
      {template.auditedBy && <p>Usually audited by: {template.auditedBy}</p>}
      <p>
        Case types: {template.caseTypes.join(", ")}. RAG: green at {template.rag.green}% or more, amber at {template.rag.amber}% or more. A partially met answer counts{" "}
        {template.partialCredit} towards compliance.
      </p>
      {versions.length > 1 && (
        <p>
          Other versions:{" "}
          {versions
            .filter((v) => v !== template.version)
            .map((v) => (
              <Link key={v} to={`/templates/${template.key}/${v}`} className="nhsuk-u-margin-right-2">
                version {v}
              </Link>
            ))}
        </p>
      )}
      <h2>Case details recorded</h2>
      <ul>
        {template.caseFields.map((f) => (
          <li key={f.id}>
            {f.label}
            {f.required ? "" : " (optional)"}
          </li>
        ))}
      </ul>
      {template.sections.map((s) => (
        <section key={s.id}>
          <h2>{s.title}</h2>
          {s.description && <p>{s.description}</p>}
          {s.criteria.map((c) => (
            <div className="app-criterion" key={c.id}>
              <h3 className="nhsuk-heading-s">{c.question}</h3>
              <p className="nhsuk-body-s">
                Criterion id {c.id}
                {c.rule ? " · answered by the app from the case dates" : ""} · answers: {c.answers.map((a) => ANSWER_LABELS[a]).join(", ")}
              </p>
              <CriterionGuidance c={c} />
            </div>
          ))}
        </section>
      ))}
    </>
  );
}
