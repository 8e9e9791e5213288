import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import { CriterionGuidance } from "~/components/criterion-guidance";
import { Button, GovForm, Radios, Textarea } from "~/components/form";
import { BackLink, RagTag, SummaryList } from "~/components/ui";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import { formatDate } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { caseScore, caseAnswers } from "~/lib/scoring";
import { answerSchema, caseAnswersSchema } from "~/schemas/answer";
import type { Criterion } from "~/schemas/template-types";
import { requireAudit } from "~/models/audits.server";
import { getCase, saveAnswers } from "~/models/cases.server";
import { auditAsOf } from "~/models/results.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Case ${data?.case.ref ?? ""} – Safeguarding case-file audit` }];

async function load(request: Request, params: Record<string, string | undefined>, permission: "viewCases" | "editCases") {
  const { db, user } = await requireUser(request, permission);
  const audit = await requireAudit(db, params.auditId);
  const c = await getCase(db, audit.id, Number(params.caseId));
  if (!c) throw new Response("This case does not exist in this audit.", { status: 404, statusText: "Not Found" });
  return { db, user, audit, c };
}

/** Criteria the auditor answers (date-rule criteria are answered by the app). */
function scorable(criteria: Criterion[]) {
  return criteria.filter((c) => !c.rule);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, audit, c } = await load(request, params, "viewCases");
  const asOf = auditAsOf(audit);
  const stored = Object.fromEntries(c.answers.map((a) => [a.criterion_id, a.answer as Answer]));
  const computed = caseAnswers(audit.template, { fields: c.fields, answers: stored }, asOf);
  const score = caseScore(audit.template, { fields: c.fields, answers: stored }, asOf);
  const labels = Object.fromEntries(audit.template.caseFields.map((f) => [f.id, f.label]));
  const displayField = (id: string) => {
    const f = audit.template.caseFields.find((x) => x.id === id)!;
    const v = c.fields[id];
    if (!v) return "Not recorded";
    if (f.type === "date") return formatDate(v);
    if (f.type === "choice") return f.options.find((o) => o.value === v)?.label ?? v;
    return v === "yes" ? "Yes" : "No";
  };
  return {
    audit: { id: audit.id, title: audit.title },
    case: {
      id: c.id,
      ref: c.case_ref,
      service: c.service_name,
      team: c.team_name,
      caseType: c.case_type,
      fields: audit.template.caseFields.map((f) => ({ label: f.label, value: displayField(f.id) })),
    },
    sections: audit.template.sections,
    rules: Object.fromEntries(
      Object.entries(computed)
        .filter(([, v]) => v.rule)
        .map(([id, v]) => [
          id,
          {
            answer: v.answer,
            summary: v.rule!.summary,
            dueDate: v.rule!.dueDate,
            workingDaysElapsed: v.rule!.workingDaysElapsed,
            overdue: v.rule!.overdue,
            datesUsed: v.rule!.datesUsed.map((d) => ({ label: labels[d.field] ?? d.field, date: d.date })),
          },
        ]),
    ),
    answers: Object.fromEntries(c.answers.map((a) => [a.criterion_id, { answer: a.answer, note: a.note ?? "" }])),
    score: { answered: score.answered, total: score.total, complete: score.complete, percent: score.figure.percent, rag: score.figure.rag },
    canEdit: can(user.role, "editCases") && audit.status !== "complete",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit, c } = await load(request, params, "editCases");
  if (audit.status === "complete") throw new Response("This audit is complete, so its answers cannot be changed.", { status: 403 });
  const form = await readForm(request);
  const criteria = scorable(audit.template.sections.flatMap((s) => s.criteria));
  const parsed = parseForm(caseAnswersSchema(criteria), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const saved = await saveAnswers(db, user, c.id, parsed.data.answers, request);
  return { saved, savedAt: new Date().toISOString() };
}

type Loader = Awaited<ReturnType<typeof loader>>;

function RuleResult({ rule }: { rule: Loader["rules"][string] }) {
  return (
    <div className="app-rule">
      <p className="nhsuk-u-margin-bottom-2">
        <strong>Worked out from the case dates: </strong>
        {rule.answer ? <strong className={`nhsuk-tag ${rule.answer === "met" ? "app-tag--green" : rule.answer === "partial" ? "app-tag--amber" : "app-tag--red"}`}>{ANSWER_LABELS[rule.answer]}</strong> : <strong className="nhsuk-tag app-tag--grey">Cannot be determined</strong>}
        {rule.overdue && <strong className="nhsuk-tag app-tag--red nhsuk-u-margin-left-2">Overdue</strong>}
      </p>
      <p className="nhsuk-u-margin-bottom-2">{rule.summary}</p>
      <ul className="nhsuk-list nhsuk-body-s">
        {rule.datesUsed.map((d) => (
          <li key={d.label}>
            {d.label}: {d.date ? formatDate(d.date) : "not recorded"}
          </li>
        ))}
        {rule.dueDate && <li>Due by: {formatDate(rule.dueDate)}</li>}
        {rule.workingDaysElapsed !== null && <li>Working days elapsed: {rule.workingDaysElapsed}</li>}
      </ul>
    </div>
  );
}

function Guidance({ c }: { c: Criterion }) {
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">What counts as met</span>
      </summary>
      <div className="nhsuk-details__text">
        <CriterionGuidance c={c} />
      </div>
    </details>
  );
}

/**
 * One criterion. With JavaScript each answer is saved as soon as it is given (and a note when
 * the auditor leaves the box), after checking it with the same schema the server uses.
 */
function CriterionFields({ c, form }: { c: Criterion; form: UseFormReturn<any, any, any> }) {
  const fetcher = useFetcher<typeof action>({ key: `answer-${c.id}` });
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  const [status, setStatus] = useState("");
  const autosave = () => {
    const answer = form.getValues(`answers.${c.id}.answer`);
    if (!answer) return;
    const note = form.getValues(`answers.${c.id}.note`) ?? "";
    // Checked quietly with the server's schema: an answer still waiting for its note is not an
    // error yet (the auditor is about to write it), so no error summary steals the focus.
    const check = answerSchema(c).safeParse({ answer, note });
    if (!check.success) {
      setStatus(`Not saved yet: ${check.error.issues[0].message.charAt(0).toLowerCase()}${check.error.issues[0].message.slice(1)}`);
      return;
    }
    form.clearErrors(`answers.${c.id}`);
    const fd = new FormData();
    fd.set("csrf", root?.csrf ?? "");
    fd.set(`answers.${c.id}.answer`, answer);
    fd.set(`answers.${c.id}.note`, note);
    setStatus("");
    fetcher.submit(fd, { method: "post" });
  };
  const shown = fetcher.state !== "idle" ? "Saving…" : status || (fetcher.data && "saved" in fetcher.data && fetcher.data.saved?.includes(c.id) ? "Saved" : "");
  const options = c.answers.map((a) => ({ value: a, label: ANSWER_LABELS[a] }));
  const noteHint = c.noteRequiredFor.length
    ? `Required when the answer is ${c.noteRequiredFor.map((a) => ANSWER_LABELS[a].toLowerCase()).join(" or ")}`
    : "Optional";
  return (
    <div
      className="app-criterion"
      onChange={(e) => {
        if ((e.target as HTMLInputElement).type === "radio") autosave();
      }}
      onBlur={(e) => {
        if ((e.target as HTMLElement).tagName === "TEXTAREA") autosave();
      }}
    >
      <Radios name={`answers.${c.id}.answer`} legend={c.question} legendSize="s" inline options={options} />
      <Textarea name={`answers.${c.id}.note`} label="Note" hint={noteHint} rows={2} />
      <Guidance c={c} />
      <p className="app-saved nhsuk-body-s" aria-live="polite">
        {shown}
      </p>
    </div>
  );
}

export default function ScoreCase() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const criteria = useMemo(() => scorable(data.sections.flatMap((s) => s.criteria)), [data.sections]);
  const schema = useMemo(() => caseAnswersSchema(criteria), [criteria]);
  const values = { answers: data.answers };
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false, defaultValues: values });
  const percent = data.score.percent === null ? "No applicable criteria yet" : `${data.score.percent.toFixed(1)}%`;
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Case {data.case.ref}</h1>
      <SummaryList
        rows={[
          { key: "Service", value: data.case.service },
          { key: "Team", value: data.case.team ?? "None" },
          { key: "Case type", value: data.case.caseType },
          ...data.case.fields.map((f) => ({ key: f.label, value: f.value })),
          {
            key: "Case score",
            value: (
              <>
                {percent} <RagTag rag={data.score.rag} /> ({data.score.answered} of {data.score.total} criteria answered)
              </>
            ),
          },
        ]}
      />
      {data.canEdit && (
        <p>
          <Link to={`/audits/${data.audit.id}/cases/${data.case.id}/edit`}>
            Change case details<span className="nhsuk-u-visually-hidden"> for case {data.case.ref}</span>
          </Link>
        </p>
      )}
      {actionData && "saved" in actionData && actionData.saved && (
        <div className="nhsuk-inset-text" role="status">
          <p>Your answers have been saved.</p>
        </div>
      )}
      {data.canEdit ? (
        <GovForm
          form={form}
          serverErrors={actionData && "errors" in actionData ? actionData.errors : undefined}
          values={actionData && "values" in actionData ? actionData.values : values}
        >
          {data.sections.map((s) => (
            <section key={s.id}>
              <h2>{s.title}</h2>
              {s.description && <p>{s.description}</p>}
              {s.criteria.map((c) =>
                c.rule ? (
                  <div className="app-criterion" key={c.id}>
                    <h3 className="nhsuk-heading-s">{c.question}</h3>
                    <RuleResult rule={data.rules[c.id]} />
                    <Guidance c={c} />
                  </div>
                ) : (
                  <CriterionFields key={c.id} c={c} form={form} />
                ),
              )}
            </section>
          ))}
          <p className="nhsuk-body-s">With JavaScript on, each answer is saved as you give it. Otherwise, save your answers with this button.</p>
          <Button>Save answers</Button>
        </GovForm>
      ) : (
        data.sections.map((s) => (
          <section key={s.id}>
            <h2>{s.title}</h2>
            {s.criteria.map((c) => (
              <div className="app-criterion" key={c.id}>
                <h3 className="nhsuk-heading-s">{c.question}</h3>
                {c.rule ? (
                  <RuleResult rule={data.rules[c.id]} />
                ) : (
                  <p>
                    <strong>{data.answers[c.id] ? ANSWER_LABELS[data.answers[c.id].answer as Answer] : "Not answered yet"}</strong>
                    {data.answers[c.id]?.note ? ` – ${data.answers[c.id].note}` : ""}
                  </p>
                )}
              </div>
            ))}
          </section>
        ))
      )}
    </>
  );
}
