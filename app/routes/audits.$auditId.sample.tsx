import { isAuditOpen } from "~/lib/audit-status";
import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button, GovForm, Radios, Textarea, TextInput, useResetAfterSubmit } from "~/components/form";
import { BackLink, Banner, SummaryList } from "~/components/ui";
import { formatDateTimeLondon } from "~/lib/dates";
import { fieldId } from "~/lib/form-data";
import { describeSample, generateSeed, sampleSize } from "~/lib/sampling";
import { addToSampleSchema, CONFIDENCE_OPTIONS, drawFormValuesFor, drawSampleSchema, sampleSizeHelperSchema, type DrawFormValues } from "~/schemas/sampling";
import { assertAuditOpen, requireAudit } from "~/models/audits.server";
import { addToSample, describeMethod, drawAuditSample, originalSampling, samplingOverview } from "~/models/sampling.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Draw the sample: ${data?.audit.title ?? "audit"} – Safeguarding case-file audit` }];

const DONE = ["drawn", "added"] as const;
type Done = (typeof DONE)[number];

/** The sample-size helper's inputs from the address (?confidence=0.95&margin=5); defaults when absent. */
function helperInput(url: URL, population: number) {
  const raw = { confidence: url.searchParams.get("confidence") ?? "0.95", margin: url.searchParams.get("margin") ?? "5" };
  const parsed = sampleSizeHelperSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { values: raw, errors, result: null };
  }
  const { confidence, margin } = parsed.data;
  const c = Number(confidence);
  const n = sampleSize({ population, confidence: c, margin: margin / 100 });
  return { values: raw, errors: {}, result: { n, confidencePercent: Math.round(c * 100), marginPoints: margin, ...describeSample({ sample: n, population, confidence: c }) } };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  const url = new URL(request.url);
  const overview = await samplingOverview(db, audit.id);
  const helper = helperInput(url, overview.imported);
  const sample = overview.sample;
  const method = sample?.method ?? null;
  const strata = method?.method === "stratified" ? (method.stratifyBy === "team" ? overview.byTeam : overview.byService) : null;
  // Only cases chosen at random count towards what the sample can show (not those added by hand).
  const drawnNow = (method?.method === "stratified" ? strata! : overview.byService).reduce((sum, s) => sum + s.drawn, 0);
  const done = url.searchParams.get("done");
  const copiedFrom = sample ? null : await originalSampling(db, audit);
  return {
    audit: { id: audit.id, title: audit.title, status: audit.status },
    open: isAuditOpen(audit.status),
    counts: { population: overview.population, imported: overview.imported, handAdded: overview.handAdded, sampled: overview.sampled, excluded: overview.excluded },
    strataSizes: { service: overview.byService.length, team: overview.byTeam.length },
    sample: sample && {
      seed: sample.seed,
      algorithm: sample.algorithm,
      drawnBy: sample.drawnBy,
      drawnAt: formatDateTimeLondon(sample.drawnAt),
      populationSize: sample.populationSize,
      sampleSize: sample.sampleSize,
      methodText: method ? describeMethod(method) : "Not recorded",
      strata: method?.strata ?? [],
      // What the drawn cases can show now (exclusions lower it), with a warning for small strata.
      description: describeSample({
        sample: drawnNow,
        population: overview.imported,
        strata: strata ? Object.fromEntries(strata.map((s) => [s.label, { sample: s.drawn, population: s.population }])) : undefined,
      }),
    },
    answeredSampledCases: overview.answeredSampledCases,
    canDraw: isAuditOpen(audit.status) && overview.imported > 0 && !(sample && overview.answeredSampledCases > 0),
    helper,
    // A re-audit's first draw offers the method its original was drawn with.
    copiedFrom: copiedFrom && { auditId: copiedFrom.auditId, title: copiedFrom.title, methodText: copiedFrom.methodText },
    drawDefaults: copiedFrom
      ? drawFormValuesFor(copiedFrom.method, generateSeed())
      : {
          method: "simple",
          sizeBy: "number",
          size: helper.result && helper.result.n > 0 ? String(helper.result.n) : "",
          allocation: "proportional",
          stratifyBy: "service",
          seed: generateSeed(),
        },
    done: DONE.includes(done as Done) ? (done as Done) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageSample");
  const audit = await requireAudit(db, params.auditId);
  assertAuditOpen(audit, "This audit is complete, so its sample cannot be changed. A reviewer or administrator can reopen it.");
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = `/audits/${audit.id}/sample`;

  if (intent === "draw") {
    const parsed = parseForm(drawSampleSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await drawAuditSample(db, user, audit, parsed.data, request);
      return redirect(`${here}?done=drawn`);
    });
  }

  if (intent === "add") {
    const parsed = parseForm(addToSampleSchema, form);
    if (!parsed.ok) return invalid(parsed.errors, parsed.values);
    return orInvalid(parsed.values, async () => {
      await addToSample(db, user, audit.id, parsed.data.caseRef, parsed.data.reason, request);
      return redirect(`${here}?done=added`);
    });
  }

  throw new Response("The form could not be read. Go back and try again.", { status: 400 });
}

const DONE_TEXT: Record<Done, string> = {
  drawn: "The sample has been drawn. Its seed and method are shown below and recorded in the audit log.",
  added: "The case has been added to the sample. The change and its reason are listed on the audit page.",
};

/** A GET form: works without JavaScript and keeps the answer in the address. */
function SampleSizeHelper({ helper, population }: { helper: ReturnType<typeof helperInput>; population: number }) {
  const errors = helper.errors as Record<string, string | undefined>;
  const marginId = fieldId("margin");
  return (
    <>
      <h2>How many cases to audit</h2>
      {population === 0 ? (
        <p>Import a case list first. The suggestion depends on how many cases there are.</p>
      ) : (
        <Form method="get">
          <div className={`nhsuk-form-group${errors.confidence ? " nhsuk-form-group--error" : ""}`}>
            <fieldset className="nhsuk-fieldset" aria-describedby={`confidence-hint${errors.confidence ? " confidence-error" : ""}`}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">How sure do you need to be?</legend>
              <div className="nhsuk-hint" id="confidence-hint">
                95% is usual for audits reported to boards and inspectors.
              </div>
              {errors.confidence && (
                <span className="nhsuk-error-message" id="confidence-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.confidence}
                </span>
              )}
              <div className="nhsuk-radios nhsuk-radios--inline">
                {CONFIDENCE_OPTIONS.map((o, i) => (
                  <div className="nhsuk-radios__item" key={o.value}>
                    <input className="nhsuk-radios__input" id={i === 0 ? "confidence" : `confidence-${i + 1}`} name="confidence" type="radio" value={o.value} defaultChecked={helper.values.confidence === o.value} />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={i === 0 ? "confidence" : `confidence-${i + 1}`}>
                      {o.label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <div className={`nhsuk-form-group${errors.margin ? " nhsuk-form-group--error" : ""}`}>
            <label className="nhsuk-label" htmlFor={marginId}>
              Margin of error, in percentage points
            </label>
            <div className="nhsuk-hint" id={`${marginId}-hint`}>
              5 means the compliance figure is within 5 points either side of the true figure.
            </div>
            {errors.margin && (
              <span className="nhsuk-error-message" id={`${marginId}-error`}>
                <span className="nhsuk-u-visually-hidden">Error:</span> {errors.margin}
              </span>
            )}
            <input
              className={`nhsuk-input nhsuk-input--width-3${errors.margin ? " nhsuk-input--error" : ""}`}
              id={marginId}
              name="margin"
              type="text"
              inputMode="decimal"
              defaultValue={helper.values.margin}
              aria-describedby={`${marginId}-hint${errors.margin ? ` ${marginId}-error` : ""}`}
            />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Work out the sample size
          </button>
        </Form>
      )}
      {helper.result && population > 0 && (
        <div className="nhsuk-inset-text" aria-live="polite">
          <p>
            <strong>
              Suggested sample: {helper.result.n} of {population} {population === 1 ? "case" : "cases"}
            </strong>{" "}
            ({helper.result.confidencePercent}% confidence, ±{helper.result.marginPoints} percentage points).
          </p>
          <p>What it can show: {helper.result.shows}</p>
          <p className="nhsuk-u-margin-bottom-0">What it cannot show: {helper.result.cannot.join(" ")}</p>
        </div>
      )}
    </>
  );
}

export default function SamplePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData?.values.intent;
  const drawForm = useForm({ resolver: zodResolver(drawSampleSchema), mode: "onSubmit", shouldFocusError: false, defaultValues: data.drawDefaults as DrawFormValues });
  const addForm = useForm({ resolver: zodResolver(addToSampleSchema), mode: "onSubmit", shouldFocusError: false });
  useResetAfterSubmit({ add: addForm }, failed);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const method = useWatch({ control: drawForm.control, name: "method" });
  const allocation = useWatch({ control: drawForm.control, name: "allocation" });
  const sizeBy = useWatch({ control: drawForm.control, name: "sizeBy" });
  // Without JavaScript every field shows (each says when it applies); with it, only those that apply.
  const show = {
    strata: !hydrated || method === "stratified",
    perStratum: !hydrated || (method === "stratified" && allocation === "fixed"),
    sizing: !hydrated || method !== "stratified" || allocation !== "fixed",
    size: !hydrated || sizeBy !== "percent",
    percent: !hydrated || sizeBy === "percent",
  };
  const { counts, sample } = data;
  return (
    <>
      <BackLink to={`/audits/${data.audit.id}`}>Back to {data.audit.title}</BackLink>
      <span className="nhsuk-caption-l">{data.audit.title}</span>
      <h1>Draw the sample</h1>
      {data.done && !actionData && <Banner>{DONE_TEXT[data.done]}</Banner>}
      {!data.open && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This audit is complete, so its sample cannot be changed. A reviewer or administrator can reopen it.</p>
        </div>
      )}
      <SummaryList
        rows={[
          {
            key: "Cases in the population",
            value: `${counts.population} (${counts.imported} from imported case lists, ${counts.handAdded} added by hand)`,
          },
          { key: "Cases in the sample", value: String(counts.sampled) },
          { key: "Cases excluded", value: String(counts.excluded) },
        ]}
      />
      {counts.handAdded > 0 && (
        <p>
          {counts.handAdded} {counts.handAdded === 1 ? "case was" : "cases were"} added by hand. {counts.handAdded === 1 ? "It is" : "They are"} always in the sample and {counts.handAdded === 1 ? "is" : "are"} not part of
          the draw, which chooses only among imported cases.
        </p>
      )}
      {data.open && (
        <p>
          <Link to={`/audits/${data.audit.id}/import`}>Import a case list</Link>
        </p>
      )}

      {sample && (
        <>
          <h2>The current sample</h2>
          <p>
            Drawn by {sample.drawnBy} on {sample.drawnAt}, seed <strong>{sample.seed}</strong>; drawing again with this seed and population gives the same sample.
          </p>
          <SummaryList
            rows={[
              { key: "Method", value: sample.methodText },
              { key: "Drawn", value: `${sample.sampleSize} of ${sample.populationSize} imported cases` },
              { key: "Seed", value: sample.seed },
              { key: "Algorithm", value: sample.algorithm },
            ]}
          />
          {sample.strata.length > 0 && (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Cases drawn from each stratum</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Stratum</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Cases</th>
                  <th scope="col" className="nhsuk-table__header app-table-numeric">Drawn</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {sample.strata.map((s) => (
                  <tr className="nhsuk-table__row" key={s.key}>
                    <td className="nhsuk-table__cell">{s.label}</td>
                    <td className="nhsuk-table__cell app-table-numeric">{s.population}</td>
                    <td className="nhsuk-table__cell app-table-numeric">{s.sample}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>What this sample can and cannot show</h3>
          <p>{sample.description.shows}</p>
          <ul>
            {sample.description.cannot.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}

      <SampleSizeHelper helper={data.helper} population={counts.imported} />

      {data.open && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h2>{sample ? "Draw the sample again" : "Draw the sample"}</h2>
            {counts.imported === 0 ? (
              <p>There are no imported cases to draw from yet. Import a case list first.</p>
            ) : !data.canDraw ? (
              <div className="nhsuk-inset-text">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>
                  The sample cannot be drawn again because scoring has started: {data.answeredSampledCases} sampled {data.answeredSampledCases === 1 ? "case has" : "cases have"} answers. Add or exclude single
                  cases with a reason instead.
                </p>
              </div>
            ) : (
              <>
              {data.copiedFrom && (
                <div className="nhsuk-inset-text" data-testid="copied-sampling">
                  <span className="nhsuk-u-visually-hidden">Information: </span>
                  <p>
                    This audit repeats <Link to={`/audits/${data.copiedFrom.auditId}`}>{data.copiedFrom.title}</Link>, so its sampling method is filled in: {data.copiedFrom.methodText}. The seed is
                    new. Change anything before you draw.
                  </p>
                </div>
              )}
              <GovForm form={drawForm} serverErrors={failed === "draw" ? actionData?.errors : undefined} values={failed === "draw" ? actionData?.values : data.drawDefaults}>
                <input type="hidden" name="intent" value="draw" />
                {sample && <p>Drawing again replaces the current sample. Cases added to it by hand that the new draw leaves out go back to the case list.</p>}
                <Radios
                  name="method"
                  legend="How should cases be chosen?"
                  legendSize="s"
                  options={[
                    { value: "simple", label: "Simple random sample", hint: "Every imported case has the same chance of being chosen" },
                    { value: "stratified", label: "Stratified random sample", hint: "Cases are drawn separately from each service or team, so each is represented" },
                  ]}
                />
                {show.strata && (
                  <>
                    <Radios
                      name="stratifyBy"
                      legend="Stratify by (stratified samples only)"
                      legendSize="s"
                      inline
                      options={[
                        { value: "service", label: `Service (${data.strataSizes.service})` },
                        { value: "team", label: `Team (${data.strataSizes.team})` },
                      ]}
                    />
                    <Radios
                      name="allocation"
                      legend="How is the sample shared out? (stratified samples only)"
                      legendSize="s"
                      options={[
                        { value: "proportional", label: "In proportion to the size of each service or team" },
                        { value: "fixed", label: "The same number from each service or team", hint: "All of a smaller one" },
                      ]}
                    />
                    {show.perStratum && <TextInput name="perStratum" label="Number of cases from each service or team (same number only)" width={4} inputMode="numeric" />}
                    <TextInput
                      name="minPerStratum"
                      label="Minimum from each service or team (optional, stratified samples only)"
                      hint="A small service or team gets at least this many, or all its cases if it has fewer. This can make the sample larger."
                      width={4}
                      inputMode="numeric"
                    />
                  </>
                )}
                {show.sizing && (
                  <>
                    <Radios
                      name="sizeBy"
                      legend="Give the sample size as"
                      legendSize="s"
                      hint={hydrated ? undefined : "Not needed when the same number is taken from each service or team"}
                      inline
                      options={[
                        { value: "number", label: "A number of cases" },
                        { value: "percent", label: "A percentage" },
                      ]}
                    />
                    {show.size && <TextInput name="size" label="Number of cases" hint={data.helper.result ? `The suggestion above is ${data.helper.result.n}` : undefined} width={4} inputMode="numeric" />}
                    {show.percent && <TextInput name="percent" label="Percentage of cases" hint="Rounded up to a whole number of cases, for example 10" width={3} inputMode="numeric" />}
                  </>
                )}
                <TextInput
                  name="seed"
                  label="Seed"
                  hint="A new random seed is filled in. To reproduce a published draw, enter its seed: the same seed and case list give the same sample."
                  width={20}
                  spellCheck={false}
                />
                <Button>{sample ? "Draw the sample again" : "Draw the sample"}</Button>
              </GovForm>
              </>
            )}

            {sample && (
              <>
                <h2>Add a case to the sample</h2>
                <p>Add a case from the imported case list by hand, for example one a reviewer asked to see. The change and its reason are listed on the audit page and in the audit log.</p>
                <GovForm form={addForm} serverErrors={failed === "add" ? actionData?.errors : undefined} values={failed === "add" ? actionData?.values : undefined}>
                  <input type="hidden" name="intent" value="add" />
                  <TextInput name="caseRef" label="Case reference" hint="As it appears in the case list" width={20} spellCheck={false} />
                  <Textarea name="reason" label="Why are you adding this case?" />
                  <Button secondary>Add to sample</Button>
                </GovForm>
                <p>
                  To exclude a case from the sample (for example, when the record cannot be found), use the Exclude link next to it on the{" "}
                  <Link to={`/audits/${data.audit.id}`}>audit page</Link>.
                </p>
              </>
            )}
          </div>
        </div>
      )}
    </>
  );
}
