/**
 * Per-user tokens for the read-only JSON API (Power BI, Excel). A token is 32 random bytes,
 * base64url, prefixed "sca_"; it is shown once when created and only its SHA-256 (hex) is kept.
 * A request is authenticated by hashing the bearer token and looking the hash up (unique index),
 * so no secret is ever compared character by character.
 */
import { createHash, randomBytes } from "node:crypto";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import type { SessionUser } from "~/utils/session.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";

export const API_TOKEN_PREFIX = "sca_";
/** "sca_" + 43 base64url characters (32 bytes). */
const TOKEN_SHAPE = /^sca_[A-Za-z0-9_-]{43}$/;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Creates a token for an active user. Returns the token itself: the only time it is ever available. */
export async function createApiToken(db: Db, actor: NonNullable<Actor>, input: { userId: number; name: string }, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const owner = await trx.selectFrom("users").select(["id", "email", "name", "disabled_at"]).where("id", "=", input.userId).executeTakeFirst();
    if (!owner) throw new UserInputError("Select the user the token is for", "userId");
    if (owner.disabled_at) throw new UserInputError("This user's account is disabled. Enable it first, or select another user", "userId");
    const token = generateApiToken();
    const row = await trx
      .insertInto("api_tokens")
      .values({ user_id: owner.id, name: input.name, token_hash: hashApiToken(token), created_by: actor.id, created_at: nowIso(), last_used_at: null, revoked_at: null })
      .returning(["id", "user_id", "name", "created_at"])
      .executeTakeFirstOrThrow();
    await logEvent(trx, {
      actor,
      action: "create",
      entity: "api-token",
      entityId: row.id,
      after: { id: row.id, name: row.name, userId: owner.id, userEmail: owner.email, createdAt: row.created_at },
      request,
    });
    return { token, id: row.id, name: row.name, user: { id: owner.id, name: owner.name, email: owner.email } };
  });
}

/** Every token, newest first, with its user (never the hash). */
export async function listApiTokens(db: Db) {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .innerJoin("users as creators", "creators.id", "api_tokens.created_by")
    .select([
      "api_tokens.id",
      "api_tokens.name",
      "api_tokens.created_at",
      "api_tokens.last_used_at",
      "api_tokens.revoked_at",
      "users.id as user_id",
      "users.name as user_name",
      "users.email as user_email",
      "users.disabled_at as user_disabled_at",
      "creators.name as created_by_name",
    ])
    .orderBy("api_tokens.created_at", "desc")
    .orderBy("api_tokens.id", "desc")
    .execute();
}

/** The users a token can be made for: active accounts. */
export async function listTokenOwners(db: Db) {
  return db.selectFrom("users").select(["id", "name", "email", "role"]).where("disabled_at", "is", null).orderBy("name").orderBy("id").execute();
}

/** Revokes a token (at once, for good). Null for an unknown token; revoking twice changes nothing. */
export async function revokeApiToken(db: Db, actor: NonNullable<Actor>, tokenId: number, request?: Request) {
  if (!Number.isInteger(tokenId) || tokenId <= 0) return null;
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("api_tokens").select(["id", "name", "user_id", "revoked_at"]).where("id", "=", tokenId).executeTakeFirst();
    if (!before) return null;
    if (before.revoked_at) return before;
    const revokedAt = nowIso();
    await trx.updateTable("api_tokens").set({ revoked_at: revokedAt }).where("id", "=", tokenId).where("revoked_at", "is", null).execute();
    const after = { ...before, revoked_at: revokedAt };
    await logEvent(trx, { actor, action: "revoke", entity: "api-token", entityId: tokenId, before, after, request });
    return after;
  });
}

/**
 * Revokes every live token of one user (when their account is disabled), each logged with the
 * reason. Part of the caller's transaction.
 */
export async function revokeUserApiTokens(db: Db, actor: Actor, userId: number, reason: string, request?: Request) {
  const live = await db.selectFrom("api_tokens").select(["id", "name", "user_id", "revoked_at"]).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
  if (live.length === 0) return 0;
  const revokedAt = nowIso();
  await db.updateTable("api_tokens").set({ revoked_at: revokedAt }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
  for (const before of live) {
    await logEvent(db, { actor, action: "revoke", entity: "api-token", entityId: before.id, before, after: { ...before, revoked_at: revokedAt, reason }, request });
  }
  return live.length;
}

export type ApiAuthResult =
  | { ok: true; user: SessionUser; tokenId: number }
  | { ok: false; reason: "missing" | "invalid" | "revoked" | "disabled"; user?: SessionUser; tokenId?: number };

/** The bearer token of an `Authorization` header, or null when there is none. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

/**
 * The user behind a request's `Authorization: Bearer <token>`: only a token that exists, is not
 * revoked and belongs to an active user. Records when the token was last used. Never reads cookies.
 */
export async function authenticateApiToken(db: Db, authorization: string | null): Promise<ApiAuthResult> {
  if (!authorization) return { ok: false, reason: "missing" };
  const token = bearerToken(authorization);
  if (!token || !TOKEN_SHAPE.test(token)) return { ok: false, reason: "invalid" };
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id as tokenId", "api_tokens.revoked_at", "users.id", "users.email", "users.name", "users.role", "users.disabled_at"])
    .where("api_tokens.token_hash", "=", hashApiToken(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "invalid" };
  const user: SessionUser = { id: row.id, email: row.email, name: row.name, role: row.role };
  if (row.revoked_at) return { ok: false, reason: "revoked", user, tokenId: row.tokenId };
  if (row.disabled_at) return { ok: false, reason: "disabled", user, tokenId: row.tokenId };
  await db.updateTable("api_tokens").set({ last_used_at: nowIso() }).where("id", "=", row.tokenId).execute();
  return { ok: true, user, tokenId: row.tokenId };
}
