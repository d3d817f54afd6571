import { registerHooks } from "node:module";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_MEDIA_ARGS } from "./e2e/chromium";

/**
 * Browser and HTTP tests against the production build (`next build` first; `npm test` does).
 *
 * The web server is e2e/web-server.ts: the app as `npm start` runs it, on port E2E_PORT (3100) with a database
 * of its own (E2E_DATABASE_URL, or a fresh one on TEST_DATABASE_URL's server, or on the
 * embedded test PostgreSQL), the demo organization seeded. It prepares the database itself
 * because Playwright starts `webServer` before `globalSetup` runs. Specs authenticate with
 * process.env.E2E_API_BEARER, a credential of the demo organization (see e2e/api.ts).
 *
 * E2E_NEXT_DIST_DIR serves a build made with that NEXT_DIST_DIR instead of .next.
 *
 * Specs and fixtures reach the database and modules marked `import "server-only"`; outside
 * Next that marker resolves to its no-op under the `react-server` condition, for `server-only`
 * alone here (this file is loaded by the runner and by every worker) and with
 * `--conditions=react-server` for the tsx web server, as for the npm scripts.
 */
registerHooks({
  resolve: (specifier, context, next) =>
    next(specifier, specifier === "server-only" ? { ...context, conditions: [...context.conditions, "react-server"] } : context),
});
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

/** Specs that run the background effect: after every other spec, so nothing else competes for the CPU. */
const ALONE = ["**/background-effects.spec.ts", "**/swap-camera.spec.ts"];

export default defineConfig({
  testDir: "e2e",
  // E2E_OUTPUT_DIR: a run of its own beside another one (Playwright empties it at the start).
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  fullyParallel: false,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS] },
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, testIgnore: ALONE },
    // The background effect segments video in software here (no GPU): beside another spec's call
    // on two cores it can be too slow and step itself off. These run last, by themselves.
    { name: "alone", use: { ...devices["Desktop Chrome"] }, testMatch: ALONE, dependencies: ["chromium"], workers: 1 },
  ],
  webServer: {
    // process.execPath: the same Node 24 that runs Playwright.
    command: `"${process.execPath}" --conditions=react-server --import tsx e2e/web-server.ts`,
    env: { E2E_PORT: String(port) },
    // Ready when the server has answered /api/health and issued the specs' credential; the
    // named group puts it in process.env.E2E_API_BEARER for the specs. (Not `url`: Playwright
    // starts the specs on whichever of url and wait comes first.)
    wait: { stdout: /^E2E_API_BEARER=(?<E2E_API_BEARER>\S+) E2E_SPEC_DATABASE_URL=(?<E2E_SPEC_DATABASE_URL>\S+)$/m },
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM (not the default SIGKILL) so the server stops cleanly and the database is dropped.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
