/**
 * The consultations page over HTTP (BENCH_HTTP=1): the app as `npm start` runs it on a production build made
 * beforehand (BENCH_NEXT_DIST_DIR, default .next), on the bench database, a staff member signed
 * in through Auth.js's own endpoints, and each scenario's URL fetched in full. The figures are the
 * server's time to answer the whole page (session check, queries, rendering), measured by the
 * client on loopback.
 */
import { createStaffMember, type StaffRole } from "@/lib/staff";
import type { Database } from "@/db/client";
import { freePort } from "@/test/postgres";
import { existingBuild, percentile, startAppServer, timeCalls } from "../harness";

export type HttpScenario = { name: string; search: string; providerRole?: string };

// Not a word of the clinic's name ("Bench Clinic"): a password may not contain it.
const PASSWORD = "orange staff password, long enough";

/** Signs in with email and password the way the sign-in form does; returns the Cookie header. */
async function signIn(baseUrl: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const answer = await fetch(`${baseUrl}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD }),
  });
  keep(answer);
  if (![...jar.keys()].some((k) => k.endsWith("session-token"))) throw new Error(`signing in ${email} failed: ${answer.status} ${answer.headers.get("location")}`);
  return cookie();
}

export async function measurePages(
  db: Database,
  dbUrl: string,
  organizationId: string,
  scenarios: HttpScenario[],
  options: { distDir: string; iterations: number; warmup: number },
): Promise<string[][]> {
  const build = existingBuild(options.distDir);
  if (!build) throw new Error(`BENCH_HTTP needs a production build in ${options.distDir}: run NEXT_DIST_DIR=${options.distDir} npx next build first`);
  if (build.newerSource) console.log(`warning: ${options.distDir} is older than ${build.newerSource}`);
  const port = await freePort();
  const { baseUrl } = await startAppServer(
    {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: options.distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: dbUrl,
      APP_SECRET: "bench-app-secret-that-is-at-least-32-characters",
      APP_URL: `http://127.0.0.1:${port}`,
      SEED_DEMO: "false",
    },
    port,
    { name: "app server (dashboard)" },
  );
  const cookies = new Map<string, string>();
  const cookieFor = async (role: StaffRole, providerId?: string) => {
    const key = providerId ?? role;
    if (!cookies.has(key)) {
      const email = `${role}-${key.slice(0, 8)}@bench.example`;
      await createStaffMember(db, organizationId, { email, name: `Bench ${role}`, role, providerId, password: PASSWORD });
      cookies.set(key, await signIn(baseUrl, email));
    }
    return cookies.get(key)!;
  };

  const rows: string[][] = [["page", "bytes", "p50 ms", "p95 ms", "max ms"]];
  for (const scenario of scenarios) {
    const cookie = await cookieFor(scenario.providerRole ? "provider" : "admin", scenario.providerRole);
    const url = `${baseUrl}/dashboard/consultations${scenario.search ? `?${scenario.search}` : ""}`;
    const get = async () => {
      const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${scenario.name}: ${url} answered ${response.status}`);
      return body.length;
    };
    const { times, last: bytes } = await timeCalls(get, options.iterations, options.warmup);
    const at = (p: number) => percentile(times, p);
    rows.push([scenario.name, String(bytes), at(50).toFixed(1), at(95).toFixed(1), times.at(-1)!.toFixed(1)]);
    console.log(`  page ${scenario.name}: p50 ${at(50).toFixed(1)} ms, p95 ${at(95).toFixed(1)} ms`);
  }
  return rows;
}
