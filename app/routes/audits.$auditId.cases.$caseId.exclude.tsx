import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, GovForm, Textarea } from "~/components/form";
import { BackLink, SummaryList } from "~/components/ui";
import { excludeCaseSchema } from "~/schemas/sampling";
import { assertAuditOpen, requireAudit } from "~/models/audits.server";
import { getCase } from "~/models/cases.server";
import { excludeCase } from "~/models/sampling.server";
import { logCaseView } from "~/utils/audit-log.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Exclude case ${data?.case.ref ?? ""} – Safeguarding case-file audit` }];

async function load(request: Request, params: Record<string, string | undefined>) {
  const { db, user } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  assertAuditOpen(audit, "This audit is complete, so no case can be excluded. A reviewer or administrator can reopen it.");
  const c = await getCase(db, audit.id, Number(params.caseId));
  if (!c) throw new Response("This case does not exist in this audit.", { status: 404, statusText: "Not Found" });
  if (c.excluded_at) throw new Response(`Case ${c.case_ref} has already been excluded from the sample.`, { status: 400 });
  if (c.in_sample !== 1) throw new Response(`Case ${c.case_ref} is in the case list but not in the sample, so there is nothing to exclude it from.`, { status: 400 });
  return { db, user, audit, c };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit, c } = await load(request, params);
  await logCaseView(db, user, { id: c.id, caseRef: c.case_ref, auditId: audit.id }, "exclude case", request);
  return {
    audit: { id: audit.id, title: audit.title },
    case: { id: c.id, ref: c.case_ref, service: c.service_name, team: c.team_name, answered: c.answers.filter((a) => a.answer).length },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit, c } = await load(request, params);
  const form = await readForm(request);
  const parsed = parseForm(excludeCaseSchema, form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await excludeCase(db, user, audit.id, c.id, parsed.data.reason, request);
    return redirect(`/audits/${audit.id}?done=excluded`);
  });
}

export default function ExcludeCase() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const form = useForm({ resolver: zodResolver(excludeCaseSchema), mode: "onSubmit", shouldFocusError: false });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
        <span className="nhsuk-caption-l">{data.audit.title}</span>
        <h1>Exclude case {data.case.ref} from the sample</h1>
        <SummaryList
          rows={[
            { key: "Service", value: data.case.service },
            { key: "Team", value: data.case.team ?? "None" },
            { key: "Answers given", value: String(data.case.answered) },
          ]}
        />
        <p>
          An excluded case is not scored: it leaves the audit's progress and results, and the audit can be completed without it. Its answers are kept. The exclusion and your reason are listed
          on the audit page and recorded in the audit log.
        </p>
        <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values}>
          <Textarea name="reason" label="Why is this case being excluded?" hint="For example, the record cannot be found, or the child was not in the cohort" />
          <Button warning>Exclude case {data.case.ref}</Button>
        </GovForm>
      </div>
    </div>
  );
}
