/**
 * First-load JavaScript: what a browser downloads to run a page the first time, gzipped, for the
 * pages people open first: a patient's join link, the staff sign-in, and the dashboard's
 * consultations. Run by hand (`npm run bench:first-load`) on an existing production build; see
 * bench/first-load/README.md.
 *
 * It starts `next start` on a scratch database with the demo clinic, fetches each page's HTML
 * as a browser would, and sums every `/_next/static/…js` script the HTML names (the scripts
 * that must load before the page is interactive), each gzipped at level 9, as Next.js's old
 * build summary did. The page's HTML (with its inline data: the React payload and messages)
 * is reported apart, gzipped too.
 */
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { connect } from "@/db/client";
import { createStaffMember } from "@/lib/staff";
import { findOrganization } from "@/lib/organizations";
import { DEMO_SLUG } from "@/lib/demo/seed";
import { freePort, testServerAdminUrl } from "@/test/postgres";
import { createConsultation, demoCredential } from "../demo";
import { cleanUp, cleanUpOnSignals, existingBuild, onCleanup, scratchDatabase, startAppServer, table } from "../harness";

const distDir = process.env.NEXT_DIST_DIR || ".next";
const APP_SECRET = "bench-first-load-app-secret-that-is-at-least-32-characters";
const STAFF = { email: "bench-admin@demo-clinic.example", password: `lirio ${randomBytes(12).toString("base64url")}` };

cleanUpOnSignals("stopping the server and dropping the benchmark database");

type Figure = { page: string; scripts: number; jsRaw: number; jsGzip: number; htmlGzip: number };

async function measure(baseUrl: string, page: string, path: string, headers: Record<string, string> = {}): Promise<Figure> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { accept: "text/html", ...headers }, redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  const sources = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js[^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")))];
  let jsRaw = 0;
  let jsGzip = 0;
  for (const src of sources) {
    const script = Buffer.from(await (await fetch(new URL(src, baseUrl))).arrayBuffer());
    jsRaw += script.length;
    jsGzip += gzipSync(script, { level: 9 }).length;
  }
  return { page, scripts: sources.length, jsRaw, jsGzip, htmlGzip: gzipSync(html, { level: 9 }).length };
}

/** Signs the bench's admin in through the sign-in form's server action, as the e2e tests do, and returns the session cookie. */
async function signIn(baseUrl: string): Promise<string> {
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/signin`);
    await page.locator('input[name="email"]').fill(STAFF.email);
    await page.locator('input[name="password"]').fill(STAFF.password);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL(/\/dashboard/);
    const cookies = await page.context().cookies();
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const build = existingBuild(distDir);
  if (!build) throw new Error(`no production build in ${distDir}: run \`npx next build\` first`);
  if (build.newerSource) console.log(`warning: ${build.newerSource} is newer than the build in ${distDir}`);

  const server = await testServerAdminUrl((line) => console.log(line));
  onCleanup("stop the test PostgreSQL server (if this run started it)", server.stop);
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const database = await scratchDatabase(admin, server.adminUrl, "first_load");

  const { baseUrl } = await startAppServer(
    { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: database.url, APP_SECRET, SEED_DEMO: "true" },
    await freePort(),
  );
  const authorization = await demoCredential(database.url, "bench-first-load");
  const consultation = await createConsultation(baseUrl, authorization);
  const db = connect(database.url, { max: 1 });
  try {
    const organization = await findOrganization(db, DEMO_SLUG);
    await createStaffMember(db, organization!.id, { email: STAFF.email, name: "Bench Admin", role: "admin", password: STAFF.password });
  } finally {
    await db.$client.end({ timeout: 5 });
  }
  const cookie = await signIn(baseUrl);

  const figures = [
    await measure(baseUrl, "join page (patient link)", consultation.patientPath),
    await measure(baseUrl, "sign-in", "/signin"),
    await measure(baseUrl, "dashboard: consultations", "/dashboard/consultations", { cookie }),
  ];
  const kB = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(`\nFirst-load JavaScript on ${distDir} (build ${build.id}), gzip level 9, kB = 1024 bytes:\n`);
  console.log(
    table(
      [["page", "scripts", "JS raw kB", "JS gzip kB", "HTML gzip kB"], ...figures.map((f) => [f.page, String(f.scripts), kB(f.jsRaw), kB(f.jsGzip), kB(f.htmlGzip)])],
      1,
    ),
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error, (error as { fields?: unknown }).fields ?? "");
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
