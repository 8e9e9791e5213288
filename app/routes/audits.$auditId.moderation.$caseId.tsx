import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, GovForm, Radios, Textarea } from "~/components/form";
import { BackLink, caseDetailRows, SummaryList } from "~/components/ui";
import { ANSWER_LABELS } from "~/lib/answers";
import { formatDateTimeLondon } from "~/lib/dates";
import { moderationAnswersSchema } from "~/schemas/moderation";
import { requireAudit } from "~/models/audits.server";
import { canModerate, getModerationCase, saveModeration } from "~/models/moderation.server";
import { requireUser } from "~/utils/auth.server";
import { logCaseView } from "~/utils/audit-log.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Moderate case ${data?.case.ref ?? ""} – Safeguarding case-file audit` }];

/**
 * The blind second scoring of one case. The loader returns nothing from the first scoring
 * (getModerationCase never reads it), so the first answers cannot reach the page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "reviewQuality");
  const audit = await requireAudit(db, params.auditId);
  const m = await getModerationCase(db, user, audit, Number(params.caseId));
  await logCaseView(db, user, { id: m.case.id, caseRef: m.case.ref, auditId: audit.id }, "moderation", request);
  return {
    audit: { id: audit.id, title: audit.title },
    case: m.case,
    sections: m.sections,
    criteria: m.criteria,
    answers: m.own,
    moderatedAt: m.completedAt ? formatDateTimeLondon(m.completedAt) : null,
    canEdit: canModerate(audit.status) && !m.locked,
    locked: m.locked,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "reviewQuality");
  const audit = await requireAudit(db, params.auditId);
  const m = await getModerationCase(db, user, audit, Number(params.caseId));
  const form = await readForm(request);
  const parsed = parseForm(moderationAnswersSchema(m.criteria), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await saveModeration(db, user, audit, m.case.id, parsed.data.answers, request);
    return redirect(`/audits/${audit.id}/moderation?done=moderated`);
  });
}

export default function ModerateCase() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => moderationAnswersSchema(data.criteria), [data.criteria]);
  const values = { answers: data.answers };
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false, defaultValues: values });
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}/moderation`}>Back to moderation</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}: moderation</span>
      <h1>Score case {data.case.ref} again</h1>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>This is a blind second scoring: the first auditor&apos;s answers are not shown. Score the case from the record as you find it. The two scorings are compared once you save.</p>
      </div>
      {data.moderatedAt && <p>You saved a second scoring on {data.moderatedAt}.{data.canEdit ? " You can change it until a disagreement is settled." : ""}</p>}
      {data.locked && <p>A disagreement on this case has been settled, so its second scoring can no longer change.</p>}
      <SummaryList
        rows={[
          ...caseDetailRows(data.case),
        ]}
      />
      {data.canEdit ? (
        <GovForm form={form} serverErrors={actionData && "errors" in actionData ? actionData.errors : undefined} values={actionData && "values" in actionData ? actionData.values : values}>
          {data.sections.map((s) => (
            <section key={s.id}>
              <h2>{s.title}</h2>
              {s.criteria.map((c) => (
                <div className="app-criterion" key={c.id}>
                  {c.applicability && <p className="nhsuk-body-s app-applicability">From the case details: {c.applicability.reason}</p>}
                  <Radios name={`answers.${c.id}.answer`} legend={c.question} legendSize="s" inline options={c.options.map((a) => ({ value: a, label: ANSWER_LABELS[a] }))} />
                  <Textarea name={`answers.${c.id}.note`} label="Note" hint="Optional" rows={2} />
                </div>
              ))}
            </section>
          ))}
          <Button>Save second scoring</Button>
        </GovForm>
      ) : (
        data.sections.map((s) => (
          <section key={s.id}>
            <h2>{s.title}</h2>
            {s.criteria.map((c) => {
              const a = data.answers[c.id];
              return (
                <div className="app-criterion" key={c.id}>
                  <h3 className="nhsuk-heading-s">{c.question}</h3>
                  <p>
                    {a ? <strong>{ANSWER_LABELS[a.answer as keyof typeof ANSWER_LABELS] ?? a.answer}</strong> : <strong>Not scored</strong>}
                    {a?.note ? ` – ${a.note}` : ""}
                  </p>
                </div>
              );
            })}
          </section>
        ))
      )}
    </>
  );
}
