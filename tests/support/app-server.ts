/**
 * Starts the real app (`tsx app/cli/main.ts serve`) as its own process on a free loopback port,
 * for the tests that talk to it over real HTTP: the end-to-end suite (through its global setup)
 * and the security suite (one server per test file, so an attack in one file cannot spoil
 * another's server).
 *
 * It serves the already-built app: run `remix build` first (npm test does).
 * The server runs in its own process group, so stopping it stops tsx and the node process it
 * runs the app in (stack.md P7); `kill()` sends SIGKILL to both, as a crash would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const MAX_LOG_CHARS = 200_000;

/** A port nobody is listening on right now (listen on 0, read it, close). */
export function freePort(): Promise<number> {
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signal a process group (tsx and the node process it runs the app in). */
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

export function assertBuilt() {
  const buildFile = path.join(ROOT, "build", "index.js");
  const clientDir = path.join(ROOT, "public", "build");
  if (!existsSync(buildFile) || !existsSync(clientDir)) {
    throw new Error(
      `These tests serve the built app, but ${existsSync(buildFile) ? clientDir : buildFile} does not exist.\n` +
        "Run `npx remix build` first (or use `npm test`, which builds before testing).",
    );
  }
}

export type AppServer = {
  baseUrl: string;
  port: number;
  /** The server's SQLite file. */
  databaseUrl: string;
  /** The temporary folder holding the database and the pseudonym key. */
  dir: string;
  /** Everything the server printed so far (the last 200,000 characters). */
  output: () => string;
  /** The server process's id (tsx's; the app runs in its process group). */
  pid: () => number | undefined;
  /** SIGKILL the whole process group, as a crash would, and wait until it is gone. */
  kill: () => Promise<void>;
  /** Start it again on the same port and database (after `kill` or `stop`). */
  restart: () => Promise<void>;
  /** SIGTERM, wait, and leave the database in place. */
  stop: () => Promise<void>;
  /** Stop and delete the temporary folder. */
  dispose: () => Promise<void>;
};

export type StartOptions = {
  /** Extra environment for the server (PORT, HOST, DATABASE_URL and the key file are set here). */
  env?: Record<string, string | undefined>;
  /** An existing database file to serve (default: a new one in a new temporary folder). */
  databaseUrl?: string;
  /** Name used in failure messages. */
  label?: string;
};

/** Starts the app and waits until GET /healthz answers ok. */
export async function startAppServer(options: StartOptions = {}): Promise<AppServer> {
  assertBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), "sca-server-"));
  const databaseUrl = options.databaseUrl ?? path.join(dir, "app.db");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const label = options.label ?? "test";
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");

  let output = "";
  const stream = process.env.E2E_SERVER_LOG === "1";
  const record = (chunk: Buffer) => {
    const text = chunk.toString();
    if (stream) process.stderr.write(`[server] ${text}`);
    output += text;
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };

  let child: ChildProcess | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let exitPromise: Promise<void> = Promise.resolve();
  let spawnError: Error | undefined;

  const onExit = () => child && signalGroup(child, "SIGKILL");
  process.once("exit", onExit);

  const describeFailure = (why: string) =>
    new Error(
      `The app server for the ${label} tests ${why}.\n` +
        `Command: ${tsx} app/cli/main.ts serve (PORT=${port}, DATABASE_URL=${databaseUrl})\n` +
        `--- server output ---\n${output.trim() || "(none)"}\n---------------------`,
    );

  async function waitGone() {
    if (!child || child.pid === undefined) return;
    await Promise.race([exitPromise, sleep(5_000)]);
    for (let i = 0; i < 50 && groupAlive(child.pid); i++) {
      if (i === 10) signalGroup(child, "SIGKILL");
      await sleep(100);
    }
  }

  async function launch() {
    exited = undefined;
    spawnError = undefined;
    const proc = spawn(tsx, ["app/cli/main.ts", "serve"], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        ...options.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        // Beside the temporary database, created by the server at start-up (never the real key).
        PSEUDONYM_KEY_FILE: path.join(path.dirname(databaseUrl), "pseudonym.key"),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child = proc;
    proc.stdout?.on("data", record);
    proc.stderr?.on("data", record);
    exitPromise = new Promise<void>((resolve) => {
      proc.once("exit", (code, signal) => {
        exited = { code, signal };
        resolve();
      });
    });
    proc.once("error", (err) => (spawnError = err));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    let lastProblem = "";
    for (;;) {
      const failed = spawnError as Error | undefined;
      if (failed) throw describeFailure(`could not be started: ${failed.message}`);
      const gone = exited as { code: number | null; signal: NodeJS.Signals | null } | undefined;
      if (gone) throw describeFailure(`exited before it was ready (${gone.signal ? `signal ${gone.signal}` : `exit code ${gone.code}`})`);
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        const body = await res.text();
        if (res.status === 200 && /"status"\s*:\s*"ok"/.test(body)) return;
        lastProblem = `GET /healthz answered ${res.status}: ${body.slice(0, 200)}`;
      } catch (err) {
        lastProblem = `GET /healthz failed: ${(err as Error).message}`;
      }
      if (Date.now() > deadline) {
        signalGroup(proc, "SIGKILL");
        throw describeFailure(`was not ready within ${READY_TIMEOUT_MS / 1000} s (last attempt: ${lastProblem})`);
      }
      await sleep(150);
    }
  }

  async function stop() {
    if (child && !exited) {
      signalGroup(child, "SIGTERM");
      await waitGone();
    }
  }

  try {
    await launch();
  } catch (err) {
    await stop();
    process.removeListener("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    baseUrl,
    port,
    databaseUrl,
    dir,
    output: () => output,
    pid: () => child?.pid,
    kill: async () => {
      if (child && !exited) {
        signalGroup(child, "SIGKILL");
        await waitGone();
      }
    },
    restart: async () => {
      await stop();
      await launch();
    },
    stop,
    dispose: async () => {
      await stop();
      process.removeListener("exit", onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
