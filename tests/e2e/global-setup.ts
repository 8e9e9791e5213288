/**
 * Global setup for the e2e project: starts the real app (`tsx app/cli/main.ts serve`) on a free
 * port with a brand-new SQLite file, waits for GET /healthz, and provides `baseUrl` to the tests.
 * Teardown stops the server (its whole process group: tsx runs the app in a child node process,
 * see stack.md P7) and deletes the temporary directory.
 *
 * It serves the already-built app: run `remix build` first (npm test and npm run test:e2e do).
 * The server's output is kept and written to tests/.tmp/e2e-server.log at teardown;
 * set E2E_SERVER_LOG=1 to also stream it to the console.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's SQLite file, for tests that need to look at (or seed) the database directly. */
    databaseUrl: string;
  }
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const MAX_LOG_CHARS = 200_000;

/** A port nobody is listening on right now (listen on 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signal the server's whole process group (tsx and the node process it runs the app in). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  const buildFile = path.join(ROOT, "build", "index.js");
  const clientDir = path.join(ROOT, "public", "build");
  if (!existsSync(buildFile) || !existsSync(clientDir)) {
    throw new Error(
      `The end-to-end tests serve the built app, but ${existsSync(buildFile) ? clientDir : buildFile} does not exist.\n` +
        "Run `npx remix build` first (or use `npm test` / `npm run test:e2e`, which build before testing).",
    );
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), "audit-e2e-"));
  const dbFile = path.join(tmp, "e2e.db");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  let output = "";
  const stream = process.env.E2E_SERVER_LOG === "1";
  const record = (chunk: Buffer) => {
    const text = chunk.toString();
    if (stream) process.stderr.write(`[server] ${text}`);
    output += text;
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };

  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, ["app/cli/main.ts", "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: dbFile,
      // Beside the temporary database, created by the server at start-up (never the real key).
      PSEUDONYM_KEY_FILE: path.join(path.dirname(dbFile), "pseudonym.key"),
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so teardown can stop tsx *and* its node child
  });
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => (spawnError = err));

  // Never leave a server behind, even if vitest exits without running the teardown.
  const onExit = () => signalGroup(child, "SIGKILL");
  process.once("exit", onExit);

  let tornDown = false;
  async function teardown() {
    if (tornDown) return;
    tornDown = true;
    process.removeListener("exit", onExit);
    if (!exited && child.pid !== undefined) {
      signalGroup(child, "SIGTERM");
      await Promise.race([exitPromise, sleep(5_000)]);
    }
    // tsx has exited; make sure the app's node process (same group) has too.
    if (child.pid !== undefined) {
      for (let i = 0; i < 50 && groupAlive(child.pid); i++) {
        if (i === 10) signalGroup(child, "SIGKILL");
        await sleep(100);
      }
    }
    try {
      mkdirSync(path.join(ROOT, "tests", ".tmp"), { recursive: true });
      writeFileSync(path.join(ROOT, "tests", ".tmp", "e2e-server.log"), output);
    } catch {
      /* the log is only a convenience */
    }
    rmSync(tmp, { recursive: true, force: true });
  }

  const describeFailure = (why: string) =>
    new Error(
      `The app server for the e2e tests ${why}.\n` +
        `Command: ${tsx} app/cli/main.ts serve (PORT=${port}, HOST=127.0.0.1, DATABASE_URL=${dbFile}, NODE_ENV=production)\n` +
        `--- server output ---\n${output.trim() || "(none)"}\n---------------------`,
    );

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = "";
  for (;;) {
    if (spawnError) {
      await teardown();
      throw describeFailure(`could not be started: ${spawnError.message}`);
    }
    if (exited) {
      await teardown();
      throw describeFailure(`exited before it was ready (${exited.signal ? `signal ${exited.signal}` : `exit code ${exited.code}`})`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      if (res.status === 200 && /"status"\s*:\s*"ok"/.test(body)) break;
      lastProblem = `GET /healthz answered ${res.status}: ${body.slice(0, 200)}`;
    } catch (err) {
      lastProblem = `GET /healthz failed: ${(err as Error).message}`;
    }
    if (Date.now() > deadline) {
      await teardown();
      throw describeFailure(`was not ready within ${READY_TIMEOUT_MS / 1000} s (last attempt: ${lastProblem})`);
    }
    await sleep(200);
  }

  project.provide("baseUrl", baseUrl);
  project.provide("databaseUrl", dbFile);
  return teardown;
}
