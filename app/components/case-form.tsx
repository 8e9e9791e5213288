/** The case record form (add and change): reference, service, team, case type and the template's case fields. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, type ReactNode } from "react";
import { useForm, useWatch, type FieldValues } from "react-hook-form";
import type { ZodMiniType } from "zod/mini";
import { caseSchema, CASE_REF_HINT, type CaseFormContext } from "~/schemas/case";
import { Button, DateInput, GovForm, Radios, Select, TextInput } from "./form";
import type { FieldErrors } from "~/lib/form-data";

export function CaseForm({
  ctx,
  serverErrors,
  values,
  submitLabel,
  schema: schemaFor = caseSchema,
  children,
}: {
  ctx: CaseFormContext;
  serverErrors?: FieldErrors;
  values?: Record<string, unknown>;
  submitLabel: string;
  /** A schema built from the context, when the page asks for more than the case (a reason, say). */
  schema?: (ctx: CaseFormContext) => ZodMiniType<FieldValues, FieldValues>;
  /** Extra questions, shown after the case fields. */
  children?: ReactNode;
}) {
  const schema = useMemo(() => schemaFor(ctx), [ctx, schemaFor]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onSubmit", shouldFocusError: false });
  const chosenService = useWatch({ control: form.control, name: "serviceId" }) ?? (values?.serviceId as string | undefined);
  const teams = ctx.teams.filter((t) => !chosenService || String(t.serviceId) === String(chosenService));
  const serviceName = (id: number) => ctx.services.find((s) => s.id === id)?.name ?? "";
  return (
    <GovForm form={form} serverErrors={serverErrors} values={values}>
      <TextInput name="caseRef" label="Case reference" hint={CASE_REF_HINT} width={20} spellCheck={false} />
      {ctx.services.length === 1 ? (
        <Select name="serviceId" label="Service" options={ctx.services.map((s) => ({ value: String(s.id), label: s.name }))} />
      ) : (
        <Select name="serviceId" label="Service" placeholder="Select a service" options={ctx.services.map((s) => ({ value: String(s.id), label: s.name }))} />
      )}
      {ctx.teams.length > 0 && (
        <Select
          name="teamId"
          label="Team (optional)"
          placeholder="No team"
          options={teams.map((t) => ({ value: String(t.id), label: `${t.name} (${serviceName(t.serviceId)})` }))}
        />
      )}
      {ctx.caseTypes.length === 1 ? (
        <input type="hidden" value={ctx.caseTypes[0]} {...form.register("caseType")} />
      ) : (
        <Radios name="caseType" legend="Case type" legendSize="s" inline options={ctx.caseTypes.map((t) => ({ value: t, label: t }))} />
      )}
      {ctx.caseFields.map((f) => {
        const name = `fields.${f.id}`;
        const label = f.required ? f.label : `${f.label} (optional)`;
        switch (f.type) {
          case "date":
            return <DateInput key={f.id} name={name} legend={label} hint={f.hint ?? "For example, 15 3 2025"} />;
          case "choice":
            return <Radios key={f.id} name={name} legend={label} legendSize="s" hint={f.hint} options={f.options} />;
          case "yes_no":
            return (
              <Radios
                key={f.id}
                name={name}
                legend={label}
                legendSize="s"
                hint={f.hint}
                inline
                options={[
                  { value: "yes", label: "Yes" },
                  { value: "no", label: "No" },
                ]}
              />
            );
        }
      })}
      {children}
      <Button>{submitLabel}</Button>
    </GovForm>
  );
}
