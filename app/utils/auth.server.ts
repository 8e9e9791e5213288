/**
 * requireUser: the first line of every loader and action. Redirects to sign in when there is no
 * session, answers 403 when the role may not do this. Deny by default.
 */
import { redirect } from "@remix-run/node";
import { can, type Permission } from "~/lib/permissions";
import { logAccessDenied } from "./audit-log.server";
import { getDb, type Db } from "./db.server";
import { getSessionUser, type SessionUser } from "./session.server";

export type { SessionUser };

export async function getOptionalUser(request: Request): Promise<{ db: Db; user: SessionUser | null }> {
  const db = await getDb();
  return { db, user: await getSessionUser(db, request) };
}

export async function requireUser(request: Request, permission: Permission): Promise<{ db: Db; user: SessionUser }> {
  const { db, user } = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`);
  }
  if (!can(user.role, permission)) {
    await logAccessDenied(db, user, request, `needs permission "${permission}"`);
    throw new Response("You do not have permission to see this page.", { status: 403, statusText: "Forbidden" });
  }
  return { db, user };
}

/** Only same-site relative paths: never redirect a user to another site after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
