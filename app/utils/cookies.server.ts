/** Minimal cookie reading and writing: HttpOnly, SameSite=Lax, Secure under https. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
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
