/**
 * Per-user tokens for the read-only JSON API (Power BI, Excel). Only a hash of each token is
 * stored; the token itself is shown once, when it is created.
 * Frozen in time: never import app code here, never edit once landed; add a new migration instead.
 */
import type { Kysely } from "kysely";
import { idColumn } from "./util";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    // SHA-256 (hex) of the token.
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .addUniqueConstraint("api_tokens_hash_unique", ["token_hash"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("api_tokens").execute();
}
