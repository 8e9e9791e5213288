import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, GovForm, Radios, Select, Textarea, TextInput } from "~/components/form";
import { IhaTimelinessTag } from "~/components/iha-timeliness";
import { BackLink, Banner, caseDetailRows, SummaryList } from "~/components/ui";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import { isAuditOpen } from "~/lib/audit-status";
import { formatDate, formatDateTimeLondon } from "~/lib/dates";
import { bandFor, type AnswerDetail } from "~/schemas/answer";
import {
  answerChangeSchema,
  clinicianGroupFor,
  CLINICIAN_GROUP_LABELS,
  CLINICIAN_GROUPS,
  IhaJudgementSchema,
  JUDGEMENT_LABELS,
  JUDGEMENTS,
} from "~/schemas/iha-review";
import type { Criterion } from "~/schemas/template-types";
import { canChangeAnswer, changeAnswerAsReviewer, getIhaCase, recordIhaReview, type IhaCase } from "~/models/iha-reviews.server";
import { assertNotAwaitingBlindScoring } from "~/models/moderation.server";
import { requireUser } from "~/utils/auth.server";
import { logCaseView } from "~/utils/audit-log.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Review IHA ${data?.case.ref ?? ""} – Safeguarding case-file audit` }];

const DONE = { judgement: "Your judgement has been saved.", answer: "The answer has been changed. Your reason is kept with the answer and in the audit log." } as const;
type Done = keyof typeof DONE;

async function load(request: Request, caseIdParam: string | undefined) {
  const { db, user } = await requireUser(request, "reviewQuality");
  const ihaCase = await getIhaCase(db, Number(caseIdParam));
  if (!ihaCase) throw new Response("This is not an initial health assessment that can be reviewed.", { status: 404, statusText: "Not Found" });
  await assertNotAwaitingBlindScoring(db, user, Number(caseIdParam), request);
  return { db, user, ihaCase };
}

function detailText(c: Criterion, json: string | null) {
  const m = c.measure;
  if (!m || !json) return null;
  const d = JSON.parse(json) as AnswerDetail;
  if (m.type === "choice" && "choice" in d) return `${m.label}: ${m.options.find((o) => o.value === d.choice)?.label ?? d.choice}`;
  if (m.type === "number" && "number" in d) return `${m.label}: ${d.number}${bandFor(m, d.number) ? ` (${bandFor(m, d.number)})` : ""}`;
  if (m.type === "ratio" && "numerator" in d) return `${m.numeratorLabel}: ${d.numerator} of ${d.denominator}`;
  return null;
}

/** The stored answer as the change form's values (measure details in their own inputs). */
function changeValues(criterionId: string, a: IhaCase["answers"][string] | undefined) {
  const d = a?.detail ? (JSON.parse(a.detail) as AnswerDetail) : null;
  return {
    criterionId,
    change: {
      answer: a?.answer ?? "",
      note: a?.note ?? "",
      choice: d && "choice" in d ? d.choice : "",
      number: d && "number" in d ? String(d.number) : "",
      numerator: d && "numerator" in d ? String(d.numerator) : "",
      denominator: d && "denominator" in d ? String(d.denominator) : "",
    },
    reason: "",
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, ihaCase } = await load(request, params.caseId);
  const { audit, c, answers, computed, timeliness, review } = ihaCase;
  await logCaseView(db, user, { id: c.id, caseRef: c.case_ref, auditId: audit.id }, "IHA review", request);
  const url = new URL(request.url);
  const open = isAuditOpen(audit.status);
  const displayField = (f: (typeof audit.template.caseFields)[number]) => {
    const v = c.fields[f.id];
    if (!v) return "Not recorded";
    if (f.type === "date") return formatDate(v);
    if (f.type === "choice") return f.options.find((o) => o.value === v)?.label ?? v;
    return v === "yes" ? "Yes" : "No";
  };
  const changeId = url.searchParams.get("change");
  const changing = open && changeId && canChangeAnswer(ihaCase, changeId) ? audit.template.sections.flatMap((s) => s.criteria).find((k) => k.id === changeId)! : null;
  const done = url.searchParams.get("done");
  const practitionerField = audit.template.caseFields.find((f) => f.id === "iha_practitioner");
  return {
    audit: { id: audit.id, title: audit.title, open },
    case: {
      id: c.id,
      ref: c.case_ref,
      service: c.service_name,
      team: c.team_name,
      caseType: c.case_type,
      fields: audit.template.caseFields.map((f) => ({ label: f.label, value: displayField(f) })),
    },
    timeliness: { status: timeliness.status, workingDays: timeliness.workingDays, dueDate: timeliness.dueDate, summary: timeliness.summary },
    sections: audit.template.sections.map((s) => ({
      id: s.id,
      title: s.title,
      criteria: s.criteria.map((k) => {
        const stored = answers[k.id];
        const result = computed[k.id];
        return {
          id: k.id,
          question: k.question,
          answer: result.answer,
          ruleSummary: result.rule?.summary ?? null,
          naReason: result.applicability?.applicable === false && result.answer === "na" ? result.applicability.reason : null,
          note: stored?.note ?? null,
          detail: detailText(k, stored?.detail ?? null),
          overrideReason: stored?.override_reason ?? null,
          changedReason: stored?.changed_reason ?? null,
          changeable: open && canChangeAnswer(ihaCase, k.id),
        };
      }),
    })),
    changing: changing ? { criterion: changing, values: changeValues(changing.id, answers[changing.id]) } : null,
    review: review ? { ...review, reviewedAtText: formatDateTimeLondon(review.reviewedAt), reviewedOn: formatDate(review.reviewedOn) } : null,
    judgementValues: review
      ? { judgement: review.judgement, rationale: review.rationale, clinicianGroup: review.clinicianGroup, feedback: review.feedback ?? "" }
      : { judgement: "", rationale: "", clinicianGroup: clinicianGroupFor(c.fields.iha_practitioner), feedback: "" },
    practitioner: practitionerField ? displayField(practitionerField) : "Not recorded",
    done: done && done in DONE ? (done as Done) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, ihaCase } = await load(request, params.caseId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/reviews/${ihaCase.c.id}`;

  if (intent === "judgement") {
    const parsed = parseForm(IhaJudgementSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    await recordIhaReview(db, user, ihaCase.c.id, parsed.data, request);
    return redirect(`${here}?done=judgement`);
  }

  if (intent === "answer") {
    if (!isAuditOpen(ihaCase.audit.status)) {
      throw new Response("This audit is complete, so its answers cannot be changed. Reopen it first.", { status: 403, statusText: "Forbidden" });
    }
    const criterionId = String(form.get("criterionId") ?? "");
    const criterion = ihaCase.audit.template.sections.flatMap((s) => s.criteria).find((k) => k.id === criterionId);
    if (!criterion || !canChangeAnswer(ihaCase, criterionId)) throw new Response("This answer cannot be changed here.", { status: 400, statusText: "Bad Request" });
    const parsed = parseForm(answerChangeSchema(criterion), form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    const { change, reason } = parsed.data;
    return orInvalid(parsed.values, async () => {
      await changeAnswerAsReviewer(db, user, ihaCase.c.id, criterionId, { answer: change.answer, note: change.note, detail: change.detail, reason }, request);
      return redirect(`${here}?done=answer#criterion-${criterionId}`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400, statusText: "Bad Request" });
}

type Loader = Awaited<ReturnType<typeof loader>>;

function MeasureInputs({ c }: { c: Criterion }) {
  const m = c.measure;
  if (!m) return null;
  if (m.type === "choice") return <Select name="change.choice" label={m.label} hint={m.hint} options={m.options} placeholder="Select an option" />;
  if (m.type === "number") return <TextInput name="change.number" label={m.label} hint={m.hint ?? `A whole number from ${m.min} to ${m.max}`} width={3} inputMode="numeric" />;
  return (
    <fieldset className="nhsuk-fieldset">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{m.label}</legend>
      <p className="nhsuk-hint">The answer follows from these: all of them is met, at least one is partially met, none is not met.</p>
      <TextInput name="change.denominator" label={m.denominatorLabel} width={3} inputMode="numeric" />
      <TextInput name="change.numerator" label={m.numeratorLabel} width={3} inputMode="numeric" />
    </fieldset>
  );
}

function ChangeAnswerForm({ changing, actionData }: { changing: NonNullable<Loader["changing"]>; actionData: ReturnType<typeof useActionData<typeof action>> }) {
  const c = changing.criterion;
  const schema = useMemo(() => answerChangeSchema(c), [c]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false, defaultValues: changing.values as never });
  const failed = actionData && "values" in actionData && actionData.values.intent === "answer";
  return (
    <div className="app-rule" id="change">
      <GovForm form={form} serverErrors={failed ? actionData.errors : undefined} values={failed ? actionData.values : changing.values}>
        <input type="hidden" name="intent" value="answer" />
        <input type="hidden" name="criterionId" value={c.id} />
        <Radios name="change.answer" legend="Your answer" legendSize="s" inline options={c.answers.map((a) => ({ value: a, label: ANSWER_LABELS[a] }))} />
        <MeasureInputs c={c} />
        <Textarea
          name="change.note"
          label="Note"
          hint={c.noteRequiredFor.length ? `Required when the answer is ${c.noteRequiredFor.map((a) => ANSWER_LABELS[a].toLowerCase()).join(" or ")}` : "Optional"}
          rows={2}
        />
        <Textarea name="reason" label="Why are you changing this answer?" hint="Required. Your reason is kept with the answer and in the audit log, with the answer before and after." rows={3} />
        <Button>Save changed answer</Button>
      </GovForm>
    </div>
  );
}

function CriterionAnswer({ k, caseId, changing, actionData }: { k: Loader["sections"][number]["criteria"][number]; caseId: number; changing: Loader["changing"]; actionData: ReturnType<typeof useActionData<typeof action>> }) {
  const isChanging = changing?.criterion.id === k.id;
  return (
    <div className="app-criterion" id={`criterion-${k.id}`}>
      <h4 className="nhsuk-heading-s">{k.question}</h4>
      <p>
        <strong>{k.answer ? ANSWER_LABELS[k.answer as Answer] : k.ruleSummary ? "Cannot be determined" : "Not answered"}</strong>
        {k.note ? ` – ${k.note}` : ""}
      </p>
      {k.ruleSummary && <p className="nhsuk-body-s">Worked out from the case dates: {k.ruleSummary}</p>}
      {k.naReason && <p className="nhsuk-body-s">Not applicable from the case details: {k.naReason}</p>}
      {k.detail && <p className="nhsuk-body-s">{k.detail}</p>}
      {k.overrideReason && <p className="nhsuk-body-s">Answered although the case details say it does not apply: {k.overrideReason}</p>}
      {k.changedReason && <p className="nhsuk-body-s">Changed by a reviewer: {k.changedReason}</p>}
      {isChanging ? (
        <>
          <ChangeAnswerForm changing={changing!} actionData={actionData} />
          <p>
            <Link to={`/reviews/${caseId}#criterion-${k.id}`}>Cancel</Link>
          </p>
        </>
      ) : (
        k.changeable && (
          <p>
            <Link to={`/reviews/${caseId}?change=${encodeURIComponent(k.id)}#change`}>
              Change answer<span className="nhsuk-u-visually-hidden"> to: {k.question}</span>
            </Link>
          </p>
        )
      )}
    </div>
  );
}

export default function ReviewIha() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const judgementForm = useForm({ resolver: zodResolver(IhaJudgementSchema), mode: "onSubmit", shouldFocusError: false, defaultValues: data.judgementValues });
  const judgementFailed = actionData && "values" in actionData && actionData.values.intent === "judgement";
  return (
    <>
      <BackLink to="/reviews">Back to initial health assessments to review</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Review IHA: case {data.case.ref}</h1>
      {data.done && !actionData && <Banner>{DONE[data.done]}</Banner>}
      {data.review && (
        <p>
          <strong>
            Quality assured by {data.review.reviewerName} on {data.review.reviewedOn}: {JUDGEMENT_LABELS[data.review.judgement]}
          </strong>
        </p>
      )}
      <SummaryList
        rows={[
          ...caseDetailRows(data.case),
          {
            key: "Timeliness",
            value: (
              <>
                <IhaTimelinessTag t={data.timeliness} />
                <br />
                <span className="nhsuk-body-s">{data.timeliness.summary}</span>
              </>
            ),
          },
        ]}
      />
      <p>
        <Link to={`/audits/${data.audit.id}/cases/${data.case.id}`}>See this case in its audit</Link>
      </p>

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2>Quality judgement</h2>
          {data.review && (
            <p className="nhsuk-body-s">
              Recorded by {data.review.reviewerName} on {data.review.reviewedAtText}. Saving again replaces it; the earlier judgement is kept in the audit log.
            </p>
          )}
          <GovForm form={judgementForm} serverErrors={judgementFailed ? actionData.errors : undefined} values={judgementFailed ? actionData.values : data.judgementValues}>
            <input type="hidden" name="intent" value="judgement" />
            <Radios name="judgement" legend="How good is this initial health assessment?" legendSize="s" options={JUDGEMENTS.map((j) => ({ value: j, label: JUDGEMENT_LABELS[j] }))} />
            <Textarea name="rationale" label="Rationale for your judgement" hint="Required. What the assessment did well and what it missed." rows={5} />
            <Radios
              name="clinicianGroup"
              legend="Assessing clinician"
              legendSize="s"
              hint={`Suggested from "Who did the IHA" in the case details: ${data.practitioner}.`}
              options={CLINICIAN_GROUPS.map((g) => ({ value: g, label: CLINICIAN_GROUP_LABELS[g] }))}
            />
            <Textarea name="feedback" label="Feedback for the assessing clinician" hint="Optional." rows={5} />
            <Button>Save judgement</Button>
          </GovForm>
        </div>
      </div>

      <h2>Answers</h2>
      {!data.audit.open && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This audit is complete, so its answers cannot be changed. A reviewer or administrator can reopen it from the audit page, with a reason.</p>
        </div>
      )}
      {data.sections.map((s) => (
        <section key={s.id}>
          <h3>{s.title}</h3>
          {s.criteria.map((k) => (
            <CriterionAnswer key={k.id} k={k} caseId={data.case.id} changing={data.changing} actionData={actionData} />
          ))}
        </section>
      ))}
    </>
  );
}
