import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, Checkboxes, GovForm, Radios, Select, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner } from "~/components/ui";
import { assignByHandSchema, assignEvenlySchema } from "~/schemas/sampling";
import { assignByHand, assignEvenly, listAssignableUsers, listCasesToAssign } from "~/models/allocation.server";
import { assertAuditOpen, requireAudit } from "~/models/audits.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assign cases: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  const cases = await listCasesToAssign(db, audit.id);
  const users = await listAssignableUsers(db);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    audit: { id: audit.id, title: audit.title },
    open: isAuditOpen(audit.status),
    users: users.map((u) => ({ id: u.id, name: u.name, cases: cases.filter((c) => c.assigned_to === u.id).length })),
    unassigned: cases.filter((c) => c.assigned_to === null).length,
    cases: cases.map((c) => ({ id: c.id, ref: c.case_ref, service: c.service_name, team: c.team_name, assignedTo: c.assigned_to, assignee: c.assignee_name })),
    done: done === "even" || done === "hand" ? done : null,
    changed: Number(url.searchParams.get("changed") ?? 0) || 0,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  assertAuditOpen(audit, "This audit is complete, so its cases cannot be reassigned. A reviewer or administrator can reopen it.");
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/audits/${audit.id}/allocate`;

  if (intent === "even") {
    const parsed = parseForm(assignEvenlySchema, form, { arrays: ["userIds"] });
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const { changed } = await assignEvenly(db, user, audit.id, parsed.data, request);
      return redirect(`${here}?done=even&changed=${changed}`);
    });
  }

  if (intent === "hand") {
    const parsed = parseForm(assignByHandSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      const { changed } = await assignByHand(db, user, audit.id, parsed.data.assign, request);
      return redirect(`${here}?done=hand&changed=${changed}`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

type CaseRow = Awaited<ReturnType<typeof loader>>["cases"][number];

function AssignByHand({ cases, userOptions, serverErrors, values }: { cases: CaseRow[]; userOptions: { value: string; label: string }[]; serverErrors?: Record<string, string>; values?: Record<string, unknown> }) {
  const saved = { assign: Object.fromEntries(cases.map((c) => [`c${c.id}`, c.assignedTo ? String(c.assignedTo) : ""])) };
  const form = useForm({ resolver: zodResolver(assignByHandSchema), mode: "onSubmit", shouldFocusError: false, defaultValues: saved });
  return (
    <GovForm form={form} serverErrors={serverErrors} values={values ?? saved}>
      <input type="hidden" name="intent" value="hand" />
      {cases.map((c) => (
        <Select key={c.id} name={`assign.c${c.id}`} label={`Case ${c.ref} (${c.service}${c.team ? `, ${c.team}` : ""})`} options={userOptions} placeholder="Not assigned" />
      ))}
      <Button>Save assignments</Button>
    </GovForm>
  );
}

export default function AllocatePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values.intent;
  const evenForm = useForm({ resolver: zodResolver(assignEvenlySchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ even: evenForm }, failed);
  const userOptions = data.users.map((u) => ({ value: String(u.id), label: u.name }));
  const cases = (n: number) => `${n} ${n === 1 ? "case" : "cases"}`;
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Assign cases</h1>
      {data.done && !actionData && (
        <Banner>{data.changed === 0 ? "No assignments needed changing." : `${cases(data.changed)} ${data.changed === 1 ? "has" : "have"} a new auditor. The change is recorded in the audit log.`}</Banner>
      )}
      {!data.open && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This audit is complete, so its cases cannot be reassigned. A reviewer or administrator can reopen it.</p>
        </div>
      )}
      {data.cases.length === 0 ? (
        <p>
          There are no cases in the sample yet. <Link to={`/audits/${data.audit.id}/sample`}>Draw the sample</Link> or add cases first.
        </p>
      ) : (
        <>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">Cases per auditor</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Auditor</th>
                <th scope="col" className="nhsuk-table__header app-table-numeric">Cases</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {data.users.map((u) => (
                <tr className="nhsuk-table__row" key={u.id}>
                  <td className="nhsuk-table__cell">{u.name}</td>
                  <td className="nhsuk-table__cell app-table-numeric">{u.cases}</td>
                </tr>
              ))}
              <tr className="nhsuk-table__row">
                <td className="nhsuk-table__cell">Not assigned</td>
                <td className="nhsuk-table__cell app-table-numeric">{data.unassigned}</td>
              </tr>
            </tbody>
          </table>

          {data.open && (
            <div className="nhsuk-grid-row">
              <div className="nhsuk-grid-column-two-thirds">
                <h2>Share out evenly</h2>
                <GovForm form={evenForm} serverErrors={failed === "even" ? actionData?.errors : undefined} values={failed === "even" ? actionData?.values : undefined}>
                  <input type="hidden" name="intent" value="even" />
                  <Checkboxes name="userIds" legend="Who should the cases go to?" legendSize="s" hint="Auditors and administrators. Select all that apply" options={userOptions} />
                  <Radios
                    name="scope"
                    legend="Which cases?"
                    legendSize="s"
                    options={[
                      { value: "unassigned", label: `Only cases without an auditor (${data.unassigned})`, hint: "Cases already assigned keep their auditor; new ones go to whoever has fewest" },
                      { value: "all", label: `All cases in the sample (${data.cases.length})`, hint: "Every case is shared out again, in turn, in case reference order" },
                    ]}
                  />
                  <Button>Share out the cases</Button>
                </GovForm>

                <h2>Assign by hand</h2>
                {/* Remounted whenever the saved assignments change, so no select keeps a stale choice. */}
                <AssignByHand
                  key={data.cases.map((c) => `${c.id}:${c.assignedTo ?? ""}`).join(",")}
                  cases={data.cases}
                  userOptions={userOptions}
                  serverErrors={failed === "hand" ? actionData?.errors : undefined}
                  values={failed === "hand" ? actionData?.values : undefined}
                />
              </div>
            </div>
          )}
          {!data.open && (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Who each case is assigned to</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Case reference</th>
                  <th scope="col" className="nhsuk-table__header">Auditor</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {data.cases.map((c) => (
                  <tr className="nhsuk-table__row" key={c.id}>
                    <td className="nhsuk-table__cell">{c.ref}</td>
                    <td className="nhsuk-table__cell">{c.assignee ?? "Not assigned"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
