/** The form to change one local setting: a whole number within the setting's limits. */
import * as z from "zod/mini";
import type { SettingDefinition } from "~/lib/settings";

export function settingSchema(s: Pick<SettingDefinition, "min" | "max" | "unit">) {
  const message = `Enter a whole number of ${s.unit} from ${s.min} to ${s.max}`;
  return z.object({
    value: z.pipe(
      z.string({ error: message }).check(z.trim(), z.minLength(1, message), z.regex(/^\d+$/, message)),
      z.transform(Number),
    ).check(z.refine((n) => n >= s.min && n <= s.max, message)),
  });
}
