import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/ui";
import { diffTemplates } from "~/lib/template-diff";
import { getTemplateVersionByKey } from "~/models/templates.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Changes from version ${data.from} to ${data.to} – ${data.title} – Safeguarding case-file audit` : "Compare versions – Safeguarding case-file audit" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "viewTemplates");
  const url = new URL(request.url);
  const from = await getTemplateVersionByKey(db, params.key ?? "", Number(url.searchParams.get("from")));
  const to = await getTemplateVersionByKey(db, params.key ?? "", Number(url.searchParams.get("to")));
  if (!from || !to) throw new Response("One of the versions to compare does not exist.", { status: 404, statusText: "Not Found" });
  return { key: to.key, title: to.title, from: from.version, to: to.version, diff: diffTemplates(from.template, to.template) };
}

const KIND_LABELS = { added: "Added", removed: "Removed", reworded: "Reworded", changed: "Changed" } as const;

export default function CompareVersions() {
  const { key, title, from, to, diff } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to={`/templates/${key}/${to}`}>Back to version {to}</BackLink>
      <span className="nhsuk-caption-l">{title}</span>
      <h1>
        What changed from version {from} to version {to}
      </h1>
      <p>
        Criteria are matched by their id. A reworded criterion keeps its results history; an added one starts its own. {diff.unchanged}{" "}
        {diff.unchanged === 1 ? "criterion is" : "criteria are"} unchanged.
      </p>
      {diff.template.length > 0 && (
        <>
          <h2>Template</h2>
          <ul>
            {diff.template.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </>
      )}
      <h2>Criteria</h2>
      {diff.changes.length === 0 ? (
        <p>No criterion changed.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Criteria changed between version {from} and version {to}</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Criterion</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {diff.changes.map((c) => (
              <tr key={`${c.kind}-${c.id}`}>
                <td>{KIND_LABELS[c.kind]}</td>
                <td>
                  {c.kind === "removed" ? c.id : <Link to={`/templates/${key}/${to}#criterion-${c.id}`}>{c.id}</Link>}
                  <br />
                  <span className="nhsuk-body-s">{c.section}</span>
                </td>
                <td>
                  {c.kind === "reworded" ? (
                    <>
                      <p className="nhsuk-body-s">Before: {c.before}</p>
                      <p className="nhsuk-body-s">After: {c.after}</p>
                      {c.also.length > 0 && <p className="nhsuk-body-s">Also changed: {c.also.join(", ")}.</p>}
                    </>
                  ) : c.kind === "changed" ? (
                    <>
                      <p className="nhsuk-body-s">{c.question}</p>
                      <p className="nhsuk-body-s">Changed: {c.what.join(", ")}.</p>
                    </>
                  ) : (
                    <p className="nhsuk-body-s">{c.question}</p>
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
