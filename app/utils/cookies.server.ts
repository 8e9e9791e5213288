/** Minimal cookie reading and writing: HttpOnly, SameSite=Lax, Secure under https. */

/**
 * A cookie's value, or null when it is absent or cannot be decoded. Cookies come from the
 * browser, so anyone can send `%E0%A4%A`: a value that is not valid percent-encoding is treated as
 * no cookie at all (the visitor is simply not signed in), never as an error.
 */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

export function serializeCookie(
  request: Request,
  name: string,
  value: string,
  { maxAgeSeconds }: { maxAgeSeconds?: number } = {},
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (isHttps(request)) parts.push("Secure");
  return parts.join("; ");
}
