/**
 * The read-only JSON API (/api/v1): bearer tokens only (never the session cookie), JSON answers
 * with `Cache-Control: no-store`, GET only, and every request in the audit log (action "api",
 * entity "api", entity id = the API token's id when one was recognised) with its method, path
 * and outcome. The token itself is never logged.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { can, type Permission } from "~/lib/permissions";
import { authenticateApiToken } from "~/models/api-tokens.server";
import { logEvent } from "./audit-log.server";
import { getDb, type Db } from "./db.server";
import type { SessionUser } from "./session.server";

export type ApiContext = { db: Db; user: SessionUser; tokenId: number };

export type ApiOutcome = "ok" | "bad-request" | "unauthorised" | "forbidden" | "not-found" | "method-not-allowed" | "error";

const OUTCOMES: Record<number, ApiOutcome> = { 200: "ok", 400: "bad-request", 401: "unauthorised", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 500: "error" };

/** A JSON answer; never cached. */
export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers },
  });
}

export function apiError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return apiJson({ error }, status, headers);
}

/** The path as logged: query parameters that look like credentials are dropped. */
function loggedPath(request: Request) {
  const url = new URL(request.url);
  const search = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (!/token|key|secret|auth|pass/i.test(k)) search.append(k, v);
  const query = search.toString();
  return url.pathname + (query ? `?${query}` : "");
}

async function logApiRequest(db: Db, request: Request, status: number, who: { user?: SessionUser; tokenId?: number; reason?: string }) {
  await logEvent(db, {
    actor: who.user ? { id: who.user.id, email: who.user.email } : null,
    actorLabel: who.user ? undefined : "API client",
    action: "api",
    entity: "api",
    entityId: who.tokenId ?? null,
    after: { method: request.method, path: loggedPath(request), status, outcome: OUTCOMES[status] ?? String(status), ...(who.reason ? { reason: who.reason } : {}) },
    request,
  });
}

const UNAUTHORISED: Record<string, string> = {
  missing: "Send an API token in the Authorization header: Authorization: Bearer <token>. An administrator can create one.",
  invalid: "The API token is not valid. Check it was copied in full, or ask an administrator for a new one.",
  revoked: "The API token has been revoked. Ask an administrator for a new one.",
  disabled: "The account this API token belongs to is disabled.",
};

/**
 * The user behind the request's bearer token, allowed `permission`; otherwise throws (and logs)
 * a JSON 401 with `WWW-Authenticate: Bearer`, or a JSON 403. Session cookies are ignored.
 */
export async function requireApiUser(request: Request, permission: Permission): Promise<ApiContext> {
  const db = await getDb();
  const auth = await authenticateApiToken(db, request.headers.get("Authorization"));
  if (!auth.ok) {
    await logApiRequest(db, request, 401, { user: auth.user, tokenId: auth.tokenId, reason: auth.reason });
    const challenge = auth.reason === "missing" ? 'Bearer realm="api"' : 'Bearer realm="api", error="invalid_token"';
    throw apiError(401, UNAUTHORISED[auth.reason], { "WWW-Authenticate": challenge });
  }
  if (!can(auth.user.role, permission)) {
    await logApiRequest(db, request, 403, { user: auth.user, tokenId: auth.tokenId });
    throw apiError(403, "Your role does not allow this. Ask an administrator if you need it.");
  }
  return { db, user: auth.user, tokenId: auth.tokenId };
}

/**
 * A GET endpoint: authenticates, runs `handler` (which returns the JSON body, or throws an
 * apiError Response), answers in JSON and logs the request with its outcome.
 */
export function apiLoader(permission: Permission, handler: (ctx: ApiContext, args: LoaderFunctionArgs) => Promise<unknown>) {
  return async (args: LoaderFunctionArgs): Promise<Response> => {
    let ctx: ApiContext;
    try {
      ctx = await requireApiUser(args.request, permission);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
    let response: Response;
    try {
      response = apiJson(await handler(ctx, args));
    } catch (thrown) {
      if (thrown instanceof Response) response = thrown;
      else {
        console.error(thrown);
        response = apiError(500, "Something went wrong. Try again later.");
      }
    }
    await logApiRequest(ctx.db, args.request, response.status, { user: ctx.user, tokenId: ctx.tokenId });
    return response;
  };
}

/** The API is read-only: anything but GET is answered 405 (logged, without authenticating). */
export async function apiMethodNotAllowed({ request }: ActionFunctionArgs): Promise<Response> {
  const db = await getDb();
  await logApiRequest(db, request, 405, {});
  return apiError(405, "This API is read-only: use GET.", { Allow: "GET, HEAD" });
}

/** A positive whole number from the URL, or a 404 JSON for anything else. */
export function idParam(value: string | undefined, what: string): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) throw apiError(404, `There is no ${what} ${value ?? ""}`.trim() + ".");
  return Number(value);
}
