/**
 * Global setup for the e2e project: starts the real app on a free port with a brand-new SQLite
 * file (tests/support/app-server.ts), and provides `baseUrl` to the tests. Teardown stops the
 * server and writes its output to tests/.tmp/e2e-server.log; set E2E_SERVER_LOG=1 to also
 * stream it to the console.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ROOT, startAppServer } from "../support/app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's SQLite file, for tests that need to look at (or seed) the database directly. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startAppServer({ label: "e2e" });
  project.provide("baseUrl", server.baseUrl);
  project.provide("databaseUrl", server.databaseUrl);
  return async () => {
    const output = server.output();
    await server.dispose();
    try {
      mkdirSync(path.join(ROOT, "tests", ".tmp"), { recursive: true });
      writeFileSync(path.join(ROOT, "tests", ".tmp", "e2e-server.log"), output);
    } catch {
      /* the log is only a convenience */
    }
  };
}
