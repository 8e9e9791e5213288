/** Accounts: the first administrator, users an administrator manages, and signing in. */
import type { Role } from "../../db/schema";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { DUMMY_HASH, hashPassword, verifyPassword } from "~/utils/password.server";
import { destroyUserSessions } from "~/utils/session.server";
import { nowIso } from "~/utils/time.server";

export const PUBLIC_USER_FIELDS = ["id", "email", "name", "role", "disabled_at", "last_sign_in_at", "created_at"] as const;

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export class EmailTakenError extends UserInputError {
  constructor() {
    super("A user with this email address already exists", "email");
  }
}

async function insertUser(db: Db, input: { name: string; email: string; role: Role; password: string }) {
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
  if (existing) throw new EmailTakenError();
  const now = nowIso();
  return db
    .insertInto("users")
    .values({
      name: input.name,
      email: input.email,
      role: input.role,
      password_hash: await hashPassword(input.password),
      disabled_at: null,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning(PUBLIC_USER_FIELDS)
    .executeTakeFirstOrThrow();
}

/** Creates the first administrator, or returns null when someone already has (no second "first"). */
export async function createFirstAdministrator(db: Db, input: { name: string; email: string; password: string }, request?: Request) {
  return db.transaction().execute(async (trx) => {
    if ((await countUsers(trx)) > 0) return null;
    const user = await insertUser(trx, { ...input, role: "administrator" });
    await logEvent(trx, { actor: { id: user.id, email: user.email }, action: "create", entity: "user", entityId: user.id, after: user, request });
    return user;
  });
}

export async function createUser(db: Db, actor: Actor, input: { name: string; email: string; role: Role; password: string }, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, input);
    await logEvent(trx, { actor, action: "create", entity: "user", entityId: user.id, after: user, request });
    return user;
  });
}

export async function listUsers(db: Db) {
  return db.selectFrom("users").select(PUBLIC_USER_FIELDS).orderBy("name").execute();
}

export async function getUser(db: Db, id: number) {
  return db.selectFrom("users").select(PUBLIC_USER_FIELDS).where("id", "=", id).executeTakeFirst();
}

async function countActiveAdministrators(db: Db) {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "administrator")
    .where("disabled_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export class LastAdministratorError extends UserInputError {
  constructor() {
    super("The only active administrator cannot lose that role or be disabled. Make another user an administrator first");
  }
}

/** Changes a user's role. The last active administrator cannot be demoted (nobody could manage users). */
export async function changeRole(db: Db, actor: Actor, userId: number, role: Role, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await getUser(trx, userId);
    if (!before) return null;
    if (before.role === role) return before;
    if (before.role === "administrator" && !before.disabled_at && (await countActiveAdministrators(trx)) <= 1) throw new LastAdministratorError();
    await trx.updateTable("users").set({ role, updated_at: nowIso() }).where("id", "=", userId).execute();
    const after = await getUser(trx, userId);
    await logEvent(trx, { actor, action: "change-role", entity: "user", entityId: userId, before, after, request });
    return after;
  });
}

/** Disables (signs out everywhere) or re-enables a user. */
export async function setDisabled(db: Db, actor: Actor, userId: number, disabled: boolean, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await getUser(trx, userId);
    if (!before) return null;
    if (disabled && before.role === "administrator" && !before.disabled_at && (await countActiveAdministrators(trx)) <= 1) throw new LastAdministratorError();
    await trx
      .updateTable("users")
      .set({ disabled_at: disabled ? before.disabled_at ?? nowIso() : null, updated_at: nowIso() })
      .where("id", "=", userId)
      .execute();
    if (disabled) await destroyUserSessions(trx, userId);
    const after = await getUser(trx, userId);
    await logEvent(trx, { actor, action: disabled ? "disable" : "enable", entity: "user", entityId: userId, before, after, request });
    return after;
  });
}

export async function resetPassword(db: Db, actor: Actor, userId: number, password: string, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    if (!user) return null;
    await trx.updateTable("users").set({ password_hash: await hashPassword(password), updated_at: nowIso() }).where("id", "=", userId).execute();
    await destroyUserSessions(trx, userId);
    await logEvent(trx, { actor, action: "reset-password", entity: "user", entityId: userId, request });
    return user;
  });
}

export type SignInResult = { ok: true; user: { id: number; email: string } } | { ok: false; reason: "invalid" | "disabled" | "throttled" };

/** Failed sign-ins allowed for one email address within the window before it is locked for the rest of it. */
export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MINUTES = 15;

async function recentFailures(db: Db, email: string, now: Date) {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MINUTES * 60_000).toISOString();
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("action", "=", "sign-in-failed")
    .where("actor", "=", email)
    .where("at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Checks an email and password; every attempt, good or bad, goes in the audit log. */
export async function authenticate(db: Db, email: string, password: string, request?: Request, now = new Date()): Promise<SignInResult> {
  // Slows password guessing: the failures recorded in the audit log are the counter.
  if ((await recentFailures(db, email, now)) >= SIGN_IN_ATTEMPTS) {
    await logEvent(db, { actor: null, actorLabel: email, action: "sign-in-throttled", entity: "session", request });
    return { ok: false, reason: "throttled" };
  }
  const user = await db.selectFrom("users").select(["id", "email", "password_hash", "disabled_at"]).where("email", "=", email).executeTakeFirst();
  const matches = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !matches) {
    await logEvent(db, { actor: user ? { id: user.id, email: user.email } : null, actorLabel: email, action: "sign-in-failed", entity: "session", after: { reason: "wrong email or password" }, request });
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled_at) {
    await logEvent(db, { actor: { id: user.id, email: user.email }, action: "sign-in-failed", entity: "session", after: { reason: "account disabled" }, request });
    return { ok: false, reason: "disabled" };
  }
  await db.updateTable("users").set({ last_sign_in_at: nowIso() }).where("id", "=", user.id).execute();
  await logEvent(db, { actor: { id: user.id, email: user.email }, action: "sign-in", entity: "session", request });
  return { ok: true, user: { id: user.id, email: user.email } };
}
