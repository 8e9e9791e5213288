/**
 * The production server: Express in front of the Remix build, with security headers,
 * a same-origin check on every POST and the CSRF cookie set on first contact.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import { CSRF_COOKIE } from "~/utils/csrf.server";

export async function startServer({ port, host, buildPath }: { port: number; host: string; buildPath: string }) {
  const build = (await import(path.resolve(buildPath))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          // Remix hydrates with inline module scripts; no third-party scripts are ever loaded.
          "script-src": ["'self'", "'unsafe-inline'"],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'", "https://assets.nhs.uk"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": null,
        },
      },
      strictTransportSecurity: false,
      // Browsers send "Origin: null" on form posts under no-referrer, which Remix then refuses.
      referrerPolicy: { policy: "same-origin" },
    }),
  );

  // Our own record of the client address for the audit log; never trust a client-sent copy.
  app.use((req, _res, next) => {
    req.headers["x-audit-client-ip"] = req.ip ?? "";
    next();
  });

  // Cross-site request forgery, first line: a POST must come from a page of this site.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const origin = req.get("origin");
    if (origin && origin !== "null") {
      const expected = `${req.protocol}://${req.get("host")}`;
      if (origin !== expected) {
        res.status(403).type("text/plain").send("This request did not come from this service, so it was refused.");
        return;
      }
    }
    next();
  });

  // Cross-site request forgery, second line: the double-submit token checked by every action.
  app.use((req, res, next) => {
    if (!(req.headers.cookie ?? "").split(/;\s*/).some((c) => c.startsWith(`${CSRF_COOKIE}=`))) {
      const token = randomBytes(24).toString("base64url");
      const secure = req.secure ? "; Secure" : "";
      res.append("Set-Cookie", `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure}`);
      req.headers.cookie = [req.headers.cookie, `${CSRF_COOKIE}=${token}`].filter(Boolean).join("; ");
    }
    next();
  });

  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production" }));

  return new Promise<import("node:http").Server>((resolve) => {
    const server = app.listen(port, host, () => resolve(server));
  });
}
