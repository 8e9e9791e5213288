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

/** C0 control characters and DEL: browsers drop tabs and newlines from addresses, so `/\t/host` is `//host`. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
/** One slash, then a letter or digit: a path on this site, never `//host`, `/\\host` or `/%2F…`. */
const OWN_PATH = /^\/[A-Za-z0-9]/;
const THIS_SITE = "http://this-site.invalid";

/**
 * Where to send a user after signing in: only a path on this site. Control characters are
 * removed first; what is left must start with one `/` followed by a letter or digit, both as
 * given and once a browser has resolved it (`/a/..//host` resolves to `//host`). The answer is
 * the resolved path, query and fragment, percent-encoded, so it is always a valid Location
 * header. Anything else goes to `fallback` (home).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000) return fallback;
  const cleaned = to.replace(CONTROL_CHARACTERS, "");
  if (!OWN_PATH.test(cleaned)) return fallback;
  let url: URL;
  try {
    url = new URL(cleaned, THIS_SITE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  if (url.origin !== THIS_SITE || !OWN_PATH.test(path)) return fallback;
  return path;
}
