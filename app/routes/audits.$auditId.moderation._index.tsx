import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Button, Checkboxes, CsrfInput, GovForm, Radios, Textarea, TextInput, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner, SummaryList } from "~/components/ui";
import { formatAgreement, formatKappa, interpretKappa, KAPPA_BAND_LABELS } from "~/lib/agreement";
import { ANSWER_LABELS, type Answer } from "~/lib/answers";
import { generateSeed } from "~/lib/sampling";
import { DEFAULT_MODERATION_PERCENT, moderationDrawSchema, moderationSelectSchema, SETTLE_ANSWER_MESSAGE, settleKey, settleSchema, settleTarget, type ModerationDrawValues } from "~/schemas/moderation";
import { requireAudit } from "~/models/audits.server";
import { drawForModeration, moderationDrawSize, moderationOverview, removeFromModeration, selectForModeration, settleDisagreement } from "~/models/moderation.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Moderation: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

const DONE = ["drawn", "selected", "removed", "moderated", "settled"] as const;
type Done = (typeof DONE)[number];

const DONE_TEXT: Record<Done, string> = {
  drawn: "The cases have been drawn at random. The seed is recorded with each case and in the audit log.",
  selected: "The cases have been chosen for moderation.",
  removed: "The case has been taken off the moderation list.",
  moderated: "The second scoring has been saved. The agreement below includes it.",
  settled: "The disagreement has been settled. The results now use the agreed answer; both original answers are kept.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "reviewQuality");
  const audit = await requireAudit(db, params.auditId);
  const overview = await moderationOverview(db, audit);
  const done = new URL(request.url).searchParams.get("done");
  const band = (k: number | null) => {
    const b = interpretKappa(k);
    return b ? KAPPA_BAND_LABELS[b] : "Not defined";
  };
  const figures = (a: { n: number; agreement: number | null; kappa: number | null }) => ({
    n: a.n,
    agreement: a.agreement,
    kappa: a.kappa,
    agreementText: formatAgreement(a.agreement),
    kappaText: formatKappa(a.kappa),
    strength: band(a.kappa),
  });
  return {
    audit: { id: audit.id, title: audit.title, status: audit.status },
    canModerate: overview.canModerate,
    completeCount: overview.completeCount,
    defaultDrawSize: moderationDrawSize(overview.completeCount, DEFAULT_MODERATION_PERCENT),
    available: overview.available,
    selected: overview.selected,
    moderatedCount: overview.moderatedCount,
    agreement: {
      byCriterion: overview.agreement.byCriterion.map((a) => ({ criterionId: a.criterionId, question: a.question, ...figures(a) })),
      overall: figures(overview.agreement.overall),
    },
    disagreements: overview.disagreements.map((d) => ({ ...d, key: settleKey(d.caseId, d.criterionId) })),
    drawDefaults: { percent: String(DEFAULT_MODERATION_PERCENT), seed: generateSeed() },
    done: DONE.includes(done as Done) ? (done as Done) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "reviewQuality");
  const audit = await requireAudit(db, params.auditId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/audits/${audit.id}/moderation`;

  if (intent === "draw") {
    const parsed = parseForm(moderationDrawSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await drawForModeration(db, user, audit, parsed.data, request);
      return redirect(`${here}?done=drawn`);
    });
  }

  if (intent === "select") {
    const parsed = parseForm(moderationSelectSchema, form, { arrays: ["caseIds"] });
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await selectForModeration(db, user, audit, parsed.data.caseIds, request);
      return redirect(`${here}?done=selected`);
    });
  }

  if (intent === "remove") {
    const caseId = Number(form.get("caseId"));
    return orInvalid({ intent }, async () => {
      await removeFromModeration(db, user, audit, caseId, request);
      return redirect(`${here}?done=removed`);
    });
  }

  if (intent === "settle") {
    const target = settleTarget(form.get("caseId"), form.get("criterionId"));
    if (!target) throw new Response("The form could not be read. Go back and try again.", { status: 400 });
    const key = settleKey(target.caseId, target.criterionId);
    const parsed = parseForm(settleSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    const entry = parsed.data.agreed[key];
    if (!entry) return invalid({ [`agreed.${key}.answer`]: SETTLE_ANSWER_MESSAGE }, parsed.values);
    return orInvalid(parsed.values, async () => {
      await settleDisagreement(db, user, audit, { ...target, answer: entry.answer as Answer, reason: entry.reason }, request);
      return redirect(`${here}?done=settled`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Disagreement = Data["disagreements"][number];
type ActionData = ReturnType<typeof useActionData<typeof action>>;

function AnswerWithNote({ a }: { a: { answer: Answer; note: string | null } }) {
  return (
    <>
      <strong>{ANSWER_LABELS[a.answer] ?? a.answer}</strong>
      {a.note ? <span className="nhsuk-body-s"> – {a.note}</span> : null}
    </>
  );
}

function SettleForm({ d, actionData, canSettle }: { d: Disagreement; actionData: ActionData; canSettle: boolean }) {
  const form = useForm({ resolver: zodResolver(settleSchema), mode: "onSubmit", shouldFocusError: false });
  const failedHere = actionData?.values?.intent === "settle" && actionData.values.caseId === String(d.caseId) && actionData.values.criterionId === d.criterionId;
  return (
    <div className="app-criterion">
      <h3 className="nhsuk-heading-s">
        Case {d.caseRef}: {d.question}
      </h3>
      <SummaryList
        rows={[
          { key: "First scoring", value: <AnswerWithNote a={d.first} /> },
          { key: "Second scoring (moderation)", value: <AnswerWithNote a={d.second} /> },
          {
            key: "Agreed answer",
            value: d.agreed ? (
              <>
                <strong>{ANSWER_LABELS[d.agreed.answer]}</strong> – {d.agreed.reason}
                <br />
                <span className="nhsuk-body-s">
                  Settled by {d.agreed.settledBy} on {d.agreed.settledAt}
                </span>
              </>
            ) : (
              "Not settled yet"
            ),
          },
        ]}
      />
      {canSettle && (
        <details className="nhsuk-details" open={!d.agreed || failedHere}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {d.agreed ? "Change the agreed answer" : "Settle this disagreement"}
              <span className="nhsuk-u-visually-hidden">
                {" "}
                for case {d.caseRef}: {d.question}
              </span>
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <GovForm
              form={form}
              serverErrors={failedHere ? actionData?.errors : undefined}
              values={failedHere ? actionData?.values : d.agreed ? { agreed: { [d.key]: { answer: d.agreed.answer, reason: d.agreed.reason } } } : undefined}
            >
              <input type="hidden" name="intent" value="settle" />
              <input type="hidden" name="caseId" value={d.caseId} />
              <input type="hidden" name="criterionId" value={d.criterionId} />
              <Radios name={`agreed.${d.key}.answer`} legend="Agreed answer" legendSize="s" inline options={d.options.map((a) => ({ value: a, label: ANSWER_LABELS[a] }))} />
              <Textarea name={`agreed.${d.key}.reason`} label="Reason for the agreed answer" hint="Required. For example, what the record shows and who agreed it." rows={2} />
              <Button secondary>Save agreed answer</Button>
            </GovForm>
          </div>
        </details>
      )}
    </div>
  );
}

export default function ModerationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values?.intent;
  const drawForm = useForm({ resolver: zodResolver(moderationDrawSchema), mode: "onSubmit", shouldFocusError: false, defaultValues: data.drawDefaults as ModerationDrawValues });
  const selectForm = useForm({ resolver: zodResolver(moderationSelectSchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ select: selectForm }, failed);
  const { agreement } = data;
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Moderation</h1>
      {data.done && !actionData && <Banner>{DONE_TEXT[data.done]}</Banner>}
      {failed === "remove" && actionData?.errors && (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title">There is a problem</h2>
          <div className="nhsuk-error-summary__body">
            <p>{Object.values(actionData.errors)[0]}</p>
          </div>
        </div>
      )}
      <p>
        A reviewer scores some completed cases again without seeing the first answers. The two scorings are compared criterion by criterion, and each disagreement is settled with an agreed answer and a
        reason. The results use the agreed answers; both original answers are kept.
      </p>
      {!data.canModerate && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>Only an audit that is in progress or complete can be moderated. Agreement so far is shown below.</p>
        </div>
      )}
      <SummaryList
        rows={[
          { key: "Complete cases", value: String(data.completeCount) },
          { key: "Chosen for moderation", value: String(data.selected.length) },
          { key: "Moderated", value: String(data.moderatedCount) },
        ]}
      />

      <h2>Cases chosen for moderation</h2>
      {data.selected.length === 0 ? (
        <p>No cases have been chosen yet.</p>
      ) : (
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Case</th>
              <th scope="col" className="nhsuk-table__header">Service</th>
              <th scope="col" className="nhsuk-table__header">How chosen</th>
              <th scope="col" className="nhsuk-table__header">Second scoring</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {data.selected.map((s) => (
              <tr className="nhsuk-table__row" key={s.caseId}>
                <td className="nhsuk-table__cell">
                  <Link to={`/audits/${data.audit.id}/moderation/${s.caseId}`}>
                    {s.caseRef}
                    <span className="nhsuk-u-visually-hidden">: {s.moderated ? "view or change the second scoring" : "score again"}</span>
                  </Link>
                </td>
                <td className="nhsuk-table__cell">{s.serviceName}</td>
                <td className="nhsuk-table__cell">
                  {s.how}, by {s.selectedBy} on {s.selectedAt}
                </td>
                <td className="nhsuk-table__cell">
                  {s.moderated ?? (
                    <>
                      Not started
                      {data.canModerate && (
                        <Form method="post" className="nhsuk-u-margin-top-2">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="caseId" value={s.caseId} />
                          <button type="submit" className="app-link-button">
                            Remove<span className="nhsuk-u-visually-hidden"> case {s.caseRef} from moderation</span>
                          </button>
                        </Form>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {data.canModerate && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h2>Draw cases at random</h2>
            {data.completeCount === 0 ? (
              <p>There are no complete cases yet. Cases can be moderated once every criterion is answered.</p>
            ) : (
              <GovForm form={drawForm} serverErrors={failed === "draw" ? actionData?.errors : undefined} values={failed === "draw" ? actionData?.values : data.drawDefaults}>
                <input type="hidden" name="intent" value="draw" />
                <TextInput
                  name="percent"
                  label="Percentage of complete cases"
                  hint={`Rounded up to a whole number of cases. ${DEFAULT_MODERATION_PERCENT}% of the ${data.completeCount} complete ${data.completeCount === 1 ? "case" : "cases"} is ${data.defaultDrawSize}.`}
                  width={3}
                  inputMode="numeric"
                />
                <TextInput name="seed" label="Seed" hint="A new random seed is filled in. The same seed and the same complete cases always draw the same cases." width={20} spellCheck={false} />
                <Button>Draw cases</Button>
              </GovForm>
            )}

            {data.available.length > 0 && (
              <>
                <h2>Choose cases by hand</h2>
                <GovForm form={selectForm} serverErrors={failed === "select" ? actionData?.errors : undefined} values={failed === "select" ? actionData?.values : undefined}>
                  <input type="hidden" name="intent" value="select" />
                  <Checkboxes
                    name="caseIds"
                    legend="Complete cases not chosen yet"
                    legendSize="s"
                    options={data.available.map((c) => ({ value: String(c.id), label: `${c.caseRef} (${c.serviceName})` }))}
                  />
                  <Button secondary>Choose these cases</Button>
                </GovForm>
              </>
            )}
          </div>
        </div>
      )}

      <h2>Agreement</h2>
      {data.moderatedCount === 0 ? (
        <p>No cases have been moderated yet.</p>
      ) : (
        <>
          <p>
            {data.moderatedCount} {data.moderatedCount === 1 ? "case" : "cases"} moderated. Agreement is the share of answers that were the same in both scorings. Cohen&apos;s kappa corrects it for the
            agreement expected by chance: 1 is perfect agreement and 0 no better than chance. It is not defined when every answer was the same in both scorings.
          </p>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">Agreement between the first and second scorings</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Criterion</th>
                <th scope="col" className="nhsuk-table__header app-table-numeric">Answers compared</th>
                <th scope="col" className="nhsuk-table__header app-table-numeric">Agreement</th>
                <th scope="col" className="nhsuk-table__header app-table-numeric">Kappa</th>
                <th scope="col" className="nhsuk-table__header">Strength of agreement</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {agreement.byCriterion.map((a) => (
                <tr className="nhsuk-table__row" key={a.criterionId}>
                  <td className="nhsuk-table__cell">{a.question}</td>
                  <td className="nhsuk-table__cell app-table-numeric">{a.n}</td>
                  <td className="nhsuk-table__cell app-table-numeric">{a.agreementText}</td>
                  <td className="nhsuk-table__cell app-table-numeric">{a.kappaText}</td>
                  <td className="nhsuk-table__cell">{a.strength}</td>
                </tr>
              ))}
              <tr className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__header">All criteria</th>
                <td className="nhsuk-table__cell app-table-numeric">
                  <strong>{agreement.overall.n}</strong>
                </td>
                <td className="nhsuk-table__cell app-table-numeric">
                  <strong>{agreement.overall.agreementText}</strong>
                </td>
                <td className="nhsuk-table__cell app-table-numeric">
                  <strong>{agreement.overall.kappaText}</strong>
                </td>
                <td className="nhsuk-table__cell">
                  <strong>{agreement.overall.strength}</strong>
                </td>
              </tr>
            </tbody>
          </table>

          <h2>Disagreements</h2>
          {data.disagreements.length === 0 ? (
            <p>The two scorings agree on every answer.</p>
          ) : (
            <>
              <p>
                {data.disagreements.filter((d) => !d.agreed).length} of {data.disagreements.length} {data.disagreements.length === 1 ? "disagreement is" : "disagreements are"} not settled yet.
              </p>
              {data.disagreements.map((d) => (
                <SettleForm key={d.key} d={d} actionData={actionData} canSettle={data.canModerate} />
              ))}
            </>
          )}
        </>
      )}
    </>
  );
}
