import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CriterionGuidance } from "~/components/criterion-guidance";
import { AuditStatusTag, BackLink } from "~/components/ui";
import { ANSWER_LABELS } from "~/lib/answers";
import { describeConditions } from "~/lib/applicability";
import { describeRule } from "~/lib/date-rules";
import { formatDate } from "~/lib/dates";
import { FAMILY_LABELS } from "~/lib/families";
import { can } from "~/lib/permissions";
import { SETTINGS, isSettingId } from "~/lib/settings";
import { ruleSettings } from "~/schemas/rules";
import { currentSettings } from "~/models/settings.server";
import { getTemplateVersionByKey, listAuditsByTemplateVersion, listTemplateVersions } from "~/models/templates.server";
import type { Criterion } from "~/schemas/template-types";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.template.title ?? "Template"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewTemplates");
  const tv = await getTemplateVersionByKey(db, params.key ?? "", Number(params.version));
  if (!tv) throw new Response("This template version does not exist.", { status: 404, statusText: "Not Found" });
  const t = tv.template;
  const versions = await listTemplateVersions(db, t.key);
  const settings = await currentSettings(db);
  const labels = Object.fromEntries(t.caseFields.map((f) => [f.id, f.label]));
  const criteria = t.sections.flatMap((s) => s.criteria);
  // What the page says about each rule and condition is worked out here, once, from the one pure module.
  const explain = Object.fromEntries(
    criteria.map((c) => [
      c.id,
      {
        rule: c.rule ? describeRule(c.rule, labels, settings) : null,
        applies: c.applicableWhen ? describeConditions(c.applicableWhen, t.caseFields) : null,
        settings: c.rule
          ? Object.values(ruleSettings(c.rule))
              .filter(isSettingId)
              .map((id) => ({ id, ...SETTINGS[id], value: settings[id] }))
          : [],
      },
    ]),
  );
  const usage = can(user.role, "viewTemplateUsage") ? (await listAuditsByTemplateVersion(db, t.key)).filter((a) => a.version === t.version) : null;
  return {
    template: t,
    explain,
    versions: versions.map((v) => ({ version: v.version, loadedAt: v.loadedAt })),
    usage,
  };
}

function describeMeasure(m: NonNullable<Criterion["measure"]>): string {
  const lower = (x: string) => x.charAt(0).toLowerCase() + x.slice(1);
  if (m.type === "ratio") return `${m.numeratorLabel} out of ${lower(m.denominatorLabel)}: all is met, at least one is partially met, none is not met.`;
  if (m.type === "choice") return `${m.label}: ${m.options.map((o) => o.label).join(", ")}.`;
  const bands = m.bands?.map((b, i, all) => `${i === 0 ? m.min : all[i - 1].max + 1} to ${b.max} ${lower(b.label)}`);
  return `${m.label}, a whole number from ${m.min} to ${m.max}${bands ? ` (${bands.join("; ")})` : ""}.`;
}

export default function TemplateView() {
  const { template, versions, explain, usage } = useLoaderData<typeof loader>();
  const others = versions.filter((v) => v.version !== template.version);
  return (
    <>
      <BackLink to="/templates">Back to templates</BackLink>
      <span className="nhsuk-caption-l">Version {template.version}</span>
      <h1>{template.title}</h1>
      <p className="nhsuk-lede-text">{template.description}</p>
      <p><Link to={`/templates/${template.key}/trends`}>Trends: compliance per audit cycle, with SPC charts</Link></p>
      <dl className="nhsuk-summary-list">
        {template.auditedBy && (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Usually audited by</dt>
            <dd className="nhsuk-summary-list__value">{template.auditedBy}</dd>
          </div>
        )}
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Case types</dt>
          <dd className="nhsuk-summary-list__value">{template.caseTypes.join(", ")}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Scoring</dt>
          <dd className="nhsuk-summary-list__value">
            Green at {template.rag.green}% or more, amber at {template.rag.amber}% or more, red below. A partially met answer counts {template.partialCredit} towards compliance. Not
            applicable answers are left out.
          </dd>
        </div>
        {template.modules && template.modules.length > 0 && (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Shared modules included</dt>
            <dd className="nhsuk-summary-list__value">{template.modules.map((m) => m.title).join("; ")}</dd>
          </div>
        )}
      </dl>

      <h2>Versions</h2>
      <ul className="nhsuk-list">
        {versions.map((v) => (
          <li key={v.version}>
            {v.version === template.version ? <strong>Version {v.version} (this page)</strong> : <Link to={`/templates/${template.key}/${v.version}`}>Version {v.version}</Link>}, published{" "}
            {formatDate(v.loadedAt.slice(0, 10))}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <Form method="get" action={`/templates/${template.key}/compare`} className="nhsuk-u-margin-bottom-6">
          <input type="hidden" name="to" value={template.version} />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="compare-from">
              Compare this version with
            </label>
            <select className="nhsuk-select" id="compare-from" name="from" defaultValue={others[0].version}>
              {others.map((v) => (
                <option key={v.version} value={v.version}>
                  Version {v.version}
                </option>
              ))}
            </select>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show what changed
          </button>
        </Form>
      )}

      {usage && (
        <>
          <h2>Audits using version {template.version}</h2>
          {usage.length === 0 ? (
            <p>No audit uses this version.</p>
          ) : (
            <ul className="nhsuk-list">
              {usage.map((a) => (
                <li key={a.id}>
                  <Link to={`/audits/${a.id}`}>{a.title}</Link> ({formatDate(a.period_start)} to {formatDate(a.period_end)}) <AuditStatusTag status={a.status} />
                </li>
              ))}
            </ul>
          )}
        </>
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
      <h2>Contents</h2>
      <ul className="nhsuk-list">
        {template.sections.map((s) => (
          <li key={s.id}>
            <a href={`#section-${s.id}`}>{s.title}</a> ({s.criteria.length})
          </li>
        ))}
      </ul>
      {template.sections.map((s) => (
        <section key={s.id} id={`section-${s.id}`}>
          <h2>{s.title}</h2>
          {s.description && <p>{s.description}</p>}
          {s.criteria.map((c) => {
            const e = explain[c.id];
            return (
              <div className="app-criterion" key={c.id} id={`criterion-${c.id}`}>
                <h3 className="nhsuk-heading-s">{c.question}</h3>
                <p className="nhsuk-body-s">
                  {c.family && <strong className="nhsuk-tag app-tag--blue nhsuk-u-margin-right-2">{FAMILY_LABELS[c.family]}</strong>}
                  Criterion id {c.id}
                  {c.module ? ` · from the shared module ${template.modules?.find((m) => m.module === c.module)?.title ?? c.module}` : ""} · answers:{" "}
                  {c.answers.map((a) => ANSWER_LABELS[a]).join(", ")}
                </p>
                {e.rule && (
                  <p>
                    <strong>Answered by the app from the case dates:</strong> {e.rule}
                  </p>
                )}
                {e.settings.map((st) => (
                  <p className="nhsuk-body-s" key={st.id}>
                    Local setting: {st.label} {st.value} {st.unit} here (default {st.default}). {st.source}
                  </p>
                ))}
                {e.applies && (
                  <p>
                    <strong>When it applies:</strong> {e.applies} Otherwise the app answers not applicable, and says why.
                  </p>
                )}
                {c.measure && (
                  <p>
                    <strong>Also recorded:</strong> {describeMeasure(c.measure)}
                  </p>
                )}
                <CriterionGuidance c={c} />
              </div>
            );
          })}
        </section>
      ))}
    </>
  );
}
