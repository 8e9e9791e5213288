/** Accounts: the first administrator, users an administrator manages, and signing in. */
import type { Role } from "../../db/schema";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { UserInputError } from "~/utils/validation.server";
import { DUMMY_HASH, hashPassword, verifyPassword } from "~/utils/password.server";
import { passwordProblem } from "~/utils/password-policy.server";
import { destroyUserSessions } from "~/utils/session.server";
import { revokeUserApiTokens } from "./api-tokens.server";
import { nowIso } from "~/utils/time.server";
import {
  decide,
  pairFailures,
  SIGN_IN_ADDRESS_WINDOW_MINUTES,
  SIGN_IN_FREE_FAILURES,
  SIGN_IN_WINDOW_HOURS,
} from "~/lib/sign-in-throttle";

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

/** Refuses a common or guessable password, or one containing the person's name or email address. */
function checkNewPassword(password: string, person: { name: string; email: string }, whose: "your" | "their") {
  const problem = passwordProblem(password, person, whose);
  if (problem) throw new UserInputError(problem, "password");
}

async function insertUser(db: Db, input: { name: string; email: string; role: Role; password: string }, whose: "your" | "their") {
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
  if (existing) throw new EmailTakenError();
  checkNewPassword(input.password, input, whose);
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
    const user = await insertUser(trx, { ...input, role: "administrator" }, "your");
    await logEvent(trx, { actor: { id: user.id, email: user.email }, action: "create", entity: "user", entityId: user.id, after: user, request });
    return user;
  });
}

export async function createUser(db: Db, actor: Actor, input: { name: string; email: string; role: Role; password: string }, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, input, "their");
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

/**
 * Disables a user (signs them out everywhere and revokes their API tokens for good, so enabling
 * them again brings no old token back) or re-enables them.
 */
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
    if (disabled) {
      await destroyUserSessions(trx, userId);
      await revokeUserApiTokens(trx, actor, userId, "account disabled", request);
    }
    const after = await getUser(trx, userId);
    await logEvent(trx, { actor, action: disabled ? "disable" : "enable", entity: "user", entityId: userId, before, after, request });
    return after;
  });
}

export async function resetPassword(db: Db, actor: Actor, userId: number, password: string, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    if (!user) return null;
    checkNewPassword(password, user, actor?.id === userId ? "your" : "their");
    await trx.updateTable("users").set({ password_hash: await hashPassword(password), updated_at: nowIso() }).where("id", "=", userId).execute();
    await destroyUserSessions(trx, userId);
    await logEvent(trx, { actor, action: "reset-password", entity: "user", entityId: userId, request });
    return user;
  });
}

export type SignInResult =
  | { ok: true; user: { id: number; email: string }; unsuccessfulAttempts: number }
  | { ok: false; reason: "invalid" | "disabled" }
  | { ok: false; reason: "throttled"; scope: "email" | "address"; waitSeconds: number };

/** The failures from one client address, for any email, in the address window. */
async function addressFailures(db: Db, ip: string, now: Date) {
  const since = new Date(now.getTime() - SIGN_IN_ADDRESS_WINDOW_MINUTES * 60_000).toISOString();
  const row = await db
    .selectFrom("sign_in_attempts")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("at").as("latest")])
    .where("ip", "=", ip)
    .where("at", ">=", since)
    .where("outcome", "in", ["pending", "failed"])
    .executeTakeFirstOrThrow();
  return { failures: Number(row.n), latest: (row.latest as string | null) ?? null };
}

/** The failures for one email from one client address since their latest success, in the window. */
async function emailFailures(db: Db, email: string, ip: string, now: Date) {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_HOURS * 3_600_000).toISOString();
  const attempts = await db
    .selectFrom("sign_in_attempts")
    .select(["at", "outcome"])
    .where("email", "=", email)
    .where("ip", "=", ip)
    .where("at", ">=", since)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    // Past this many failures the wait is already the longest; no need to read more.
    .limit(SIGN_IN_FREE_FAILURES + 30)
    .execute();
  return pairFailures(attempts);
}

/**
 * Decides, in one transaction, whether this attempt may go ahead; if so records it as pending
 * (counted as a failure until the password is checked), so attempts sent all at once cannot
 * slip past the count together. Old attempts are removed on the way.
 */
async function beginAttempt(db: Db, email: string, ip: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("sign_in_attempts")
      .where("at", "<", new Date(now.getTime() - SIGN_IN_WINDOW_HOURS * 3_600_000).toISOString())
      .execute();
    const decision = decide(await emailFailures(trx, email, ip, now), await addressFailures(trx, ip, now), now);
    if (decision.wait > 0) return { decision, attemptId: null };
    const row = await trx
      .insertInto("sign_in_attempts")
      .values({ email, ip, at: now.toISOString(), outcome: "pending" })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { decision, attemptId: row.id };
  });
}

/** Unsuccessful attempts on an account since it last signed in (or since it was created). */
async function unsuccessfulAttemptsSince(db: Db, userId: number, since: string) {
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("action", "in", ["sign-in-failed", "sign-in-throttled"])
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Checks an email and password; every attempt, good, bad or refused, goes in the audit log.
 * Guessing is slowed per email and client address together (app/lib/sign-in-throttle.ts): a
 * refused attempt's password is not even checked, and no attempt from one address ever
 * delays another address. On success, says how many unsuccessful attempts there were on the
 * account since its previous sign-in, so its holder can be told.
 */
export async function authenticate(db: Db, email: string, password: string, request?: Request, now = new Date()): Promise<SignInResult> {
  const ip = request?.headers.get("x-audit-client-ip") ?? "";
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "password_hash", "disabled_at", "last_sign_in_at", "created_at"])
    .where("email", "=", email)
    .executeTakeFirst();
  const actor = user ? { id: user.id, email: user.email } : null;

  const { decision, attemptId } = await beginAttempt(db, email, ip, now);
  if (decision.wait > 0 || attemptId === null) {
    const scope = "scope" in decision ? decision.scope : "email";
    await logEvent(db, { actor, actorLabel: email, action: "sign-in-throttled", entity: "session", after: { scope, waitSeconds: decision.wait }, request });
    return { ok: false, reason: "throttled", scope, waitSeconds: decision.wait };
  }
  const settle = (outcome: "failed" | "succeeded") => db.updateTable("sign_in_attempts").set({ outcome }).where("id", "=", attemptId).execute();

  const matches = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !matches) {
    await settle("failed");
    await logEvent(db, { actor, actorLabel: email, action: "sign-in-failed", entity: "session", after: { reason: "wrong email or password" }, request });
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled_at) {
    await settle("failed");
    await logEvent(db, { actor, action: "sign-in-failed", entity: "session", after: { reason: "account disabled" }, request });
    return { ok: false, reason: "disabled" };
  }
  await settle("succeeded");
  const unsuccessfulAttempts = await unsuccessfulAttemptsSince(db, user.id, user.last_sign_in_at ?? user.created_at);
  await db.updateTable("users").set({ last_sign_in_at: nowIso() }).where("id", "=", user.id).execute();
  await logEvent(db, { actor, action: "sign-in", entity: "session", after: unsuccessfulAttempts ? { unsuccessfulAttemptsSinceLastSignIn: unsuccessfulAttempts } : undefined, request });
  return { ok: true, user: actor!, unsuccessfulAttempts };
}
