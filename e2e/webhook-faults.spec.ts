/**
 * Webhook delivery under faults: nothing is lost.
 *
 * Each test runs its own `next start` of the production build on a database of its own, with a
 * real HTTP receiver on 127.0.0.1 registered through `POST /api/webhooks`, and breaks one
 * thing while consultations are being created and their `consultation.created` delivered:
 *
 *   1. the receiver is down (503) for a few seconds, then back: every event comes through on
 *      the 5-second retry, and the delivery log shows both attempts;
 *   2. the app process is SIGKILLed mid-delivery and another started on the same database:
 *      every event arrives, any repeat carries the same `webhook-id`;
 *   3. PostgreSQL itself (a private embedded cluster) is stopped and started again mid-run:
 *      the app recovers by itself, every event arrives, repeats only with the same id.
 *
 * API only: no browser. Figures go to the test output (`[webhook-faults] ...`).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { connect } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { DEMO_SLUG } from "../lib/demo/seed";
import { issueApiCredential } from "../lib/auth/api-keys";
import { findOrganization } from "../lib/organizations";
import { freePort, withDatabase } from "../test/postgres";
import { startAppProcess, type StartedApp } from "./processes";

test.describe.configure({ mode: "serial" });

const EVENT = "consultation.created";
/** Short, so a killed process's jobs come back within ~30 s (pg-boss expires them after this + 15 s). */
const APP_ENV = { WEBHOOK_ALLOW_INSECURE_URLS: "true", WEBHOOK_TIMEOUT_SECONDS: "5", SEED_DEMO: "true" };

function log(message: string): void {
  console.log(`[webhook-faults] ${message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Clean-up steps, run last-in first-out even when a step or the test failed. */
class Cleanup {
  private steps: { name: string; run: () => Promise<unknown> }[] = [];
  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }
  async run(): Promise<void> {
    for (const step of this.steps.reverse()) {
      await step.run().catch((error: unknown) => log(`clean-up "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    this.steps = [];
  }
}

// ---------------------------------------------------------------------------------------------
// The receiver

type Received = {
  at: number;
  webhookId: string;
  event: string;
  consultationId: string;
  signature: string;
  body: Buffer;
  /** What the receiver answered; null while the answer is still being held back. */
  answered: number | null;
};

type Receiver = {
  url: string;
  received: Received[];
  /** Requests taken in but not answered yet. */
  inFlight: () => number;
  close: () => Promise<void>;
};

/** A real HTTP server on 127.0.0.1 that records every request and answers as `answer` says. */
async function startReceiver(answer: () => { status: number; delayMs?: number }): Promise<Receiver> {
  const received: Received[] = [];
  let pending = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let event = "";
      let consultationId = "";
      try {
        const parsed = JSON.parse(body.toString("utf8")) as { event?: string; data?: { consultationId?: string } };
        event = parsed.event ?? "";
        consultationId = parsed.data?.consultationId ?? "";
      } catch {
        // recorded as it is; the checks below fail on it
      }
      const entry: Received = {
        at: Date.now(),
        webhookId: String(req.headers["webhook-id"] ?? ""),
        event,
        consultationId,
        signature: String(req.headers["x-telehealth-signature"] ?? ""),
        body,
        answered: null,
      };
      received.push(entry);
      const { status, delayMs = 0 } = answer();
      pending++;
      setTimeout(() => {
        pending--;
        entry.answered = status;
        res.writeHead(status, { "Content-Type": "text/plain" }).end(status === 204 ? undefined : "unavailable");
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    inFlight: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `X-Telehealth-Signature` is the lowercase hex HMAC-SHA256 of the raw body, keyed with the secret as shown. */
function signatureValid(entry: Received, secret: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(entry.body).digest("hex"));
  const given = Buffer.from(entry.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** (event, consultation) → the webhook-ids it came with; every set must have exactly one. */
function idsByEvent(received: Received[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const r of received) {
    const key = `${r.event} ${r.consultationId}`;
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(r.webhookId);
  }
  return map;
}

function consultationsReceived(received: Received[]): Set<string> {
  return new Set(received.filter((r) => r.event === EVENT).map((r) => r.consultationId));
}

/** Every consultation the database holds reached the receiver; duplicates only ever with the first copy's webhook-id. */
function expectNothingLost(received: Received[], consultationIds: string[], secret: string): { requests: number; duplicates: number; duplicatedEvents: number } {
  const badSignatures = received.filter((r) => !signatureValid(r, secret));
  expect(badSignatures.length, "requests with a wrong X-Telehealth-Signature").toBe(0);
  const arrived = consultationsReceived(received);
  const missing = consultationIds.filter((id) => !arrived.has(id));
  expect(missing, `${missing.length} consultation.created never arrived`).toEqual([]);
  const ids = idsByEvent(received);
  const mixed = [...ids].filter(([, set]) => set.size !== 1).map(([key, set]) => `${key}: ${[...set].join(", ")}`);
  expect(mixed, "an event came with more than one webhook-id").toEqual([]);
  // A repeat is the same message: the body was serialized once, when the event was fanned out.
  const bodies = new Map<string, string>();
  for (const r of received) {
    const body = r.body.toString("utf8");
    expect(bodies.get(r.webhookId) ?? body, `the body of a repeat of ${r.webhookId}`).toBe(body);
    bodies.set(r.webhookId, body);
  }
  const perEvent = new Map<string, number>();
  for (const r of received) perEvent.set(`${r.event} ${r.consultationId}`, (perEvent.get(`${r.event} ${r.consultationId}`) ?? 0) + 1);
  return {
    requests: received.length,
    duplicates: received.length - perEvent.size,
    duplicatedEvents: [...perEvent.values()].filter((n) => n > 1).length,
  };
}

// ---------------------------------------------------------------------------------------------
// The app under test

/** The server the e2e database is on (the system PostgreSQL in CI): fresh databases go there. */
function systemAdminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const spec = process.env.E2E_SPEC_DATABASE_URL;
  if (!spec) throw new Error("E2E_SPEC_DATABASE_URL is not set: the e2e web server announces it when ready");
  return withDatabase(spec, "postgres");
}

/**
 * An empty database on the system PostgreSQL (the app migrates it at start). Named like the e2e
 * web server's, so a later run drops it if this one was killed before its clean-up.
 */
async function freshDatabase(cleanup: Cleanup): Promise<string> {
  const adminUrl = systemAdminUrl();
  const name = `telemed_e2e_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  cleanup.add(`drop ${name}`, async () => {
    const client = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      await client.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await client.end({ timeout: 2 });
    }
  });
  return withDatabase(adminUrl, name);
}

async function startApp(databaseUrl: string, cleanup: Cleanup): Promise<StartedApp> {
  const started = performance.now();
  const app = await startAppProcess({ databaseUrl, extraEnv: APP_ENV });
  log(`app instance on :${app.port} healthy after ${Math.round(performance.now() - started)} ms`);
  cleanup.add(`stop app :${app.port}`, () => app.stop());
  return app;
}

/** A credential of the demo organization the app seeded (as the e2e web server issues its own). */
async function issueCredential(databaseUrl: string): Promise<string> {
  const db = connect(databaseUrl, { max: 1 });
  try {
    const organization = await findOrganization(db, DEMO_SLUG);
    if (!organization) throw new Error("the demo organization is missing: SEED_DEMO=true did not reach the app");
    return (await issueApiCredential(db, organization.id, "webhook-faults")).bearerToken;
  } finally {
    await db.$client.end({ timeout: 2 });
  }
}

async function registerEndpoint(app: StartedApp, bearer: string, url: string): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${app.url}/api/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify({ url, events: [EVENT] }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  const { data } = JSON.parse(text) as { data: { id: string; secret: string } };
  expect(data.secret).toMatch(/^whsec_/);
  return data;
}

/** One immediate consultation with its own provider and patient, so nothing is double-booked. */
async function createConsultation(appUrl: string, bearer: string, timeoutMs = 15_000): Promise<string> {
  const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));
  const response = await fetch(`${appUrl}/api/consultations`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify({
      provider: { name: "Dr. Ana Martínez", documentType: "CC", documentNumber: doc(), professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@example.com" },
      patient: { documentType: "CC", documentNumber: doc(), name: "María García López", phone: "+573001234567", email: "maria@example.com" },
      consultationType: "ConsultaGeneral",
      durationMinutes: 20,
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /api/consultations answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { data: { consultationId: string } }).data.consultationId;
}

/** `count` consultations, `concurrency` requests at a time. */
async function createConsultations(appUrl: string, bearer: string, count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        ids.push(await createConsultation(appUrl, bearer));
      }
    }),
  );
  return ids;
}

async function allConsultationIds(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from consultations order by created_at`;
  return rows.map((r) => r.id);
}

/** Waits until `done()` holds, checking every 100 ms; fails with `describe()` after `timeoutMs`. */
async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await done()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------

test("a receiver that is down for a while gets every event on the retry, with both attempts logged", async () => {
  test.setTimeout(90_000);
  const cleanup = new Cleanup();
  try {
    const COUNT = 20;
    const DOWN_FOR_MS = 3000;
    // Down (503) from its first request until 3 s have passed AND every consultation's first
    // attempt has come in, so each delivery's first attempt fails and its 5-second retry (±10%)
    // is the one that succeeds.
    let firstAt: number | null = null;
    let upAt: number | null = null;
    const receiver = await startReceiver(() => {
      firstAt ??= Date.now();
      return { status: upAt === null ? 503 : 204 };
    });
    cleanup.add("close receiver", () => receiver.close());

    const databaseUrl = await freshDatabase(cleanup);
    const app = await startApp(databaseUrl, cleanup);
    const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
    cleanup.add("close spec pool", () => sql.end({ timeout: 2 }));
    const bearer = await issueCredential(databaseUrl);
    const endpoint = await registerEndpoint(app, bearer, receiver.url);

    const createStarted = performance.now();
    const ids = await createConsultations(app.url, bearer, COUNT, 5);
    log(`test 1: ${COUNT} consultations created in ${Math.round(performance.now() - createStarted)} ms`);

    await waitUntil(() => consultationsReceived(receiver.received).size === COUNT, 15_000, () => `${consultationsReceived(receiver.received).size}/${COUNT} first attempts`);
    await waitUntil(() => firstAt !== null && Date.now() - firstAt >= DOWN_FOR_MS, 5000, () => "the down window");
    upAt = Date.now();
    const lateFirstAttempt = Math.max(...receiver.received.map((r) => r.at)) - firstAt!;
    log(`test 1: receiver down for ${upAt - firstAt!} ms (last first attempt ${lateFirstAttempt} ms after the first), ${receiver.received.length} requests answered 503`);
    expect(receiver.received.every((r) => r.answered === 503 || r.answered === null)).toBe(true);

    const delivered = () => new Set(receiver.received.filter((r) => r.answered === 204).map((r) => r.consultationId));
    const waited = await waitUntil(() => delivered().size === COUNT, 30_000, () => `${delivered().size}/${COUNT} delivered`);
    log(`test 1: all ${COUNT} delivered ${Math.round(waited)} ms after the receiver came back`);

    // Every request, failed or not, is signed with the endpoint's secret over the exact bytes sent.
    const stats = expectNothingLost(receiver.received, ids, endpoint.secret);
    // The first attempt and its retry, per event, and the retry waited about 5 s.
    const retryGaps: number[] = [];
    for (const id of ids) {
      const copies = receiver.received.filter((r) => r.consultationId === id);
      expect(copies.map((r) => r.answered), `attempts at ${id}`).toEqual([503, 204]);
      retryGaps.push(copies[1]!.at - copies[0]!.at);
    }
    expect(Math.min(...retryGaps)).toBeGreaterThanOrEqual(4400);
    expect(Math.max(...retryGaps)).toBeLessThan(12_000);

    // The delivery log says the same: one delivery per consultation, a 503 then a 204.
    type Row = { id: string; consultation_id: string; status: string; attempt_count: number; codes: number[] };
    const logged = async () =>
      sql<Row[]>`
        select d.id, d.consultation_id, d.status, d.attempt_count,
               coalesce(array_agg(a.status_code order by a.attempted_at, a.id) filter (where a.id is not null), '{}') as codes
        from webhook_deliveries d left join webhook_attempts a on a.delivery_id = d.id
        where d.endpoint_id = ${endpoint.id}
        group by d.id`;
    await expect.poll(async () => (await logged()).filter((r) => r.status === "delivered").length, { timeout: 10_000 }).toBe(COUNT);
    const rows = await logged();
    expect(rows).toHaveLength(COUNT);
    expect(new Set(rows.map((r) => r.consultation_id))).toEqual(new Set(ids));
    for (const row of rows) {
      expect(row.codes, `attempts of delivery ${row.id}`).toEqual([503, 204]);
      expect(row.attempt_count).toBe(2);
      // The id the receiver saw on both attempts is the delivery's id.
      expect(new Set(receiver.received.filter((r) => r.consultationId === row.consultation_id).map((r) => r.webhookId))).toEqual(new Set([row.id]));
    }
    log(
      `test 1: ${COUNT} events, ${stats.requests} requests (${COUNT} × 503 then 204), signatures all valid, ` +
        `retry after ${Math.min(...retryGaps)}–${Math.max(...retryGaps)} ms, duplicates beyond the retry: 0`,
    );
  } finally {
    await cleanup.run();
  }
});

test("an app process killed mid-delivery loses nothing: the next one finishes, repeats keep their webhook-id", async () => {
  test.setTimeout(150_000);
  const cleanup = new Cleanup();
  try {
    const COUNT = 60;
    const SLOW_MS = 400;
    // The kill happens from the receiver, on the request that makes a third.
    let onArrival = (): void => {};
    const receiver = await startReceiver(() => {
      onArrival();
      return { status: 204, delayMs: SLOW_MS };
    });
    cleanup.add("close receiver", () => receiver.close());

    const databaseUrl = await freshDatabase(cleanup);
    const first = await startApp(databaseUrl, cleanup);
    const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
    cleanup.add("close spec pool", () => sql.end({ timeout: 2 }));
    const bearer = await issueCredential(databaseUrl);
    const endpoint = await registerEndpoint(first, bearer, receiver.url);

    // Create through the first instance, two at a time; when a third of the events have
    // arrived, SIGKILL it: some deliveries answered and recorded, some in flight at the receiver,
    // some queued, and a creation request or two cut short. Those are made again on the next
    // instance (one cut short may still have committed: the database, not this list, says what
    // exists).
    let current: StartedApp = first;
    let killedAt: number | null = null;
    let arrivedAtKill = 0;
    let answeredAtKill = 0;
    let created = 0;
    let cutShort = 0;
    const killer = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${consultationsReceived(receiver.received).size} events arrived in 60 s`)), 60_000);
      onArrival = () => {
        if (killedAt !== null || consultationsReceived(receiver.received).size < COUNT / 3) return;
        clearTimeout(timer);
        arrivedAtKill = receiver.received.length;
        answeredAtKill = receiver.received.filter((r) => r.answered !== null).length;
        killedAt = Date.now();
        first.child.kill("SIGKILL");
        void first.exited.then(resolve);
      };
    });
    const creators = Array.from({ length: 2 }, async () => {
      while (created < COUNT) {
        const app = current;
        if (killedAt !== null && app === first) {
          await sleep(100);
          continue;
        }
        created++;
        try {
          await createConsultation(app.url, bearer);
        } catch (error) {
          if (killedAt === null) throw error;
          created--;
          cutShort++;
        }
      }
    });
    const creating = Promise.all(creators);
    creating.catch(() => {}); // awaited below, after the restart
    await Promise.race([killer, creating.then(() => killer)]); // a creation failing before the kill fails the test at once
    const pendingAtKill = (await sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status = 'pending'`)[0]!.n;
    log(
      `test 2: SIGKILL after ${arrivedAtKill} events arrived (${answeredAtKill} answered, ${arrivedAtKill - answeredAtKill} in flight at the receiver), ` +
        `${created} creations started, ${pendingAtKill} deliveries pending in the log`,
    );

    const restartStarted = performance.now();
    current = await startApp(databaseUrl, cleanup);
    const restartMs = performance.now() - restartStarted;
    await creating;

    const ids = await allConsultationIds(sql);
    expect(ids.length).toBeGreaterThanOrEqual(COUNT);
    const arrived = await waitUntil(
      () => ids.every((id) => consultationsReceived(receiver.received).has(id)),
      60_000,
      () => `${ids.filter((id) => consultationsReceived(receiver.received).has(id)).length}/${ids.length} arrived`,
    );
    const allArrivedAfterKill = Date.now() - killedAt!;
    // Arriving is not enough: a request the killed process sent but never saw answered is still
    // pending in the log, its job active on a dead worker. pg-boss hands that job out again once
    // it expires (WEBHOOK_TIMEOUT_SECONDS + 15 s, checked every 10 s); the retry sends the same
    // delivery again, with the same webhook-id, and the log settles.
    const undelivered = async () => (await sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`)[0]!.n;
    await waitUntil(async () => (await undelivered()) === 0, 90_000, () => "deliveries still pending in the log");
    const settledAfterKill = Date.now() - killedAt!;
    await sleep(1000); // a last repeat in flight would show in the receiver now
    const stats = expectNothingLost(receiver.received, ids, endpoint.secret);
    const [deliveries] = await sql<{ n: number; attempts: number }[]>`
      select count(*)::int as n, (select count(*)::int from webhook_attempts) as attempts from webhook_deliveries where event = ${EVENT}`;
    expect(deliveries!.n).toBe(ids.length);
    log(
      `test 2: ${ids.length} consultations (${cutShort} requests cut short by the kill and made again); every event had arrived ` +
        `${(allArrivedAfterKill / 1000).toFixed(1)} s after the kill (new instance healthy in ${Math.round(restartMs)} ms, then ${Math.round(arrived)} ms), ` +
        `the log settled (all delivered, ${deliveries!.attempts} attempts recorded) ${(settledAfterKill / 1000).toFixed(1)} s after the kill; ` +
        `${stats.requests} requests, ${stats.duplicates} duplicates over ${stats.duplicatedEvents} events, each with its first copy's webhook-id and body; signatures all valid`,
    );
  } finally {
    await cleanup.run();
  }
});

test("PostgreSQL restarted mid-run: the app recovers by itself and every event arrives", async () => {
  test.setTimeout(180_000);
  const cleanup = new Cleanup();
  try {
    const FIRST = 30;
    const SECOND = 10;
    const receiver = await startReceiver(() => ({ status: 204, delayMs: 200 }));
    cleanup.add("close receiver", () => receiver.close());

    // A private cluster, started as the app starts its embedded one (db/embedded.ts): an absolute
    // data dir the `postgres` user can reach, since the package runs the server as that user
    // when we are root.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "telemed-faults-pg-"));
    chmodSync(dataDir, 0o755);
    cleanup.add("remove cluster dir", async () => rmSync(dataDir, { recursive: true, force: true }));
    const pgPort = await freePort();
    let cluster = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "telemed" });
    cleanup.add("stop cluster", () => cluster.stop());
    log(`test 3: private PostgreSQL on :${pgPort}`);

    const app = await startApp(cluster.url, cleanup);
    const bearer = await issueCredential(cluster.url);
    const endpoint = await registerEndpoint(app, bearer, receiver.url);

    await createConsultations(app.url, bearer, FIRST, 3);
    // Stop while deliveries are going (some arrived, not all).
    await waitUntil(() => consultationsReceived(receiver.received).size >= 5, 20_000, () => "the first deliveries");
    const arrivedAtStop = consultationsReceived(receiver.received).size;
    const inFlightAtStop = receiver.inFlight();
    const stoppedAt = performance.now();
    await cluster.stop();
    // What readiness says while the database is down (0: no answer within the 2 s it is down).
    const healthWhileDown = fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(1900) }).then((r) => r.status, () => 0);
    await sleep(2000);
    cluster = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "telemed" });
    const startedAgainAt = performance.now();
    log(
      `test 3: PostgreSQL stopped with ${arrivedAtStop}/${FIRST} events arrived and ${inFlightAtStop} in flight; ` +
        `/api/health said ${await healthWhileDown} while it was down; back after ${Math.round(startedAgainAt - stoppedAt)} ms`,
    );

    const healthy = await waitUntil(
      () => fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false),
      45_000,
      () => "/api/health 200 after the restart",
    );
    log(`test 3: /api/health 200 again ${Math.round(healthy)} ms after PostgreSQL was back`);
    expect(app.child.exitCode ?? app.child.signalCode, "the app process exited").toBeNull();

    // New work after the restart goes through too. Not always at once: postgres.js 3.4.9 can
    // hold a query for its reconnect backoff (up to 20 s) or a connection whose start-up it
    // never sends (CONNECT_TIMEOUT after 30 s), so each request gets 45 s and is made again
    // if it fails; what it took is reported. The database says what was created.
    const latencies: number[] = [];
    const failures: string[] = [];
    const secondStarted = performance.now();
    let made = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (made < SECOND) {
          made++;
          for (let attempt = 1; ; attempt++) {
            const started = performance.now();
            try {
              await createConsultation(app.url, bearer, 45_000);
              latencies.push(performance.now() - started);
              break;
            } catch (error) {
              failures.push(`${Math.round(performance.now() - started)} ms: ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`);
              if (attempt === 3) throw error;
            }
          }
        }
      }),
    );
    const slowest = Math.max(...latencies);
    log(
      `test 3: ${SECOND} more consultations created in ${Math.round(performance.now() - secondStarted)} ms ` +
        `(slowest request ${Math.round(slowest)} ms, ${failures.length} failed and made again${failures.length ? `: ${failures.join(" | ")}` : ""})`,
    );

    const check = postgres(cluster.url, { max: 2, onnotice: () => {} });
    cleanup.add("close check pool", () => check.end({ timeout: 2 }));
    const ids = await allConsultationIds(check);
    expect(ids.length).toBeGreaterThanOrEqual(FIRST + SECOND);
    const waited = await waitUntil(
      () => ids.every((id) => consultationsReceived(receiver.received).has(id)),
      60_000,
      () => `${ids.filter((id) => consultationsReceived(receiver.received).has(id)).length}/${ids.length} arrived`,
    );
    // As after a kill: an attempt whose answer could not be recorded while PostgreSQL was down
    // leaves its job active until pg-boss expires it and sends the delivery again.
    const undelivered = async () => (await check<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`)[0]!.n;
    await waitUntil(async () => (await undelivered()) === 0, 90_000, () => "deliveries still pending in the log");
    const settled = performance.now() - startedAgainAt;
    await sleep(1000);
    const stats = expectNothingLost(receiver.received, ids, endpoint.secret);
    // How long fan-out (outbox → delivery row) took for the consultations made after the restart.
    const [lag] = await check<{ max_ms: number | null }[]>`
      select round(max(extract(epoch from d.created_at - o.occurred_at)) * 1000)::int as max_ms
      from webhook_deliveries d join outbox_events o on o.id = d.event_id
      where o.aggregate_id = any(${ids.slice(FIRST)}::uuid[])`;
    log(
      `test 3: all ${ids.length} events arrived (the last ${Math.round(waited)} ms after the second batch), the log settled ${(settled / 1000).toFixed(1)} s after PostgreSQL was back; ` +
        `fan-out of the second batch took up to ${lag?.max_ms ?? "?"} ms; ` +
        `${stats.requests} requests, ${stats.duplicates} duplicates over ${stats.duplicatedEvents} events (sent before the stop, answered, not recorded), each with its first copy's webhook-id and body; signatures all valid`,
    );
  } finally {
    await cleanup.run();
  }
});
