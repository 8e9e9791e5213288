/**
 * Server-side sessions: the cookie holds a random token; the database holds only its SHA-256.
 * Idle timeout 30 minutes, absolute lifetime 12 hours (OWASP ASVS V3.3.2).
 */
import { createHash, randomBytes } from "node:crypto";
import type { User } from "../../db/schema";
import { readCookie, serializeCookie } from "./cookies.server";
import type { Db } from "./db.server";
import { nowIso } from "./time.server";

export const SESSION_COOKIE = "sca_session";
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Avoid a write on every request: refresh last_seen_at at most this often. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new session; `unsuccessfulAttempts` on the account since its previous sign-in are shown to the user once. */
export async function createSession(db: Db, userId: number, { unsuccessfulAttempts = 0 }: { unsuccessfulAttempts?: number } = {}): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = nowIso();
  await db
    .insertInto("sessions")
    .values({ id: hashToken(token), user_id: userId, created_at: now, last_seen_at: now, unsuccessful_attempts: unsuccessfulAttempts })
    .execute();
  return token;
}

/**
 * How many unsuccessful sign-in attempts this session's user should be told about (those on
 * their account between their previous sign-in and this one), once: the count is cleared as it
 * is read. 0 when there is nothing to tell or no session.
 */
export async function takeUnsuccessfulAttempts(db: Db, request: Request): Promise<number> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return 0;
  const id = hashToken(token);
  const row = await db.selectFrom("sessions").select("unsuccessful_attempts").where("id", "=", id).executeTakeFirst();
  if (!row?.unsuccessful_attempts) return 0;
  await db.updateTable("sessions").set({ unsuccessful_attempts: 0 }).where("id", "=", id).execute();
  return row.unsuccessful_attempts;
}

export function sessionCookie(request: Request, token: string) {
  return serializeCookie(request, SESSION_COOKIE, token, { maxAgeSeconds: ABSOLUTE_TIMEOUT_MS / 1000 });
}

export function clearSessionCookie(request: Request) {
  return serializeCookie(request, SESSION_COOKIE, "", { maxAgeSeconds: 0 });
}

export type SessionUser = Pick<User, "id" | "email" | "name" | "role">;

/** The signed-in user, or null when there is no valid, unexpired session for an active account. */
export async function getSessionUser(db: Db, request: Request, now = Date.now()): Promise<SessionUser | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return null;
  const id = hashToken(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.created_at", "sessions.last_seen_at", "users.id", "users.email", "users.name", "users.role", "users.disabled_at"])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const idle = now - Date.parse(row.last_seen_at);
  const age = now - Date.parse(row.created_at);
  if (row.disabled_at || idle > IDLE_TIMEOUT_MS || age > ABSOLUTE_TIMEOUT_MS) {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  if (idle > TOUCH_INTERVAL_MS) {
    await db.updateTable("sessions").set({ last_seen_at: new Date(now).toISOString() }).where("id", "=", id).execute();
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function destroySession(db: Db, request: Request): Promise<void> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await db.deleteFrom("sessions").where("id", "=", hashToken(token)).execute();
}

export async function destroyUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}
