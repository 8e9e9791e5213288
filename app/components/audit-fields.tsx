import { Checkboxes, DateInput, TextInput } from "./form";

/** Title, services in scope and period: shared by "Start an audit" and "Change audit details". */
export function AuditDetailsFields({ services }: { services: { id: number; name: string; provider_name: string }[] }) {
  return (
    <>
      <TextInput name="title" label="Audit title" hint="For example, LAC initial health assessments, April to June 2026" />
      <Checkboxes
        name="serviceIds"
        legend="Which services are in scope?"
        hint="Select all that apply"
        options={services.map((s) => ({ value: String(s.id), label: `${s.name} (${s.provider_name})` }))}
      />
      <DateInput name="periodStart" legend="Start of the audit period" hint="The first date of the practice you are auditing, for example 1 4 2026" />
      <DateInput name="periodEnd" legend="End of the audit period" hint="For example, 30 6 2026" />
    </>
  );
}
