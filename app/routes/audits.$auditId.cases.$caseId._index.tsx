import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import { CriterionGuidance } from "~/components/criterion-guidance";
import { Button, GovForm, Radios, Select, Textarea, TextInput } from "~/components/form";
import { BackLink, caseDetailRows, RagTag, SummaryList } from "~/components/ui";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import { formatDate } from "~/lib/dates";
import { can } from "~/lib/permissions";
import { SETTINGS, type SettingId } from "~/lib/settings";
import { caseScore, caseAnswers } from "~/lib/scoring";
import { answerSchema, bandFor, caseAnswersSchema, ratioAnswer, ruleNoteSchema, type AnswerDetail } from "~/schemas/answer";
import type { Criterion } from "~/schemas/template-types";
import { requireAudit } from "~/models/audits.server";
import { getCase, saveAnswers } from "~/models/cases.server";
import { assertNotAwaitingBlindScoring } from "~/models/moderation.server";
import { getIhaReview } from "~/models/iha-reviews.server";
import { JUDGEMENT_LABELS } from "~/schemas/iha-review";
import { auditAsOf } from "~/models/results.server";
import { logCaseView } from "~/utils/audit-log.server";
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

/** What the page and the action both need: each criterion's answer as the scoring module sees it. */
function evaluate(audit: Awaited<ReturnType<typeof load>>["audit"], c: Awaited<ReturnType<typeof load>>["c"]) {
  const stored = Object.fromEntries(c.answers.filter((a) => a.answer).map((a) => [a.criterion_id, a.answer as Answer]));
  const overrides = Object.fromEntries(c.answers.filter((a) => a.override_reason).map((a) => [a.criterion_id, a.override_reason!]));
  const scoring = { fields: c.fields, answers: stored, overrides };
  const asOf = auditAsOf(audit);
  const computed = caseAnswers(audit.template, scoring, asOf, audit.settingValues);
  // Auditor-answered criteria the case's data make "not applicable": answering them needs a reason.
  const autoNa = new Set(
    audit.template.sections.flatMap((s) => s.criteria).filter((k) => !k.rule && computed[k.id].applicability?.applicable === false).map((k) => k.id),
  );
  return { computed, autoNa, score: caseScore(audit.template, scoring, asOf, audit.settingValues) };
}

/** The stored answer as form values (measure details spread into their own inputs). */
function formValues(a: { answer: string | null; note: string | null; detail: string | null; override_reason: string | null }) {
  const detail = a.detail ? (JSON.parse(a.detail) as AnswerDetail) : null;
  return {
    answer: a.answer ?? "",
    note: a.note ?? "",
    choice: detail && "choice" in detail ? detail.choice : "",
    number: detail && "number" in detail ? String(detail.number) : "",
    numerator: detail && "numerator" in detail ? String(detail.numerator) : "",
    denominator: detail && "denominator" in detail ? String(detail.denominator) : "",
    overrideReason: a.override_reason ?? "",
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, audit, c } = await load(request, params, "viewCases");
  await assertNotAwaitingBlindScoring(db, user, c.id, request);
  await logCaseView(db, user, { id: c.id, caseRef: c.case_ref, auditId: audit.id }, "case", request);
  const { computed, autoNa, score } = evaluate(audit, c);
  const review = await getIhaReview(db, c.id);
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
            settingsUsed: v.rule!.settingsUsed,
          },
        ]),
    ),
    /** Why a criterion is, or may be, not applicable for this case (from the case's data). */
    applicability: Object.fromEntries(Object.entries(computed).flatMap(([id, v]) => (v.applicability ? [[id, v.applicability]] : []))),
    autoNa: [...autoNa],
    answers: Object.fromEntries(c.answers.map((a) => [a.criterion_id, formValues(a)])),
    score: { answered: score.answered, total: score.total, complete: score.complete, percent: score.figure.percent, rag: score.figure.rag },
    // Only a case in the sample, not excluded, is scored (saveAnswers refuses the others too).
    notScored: c.excluded_at
      ? `This case was excluded from the sample: ${c.excluded_reason ?? "no reason recorded"}. It is not scored.`
      : c.in_sample !== 1
        ? "This case is in the audit's case list but not in the sample, so it is not scored."
        : null,
    canEdit: can(user.role, "editCases") && isAuditOpen(audit.status) && c.in_sample === 1 && !c.excluded_at,
    qualityAssured: review ? { by: review.reviewerName, on: formatDate(review.reviewedOn), judgement: JUDGEMENT_LABELS[review.judgement] } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, audit, c } = await load(request, params, "editCases");
  if (!isAuditOpen(audit.status)) throw new Response("This audit is complete, so its answers cannot be changed.", { status: 403 });
  const form = await readForm(request);
  const criteria = audit.template.sections.flatMap((s) => s.criteria);
  const parsed = parseForm(caseAnswersSchema(criteria, evaluate(audit, c).autoNa), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const saved = await saveAnswers(db, user, c.id, parsed.data.answers, request);
  return { saved, savedAt: new Date().toISOString() };
}

type Loader = Awaited<ReturnType<typeof loader>>;
type Applicability = Loader["applicability"][string];

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
        {rule.settingsUsed.map((s) => (
          <li key={s.id}>
            Local setting used: {SETTINGS_LABEL(s.id)} {s.value} {SETTINGS[s.id as SettingId]?.unit ?? ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SETTINGS_LABEL(id: string) {
  return SETTINGS[id as SettingId]?.label ?? id;
}

/** "Not applicable" worked out from the case details, or a note that the details needed are missing. */
function ApplicabilityNote({ a, rule }: { a?: Applicability; rule?: boolean }) {
  if (!a) return null;
  if (a.applicable === null) return <p className="nhsuk-body-s app-applicability">{a.reason}</p>;
  return (
    <div className="app-rule">
      <p className="nhsuk-u-margin-bottom-2">
        <strong>Worked out from the case details: </strong>
        <strong className="nhsuk-tag app-tag--grey">Not applicable</strong>
      </p>
      <p className="nhsuk-u-margin-bottom-2">{a.reason}</p>
      {rule && <p className="nhsuk-body-s">If this is wrong, change the case details.</p>}
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

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The inputs of a criterion's measure: a choice, a number (with its band) or a count out of a total. */
function MeasureFields({ c, form }: { c: Criterion; form: UseFormReturn<any, any, any> }) {
  const m = c.measure;
  const number = form.watch(`answers.${c.id}.number`) as string | undefined;
  if (!m) return null;
  const name = (k: string) => `answers.${c.id}.${k}`;
  if (m.type === "choice") {
    return <Select name={name("choice")} label={m.label} hint={m.hint} options={m.options} placeholder="Select an option" />;
  }
  if (m.type === "number") {
    const band = number && /^\d+$/.test(number) ? bandFor(m, Number(number)) : null;
    return (
      <>
        <TextInput name={name("number")} label={m.label} hint={m.hint ?? `A whole number from ${m.min} to ${m.max}`} width={3} inputMode="numeric" />
        {band && (
          <p className="nhsuk-body-s" aria-live="polite">
            Band: <strong>{band}</strong>
          </p>
        )}
      </>
    );
  }
  return (
    <fieldset className="nhsuk-fieldset">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{m.label}</legend>
      <p className="nhsuk-hint">The answer follows from these: all of them is met, at least one is partially met, none is not met. Leave both empty to answer not applicable.</p>
      <TextInput name={name("denominator")} label={m.denominatorLabel} width={3} inputMode="numeric" />
      <TextInput name={name("numerator")} label={m.numeratorLabel} width={3} inputMode="numeric" />
    </fieldset>
  );
}

const INPUTS = ["answer", "note", "choice", "number", "numerator", "denominator", "overrideReason"] as const;

/**
 * One criterion. With JavaScript each answer is saved as soon as it is given (and a note or
 * measure when the auditor leaves the box), after checking it with the same schema the server uses.
 */
/**
 * Saves one criterion's inputs in the background once they pass `schema` (the one the server
 * uses). Checked quietly: an answer still waiting for its note is not an error yet (the auditor
 * is about to write it), so no error summary steals the focus; the reason shows beside it.
 */
function useAutosave(c: Criterion, form: UseFormReturn<any, any, any>, inputs: readonly string[], schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, needs?: string) {
  const fetcher = useFetcher<typeof action>({ key: `answer-${c.id}` });
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  const [status, setStatus] = useState("");
  const save = () => {
    const values = Object.fromEntries(inputs.map((k) => [k, (form.getValues(`answers.${c.id}.${k}`) as string | null | undefined) ?? ""]));
    if (needs && !values[needs]) return;
    const check = schema.safeParse(values);
    if (!check.success) {
      setStatus(`Not saved yet: ${lower(check.error!.issues[0].message)}`);
      return;
    }
    form.clearErrors(`answers.${c.id}`);
    const fd = new FormData();
    fd.set("csrf", root?.csrf ?? "");
    for (const k of inputs) fd.set(`answers.${c.id}.${k}`, values[k]);
    setStatus("");
    fetcher.submit(fd, { method: "post" });
  };
  const shown = fetcher.state !== "idle" ? "Saving…" : status || (fetcher.data && "saved" in fetcher.data && fetcher.data.saved?.includes(c.id) ? "Saved" : "");
  return { save, shown };
}

/** A note on a date-rule criterion (the rule answers it): a reason for delay, for example. */
function RuleNote({ c, form }: { c: Criterion; form: UseFormReturn<any, any, any> }) {
  const schema = useMemo(() => ruleNoteSchema(), []);
  const { save, shown } = useAutosave(c, form, ["note"], schema);
  return (
    <div
      onBlur={(e) => {
        if ((e.target as HTMLElement).tagName === "TEXTAREA") save();
      }}
    >
      <Textarea name={`answers.${c.id}.note`} label="Note" hint="Optional. For example, the reason for a delay." rows={2} />
      <p className="app-saved nhsuk-body-s" aria-live="polite">
        {shown}
      </p>
    </div>
  );
}

/**
 * One criterion. With JavaScript each answer is saved as soon as it is given (and a note or
 * measure when the auditor leaves the box), after checking it with the same schema the server uses.
 */
function CriterionFields({ c, form, applicability, autoNa }: { c: Criterion; form: UseFormReturn<any, any, any>; applicability?: Applicability; autoNa: boolean }) {
  const schema = useMemo(() => answerSchema(c, { autoNa }), [c, autoNa]);
  const { save, shown } = useAutosave(c, form, INPUTS, schema, "answer");
  const autosave = () => {
    if (c.measure?.type === "ratio") {
      // Show the answer the counts give before saving it (the server works it out the same way).
      const n = form.getValues(`answers.${c.id}.numerator`);
      const d = form.getValues(`answers.${c.id}.denominator`);
      if (/^\d+$/.test(n ?? "") && /^\d+$/.test(d ?? "") && Number(d) > 0 && Number(n) <= Number(d)) {
        form.setValue(`answers.${c.id}.answer`, ratioAnswer(Number(n), Number(d)));
      }
    }
    save();
  };
  const options = c.answers.map((a) => ({ value: a, label: ANSWER_LABELS[a] }));
  const noteHint = c.noteRequiredFor.length
    ? `Required when the answer is ${c.noteRequiredFor.map((a) => ANSWER_LABELS[a].toLowerCase()).join(" or ")}`
    : "Optional";
  const fields = (
    <>
      <Radios name={`answers.${c.id}.answer`} legend={autoNa ? "Answer" : c.question} legendSize="s" inline options={options} />
      <MeasureFields c={c} form={form} />
      <Textarea name={`answers.${c.id}.note`} label="Note" hint={noteHint} rows={2} />
      {autoNa && <Textarea name={`answers.${c.id}.overrideReason`} label="Why does this apply to this case?" hint="Required: the case details say it does not apply. Your reason is kept in the audit log." rows={2} />}
    </>
  );
  return (
    <div
      className="app-criterion"
      onChange={(e) => {
        const t = e.target as HTMLInputElement;
        if (t.type === "radio" || t.tagName === "SELECT") autosave();
      }}
      onBlur={(e) => {
        const t = e.target as HTMLElement;
        if (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && (t as HTMLInputElement).type === "text")) autosave();
      }}
    >
      {autoNa ? (
        <>
          <h3 className="nhsuk-heading-s">{c.question}</h3>
          <ApplicabilityNote a={applicability} />
          <details className="nhsuk-details" open={Boolean(form.getValues(`answers.${c.id}.answer`))}>
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">Answer it anyway</span>
            </summary>
            <div className="nhsuk-details__text">{fields}</div>
          </details>
        </>
      ) : (
        <>
          <ApplicabilityNote a={applicability} />
          {fields}
        </>
      )}
      <Guidance c={c} />
      <p className="app-saved nhsuk-body-s" aria-live="polite">
        {shown}
      </p>
    </div>
  );
}

/** A read-only answer with its measure and any override reason. */
function AnswerText({ c, a }: { c: Criterion; a?: Loader["answers"][string] }) {
  if (!a?.answer) return <p><strong>Not answered yet</strong></p>;
  const m = c.measure;
  const detail =
    m?.type === "choice" && a.choice
      ? `${m.label}: ${m.options.find((o) => o.value === a.choice)?.label ?? a.choice}`
      : m?.type === "number" && a.number
        ? `${m.label}: ${a.number}${bandFor(m, Number(a.number)) ? ` (${bandFor(m, Number(a.number))})` : ""}`
        : m?.type === "ratio" && a.denominator
          ? `${m.numeratorLabel}: ${a.numerator} of ${a.denominator}`
          : null;
  return (
    <>
      <p>
        <strong>{ANSWER_LABELS[a.answer as Answer]}</strong>
        {a.note ? ` – ${a.note}` : ""}
      </p>
      {detail && <p className="nhsuk-body-s">{detail}</p>}
      {a.overrideReason && <p className="nhsuk-body-s">Answered although the case details say it does not apply: {a.overrideReason}</p>}
    </>
  );
}

export default function ScoreCase() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const criteria = useMemo(() => data.sections.flatMap((s) => s.criteria), [data.sections]);
  const autoNa = useMemo(() => new Set(data.autoNa), [data.autoNa]);
  const schema = useMemo(() => caseAnswersSchema(criteria, autoNa), [criteria, autoNa]);
  const values = { answers: data.answers };
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false, defaultValues: values });
  const percent = data.score.percent === null ? "No applicable criteria yet" : `${data.score.percent.toFixed(1)}%`;
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Case {data.case.ref}</h1>
      {data.qualityAssured && (
        <p>
          <strong>
            Quality assured by {data.qualityAssured.by} on {data.qualityAssured.on}: {data.qualityAssured.judgement}
          </strong>
        </p>
      )}
      {data.notScored && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{data.notScored}</p>
        </div>
      )}
      <SummaryList
        rows={[
          ...caseDetailRows(data.case),
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
                    {data.applicability[c.id]?.applicable === false ? <ApplicabilityNote a={data.applicability[c.id]} rule /> : <RuleResult rule={data.rules[c.id]} />}
                    <RuleNote c={c} form={form} />
                    <Guidance c={c} />
                  </div>
                ) : (
                  <CriterionFields key={c.id} c={c} form={form} applicability={data.applicability[c.id]} autoNa={autoNa.has(c.id)} />
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
                  <>
                    {data.applicability[c.id]?.applicable === false ? <ApplicabilityNote a={data.applicability[c.id]} rule /> : <RuleResult rule={data.rules[c.id]} />}
                    {data.answers[c.id]?.note && <p className="nhsuk-body-s">Note: {data.answers[c.id].note}</p>}
                  </>
                ) : autoNa.has(c.id) && !data.answers[c.id] ? (
                  <ApplicabilityNote a={data.applicability[c.id]} />
                ) : (
                  <AnswerText c={c} a={data.answers[c.id]} />
                )}
              </div>
            ))}
          </section>
        ))
      )}
    </>
  );
}
