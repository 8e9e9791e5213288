/** The manager's home: latest compliance per template and service, with the SPC variation icon, the change since the previous cycle and links to drill down. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Sparkline, VariationIcon } from "~/components/spc-chart";
import { RagTag } from "~/components/ui";
import { formatDate, todayInLondon } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { formatNumerator } from "~/lib/rollup-figures";
import { formatPercent } from "~/lib/scoring";
import { formatPercentagePoints } from "~/lib/statistics";
import { dashboardData } from "~/models/dashboard.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [
  { title: "Dashboard – Safeguarding case-file audit" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "viewResults");
  const data = await dashboardData(db, todayInLondon());
  return { ...data, canViewCases: can(user.role, "viewCases") };
}

type Row = Awaited<
  ReturnType<typeof loader>
>["templates"][number]["rows"][number];

function Change({ row }: { row: Row }) {
  if (!row.previous) return <>First cycle</>;
  if (row.change === null)
    return <>Not available (no applicable cases in one of the cycles)</>;
  const text = formatPercentagePoints(row.change / 100);
  const direction =
    text === "0.0" ? "no change" : text.startsWith("+") ? "up" : "down";
  return (
    <>
      {text} percentage points{" "}
      <span className="nhsuk-u-visually-hidden">({direction})</span>
    </>
  );
}

/** The sparkline in words: "Compliance over 8 cycles, from 72.0% to 85.0% (target 90%)". */
function sparklineLabel(r: Row, green: number) {
  const n = r.series.length;
  if (n === 0) return `${r.serviceName}: no cycle with applicable cases yet`;
  const first = formatPercent(r.series[0]);
  const last = formatPercent(r.series[n - 1]);
  return n === 1
    ? `${r.serviceName}: compliance over 1 cycle, ${last} (target ${green}%)`
    : `${r.serviceName}: compliance over ${n} cycles, from ${first} to ${last} (target ${green}%)`;
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dashboard</h1>
      <p className="nhsuk-lede-text">
        The latest complete audit of each template, service by service, as at{" "}
        {formatDate(d.today)}.
      </p>
      <p>
        Compliance counts met answers (and partially met ones at the
        template&apos;s partial credit) out of applicable answers. The variation
        icon reads the service&apos;s series of audit cycles in NHS
        England&apos;s &ldquo;Making Data Count&rdquo; style; the change is in
        percentage points since the service&apos;s previous cycle. For figures
        across audits, see <Link to="/results">results across audits</Link>.
      </p>
      <section aria-labelledby="actions-heading" className="nhsuk-u-margin-bottom-6" data-testid="dashboard-actions">
        <h2 id="actions-heading">Action plans</h2>
        {d.actions.open + d.actions.inProgress === 0 ? (
          <p>No action is open.</p>
        ) : (
          <>
            <p>
              {d.actions.overdue > 0 ? (
                <strong className="nhsuk-tag nhsuk-tag--red">{d.actions.overdue} overdue</strong>
              ) : (
                <strong className="nhsuk-tag nhsuk-tag--green">None overdue</strong>
              )}{" "}
              {d.actions.open} open, {d.actions.inProgress} in progress.
            </p>
            <ul className="nhsuk-list">
              {d.actions.overdue > 0 && (
                <li>
                  <Link to="/actions?overdue=yes">See the overdue actions</Link>
                </li>
              )}
              <li>
                <Link to="/actions">See every action</Link>
              </li>
            </ul>
          </>
        )}
      </section>
      {d.templates.length === 0 ? (
        <p>
          No audit is complete yet. The dashboard fills in once audits are
          marked complete.
        </p>
      ) : (
        d.templates.map((t) => (
          <section
            key={t.key}
            aria-labelledby={`template-${t.key}`}
            className="nhsuk-u-margin-bottom-7"
          >
            <h2 id={`template-${t.key}`}>{t.title}</h2>
            <table
              className="nhsuk-table-responsive nhsuk-table"
              data-template={t.key}
            >
              <caption className="nhsuk-table__caption">
                {t.title}: latest compliance by service (green at {t.green}% or
                more, amber at {t.amber}% or more)
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    Service
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Latest audit
                  </th>
                  <th
                    scope="col"
                    className="nhsuk-table__header app-table-numeric"
                  >
                    Compliance
                  </th>
                  <th
                    scope="col"
                    className="nhsuk-table__header app-table-numeric"
                  >
                    Numerator / denominator
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    RAG
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Trend and variation
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Change since previous cycle
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Drill down
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {t.rows.map((r) => (
                  <tr
                    className="nhsuk-table__row"
                    key={r.serviceId}
                    data-row={`${t.key}-${r.serviceId}`}
                  >
                    <td className="nhsuk-table__cell">
                      {r.serviceName}
                      <br />
                      <span className="nhsuk-body-s">{r.providerName}</span>
                    </td>
                    <td className="nhsuk-table__cell">
                      {r.audit.title}
                      <br />
                      <span className="nhsuk-body-s">
                        Period ending {formatDate(r.audit.periodEnd)}
                      </span>
                    </td>
                    <td className="nhsuk-table__cell app-table-numeric">
                      {formatPercent(r.figure.percent)}
                    </td>
                    <td className="nhsuk-table__cell app-table-numeric">{`${formatNumerator(
                      r.figure.numerator
                    )} / ${r.figure.denominator}`}</td>
                    <td className="nhsuk-table__cell">
                      <RagTag rag={r.figure.rag} />
                    </td>
                    <td
                      className="nhsuk-table__cell"
                      data-variation={r.variation}
                    >
                      <Sparkline
                        values={r.series}
                        target={t.green}
                        variation={r.variation}
                        label={sparklineLabel(r, t.green)}
                      />
                      <br />
                      <VariationIcon variation={r.variation} />
                      {r.tooFewPoints && (
                        <span className="nhsuk-body-s">
                          {" "}
                          ({r.points} {r.points === 1 ? "point" : "points"}:
                          fewer than 12, treat with caution)
                        </span>
                      )}
                    </td>
                    <td
                      className="nhsuk-table__cell"
                      data-change={r.change ?? ""}
                    >
                      <Change row={r} />
                    </td>
                    <td className="nhsuk-table__cell">
                      <ul className="nhsuk-list nhsuk-body-s">
                        <li>
                          <Link to={`/audits/${r.audit.id}/results`}>
                            Results by criterion
                            <span className="nhsuk-u-visually-hidden">
                              : {r.serviceName}, {r.audit.title}
                            </span>
                          </Link>
                        </li>
                        <li>
                          <Link
                            to={`/templates/${t.key}/trends?service=${r.serviceId}`}
                          >
                            Trend
                            <span className="nhsuk-u-visually-hidden">
                              : {r.serviceName}, {t.title}
                            </span>
                          </Link>
                        </li>
                        {d.canViewCases && (
                          <li>
                            <Link to={`/audits/${r.audit.id}`}>
                              Audit and cases
                              <span className="nhsuk-u-visually-hidden">
                                : {r.audit.title}
                              </span>
                            </Link>
                          </li>
                        )}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}
