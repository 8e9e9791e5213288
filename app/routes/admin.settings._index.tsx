import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, Banner } from "~/components/ui";
import { formatDateTimeLondon } from "~/lib/dates";
import { SETTINGS, isSettingId } from "~/lib/settings";
import { listSettings } from "~/models/settings.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Local rules – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageSettings");
  const changed = new URL(request.url).searchParams.get("changed");
  return { settings: await listSettings(db), changed: changed && isSettingId(changed) ? SETTINGS[changed].label : null };
}

export default function SettingsPage() {
  const { settings, changed } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      {changed && <Banner title="Setting changed">{changed}: new audits will use the new value.</Banner>}
      <h1>Local rules</h1>
      <p>
        These timescales are not set in law or in the review reports, so each organisation chooses its own. Statutory timescales (such as the initial health assessment
        within 20 working days) are fixed in the templates and are not listed here.
      </p>
      <p>An audit keeps the values in force when it was created: changing a rule here applies to new audits only.</p>
      <dl className="nhsuk-summary-list">
        {settings.map((s) => (
          <div className="nhsuk-summary-list__row" key={s.id}>
            <dt className="nhsuk-summary-list__key">{s.label}</dt>
            <dd className="nhsuk-summary-list__value">
              <p>
                <strong>
                  {s.value} {s.unit}
                </strong>
                {s.value === s.default ? " (the default)" : ` (default ${s.default})`}
              </p>
              <p className="nhsuk-body-s">{s.source}</p>
              {s.updatedAt && (
                <p className="nhsuk-body-s">
                  Changed by {s.updatedBy ?? "a former user"} on {formatDateTimeLondon(s.updatedAt)}
                </p>
              )}
            </dd>
            <dd className="nhsuk-summary-list__actions">
              <Link to={`/admin/settings/${s.id}`}>
                Change<span className="nhsuk-u-visually-hidden"> {s.label.charAt(0).toLowerCase() + s.label.slice(1)}</span>
              </Link>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
