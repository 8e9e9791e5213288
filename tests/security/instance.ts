/**
 * The security suite's target: a running instance of the app (its own process, real HTTP) on a
 * fresh SQLite file with one user per role, optionally the demonstration trust, and a small
 * HTTP client that behaves like a browser (cookie jar, CSRF field, no automatic redirects).
 *
 * Each test file starts its own instance in `beforeAll`, so an attack in one file cannot spoil
 * another file's server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../db/schema";
import { generateDemoData } from "~/models/demo-data.server";
import { loadTemplates } from "~/models/templates.server";
import { closeDb, getDb } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { nowIso } from "~/utils/time.server";
import { startAppServer, type AppServer } from "../support/app-server";

export const ROLES: Role[] = ["administrator", "auditor", "reviewer", "manager"];
export const PASSWORD = "correct horse battery staple";

export type Account = { id: number; email: string; name: string; role: Role; password: string };

export type Instance = AppServer & {
  users: Record<Role, Account>;
  /** A client that is not signed in. */
  client: () => Client;
  /** A client signed in as one of the seeded users. */
  signedIn: (role: Role) => Promise<Client>;
};

/**
 * Seeds a fresh database in this process (migrations, templates, one user per role, and the
 * demonstration trust when `demo` is set), closes it, then starts the server on it.
 */
export async function startInstance({ demo = false, env = {} }: { demo?: boolean; env?: Record<string, string> } = {}): Promise<Instance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sca-security-"));
  const databaseUrl = path.join(dir, "app.db");
  const previous = process.env.DATABASE_URL;
  await closeDb();
  process.env.DATABASE_URL = databaseUrl;
  const users = {} as Record<Role, Account>;
  try {
    const db = await getDb();
    const { problems } = await loadTemplates(db);
    if (problems.length > 0) throw new Error(`Templates have problems: ${JSON.stringify(problems[0])}`);
    const now = nowIso();
    const hash = await hashPassword(PASSWORD);
    for (const role of ROLES) {
      const row = await db
        .insertInto("users")
        .values({ email: `${role}@example.nhs.uk`, name: `Test ${role}`, role, password_hash: hash, disabled_at: null, last_sign_in_at: null, created_at: now, updated_at: now })
        .returning(["id", "email", "name", "role"])
        .executeTakeFirstOrThrow();
      users[role] = { ...row, password: PASSWORD };
    }
    if (demo) await generateDemoData(db, { id: users.administrator.id, email: users.administrator.email }, {});
  } finally {
    await closeDb();
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
  const server = await startAppServer({ databaseUrl, env, label: "security" });
  const dispose = server.dispose;
  return {
    ...server,
    dispose: async () => {
      await dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    users,
    client: () => new Client(server.baseUrl),
    signedIn: async (role: Role) => {
      const c = new Client(server.baseUrl);
      await c.signIn(users[role].email, users[role].password);
      return c;
    },
  };
}

export type Reply = { status: number; headers: Headers; text: string; location: string | null; ms: number };

type Fields = Record<string, string | string[]> | [string, string][];

/** A browser-like HTTP client: a cookie jar, the CSRF field added to every form, no redirects followed. */
export class Client {
  readonly jar = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** Any request; `headers` are added to the cookie header (pass `Cookie` to replace it). */
  async request(method: string, url: string, init: { body?: BodyInit; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(this.jar.size ? { Cookie: this.cookieHeader() } : {}), ...init.headers };
    const started = performance.now();
    const res = await fetch(new URL(url, this.baseUrl), {
      method,
      body: init.body,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    this.keep(res.headers);
    return { status: res.status, headers: res.headers, text, location: res.headers.get("Location"), ms };
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request("GET", url, { headers });
  }

  /** The CSRF token this client's browser holds (from the cookie the server set on first contact). */
  async csrf(): Promise<string> {
    if (!this.jar.has("sca_csrf")) await this.get("/healthz");
    if (!this.jar.has("sca_csrf")) await this.get("/sign-in");
    const token = this.jar.get("sca_csrf");
    if (!token) throw new Error("The server did not set a CSRF cookie");
    return token;
  }

  /** Posts a URL-encoded form with this browser's CSRF token (unless `csrf: false`). */
  async post(url: string, fields: Fields = {}, { csrf = true, headers }: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams();
    if (csrf) body.append("csrf", await this.csrf());
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((one) => [k, one] as [string, string]) : [[k, v] as [string, string]]));
    for (const [k, v] of pairs) body.append(k, v);
    return this.request("POST", url, { body, headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } });
  }

  /** Posts a multipart form (text fields first, then files) with the CSRF token unless `csrf: false`. */
  async upload(url: string, fields: Record<string, string>, files: Record<string, { name: string; bytes: Uint8Array; type?: string }>, { csrf = true, timeoutMs }: { csrf?: boolean; timeoutMs?: number } = {}) {
    const form = new FormData();
    if (csrf) form.append("csrf", await this.csrf());
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, f] of Object.entries(files)) form.append(k, new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type ?? "application/octet-stream" }), f.name);
    return this.request("POST", url, { body: form, timeoutMs });
  }

  async signIn(email: string, password: string, redirectTo = "/") {
    const reply = await this.post("/sign-in", { email, password, redirectTo });
    if (reply.status !== 302 && reply.status !== 303) throw new Error(`Sign-in as ${email} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    return reply;
  }
}
