import { sql } from "kysely";
import { getDb } from "~/utils/db.server";

/** Liveness and readiness: 200 once the database answers a query. */
export async function loader() {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
