/**
 * Helpers for the end-to-end tests: real headless Chromium (Debian's, driven by playwright-core),
 * console-error collection, hydration waits and axe-core accessibility checks.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { AxeResults, NodeResult, Result } from "axe-core";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
/** Pages opened with javaScriptEnabled: false (axe is run on a copy of them, see runAxeOnNoJsPage). */
const noJsPages = new WeakSet<Page>();

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || "/usr/bin/chromium";

/** Where failure screenshots go: outside the repository. */
export const SCREENSHOT_DIR = path.join(os.tmpdir(), "audit-e2e-screenshots");

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Launch headless Chromium. Playwright gives every `launch()` a fresh, empty profile
 * (a `--user-data-dir` under the OS temp dir, deleted on close); it refuses a
 * `--user-data-dir` in `args`, so that switch is not passed here.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions from our own origin, in order. */
  errors: string[];
}

/**
 * A page in its own, explicit browser context (cookies are not shared with other contexts).
 * Console errors whose source is another origin are ignored: the NHS fonts come from
 * assets.nhs.uk, which is unreachable offline (stack.md P11). Responses with status 400 are
 * how the app answers a form with validation errors, so Chromium's "Failed to load resource …
 * status of 400" note for them is not an error either.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "Europe/London", ...options });
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) noJsPages.add(page);
  // Generous: CI machines are small and shared; a slow step should not read as a failure.
  page.setDefaultTimeout(45_000);
  page.setDefaultNavigationTimeout(60_000);
  const errors: string[] = [];
  const ownOrigin = (url: string) => {
    if (!url) return true;
    try {
      const current = new URL(page.url());
      return new URL(url).origin === current.origin;
    } catch {
      return true;
    }
  };
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location().url;
    if (!ownOrigin(where)) return;
    const text = msg.text();
    if (/Failed to load resource: the server responded with a status of 400\b/.test(text)) return;
    errors.push(`${text}${where ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (err) => errors.push(`Uncaught exception: ${err.stack ?? err.message}`));
  return { context, page, errors };
}

/** Wait until React has hydrated the page (the root route sets `html[data-hydrated]`, P9). */
export async function waitForHydration(page: Page, timeout = 15_000): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout });
}

function describeNode(node: NodeResult): string {
  const target = node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" ");
  const summary = node.failureSummary?.replace(/\s+/g, " ").trim();
  return `      - ${target}${summary ? `\n        ${summary}` : ""}`;
}

export function formatViolations(violations: Result[]): string {
  return violations
    .map((v) => `  • ${v.id} [${v.impact ?? "unknown"}]: ${v.help}\n    ${v.helpUrl}\n${v.nodes.map(describeNode).join("\n")}`)
    .join("\n");
}

async function runAxe(page: Page): Promise<AxeResults> {
  const hasAxe = () => page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  // Evaluated through the DevTools protocol, not added as a <script>: the app's CSP (scripts only
  // with the response's nonce) rightly refuses an inline script it did not send.
  if (!(await hasAxe())) await page.evaluate(readFileSync(AXE_PATH, "utf8"));
  if (!(await hasAxe())) throw new Error(`Could not load axe-core into ${page.url()}`);
  return page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof import("axe-core") }).axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      }),
    AXE_TAGS,
  );
}

/**
 * axe needs timers, which never fire in a page with JavaScript disabled. So for such a page, load
 * a copy of its HTML (scripts removed, so it stays exactly as a no-JS browser shows it) at the same
 * URL in a scratch context with JavaScript on, where the same-origin CSS still loads, and check that.
 */
async function runAxeOnNoJsPage(page: Page): Promise<AxeResults> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
  const url = page.url();
  const browser = page.context().browser();
  if (!browser) throw new Error("No browser for the accessibility check");
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    const mirror = await context.newPage();
    await mirror.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await mirror.goto(url, { waitUntil: "load" });
    return await runAxe(mirror);
  } finally {
    await context.close();
  }
}

/**
 * Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now; throw a readable list
 * of violations (rule, help, target selectors) if there are any.
 */
export async function expectNoAxeViolations(page: Page, label: string): Promise<AxeResults> {
  const results = noJsPages.has(page) ? await runAxeOnNoJsPage(page) : await runAxe(page);
  if (results.violations.length > 0) {
    const shot = await screenshot(page, `axe-${label}`);
    throw new Error(
      `Accessibility violations on "${label}" (${page.url()}):\n${formatViolations(results.violations)}` +
        (shot ? `\nScreenshot: ${shot}` : ""),
    );
  }
  return results;
}

/** Save a full-page screenshot under SCREENSHOT_DIR (never inside the repository); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, "-").toLowerCase()}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  } catch {
    return undefined;
  }
}
