/**
 * The production server: Express in front of the Remix build, with security headers (a
 * per-request CSP nonce for scripts, HSTS under HTTPS, no caching of anything but static files),
 * a same-origin check on every POST and the CSRF cookie set on first contact.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import { CSRF_COOKIE } from "~/utils/csrf.server";

/** What our own CSRF cookie looks like (24 random bytes, base64url); anything else is replaced. */
const CSRF_TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

/** Sets `Cache-Control: no-store` on a response that has not set its own caching by the time its headers go out. */
function noStoreByDefault(res: ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.hasHeader("Cache-Control")) this.setHeader("Cache-Control", "no-store");
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
}

const nonceOf = (res: ServerResponse) => (res as express.Response).locals.cspNonce as string;

export async function startServer({ port, host, buildPath }: { port: number; host: string; buildPath: string }) {
  const build = (await import(path.resolve(buildPath))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  const trustProxy = Boolean(process.env.TRUST_PROXY);
  if (trustProxy) app.set("trust proxy", process.env.TRUST_PROXY);

  app.use((req, res, next) => {
    // Without a proxy in front, X-Forwarded-* headers come from the client itself: drop them, so
    // nothing downstream (Remix compares X-Forwarded-Host with Origin) can be steered by them.
    if (!trustProxy) {
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
      delete req.headers["x-forwarded-for"];
    }
    // Pages and data about cases must never be kept by a browser or a proxy cache. Static files
    // set their own caching below; every other answer (pages, data, redirects, errors) is no-store.
    noStoreByDefault(res);
    // A new nonce for every response: only scripts that carry it may run (see the CSP below).
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          // Remix hydrates with inline scripts: each carries this response's nonce (entry.server.tsx).
          "script-src": ["'self'", (_req, res) => `'nonce-${nonceOf(res)}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'", "https://assets.nhs.uk"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "object-src": ["'none'"],
          "base-uri": ["'self'"],
          "upgrade-insecure-requests": null,
        },
      },
      // Sent below, only when the request really came over HTTPS.
      strictTransportSecurity: false,
      // The same as frame-ancestors 'none', for browsers that only know this header.
      xFrameOptions: { action: "deny" },
      // Browsers send "Origin: null" on form posts under no-referrer, which the server refuses.
      referrerPolicy: { policy: "same-origin" },
    }),
  );

  // HTTPS only, and only when the server knows it (TRUST_PROXY and the proxy's X-Forwarded-Proto):
  // browsers ignore the header over plain HTTP.
  app.use((req, res, next) => {
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });

  // Our own record of the client address for the audit log and sign-in throttling; never trust a
  // client-sent copy. It is the socket's address unless TRUST_PROXY says which proxy to believe.
  app.use((req, _res, next) => {
    req.headers["x-audit-client-ip"] = req.ip ?? "";
    next();
  });

  // Cross-site request forgery, first line: a POST must come from a page of this site. A browser
  // sends Origin on every form post; "null" (a sandboxed or privacy-stripped context) and anything
  // that is not this site's origin are refused here with 403, before the app sees the request.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const origin = req.get("origin");
    if (origin !== undefined) {
      // The host the app itself will compare with (Remix prefers X-Forwarded-Host when present).
      const forwardedHost = req.get("x-forwarded-host")?.split(",")[0]?.trim();
      const expected = `${req.protocol}://${forwardedHost || req.get("host")}`;
      if (origin !== expected) {
        res.status(403).type("text/plain").send("This request did not come from this service, so it was refused.");
        return;
      }
    }
    next();
  });

  // Cross-site request forgery, second line: the double-submit token checked by every action.
  // A missing cookie, or one that is not ours (say, `%E0%A4%A`), gets a new token.
  app.use((req, res, next) => {
    const cookies = (req.headers.cookie ?? "").split(/;\s*/).filter(Boolean);
    const mine = cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`));
    if (!mine || !CSRF_TOKEN_SHAPE.test(mine.slice(CSRF_COOKIE.length + 1))) {
      const token = randomBytes(24).toString("base64url");
      const secure = req.secure ? "; Secure" : "";
      res.append("Set-Cookie", `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure}`);
      req.headers.cookie = [...cookies.filter((c) => !c.startsWith(`${CSRF_COOKIE}=`)), `${CSRF_COOKIE}=${token}`].join("; ");
    }
    next();
  });

  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV ?? "production",
      // The nonce reaches the document's scripts through entry.server.tsx.
      getLoadContext: (_req, res) => ({ cspNonce: nonceOf(res) }),
    }),
  );

  return new Promise<import("node:http").Server>((resolve) => {
    const server = app.listen(port, host, () => resolve(server));
  });
}
