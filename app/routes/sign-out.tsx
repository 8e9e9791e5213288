import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logEvent } from "~/utils/audit-log.server";
import { getOptionalUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { clearSessionCookie, destroySession, destroyUserSessions } from "~/utils/session.server";

export async function loader() {
  return redirect("/");
}

/** Signs out this browser, or with `everywhere=yes` every browser and device the user is signed in on. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  const form = await readForm(request);
  const headers = { "Set-Cookie": clearSessionCookie(request) };
  if (user && form.get("everywhere") === "yes") {
    await destroyUserSessions(db, user.id);
    await logEvent(db, { actor: user, action: "sign-out-everywhere", entity: "session", request });
    return redirect("/sign-in?signedOut=everywhere", { headers });
  }
  await destroySession(db, request);
  if (user) await logEvent(db, { actor: user, action: "sign-out", entity: "session", request });
  return redirect("/sign-in", { headers });
}
