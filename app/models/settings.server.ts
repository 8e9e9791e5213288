/** Local settings (non-statutory timescales): the registry is app/lib/settings.ts; changes are stored and logged. */
import { defaultSettings, isSettingId, SETTINGS, type SettingId, type SettingValues } from "~/lib/settings";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";

/** Every setting's current value: the stored value where one was set, else the default. */
export async function currentSettings(db: Db): Promise<Record<SettingId, number>> {
  const values = defaultSettings();
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  for (const r of rows) if (isSettingId(r.key)) values[r.key] = r.value;
  return values;
}

/** Each setting with its definition, current value and who last changed it. */
export async function listSettings(db: Db) {
  const rows = await db
    .selectFrom("settings")
    .leftJoin("users", "users.id", "settings.updated_by")
    .select(["settings.key", "settings.value", "settings.updated_at", "users.name as updated_by_name"])
    .execute();
  const stored = new Map(rows.map((r) => [r.key, r]));
  return (Object.keys(SETTINGS) as SettingId[]).map((id) => {
    const s = stored.get(id);
    return { id, ...SETTINGS[id], value: s?.value ?? SETTINGS[id].default, updatedAt: s?.updated_at ?? null, updatedBy: s?.updated_by_name ?? null };
  });
}

export async function changeSetting(db: Db, actor: NonNullable<Actor>, id: string, value: number, request?: Request) {
  if (!isSettingId(id)) throw new UserInputError("There is no such setting", "id");
  const def = SETTINGS[id];
  if (!Number.isInteger(value) || value < def.min || value > def.max) {
    throw new UserInputError(`Enter a whole number from ${def.min} to ${def.max}`, "value");
  }
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("settings").select("value").where("key", "=", id).executeTakeFirst();
    const now = nowIso();
    await trx
      .insertInto("settings")
      .values({ key: id, value, updated_by: actor.id, updated_at: now })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_by: actor.id, updated_at: now }))
      .execute();
    await logEvent(trx, { actor, action: "update", entity: "setting", entityId: id, before: { value: before?.value ?? def.default }, after: { value }, request });
  });
}

/** The settings an audit pinned at creation (null in the row means every default then in force). */
export function auditSettings(audit: { settings: string | null }): SettingValues {
  if (!audit.settings) return {};
  try {
    const parsed = JSON.parse(audit.settings) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as SettingValues) : {};
  } catch {
    return {};
  }
}
