/**
 * The organisation: providers (trusts), their services, and the services' teams.
 * Names are unique per parent, ignoring upper and lower case ("Health visiting" and
 * "health visiting" are the same service). Every write is logged with before and after.
 */
import { sql } from "kysely";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { nowIso } from "~/utils/time.server";

/** A name already used under the same parent; `message` is the GOV.UK error for the field. */
export class DuplicateNameError extends UserInputError {
  constructor(
    readonly entity: "provider" | "service" | "team",
    readonly name: string,
    message: string,
  ) {
    super(message);
    this.name = "DuplicateNameError";
  }
}

const validId = (id: number) => Number.isInteger(id) && id > 0;

/** SQLite's UNIQUE failure (two people adding the same name at once): treat it like our own check. */
function isUniqueViolation(e: unknown) {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT_UNIQUE");
}

async function guardUnique<T>(run: () => Promise<T>, duplicate: () => DuplicateNameError): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate();
    throw e;
  }
}

type NameCheck = { table: "providers" | "services" | "teams"; name: string; parent?: { column: "provider_id" | "service_id"; id: number }; exceptId?: number };

/** True when another row under the same parent already has this name (ignoring case). */
async function nameTaken(db: Db, { table, name, parent, exceptId }: NameCheck) {
  let q = db
    .selectFrom(table)
    .select("id")
    .where(sql<string>`lower(name)`, "=", sql<string>`lower(${name})`);
  if (parent) q = q.where(sql.ref(parent.column), "=", parent.id);
  if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

const providerTaken = (name: string) => new DuplicateNameError("provider", name, `A provider called ${name} already exists`);
const serviceTaken = (name: string) => new DuplicateNameError("service", name, `A service called ${name} already exists for this provider`);
const teamTaken = (name: string) => new DuplicateNameError("team", name, `A team called ${name} already exists in this service`);

/* Providers */

export async function listProviders(db: Db) {
  const rows = await db
    .selectFrom("providers")
    .select((eb) => [
      "providers.id",
      "providers.name",
      eb.selectFrom("services").select(eb.fn.countAll<number>().as("n")).whereRef("services.provider_id", "=", "providers.id").as("service_count"),
    ])
    .orderBy("providers.name")
    .execute();
  return rows.map((r) => ({ ...r, service_count: Number(r.service_count ?? 0) }));
}

export async function getProvider(db: Db, id: number) {
  if (!validId(id)) return undefined;
  return db.selectFrom("providers").select(["id", "name", "created_at", "updated_at"]).where("id", "=", id).executeTakeFirst();
}

export async function createProvider(db: Db, actor: Actor, input: { name: string }, request?: Request) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        if (await nameTaken(trx, { table: "providers", name: input.name })) throw providerTaken(input.name);
        const now = nowIso();
        const provider = await trx
          .insertInto("providers")
          .values({ name: input.name, created_at: now, updated_at: now })
          .returning(["id", "name", "created_at", "updated_at"])
          .executeTakeFirstOrThrow();
        await logEvent(trx, { actor, action: "create", entity: "provider", entityId: provider.id, after: provider, request });
        return provider;
      }),
    () => providerTaken(input.name),
  );
}

/** Renames a provider; null when it does not exist. Unchanged names are not logged. */
export async function renameProvider(db: Db, actor: Actor, id: number, input: { name: string }, request?: Request) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        const before = await getProvider(trx, id);
        if (!before) return null;
        if (before.name === input.name) return before;
        if (await nameTaken(trx, { table: "providers", name: input.name, exceptId: id })) throw providerTaken(input.name);
        await trx.updateTable("providers").set({ name: input.name, updated_at: nowIso() }).where("id", "=", id).execute();
        const after = (await getProvider(trx, id))!;
        await logEvent(trx, { actor, action: "rename", entity: "provider", entityId: id, before, after, request });
        return after;
      }),
    () => providerTaken(input.name),
  );
}

/* Services */

/** Services (all, or one provider's), with their provider's name and how many teams they have. */
export async function listServices(db: Db, providerId?: number) {
  let q = db
    .selectFrom("services")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select((eb) => [
      "services.id",
      "services.name",
      "services.provider_id",
      "providers.name as provider_name",
      eb.selectFrom("teams").select(eb.fn.countAll<number>().as("n")).whereRef("teams.service_id", "=", "services.id").as("team_count"),
    ]);
  if (providerId !== undefined) q = q.where("services.provider_id", "=", providerId);
  const rows = await q.orderBy("providers.name").orderBy("services.name").execute();
  return rows.map((r) => ({ ...r, team_count: Number(r.team_count ?? 0) }));
}

export async function getService(db: Db, id: number) {
  if (!validId(id)) return undefined;
  return db
    .selectFrom("services")
    .innerJoin("providers", "providers.id", "services.provider_id")
    .select(["services.id", "services.name", "services.provider_id", "providers.name as provider_name", "services.created_at", "services.updated_at"])
    .where("services.id", "=", id)
    .executeTakeFirst();
}

/** Adds a service to a provider; null when the provider does not exist. */
export async function createService(db: Db, actor: Actor, providerId: number, input: { name: string }, request?: Request) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        if (!(await getProvider(trx, providerId))) return null;
        if (await nameTaken(trx, { table: "services", name: input.name, parent: { column: "provider_id", id: providerId } })) throw serviceTaken(input.name);
        const now = nowIso();
        const service = await trx
          .insertInto("services")
          .values({ provider_id: providerId, name: input.name, created_at: now, updated_at: now })
          .returning(["id", "provider_id", "name", "created_at", "updated_at"])
          .executeTakeFirstOrThrow();
        await logEvent(trx, { actor, action: "create", entity: "service", entityId: service.id, after: service, request });
        return service;
      }),
    () => serviceTaken(input.name),
  );
}

export async function renameService(db: Db, actor: Actor, id: number, input: { name: string }, request?: Request) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        const before = await getService(trx, id);
        if (!before) return null;
        if (before.name === input.name) return before;
        if (await nameTaken(trx, { table: "services", name: input.name, parent: { column: "provider_id", id: before.provider_id }, exceptId: id })) throw serviceTaken(input.name);
        await trx.updateTable("services").set({ name: input.name, updated_at: nowIso() }).where("id", "=", id).execute();
        const after = (await getService(trx, id))!;
        await logEvent(trx, { actor, action: "rename", entity: "service", entityId: id, before, after, request });
        return after;
      }),
    () => serviceTaken(input.name),
  );
}

/* Teams */

export async function listTeams(db: Db, serviceId?: number) {
  let q = db.selectFrom("teams").select(["id", "name", "service_id"]);
  if (serviceId !== undefined) q = q.where("service_id", "=", serviceId);
  return q.orderBy("name").execute();
}

export async function getTeam(db: Db, id: number) {
  if (!validId(id)) return undefined;
  return db.selectFrom("teams").select(["id", "name", "service_id", "created_at", "updated_at"]).where("id", "=", id).executeTakeFirst();
}

/** Adds a team to a service; null when the service does not exist. */
export async function createTeam(db: Db, actor: Actor, serviceId: number, input: { name: string }, request?: Request) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        if (!(await getService(trx, serviceId))) return null;
        if (await nameTaken(trx, { table: "teams", name: input.name, parent: { column: "service_id", id: serviceId } })) throw teamTaken(input.name);
        const now = nowIso();
        const team = await trx
          .insertInto("teams")
          .values({ service_id: serviceId, name: input.name, created_at: now, updated_at: now })
          .returning(["id", "service_id", "name", "created_at", "updated_at"])
          .executeTakeFirstOrThrow();
        await logEvent(trx, { actor, action: "create", entity: "team", entityId: team.id, after: team, request });
        return team;
      }),
    () => teamTaken(input.name),
  );
}

/** Renames a team; null when it does not exist (or, with `serviceId`, is not in that service). */
export async function renameTeam(db: Db, actor: Actor, id: number, input: { name: string }, request?: Request, serviceId?: number) {
  return guardUnique(
    () =>
      db.transaction().execute(async (trx) => {
        const before = await getTeam(trx, id);
        if (!before || (serviceId !== undefined && before.service_id !== serviceId)) return null;
        if (before.name === input.name) return before;
        if (await nameTaken(trx, { table: "teams", name: input.name, parent: { column: "service_id", id: before.service_id }, exceptId: id })) throw teamTaken(input.name);
        await trx.updateTable("teams").set({ name: input.name, updated_at: nowIso() }).where("id", "=", id).execute();
        const after = (await getTeam(trx, id))!;
        await logEvent(trx, { actor, action: "rename", entity: "team", entityId: id, before, after, request });
        return after;
      }),
    () => teamTaken(input.name),
  );
}

/** Every service with its provider's name and its teams, for choosing a service and team in forms. */
export async function listServicesWithTeams(db: Db) {
  const [services, teams] = await Promise.all([
    db
      .selectFrom("services")
      .innerJoin("providers", "providers.id", "services.provider_id")
      .select(["services.id", "services.name", "services.provider_id", "providers.name as provider_name"])
      .orderBy("providers.name")
      .orderBy("services.name")
      .execute(),
    db.selectFrom("teams").select(["id", "name", "service_id"]).orderBy("name").execute(),
  ]);
  return services.map((s) => ({ ...s, teams: teams.filter((t) => t.service_id === s.id).map((t) => ({ id: t.id, name: t.name })) }));
}

export type ServiceWithTeams = Awaited<ReturnType<typeof listServicesWithTeams>>[number];
