/**
 * Webhook delivery benchmark: from a consultation's commit (its POST /api/consultations
 * answering 200) to the `consultation.created` webhook arriving at a receiver, over
 * BENCH_CONSULTATIONS consultations (default 1,000) on one production the app as `npm start` runs it running its
 * job workers in-process. Prints p50/p90/p99/max against the targets (p50 under 1 s, p99 under
 * 3 s), deliveries per second, duplicates, missing deliveries and signature failures, and, read
 * back from the database afterwards, where each event's time went. Run by hand
 * (`npm run bench:webhooks`), not in CI; see bench/webhooks/README.md.
 *
 * Both ends of every figure are taken in this process with the same clock: the client's 200
 * and the receiver's arrival (a plain node:http server on 127.0.0.1).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { issueApiCredential, setRateLimit } from "@/lib/auth/api-keys";
import { Sealer } from "@/lib/crypto";
import { createOrganization } from "@/lib/organizations";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { freePort } from "@/test/postgres";
import { consultationBodies } from "../api/workload";
import { cleanUp, cleanUpOnSignals, intFromEnv, machineFacts,  existingBuild, onCleanup, QUIET_PERCENT, quietMachine, scratchDatabase, sleep, startAppServer, table, wasInterrupted, percentile } from "../harness";

const TARGET_P50_MS = 1000;
const TARGET_P99_MS = 3000;
const TIME_ZONE = "America/Bogota";
const APP_SECRET = "bench-webhooks-app-secret-that-is-at-least-32-characters";
const EVENT = "consultation.created";


const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  distDir: process.env.BENCH_DIST_DIR || ".next-bench-webhooks",
  consultations: intFromEnv("BENCH_CONSULTATIONS", 1000),
  concurrency: intFromEnv("BENCH_CONCURRENCY", 8),
  /** Consultations created (and delivered) first to warm the app up; not counted. */
  warmup: intFromEnv("BENCH_WARMUP", 20, 0),
  /** How long to wait, after the last commit, for the last delivery. */
  deliveryTimeoutSeconds: intFromEnv("BENCH_DELIVERY_TIMEOUT", 180),
  /** Before the measurement, wait up to this many seconds for the CPUs to be idle (0: don't wait). */
  quietWait: intFromEnv("BENCH_QUIET_WAIT", 30, 0),
  /** Print commits and deliveries per second of the run. */
  timeline: process.env.BENCH_TIMELINE === "true" || process.env.BENCH_TIMELINE === "1",
  /** The app's DATABASE_POOL_SIZE (its default is 10). */
  poolSize: intFromEnv("BENCH_POOL_SIZE", 10),
};

let stopMeasurement: (() => void) | undefined;
cleanUpOnSignals("stopping the app and the receiver and dropping the benchmark database", () => stopMeasurement?.());

/** Wall-clock milliseconds with sub-millisecond resolution: comparable with PostgreSQL's timestamps on this machine. */
const clock = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------
// The build: made beforehand, never here (a custom distDir makes next build rewrite tsconfig.json).

function checkBuild(): string {
  const build = existingBuild(settings.distDir);
  if (!build) {
    throw new Error(
      `no production build in ${settings.distDir}. Build it first:\n` +
        `  NEXT_DIST_DIR=${settings.distDir} npx next build && git checkout tsconfig.json   # a custom distDir rewrites tsconfig.json\n` +
        `or point BENCH_DIST_DIR at an existing build.`,
    );
  }
  const when = build.builtAt.toISOString().replace(/\.\d+Z$/, "Z");
  if (build.newerSource) {
    console.log(`warning: ${build.newerSource} is newer than ${settings.distDir}/BUILD_ID: the build may not match the sources`);
    return `${settings.distDir} (build ${build.id}, ${when}; sources changed since)`;
  }
  return `${settings.distDir} (build ${build.id}, ${when})`;
}

// ---------------------------------------------------------------------------------------
// The database: fresh for the run, dropped afterwards.

type Tenant = { dbUrl: string; database: string; organizationId: string; authorization: string };

async function createBenchDatabase(admin: postgres.Sql): Promise<Tenant> {
  const { name, url: dbUrl } = await scratchDatabase(admin, settings.adminUrl, "webhooks");
  console.log(`Created database ${name}; migrating...`);
  await migrateDatabase(dbUrl);
  const db = connect(dbUrl, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: "Bench Clinic", slug: "bench-clinic", timezone: TIME_ZONE });
    const credential = await issueApiCredential(db, organization.id, "bench-webhooks");
    await setRateLimit(db, credential.id, 2_147_483_647);
    return { dbUrl, database: name, organizationId: organization.id, authorization: `Bearer ${credential.bearerToken}` };
  } finally {
    await db.$client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------
// The receiver: answers 204 to everything, verifies every signature, records arrivals.

type Arrival = { at: number; webhookId: string };

class Receiver {
  secret: string | undefined;
  /** First arrival per consultation. */
  readonly first = new Map<string, Arrival>();
  readonly webhookIds = new Map<string, number>();
  requests = 0;
  duplicates = 0;
  readonly signatureFailures: string[] = [];
  signatureFailureCount = 0;
  readonly otherProblems: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly server: http.Server) {}

  static async start(): Promise<Receiver> {
    const server = http.createServer();
    const receiver = new Receiver(server);
    server.on("request", (req, res) => receiver.handle(req, res));
    // Deliveries open a connection each: keep the listen backlog ample.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve);
    });
    onCleanup("stop the webhook receiver", () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/telehealth`;
  }

  /** Resolves at the next arrival (or after `ms`). */
  nextArrival(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = clock();
      const raw = Buffer.concat(chunks);
      res.writeHead(204).end();
      this.requests++;
      this.record(req, raw, at);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  private record(req: http.IncomingMessage, raw: Buffer, at: number): void {
    const webhookId = String(req.headers["webhook-id"] ?? "");
    const signature = req.headers["x-telehealth-signature"];
    const problem = this.verify(raw, typeof signature === "string" ? signature : undefined);
    if (problem) {
      this.signatureFailureCount++;
      if (this.signatureFailures.length < 10) this.signatureFailures.push(`webhook-id ${webhookId || "(none)"}: ${problem}`);
    }
    if (!webhookId) {
      if (this.otherProblems.length < 10) this.otherProblems.push("a request without a webhook-id header");
    } else {
      const seen = this.webhookIds.get(webhookId) ?? 0;
      if (seen > 0) this.duplicates++;
      this.webhookIds.set(webhookId, seen + 1);
    }
    let body: { event?: string; data?: { consultationId?: string } };
    try {
      body = JSON.parse(raw.toString("utf8")) as typeof body;
    } catch {
      if (this.otherProblems.length < 10) this.otherProblems.push(`webhook-id ${webhookId}: the body is not JSON`);
      return;
    }
    const consultationId = body.data?.consultationId;
    if (body.event !== EVENT || !consultationId) {
      if (this.otherProblems.length < 10) this.otherProblems.push(`webhook-id ${webhookId}: event ${body.event}, consultationId ${consultationId}`);
      return;
    }
    if (!this.first.has(consultationId)) this.first.set(consultationId, { at, webhookId });
  }

  /** Why the signature is wrong, or undefined when it is right. */
  private verify(raw: Buffer, signature: string | undefined): string | undefined {
    if (!this.secret) return "arrived before the endpoint's secret was known";
    if (!signature) return "no X-Telehealth-Signature header";
    const expected = createHmac("sha256", this.secret).update(raw).digest();
    const given = Buffer.from(signature, "hex");
    if (!/^[0-9a-f]{64}$/.test(signature) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return `X-Telehealth-Signature ${signature.slice(0, 16)}... does not match HMAC-SHA256 of the raw body`;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// The app and the endpoint.

async function startApp(tenant: Tenant): Promise<{ baseUrl: string; startMs: number }> {
  const port = await freePort();
  const { baseUrl, startMs } = await startAppServer(
    {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: settings.distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: tenant.dbUrl,
      DATABASE_POOL_SIZE: String(settings.poolSize),
      APP_SECRET,
      APP_URL: `http://127.0.0.1:${port}`,
      SEED_DEMO: "false",
      JOBS_IN_APP: "true",
      WEBHOOK_ALLOW_INSECURE_URLS: "true",
    },
    port,
  );
  return { baseUrl, startMs };
}

/** Through POST /api/webhooks when the build has it; else through the domain function on the bench's database. */
async function registerEndpoint(baseUrl: string, tenant: Tenant, url: string): Promise<{ secret: string; how: string }> {
  const body = { url, events: [EVENT], description: "bench:webhooks receiver" };
  const response = await fetch(`${baseUrl}/api/webhooks`, {
    method: "POST",
    headers: { authorization: tenant.authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status === 201 || response.status === 200) {
    const secret = (JSON.parse(text) as { data?: { secret?: string } }).data?.secret;
    if (!secret) throw new Error(`POST /api/webhooks answered ${response.status} without data.secret: ${text.slice(0, 500)}`);
    return { secret, how: "POST /api/webhooks" };
  }
  if (response.status !== 404 && response.status !== 405) throw new Error(`POST /api/webhooks answered ${response.status}: ${text.slice(0, 500)}`);
  const db = connect(tenant.dbUrl, { max: 1 });
  try {
    const created = await createEndpoint(db, { organizationId: tenant.organizationId, sealer: new Sealer(APP_SECRET), allowInsecure: true }, body);
    return { secret: created.secret, how: `createEndpoint() on the database (POST /api/webhooks answered ${response.status})` };
  } finally {
    await db.$client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------
// The load: consultations created by a few concurrent clients.

type Creation = { started: number; committed: Map<string, number>; failures: number; firstFailures: string[]; sent: number };

async function createConsultations(baseUrl: string, tenant: Tenant, count: number, tag: string): Promise<Creation> {
  const next = consultationBodies(tag, TIME_ZONE);
  const result: Creation = { started: clock(), committed: new Map(), failures: 0, firstFailures: [], sent: 0 };
  let serial = 0;
  let stop = false;
  stopMeasurement = () => (stop = true);
  const client = async () => {
    while (!stop && serial < count) {
      const body = next(serial++);
      result.sent++;
      try {
        const response = await fetch(`${baseUrl}/api/consultations`, {
          method: "POST",
          headers: { authorization: tenant.authorization, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        // Headers in: the transaction has committed.
        const at = clock();
        const text = await response.text();
        const id = response.status === 200 ? (JSON.parse(text) as { data?: { consultationId?: string } }).data?.consultationId : undefined;
        if (id) {
          result.committed.set(id, at);
        } else {
          result.failures++;
          if (result.firstFailures.length < 5) result.firstFailures.push(`${response.status} ${text.slice(0, 300)}`);
        }
      } catch (error) {
        result.failures++;
        if (result.firstFailures.length < 5) result.firstFailures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, client));
  stopMeasurement = undefined;
  if (wasInterrupted()) throw new Error("interrupted");
  return result;
}

/** Waits until every id has arrived at the receiver, or `timeoutMs` passed without all of them. */
async function awaitDeliveries(receiver: Receiver, ids: Iterable<string>, timeoutMs: number, progress: boolean): Promise<void> {
  const wanted = [...ids];
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  let stop = false;
  stopMeasurement = () => (stop = true);
  try {
    for (;;) {
      const missing = wanted.reduce((n, id) => n + (receiver.first.has(id) ? 0 : 1), 0);
      if (missing === 0 || stop) return;
      if (Date.now() >= deadline) {
        console.log(`  gave up waiting: ${missing} of ${wanted.length} deliveries have not arrived ${timeoutMs / 1000} s after the last commit`);
        return;
      }
      if (progress && Date.now() - lastReport >= 5000) {
        console.log(`  waiting for ${missing} of ${wanted.length} deliveries...`);
        lastReport = Date.now();
      }
      await receiver.nextArrival(500);
    }
  } finally {
    stopMeasurement = undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Where the time went, from the database: each measured event's path through the outbox, the
// fan-out, pg-boss and the attempt.

type Trace = {
  consultationId: string;
  dispatchedAt: Date | null;
  deliveryCreatedAt: Date;
  jobCreatedOn: Date | null;
  jobStartedOn: Date | null;
  attemptedAt: Date | null;
  deliveredAt: Date | null;
  attempts: number;
};

async function traces(tenant: Tenant, ids: string[]): Promise<Trace[]> {
  const sql = postgres(tenant.dbUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql<Trace[]>`
      select d.consultation_id as "consultationId", o.dispatched_at as "dispatchedAt", d.created_at as "deliveryCreatedAt",
             j.created_on as "jobCreatedOn", j.started_on as "jobStartedOn",
             a.first_at as "attemptedAt", d.delivered_at as "deliveredAt", coalesce(a.n, 0)::int as attempts
      from webhook_deliveries d
      join outbox_events o on o.id = d.event_id
      left join (select delivery_id, min(attempted_at) as first_at, count(*) as n from webhook_attempts group by delivery_id) a on a.delivery_id = d.id
      left join pgboss.job j on j.name = 'webhook-deliver' and j.data->>'deliveryId' = d.id::text and (j.data->>'attempt')::int = 1
      where d.consultation_id = any(${ids}::uuid[])`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------
// Report.

function spread(values: number[]): { p50: number; p90: number; p99: number; max: number; n: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1)!, n: sorted.length };
}

const msText = (v: number) => `${v.toFixed(0)} ms`;

function stageRows(commits: Map<string, number>, receiver: Receiver, rows: Trace[]): string[][] {
  const byId = new Map(rows.map((r) => [r.consultationId, r]));
  const stages: [string, (id: string, t: Trace) => number | undefined][] = [
    ["commit -> fan-out picked the event up (outbox dispatched_at)", (id, t) => (t.dispatchedAt ? t.dispatchedAt.getTime() - commits.get(id)! : undefined)],
    ["fan-out start -> a worker fetched the job (pg-boss started_on)", (_, t) => (t.dispatchedAt && t.jobStartedOn ? t.jobStartedOn.getTime() - t.dispatchedAt.getTime() : undefined)],
    ["job fetched -> POST sent (attempted_at)", (_, t) => (t.jobStartedOn && t.attemptedAt ? t.attemptedAt.getTime() - t.jobStartedOn.getTime() : undefined)],
    ["POST sent -> arrived at the receiver", (id, t) => (t.attemptedAt && receiver.first.has(id) ? receiver.first.get(id)!.at - t.attemptedAt.getTime() : undefined)],
    ["commit -> arrived (the figure above)", (id) => (receiver.first.has(id) ? receiver.first.get(id)!.at - commits.get(id)! : undefined)],
  ];
  const out = [["stage (per event, ms)", "p50", "p90", "p99", "max", "n"]];
  for (const [label, of] of stages) {
    const values: number[] = [];
    for (const id of commits.keys()) {
      const t = byId.get(id);
      const v = t ? of(id, t) : undefined;
      if (v !== undefined) values.push(v);
    }
    const s = spread(values);
    out.push(s ? [label, s.p50.toFixed(0), s.p90.toFixed(0), s.p99.toFixed(0), s.max.toFixed(0), String(s.n)] : [label, "-", "-", "-", "-", "0"]);
  }
  return out;
}

/** The fan-out runs seen (events sharing one dispatched_at) and how many events each took. */
function fanOutRuns(rows: Trace[]): string {
  const sizes = new Map<number, number>();
  for (const r of rows) if (r.dispatchedAt) sizes.set(r.dispatchedAt.getTime(), (sizes.get(r.dispatchedAt.getTime()) ?? 0) + 1);
  const s = spread([...sizes.values()]);
  return s ? `${s.n} fan-out runs took the measured events; events per run p50 ${s.p50}, p90 ${s.p90}, max ${s.max}` : "no fan-out run seen";
}

function timelineRows(start: number, commits: Map<string, number>, receiver: Receiver): string[][] {
  const buckets = new Map<number, { commits: number; deliveries: number }>();
  const bucket = (t: number) => {
    const k = Math.floor((t - start) / 1000);
    if (!buckets.has(k)) buckets.set(k, { commits: 0, deliveries: 0 });
    return buckets.get(k)!;
  };
  for (const [id, at] of commits) {
    bucket(at).commits++;
    const arrived = receiver.first.get(id);
    if (arrived) bucket(arrived.at).deliveries++;
  }
  const rows = [["second", "commits", "deliveries", "backlog at end"]];
  let backlog = 0;
  for (const k of [...buckets.keys()].sort((a, b) => a - b)) {
    const b = buckets.get(k)!;
    backlog += b.commits - b.deliveries;
    rows.push([String(k), String(b.commits), String(b.deliveries), String(backlog)]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const admin = postgres(settings.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const machine = await machineFacts(admin, settings.adminUrl);
  console.log(machine.join("\n"));

  const build = checkBuild();
  const tenant = await createBenchDatabase(admin);
  const receiver = await Receiver.start();
  console.log(`Receiver on ${receiver.url}`);
  const { baseUrl, startMs } = await startApp(tenant);
  console.log(`app server on ${baseUrl} (ready in ${(startMs / 1000).toFixed(1)} s), jobs in-process`);
  const endpoint = await registerEndpoint(baseUrl, tenant, receiver.url);
  receiver.secret = endpoint.secret;
  console.log(`Endpoint registered through ${endpoint.how}`);

  const warmupIds = new Set<string>();
  if (settings.warmup > 0) {
    console.log(`Warm-up: ${settings.warmup} consultations and their deliveries (not counted)...`);
    const warm = await createConsultations(baseUrl, tenant, settings.warmup, "W0");
    if (warm.committed.size === 0) throw new Error(`no consultation created in the warm-up: ${warm.firstFailures.join("; ")}`);
    for (const id of warm.committed.keys()) warmupIds.add(id);
    await awaitDeliveries(receiver, warm.committed.keys(), 60_000, false);
  }
  const warmupRequests = receiver.requests;

  const busy = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  console.log(`Creating ${settings.consultations} consultations, ${settings.concurrency} at a time (machine ${busy.toFixed(0)}% busy just before)...`);
  const run = await createConsultations(baseUrl, tenant, settings.consultations, "W1");
  if (run.committed.size === 0) throw new Error(`no consultation created: ${run.firstFailures.join("; ")}`);
  const lastCommit = Math.max(...run.committed.values());
  const creationSeconds = (lastCommit - run.started) / 1000;
  console.log(`  ${run.committed.size} created in ${creationSeconds.toFixed(1)} s (${run.failures} failed); waiting for the deliveries...`);
  await awaitDeliveries(receiver, run.committed.keys(), settings.deliveryTimeoutSeconds * 1000, true);
  // Anything late or doubled still shows up within a moment.
  await sleep(1000);

  const ids = [...run.committed.keys()];
  const arrived = ids.filter((id) => receiver.first.has(id));
  const latencies = arrived.map((id) => receiver.first.get(id)!.at - run.committed.get(id)!);
  const latency = spread(latencies);
  const firstCommit = Math.min(...run.committed.values());
  const lastDelivery = arrived.length > 0 ? Math.max(...arrived.map((id) => receiver.first.get(id)!.at)) : firstCommit;
  const deliverySeconds = (lastDelivery - firstCommit) / 1000;
  const unknown = [...receiver.first.keys()].filter((id) => !run.committed.has(id) && !warmupIds.has(id)).length;
  const rows = await traces(tenant, ids);
  const retried = rows.filter((r) => r.attempts > 1).length;

  const lines = ["", "Webhook benchmark: consultation committed -> consultation.created delivered", "=========================================================================="];
  lines.push(...machine);
  lines.push(
    `App:     app server (${build}), jobs in-process (JOBS_IN_APP=true), WEBHOOK_ALLOW_INSECURE_URLS=true, DATABASE_POOL_SIZE=${settings.poolSize}, database ${tenant.database}`,
  );
  lines.push(`Receiver: node:http on 127.0.0.1 in the bench process, answers 204, checks X-Telehealth-Signature; endpoint made through ${endpoint.how}`);
  lines.push(
    `Load:    ${settings.consultations} consultations through POST /api/consultations, ${settings.concurrency} concurrent requests` +
      (settings.warmup > 0 ? `, after ${settings.warmup} warm-up consultations (delivered, not counted)` : "") +
      `; machine ${busy.toFixed(0)}% busy just before`,
  );
  lines.push("");

  const verdict = (value: number, target: number) => (value < target ? "met" : "NOT met");
  const figures = [["figure", "value", "target", "verdict"]];
  if (latency) {
    figures.push(["commit -> delivery p50", msText(latency.p50), `< ${msText(TARGET_P50_MS)}`, verdict(latency.p50, TARGET_P50_MS)]);
    figures.push(["commit -> delivery p90", msText(latency.p90), "", ""]);
    figures.push(["commit -> delivery p99", msText(latency.p99), `< ${msText(TARGET_P99_MS)}`, verdict(latency.p99, TARGET_P99_MS)]);
    figures.push(["commit -> delivery max", msText(latency.max), "", ""]);
  }
  figures.push(["deliveries/s (first commit -> last delivery)", deliverySeconds > 0 ? `${(arrived.length / deliverySeconds).toFixed(1)}/s` : "-", "", ""]);
  figures.push(["  over", `${deliverySeconds.toFixed(1)} s`, "", ""]);
  figures.push(["consultations created/s (for context)", `${(run.committed.size / creationSeconds).toFixed(1)}/s`, "", ""]);
  figures.push(["  created / failed", `${run.committed.size} / ${run.failures}`, "", ""]);
  figures.push(["deliveries arrived", `${arrived.length} of ${run.committed.size}`, "", ""]);
  figures.push(["missing", String(run.committed.size - arrived.length), "0", run.committed.size === arrived.length ? "met" : "NOT met"]);
  figures.push(["duplicates (same webhook-id again)", String(receiver.duplicates), "0", receiver.duplicates === 0 ? "met" : "NOT met"]);
  figures.push(["signature failures", String(receiver.signatureFailureCount), "0", receiver.signatureFailureCount === 0 ? "met" : "NOT met"]);
  figures.push(["requests at the receiver (measured part)", String(receiver.requests - warmupRequests), "", ""]);
  figures.push(["deliveries that needed a retry", String(retried), "", ""]);
  if (unknown > 0) figures.push(["deliveries for consultations not measured", String(unknown), "", ""]);
  lines.push(table(figures, 1));

  lines.push("", "Where the time went (PostgreSQL's timestamps; the first two stages overlap the fan-out transaction):");
  lines.push(table(stageRows(run.committed, receiver, rows), 1));
  lines.push(fanOutRuns(rows));
  if (settings.timeline) lines.push("", "Per second of the run (from the first request):", table(timelineRows(run.started, run.committed, receiver)));

  for (const failure of run.firstFailures) lines.push(`FAILED POST /api/consultations: ${failure}`);
  for (const failure of receiver.signatureFailures) lines.push(`SIGNATURE FAILURE: ${failure}`);
  for (const problem of receiver.otherProblems) lines.push(`RECEIVER: ${problem}`);
  if (busy > QUIET_PERCENT) lines.push(`WARNING: other processes kept the CPUs ${busy.toFixed(0)}% busy before the measurement: the figures are high and noisy.`);
  console.log(lines.join("\n"));

  const ok = run.failures === 0 && arrived.length === run.committed.size && receiver.duplicates === 0 && receiver.signatureFailureCount === 0;
  if (!ok) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    if (!wasInterrupted()) console.error("\nbench:webhooks failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    // Everything is closed; exit even if a library left a timer behind.
    process.exit();
  });
