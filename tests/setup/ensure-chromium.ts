/**
 * First step of `npm test`: make sure a Chromium the browser tests can drive is installed.
 *
 * - CHROMIUM_PATH (or /usr/bin/chromium) exists and runs: print its version, exit 0.
 * - Missing, and we are root with apt-get: install Debian's `chromium`, then check again.
 * - Otherwise: exit 1 with instructions. The end-to-end tests are never skipped silently.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";

const DEFAULT_PATH = "/usr/bin/chromium";
const explicit = process.env.CHROMIUM_PATH?.trim() || undefined;
const chromiumPath = explicit ?? DEFAULT_PATH;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, command)));
}

/** The browser's `--version` line, or undefined (with the reason printed) when it does not run. */
function version(file: string): string | undefined {
  const res = spawnSync(file, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const out = (res.stdout ?? "").trim();
  if (res.error || res.status !== 0 || !out) {
    console.error(`${file} is installed but "${file} --version" failed${res.error ? `: ${res.error.message}` : ` (exit ${res.status})`}`);
    if (res.stderr?.trim()) console.error(res.stderr.trim());
    return undefined;
  }
  return out.split("\n").pop();
}

function fail(message: string): never {
  console.error(`\nThe browser (end-to-end) tests need Chromium, and it is not available.\n${message}\n`);
  process.exit(1);
}

function run(command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(" ")}`);
  const res = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (res.error || res.status !== 0) {
    fail(`"${command} ${args.join(" ")}" failed${res.error ? `: ${res.error.message}` : ` with exit code ${res.status}`}.`);
  }
}

const HOW_TO = [
  "Install it with:   sudo apt-get update && sudo apt-get install chromium",
  "or point the tests at another Chromium/Chrome binary:   CHROMIUM_PATH=/path/to/chromium npm test",
].join("\n");

if (isExecutable(chromiumPath)) {
  const v = version(chromiumPath);
  if (!v) fail(HOW_TO);
  console.log(`Chromium for the browser tests: ${v} (${chromiumPath})`);
  process.exit(0);
}

if (explicit) {
  fail(`CHROMIUM_PATH is set to "${explicit}", but no executable is there.\nFix or unset CHROMIUM_PATH.\n${HOW_TO}`);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !onPath("apt-get")) {
  fail(`${DEFAULT_PATH} does not exist${isRoot ? " and apt-get is not available" : ", and the tests are not running as root, so they cannot install it"}.\n${HOW_TO}`);
}

console.log(`${DEFAULT_PATH} not found; installing Debian's chromium package for the browser tests…`);
const started = Date.now();
run("apt-get", ["update"]);
run("apt-get", ["install", "-y", "chromium"]);

if (!isExecutable(DEFAULT_PATH)) fail(`apt-get install finished, but ${DEFAULT_PATH} still does not exist.\n${HOW_TO}`);
const installed = version(DEFAULT_PATH);
if (!installed) fail(HOW_TO);
console.log(`Installed ${installed} (${DEFAULT_PATH}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
