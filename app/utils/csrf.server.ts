/**
 * Cross-site request forgery protection: a double-submit token. Our server sets the random
 * `sca_csrf` cookie (HttpOnly, SameSite=Lax) on first contact; every form carries the same value
 * in a hidden `csrf` field; every action compares the two. The server also refuses cross-origin POSTs.
 */
import { timingSafeEqual } from "node:crypto";
import { readCookie } from "./cookies.server";

export const CSRF_COOKIE = "sca_csrf";
export const CSRF_FIELD = "csrf";

export function getCsrfToken(request: Request): string | null {
  return readCookie(request, CSRF_COOKIE);
}

export function csrfTokenMatches(request: Request, form: FormData): boolean {
  const cookie = getCsrfToken(request);
  const field = form.get(CSRF_FIELD);
  if (!cookie || typeof field !== "string") return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads a posted form, refusing it (403) unless it carries this browser's CSRF token. */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("The form could not be read. Go back and try again.", { status: 400 });
  }
  if (!csrfTokenMatches(request, form)) {
    throw new Response(
      "This form has expired or did not come from this service. Go back, refresh the page and try again.",
      { status: 403, statusText: "Forbidden" },
    );
  }
  return form;
}
