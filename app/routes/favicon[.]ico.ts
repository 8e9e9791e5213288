import { redirect } from "@remix-run/node";

/** Browsers ask for /favicon.ico on their own; the icon ships with NHS.UK frontend. */
export function loader() {
  return redirect("/assets/images/favicon.ico", 301);
}
