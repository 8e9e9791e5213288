import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logEvent } from "~/utils/audit-log.server";
import { getOptionalUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { clearSessionCookie, destroySession } from "~/utils/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  await readForm(request);
  await destroySession(db, request);
  if (user) await logEvent(db, { actor: user, action: "sign-out", entity: "session", request });
  return redirect("/sign-in", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}
