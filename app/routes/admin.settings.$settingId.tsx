import { zodResolver } from "@hookform/resolvers/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Button, GovForm, TextInput } from "~/components/form";
import { BackLink } from "~/components/ui";
import { SETTINGS, isSettingId, type SettingId } from "~/lib/settings";
import { settingSchema } from "~/schemas/settings";
import { changeSetting, currentSettings } from "~/models/settings.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { invalid, orInvalid, parseForm } from "~/utils/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change: ${data?.setting.label ?? "setting"} – Safeguarding case-file audit` }];

function requireSetting(param: string | undefined): SettingId {
  if (!param || !isSettingId(param)) throw new Response("There is no such setting.", { status: 404, statusText: "Not Found" });
  return param;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageSettings");
  const id = requireSetting(params.settingId);
  return { setting: { id, ...SETTINGS[id] }, value: (await currentSettings(db))[id] };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageSettings");
  const id = requireSetting(params.settingId);
  const form = await readForm(request);
  const parsed = parseForm(settingSchema(SETTINGS[id]), form);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  return orInvalid(parsed.values, async () => {
    await changeSetting(db, user, id, parsed.data.value, request);
    return redirect(`/admin/settings?changed=${id}`);
  });
}

export default function ChangeSetting() {
  const { setting, value } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => settingSchema(setting), [setting]);
  const values = { value: String(value) };
  const form = useForm({ resolver: zodResolver(schema), defaultValues: values, shouldFocusError: false });
  return (
    <>
      <BackLink to="/admin/settings">Back to local rules</BackLink>
      <GovForm form={form} serverErrors={actionData?.errors} values={actionData?.values ?? values}>
        <TextInput
          name="value"
          pageHeading
          label={`${setting.label} (${setting.unit})`}
          hint={`A whole number from ${setting.min} to ${setting.max}. The default is ${setting.default}. ${setting.source}`}
          width={3}
          inputMode="numeric"
        />
        <p>New audits will use the new value. Audits already created keep the value they started with.</p>
        <Button>Save</Button>
      </GovForm>
    </>
  );
}
