/**
 * The e2e web server (playwright.config.ts `webServer.command`): the production build
 * (`npm start`'s server: the API front and Next.js) on a PostgreSQL database of its own, for the life of this process.
 *
 *   E2E_DATABASE_URL   use this database as it is (nothing created or dropped)
 *   TEST_DATABASE_URL  else create `telemed_e2e_<time>_<random>` on that server, drop it on exit
 *   (neither)          else the same on the embedded test PostgreSQL (.data/test-postgres,
 *                      TEST_EMBEDDED_POSTGRES_PORT or 54330), as the unit tests use
 *
 * The app migrates and seeds the demo organization (SEED_DEMO=true) when it starts. Once it
 * answers /api/health, this issues an API credential of the demo organization for the specs and
 * prints `E2E_API_BEARER=<token> E2E_SPEC_DATABASE_URL=<url>` on stdout: playwright.config.ts
 * waits for that line and puts both in the specs' environment (specs read the database to
 * check what the app stored, and move a consultation's clock).
 *
 * Playwright sends SIGTERM to this process group at the end; the server stops, then the database
 * is dropped. A later run drops databases an earlier one left behind (see prepareDatabase).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { connect } from "../db/client";
import { organizations } from "../db/schema";
import { DEMO_SLUG } from "../lib/demo/seed";
import { issueApiCredential } from "../lib/auth/api-keys";
import { findOrganization } from "../lib/organizations";
import { testServerAdminUrl, withDatabase } from "../test/postgres";
import { APP_SERVER_SCRIPT } from "../server/command";
import { appServerEnv } from "./app-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = process.env.E2E_PORT ?? "3100";
const DIST_DIR = process.env.E2E_NEXT_DIST_DIR || ".next";
const UNUSED_AFTER_SECONDS = 10 * 60;
const ABANDONED_AFTER_SECONDS = 6 * 3600;

/** Progress goes to stderr; stdout carries only the ready line. */
function log(message: string) {
  process.stderr.write(`[e2e web-server] ${message}\n`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

type Prepared = { url: string; cleanup: () => Promise<void> };

async function prepareDatabase(): Promise<Prepared> {
  if (process.env.E2E_DATABASE_URL) {
    log("using E2E_DATABASE_URL as it is");
    return { url: process.env.E2E_DATABASE_URL, cleanup: async () => {} };
  }
  const { adminUrl, stop: stopServer } = await testServerAdminUrl(log);

  const now = Math.floor(Date.now() / 1000);
  const name = `telemed_e2e_${now}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Left behind by a run that was killed (or, on the embedded server, that PostgreSQL's own
    // shutdown beat the drop): dropped once nobody uses them, or when old enough to be abandoned.
    const stale = await admin<{ datname: string }[]>`select datname from pg_database where datname ~ '^telemed_e2e_[0-9]+_[0-9a-f]+$'`;
    for (const { datname } of stale) {
      const age = now - Number(datname.split("_")[2]);
      if (age < UNUSED_AFTER_SECONDS) continue;
      const force = age > ABANDONED_AFTER_SECONDS ? " with (force)" : ""; // else fails while in use
      await admin.unsafe(`drop database if exists "${datname}"${force}`).catch(() => {});
    }
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  log(`database ${name}`);

  return {
    url: withDatabase(adminUrl, name),
    cleanup: async () => {
      const client = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await client.unsafe(`drop database if exists "${name}" with (force)`);
      } catch (error) {
        log(`left ${name} for a later run to drop (${(error as Error).message})`);
      } finally {
        await client.end({ timeout: 2 });
      }
      await stopServer();
    },
  };
}

/** Waits for the app to be ready, then gives the specs a credential of the demo organization. */
async function announceWhenReady(databaseUrl: string, exited: Promise<number>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const health = `http://127.0.0.1:${PORT}/api/health`;
  for (;;) {
    if (gone) return false;
    const status = await fetch(health, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const db = connect(databaseUrl, { max: 1 });
  try {
    const organization = await findOrganization(db, DEMO_SLUG);
    if (!organization) throw new Error(`the demo organization (${DEMO_SLUG}) is missing: is SEED_DEMO=true reaching the app?`);
    // The demo clinic speaks Spanish; the specs read English unless they choose a language
    // (e2e/languages.spec.ts), so the clinic's default is English here.
    await db.update(organizations).set({ language: "en" }).where(eq(organizations.id, organization.id));
    const credential = await issueApiCredential(db, organization.id, "e2e");
    process.stdout.write(`E2E_API_BEARER=${credential.bearerToken} E2E_SPEC_DATABASE_URL=${databaseUrl}\n`);
    return true;
  } catch (error) {
    log(`could not issue the e2e credential: ${(error as Error).message}`);
    return false;
  } finally {
    await db.$client.end({ timeout: 2 });
  }
}

async function main(): Promise<number> {
  if (!existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) {
    const build = DIST_DIR === ".next" ? "npx next build" : `NEXT_DIST_DIR=${DIST_DIR} npx next build`;
    log(`no production build in ${DIST_DIR}: run \`${build}\` first`);
    return 1;
  }
  if (!(await portIsFree(Number(PORT)))) {
    log(`port ${PORT} is in use: stop what runs there, or set E2E_PORT`);
    return 1;
  }
  const database = await prepareDatabase();

  // What `npm start` runs (the API front and Next.js), without npm in between.
  const child = spawn(process.execPath, [APP_SERVER_SCRIPT], {
    cwd: ROOT,
    stdio: "inherit",
    env: appServerEnv({ databaseUrl: database.url, port: PORT, seedDemo: true }),
  });

  const exited = new Promise<number>((resolve) => {
    child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  let stopping = false;
  let failed = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  void announceWhenReady(database.url, exited).then((ok) => {
    if (ok || stopping) return;
    failed = true; // fail now rather than at Playwright's webServer timeout
    stop("SIGTERM");
  });

  const code = await exited;
  await database.cleanup();
  return failed ? 1 : stopping ? 0 : code || 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
