/**
 * API benchmark: the production build of the app against a bare node:http + postgres.js
 * server doing the same work (bench/api/bare-server.ts), on a fresh database, measured with
 * autocannon one server at a time. Run by hand (`npm run bench:api`), not in CI; see
 * bench/api/README.md for the options.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { issueApiCredential, setRateLimit } from "@/lib/auth/api-keys";
import { createOrganization } from "@/lib/organizations";
import { freePort } from "@/test/postgres";
import { APP_SERVER_SCRIPT } from "@/server/command";
import { cleanUp, cleanUpOnSignals, hasExited, intFromEnv, machineFacts,  newestSourceMtime, NEXT_BIN, onCleanup, QUIET_PERCENT, quietMachine, ROOT, sleep, startChild, stopChild, table, wasInterrupted, type Child } from "../harness";
import { consultationBodies } from "./workload";

const DIST_DIR = ".next-bench";
const POOL_SIZE = 10;
const TIME_ZONE = "America/Bogota";
const APP_URL = "https://portal.bench.example";

/**
 * `app`: the app as `npm start` runs it (server/start.mjs: the API front, Next.js for the pages),
 * running the jobs in-process (the default a newcomer runs). `app-split`: the same with
 * JOBS_IN_APP=false and `npm run worker` beside it, as a deployment at scale runs them (the
 * worker's CPU is reported apart). `app-next`: `next start` on the same build, Next.js answering
 * the API itself (as before the API front; not run unless named). `bare`: bench/api/bare-server.ts.
 */
type ServerKind = "app" | "app-split" | "app-next" | "bare";
const SERVER_KINDS: readonly ServerKind[] = ["app", "app-split", "app-next", "bare"];
/** The apps' target: at least this share of the bare server's throughput. */
const TARGET_RATIO = 0.6;
type Route = "POST /api/consultations" | "GET /api/consultations/{id}" | typeof FLOOR;
/** The routes the target is about. */
const ROUTES: Route[] = ["POST /api/consultations", "GET /api/consultations/{id}"];
/** A reference, not a target: no database and no credential, so only the HTTP stack is measured. */
const FLOOR = "GET /api/health?probe=live";


const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  duration: intFromEnv("BENCH_DURATION", 10),
  connections: intFromEnv("BENCH_CONNECTIONS", 20),
  warmup: intFromEnv("BENCH_WARMUP", 3),
  servers: (process.env.BENCH_SERVERS || "app,app-split,bare").split(",").map((s) => s.trim()) as ServerKind[],
  build: process.argv.includes("--build") ? "always" : process.argv.includes("--no-build") ? "never" : "if-stale",
  barePrepare: process.env.BENCH_BARE_PREPARE !== "false" && process.env.BENCH_BARE_PREPARE !== "0",
  floor: process.env.BENCH_FLOOR !== "false" && process.env.BENCH_FLOOR !== "0",
  rounds: intFromEnv("BENCH_ROUNDS", 1),
  /** Before each measurement, wait up to this many seconds for the machine to be idle. */
  quietWait: process.env.BENCH_QUIET_WAIT === "0" ? 0 : intFromEnv("BENCH_QUIET_WAIT", 30),
};
for (const s of settings.servers) if (!SERVER_KINDS.includes(s)) throw new Error(`BENCH_SERVERS: unknown server "${s}" (${SERVER_KINDS.join(", ")})`);
const isApp = (kind: ServerKind) => kind !== "bare";

let stopMeasurement: (() => void) | undefined;
cleanUpOnSignals("stopping servers and dropping the benchmark database", () => stopMeasurement?.());

// ---------------------------------------------------------------------------------------
// The production build in .next-bench.

function buildReason(): string | undefined {
  if (settings.build === "always") return "--build";
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  if (!fs.existsSync(buildId)) {
    if (settings.build === "never") throw new Error(`--no-build, but ${DIST_DIR}/BUILD_ID is missing`);
    return `${DIST_DIR}/BUILD_ID is missing`;
  }
  const built = fs.statSync(buildId).mtimeMs;
  const newest = newestSourceMtime();
  if (newest.mtime <= built) return undefined;
  const reason = `${newest.file} is newer than ${DIST_DIR}/BUILD_ID`;
  if (settings.build === "never") {
    console.log(`warning: ${reason}; using the old build anyway (--no-build)`);
    return undefined;
  }
  return reason;
}

type Snapshot = { file: string; content: string | undefined; atime: Date; mtime: Date };

function snapshot(file: string): Snapshot {
  const abs = path.join(ROOT, file);
  if (!fs.existsSync(abs)) return { file, content: undefined, atime: new Date(), mtime: new Date() };
  const stat = fs.statSync(abs);
  return { file, content: fs.readFileSync(abs, "utf8"), atime: stat.atime, mtime: stat.mtime };
}

function restore(before: Snapshot): void {
  const abs = path.join(ROOT, before.file);
  fs.writeFileSync(abs, before.content!);
  fs.utimesSync(abs, before.atime, before.mtime);
}

/**
 * `next build` with a custom distDir adds `.next-bench/...` globs to tsconfig.json's
 * "include" (reformatting the file) and points next-env.d.ts at .next-bench. Put both back
 * when that is all it changed, so a benchmark leaves the working tree as it found it.
 */
function undoBuildEdits(tsconfig: Snapshot, nextEnv: Snapshot): void {
  const now = snapshot(tsconfig.file);
  if (tsconfig.content !== undefined && now.content !== tsconfig.content && now.content?.includes(`"${DIST_DIR}/`)) {
    try {
      const before = JSON.parse(tsconfig.content) as { include?: string[] };
      const after = JSON.parse(now.content!) as { include?: string[] };
      after.include = after.include?.filter((entry) => !(entry.startsWith(`${DIST_DIR}/`) && !before.include?.includes(entry)));
      if (JSON.stringify(after) === JSON.stringify(before)) restore(tsconfig);
      else console.log("warning: tsconfig.json changed during the build in more than Next.js's include globs; left as it is");
    } catch {
      console.log("warning: tsconfig.json changed during the build and could not be compared; left as it is");
    }
  }
  const env = snapshot(nextEnv.file);
  if (nextEnv.content !== undefined && env.content !== nextEnv.content && env.content?.includes(`${DIST_DIR}/`)) restore(nextEnv);
}

async function buildIfNeeded(): Promise<string> {
  const reason = buildReason();
  if (!reason) return `existing ${DIST_DIR} build (up to date with the sources)`;
  console.log(`Building the app into ${DIST_DIR} (${reason})...`);
  const tsconfig = snapshot("tsconfig.json");
  const nextEnv = snapshot("next-env.d.ts");
  const started = performance.now();
  // Registered first so it runs last: after an interrupted build is stopped, too.
  onCleanup("undo next build's edits to tsconfig.json and next-env.d.ts", async () => undoBuildEdits(tsconfig, nextEnv));
  const child = startChild(
    "next build",
    [NEXT_BIN, "build"],
    { ...process.env, NEXT_DIST_DIR: DIST_DIR, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    { echo: true },
  );
  onCleanup("stop next build", () => stopChild(child));
  const code = await child.exited;
  undoBuildEdits(tsconfig, nextEnv);
  if (code !== 0) throw new Error(`next build failed (exit ${code}); its output is above`);
  return `fresh ${DIST_DIR} build (${reason}; ${((performance.now() - started) / 1000).toFixed(0)} s)`;
}

// ---------------------------------------------------------------------------------------
// The benchmark database.

type Tenant = { dbUrl: string; database: string; admin: postgres.Sql; authorization: string };

async function createBenchDatabase(admin: postgres.Sql): Promise<Tenant> {
  const name = `telemed_bench_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database "${name}"`);
  onCleanup(`drop database ${name}`, async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    console.log(`Dropped database ${name}.`);
  });
  const url = new URL(settings.adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  console.log(`Created database ${name}; migrating...`);
  await migrateDatabase(dbUrl);
  const db = connect(dbUrl, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: "Bench Clinic", slug: "bench-clinic", timezone: TIME_ZONE });
    const credential = await issueApiCredential(db, organization.id, "bench");
    // The column is an int: the most it holds, far beyond what a run sends in an hour.
    await setRateLimit(db, credential.id, 2_147_483_647);
    return { dbUrl, database: name, admin, authorization: `Bearer ${credential.bearerToken}` };
  } finally {
    await db.$client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------
// Servers.

function serverEnv(dbUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: dbUrl,
    APP_SECRET: "bench-app-secret-that-is-at-least-32-characters",
    APP_URL,
    SEED_DEMO: "false",
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    PORT: String(port),
    HOST: "127.0.0.1",
    // Deployed behind a reverse proxy that compresses, as the bare server (which never compresses)
    // is compared like for like. BENCH_APP_COMPRESSION=true measures in-process gzip too.
    HTTP_COMPRESSION: process.env.BENCH_APP_COMPRESSION === "true" ? "true" : "false",
    BENCH_BARE_PREPARE: String(settings.barePrepare),
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/bench-prof" to profile both servers (not the client).
    NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? "",
  };
}

/** A worker that has exited makes the app-split figures those of an app with no jobs at all: stop. */
function assertRunning(worker: Child | undefined) {
  if (worker && hasExited(worker)) throw new Error(`the worker exited:\n${worker.tail()}`);
}

async function startServer(kind: ServerKind, dbUrl: string): Promise<{ child: Child; worker?: Child; baseUrl: string; startMs: number }> {
  const port = await freePort();
  const args =
    kind === "bare"
      ? ["--conditions=react-server", "--import", "tsx", path.join("bench", "api", "bare-server.ts")]
      : kind === "app-next"
        ? [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"]
        : [APP_SERVER_SCRIPT];
  const started = performance.now();
  let worker: Child | undefined;
  if (kind === "app-split") {
    // `npm run worker`'s script, without npm in between (its process group is the worker's alone).
    // No PORT: the worker serves nothing, and its configuration refuses a port of 0.
    const workerEnv = serverEnv(dbUrl, 0);
    delete workerEnv.PORT;
    worker = startChild("worker", ["--conditions=react-server", "--import", "tsx", path.join("scripts", "worker.ts")], workerEnv);
    const started = worker;
    onCleanup("stop worker", () => stopChild(started));
  }
  const child = startChild(kind, args, { ...serverEnv(dbUrl, port), ...(kind === "app-split" ? { JOBS_IN_APP: "false" } : {}) });
  onCleanup(`stop ${kind}`, () => stopChild(child));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (hasExited(child)) {
      throw new Error(`${kind} server exited during start-up:\n${child.tail()}`);
    }
    assertRunning(worker);
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${kind} server did not answer GET /api/health with 200 within 120 s:\n${child.tail()}`);
    await sleep(200);
  }
  return { child, worker, baseUrl, startMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------
// Checks and measurements.

/** A JSON value with every leaf replaced by its type: what "the same envelope" means. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return value === null ? "null" : typeof value;
}

type Probe = { shapes: string; headers: string };

/** One create and one read by hand: both must succeed and agree, before any load. */
async function probe(kind: ServerKind, baseUrl: string, tenant: Tenant): Promise<Probe> {
  const headers = { authorization: tenant.authorization, "content-type": "application/json" };
  const shapes: unknown[] = [];
  let headerNames = "";
  const bodies = consultationBodies(`${tagOf(kind)}0`, TIME_ZONE);
  const first = (serialBase += 10_000_000);
  for (const [i, serial] of [first, first + 1].entries()) {
    const body = bodies(serial);
    const created = await fetch(`${baseUrl}/api/consultations`, { method: "POST", headers, body });
    const createdJson = (await created.json()) as { data?: { consultationId?: string } };
    if (created.status !== 200) throw new Error(`${kind}: probe POST answered ${created.status}: ${JSON.stringify(createdJson)}`);
    const id = createdJson.data!.consultationId!;
    const read = await fetch(`${baseUrl}/api/consultations/${id}`, { headers });
    const readJson = (await read.json()) as { data?: unknown };
    if (read.status !== 200) throw new Error(`${kind}: probe GET answered ${read.status}: ${JSON.stringify(readJson)}`);
    if (JSON.stringify(readJson.data) !== JSON.stringify(createdJson.data)) {
      throw new Error(`${kind}: GET by id does not return what POST created:\n${JSON.stringify(createdJson.data)}\n${JSON.stringify(readJson.data)}`);
    }
    shapes.push(shapeOf(createdJson), shapeOf(readJson));
    if (i === 0) {
      headerNames = [...read.headers.keys()]
        .filter((h) => /^(x-|cache-control|content-type)/.test(h))
        .sort()
        .join(", ");
    }
  }
  return { shapes: JSON.stringify(shapes), headers: headerNames };
}

type Measurement = {
  round: number;
  server: ServerKind;
  route: Route;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  busyBefore?: number;
  /** CPU milliseconds per request: the server process(es), its PostgreSQL backends, the load generator, the worker (app-split). */
  cpu?: CpuUse;
};

async function fire(options: autocannon.Options): Promise<autocannon.Result> {
  const instance = autocannon(options);
  stopMeasurement = () => instance.stop();
  try {
    const result = await instance;
    if (wasInterrupted()) throw new Error("interrupted");
    return result;
  } finally {
    stopMeasurement = undefined;
  }
}

let serialBase = 0;
/** Each server's own patients and providers (document numbers), so no run meets another's. */
const tagOf = (kind: ServerKind) => ({ app: "A", "app-split": "S", "app-next": "N", bare: "B" })[kind];
/** The first failed answer seen while warming up, per server: to say why, if something fails. */
const firstFailure: Partial<Record<ServerKind, string>> = {};

async function measureCreate(kind: ServerKind, baseUrl: string, tenant: Tenant, seconds: number, tag: string, ids?: string[]) {
  const next = consultationBodies(tag, TIME_ZONE);
  let serial = (serialBase += 10_000_000);
  return fire({
    url: baseUrl,
    connections: settings.connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/api/consultations",
        headers: { authorization: tenant.authorization, "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: next(serial++) }),
        ...(ids
          ? {
              onResponse: (status: number, body: string) => {
                if (status === 200) ids.push((JSON.parse(body) as { data: { consultationId: string } }).data.consultationId);
                else if (firstFailure[kind] === undefined) firstFailure[kind] = `${status} ${body.slice(0, 500)}`;
              },
            }
          : {}),
      },
    ],
  });
}

async function measureFloor(baseUrl: string, seconds: number) {
  return fire({ url: baseUrl, connections: settings.connections, duration: seconds, requests: [{ method: "GET", path: "/api/health?probe=live" }] });
}

async function measureRead(baseUrl: string, tenant: Tenant, seconds: number, ids: string[]) {
  let i = 0;
  return fire({
    url: baseUrl,
    connections: settings.connections,
    duration: seconds,
    requests: [
      {
        method: "GET",
        headers: { authorization: tenant.authorization },
        setupRequest: (request) => ({ ...request, path: `/api/consultations/${ids[i++ % ids.length]}` }),
      },
    ],
  });
}

function summarize(round: number, server: ServerKind, route: Route, result: autocannon.Result): Measurement {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]));
  return {
    round,
    server,
    route,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result["2xx"] + result.non2xx,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
  };
}

/**
 * How busy the machine's CPUs are over one second, with no load running: the servers share
 * 2 cores with PostgreSQL and the load generator, so anything else running skews the figures.
 */
// ---------------------------------------------------------------------------------------
// CPU time per request, from /proc (Linux): the server's process group and the PostgreSQL
// backends serving the bench database. Unlike throughput, this hardly moves when other
// processes share the machine, and it says where the time goes.

const CLOCK_TICKS_PER_SECOND = 100;

function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0; // gone, or no /proc
  }
}

function processGroup(pgrp: number): number[] {
  if (!fs.existsSync("/proc/self/stat")) return [];
  const pids: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgrp) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

type CpuUse = { server: number; backends: number; client: number; worker: number };
type CpuProbe = { server: number[]; backends: number[]; worker: number[]; at: CpuUse };

const cpuSum = (pids: number[]) => pids.reduce((t, pid) => t + cpuMsOf(pid), 0);

async function cpuStart(child: Child, worker: Child | undefined, admin: postgres.Sql, database: string): Promise<CpuProbe> {
  const server = processGroup(child.proc.pid!);
  const workers = worker ? processGroup(worker.proc.pid!) : [];
  const rows = await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database}`;
  const backends = rows.map((r) => r.pid);
  const client = process.cpuUsage();
  return { server, backends, worker: workers, at: { server: cpuSum(server), backends: cpuSum(backends), client: (client.user + client.system) / 1000, worker: cpuSum(workers) } };
}

function cpuSince(probe: CpuProbe): CpuUse {
  const client = process.cpuUsage();
  return {
    server: cpuSum(probe.server) - probe.at.server,
    backends: cpuSum(probe.backends) - probe.at.backends,
    client: (client.user + client.system) / 1000 - probe.at.client,
    worker: cpuSum(probe.worker) - probe.at.worker,
  };
}

async function benchServer(round: number, kind: ServerKind, tenant: Tenant, results: Measurement[], probes: Partial<Record<ServerKind, Probe>>) {
  console.log(`\n[${kind}]${settings.rounds > 1 ? ` round ${round}:` : ""} starting...`);
  const { child, worker, baseUrl, startMs } = await startServer(kind, tenant.dbUrl);
  console.log(`[${kind}] ready on ${baseUrl} after ${(startMs / 1000).toFixed(1)} s`);
  probes[kind] = await probe(kind, baseUrl, tenant);

  const ids: string[] = [];
  const tag = tagOf(kind);
  console.log(`[${kind}] warming up: ${settings.warmup} s of POST, then ${settings.warmup} s of GET by id`);
  const warmCreate = await measureCreate(kind, baseUrl, tenant, settings.warmup, `${tag}1`, ids);
  if (ids.length === 0) throw new Error(`${kind}: no consultation created during warm-up (${JSON.stringify(warmCreate.statusCodeStats)}): ${firstFailure[kind] ?? ""}`);
  await measureRead(baseUrl, tenant, settings.warmup, ids);

  const measure = async (route: Route, run: () => Promise<autocannon.Result>) => {
    const busy = await quietMachine(settings.quietWait);
    console.log(`[${kind}] measuring ${route} for ${settings.duration} s (machine ${busy.toFixed(0)}% busy just before)`);
    assertRunning(worker);
    const cpu = await cpuStart(child, worker, tenant.admin, tenant.database);
    const result = await run();
    assertRunning(worker);
    const used = cpuSince(cpu);
    const m = summarize(round, kind, route, result);
    m.busyBefore = busy;
    const per = (ms: number) => (m.requests > 0 ? ms / m.requests : 0);
    m.cpu = { server: per(used.server), backends: per(used.backends), client: per(used.client), worker: per(used.worker) };
    results.push(m);
    console.log(
      `[${kind}]   ${m.rps.toFixed(1)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}; ` +
        `CPU ms/request: server ${m.cpu.server.toFixed(2)}, PostgreSQL ${m.cpu.backends.toFixed(2)}, load generator ${m.cpu.client.toFixed(2)}` +
        (worker ? `, worker ${m.cpu.worker.toFixed(2)}` : ""),
    );
  };
  await measure("POST /api/consultations", () => measureCreate(kind, baseUrl, tenant, settings.duration, `${tag}2`));
  await measure("GET /api/consultations/{id}", () => measureRead(baseUrl, tenant, settings.duration, ids));
  if (settings.floor) await measure(FLOOR, () => measureFloor(baseUrl, settings.duration));

  await stopChild(child);
  if (worker) await stopChild(worker);
  console.log(`[${kind}] stopped`);
}

// ---------------------------------------------------------------------------------------
// Report.

/** The round with the median throughput (the lower one of the middle two, for an even count). */
function median(ms: Measurement[]): Measurement {
  const sorted = [...ms].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function report(results: Measurement[], machine: string[], probes: Partial<Record<ServerKind, Probe>>, build: string): boolean {
  const lines: string[] = ["", "API benchmark", "============="];
  lines.push(...machine);
  lines.push(
    `Load:    ${settings.duration} s per measurement after ${settings.warmup} s warm-up per route, ${settings.connections} connections, ` +
      `database pool ${POOL_SIZE} per server, servers run one at a time` +
      (settings.rounds > 1 ? `, ${settings.rounds} rounds (median round shown)` : ""),
  );
  lines.push(`App:     npm start's server: the API front, Next.js for the rest (${build}; app-next: next start alone), HTTP_COMPRESSION=${process.env.BENCH_APP_COMPRESSION === "true" ? "true" : "false"}; jobs in the process (app), or JOBS_IN_APP=false with npm run worker beside it (app-split)`);
  lines.push(`Bare:    node:http + postgres.js, ${settings.barePrepare ? "named prepared statements (postgres.js default)" : "unnamed statements (as drizzle sends them)"}`);
  lines.push("");

  const medians = new Map<string, Measurement>();
  const header = ["route", "server", "req/s (mean)", "p50 ms", "p99 ms", "requests", "non-2xx", "errors", "CPU ms/req: server", "worker", "PostgreSQL", "busy before"];
  if (settings.rounds > 1) header.push("req/s by round");
  const rows = [header];
  for (const route of [...ROUTES, FLOOR]) {
    for (const server of settings.servers) {
      const all = results.filter((r) => r.route === route && r.server === server);
      if (all.length === 0) continue;
      const m = median(all);
      medians.set(`${server} ${route}`, m);
      const row = [
        route === FLOOR ? `${route} (reference)` : route,
        server,
        m.rps.toFixed(1),
        m.p50.toFixed(1),
        m.p99.toFixed(1),
        String(m.requests),
        String(all.reduce((n, r) => n + r.non2xx, 0)),
        String(all.reduce((n, r) => n + r.errors, 0)),
        m.cpu ? m.cpu.server.toFixed(2) : "-",
        m.cpu && server === "app-split" ? m.cpu.worker.toFixed(2) : "-",
        m.cpu ? m.cpu.backends.toFixed(2) : "-",
        `${(m.busyBefore ?? 0).toFixed(0)}%`,
      ];
      if (settings.rounds > 1) row.push(all.map((r) => r.rps.toFixed(0)).join(" "));
      rows.push(row);
    }
  }
  lines.push(table(rows, 2));
  if (results.some((m) => (m.busyBefore ?? 0) > QUIET_PERCENT)) {
    lines.push(`WARNING: other processes kept the CPUs busy before some measurements ("busy before" > ${QUIET_PERCENT}%): those figures are low and noisy.`);
  }

  let valid = true;
  for (const m of results) {
    if (m.non2xx > 0 || m.errors > 0) {
      valid = false;
      const codes = Object.entries(m.statusCodes)
        .map(([code, count]) => `${code}: ${count}`)
        .join(", ");
      lines.push(`WARNING: round ${m.round} ${m.server} ${m.route}: ${m.non2xx} non-2xx (${codes}), ${m.errors} connection errors/timeouts`);
      const failure = firstFailure[m.server];
      if (failure) lines.push(`  first failure seen in warm-up: ${failure}`);
    }
  }

  const apps = settings.servers.filter(isApp);
  if (apps.length > 0 && settings.servers.includes("bare")) {
    lines.push("", `Throughput ratio to bare (target: >= ${TARGET_RATIO} x bare, with the jobs in the app)`);
    for (const route of [...ROUTES, FLOOR]) {
      const bare = medians.get(`bare ${route}`);
      if (!bare) continue;
      const ratios = apps.flatMap((kind) => {
        const app = medians.get(`${kind} ${route}`);
        if (!app) return [];
        const ratio = app.rps / bare.rps;
        const verdict = route === FLOOR ? "" : ratio >= TARGET_RATIO ? " met" : " NOT met";
        return [`${kind} ${ratio.toFixed(2)}${verdict}`];
      });
      lines.push(`  ${route.padEnd(28)} ${ratios.join("   ")}${route === FLOOR ? "  (reference: the HTTP stack alone)" : ""}`);
    }
    for (const kind of apps) {
      const app = probes[kind];
      const same = app && probes.bare && app.shapes === probes.bare.shapes;
      lines.push(`Response envelope shapes ${kind} vs bare: ${same ? "identical" : "DIFFERENT"}`);
      if (app?.headers !== probes.bare?.headers) lines.push(`  headers ${kind}:  ${app?.headers}`, `  headers bare: ${probes.bare?.headers}`);
    }
  }
  console.log(lines.join("\n"));
  return valid;
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const admin = postgres(settings.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const machine = await machineFacts(admin, settings.adminUrl);
  console.log(machine.join("\n"));

  const build = settings.servers.some(isApp) ? await buildIfNeeded() : "not run";
  const tenant = await createBenchDatabase(admin);

  const results: Measurement[] = [];
  const probes: Partial<Record<ServerKind, Probe>> = {};
  for (let round = 1; round <= settings.rounds; round++) {
    for (const kind of settings.servers) await benchServer(round, kind, tenant, results, probes);
  }

  const valid = report(results, machine, probes, build);
  if (!valid) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    if (!wasInterrupted()) console.error("\nbench:api failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    // Everything is closed; exit even if a library left a timer behind.
    process.exit();
  });
