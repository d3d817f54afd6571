/**
 * Chat benchmark: messages through `POST /api/chat-sessions/{id}/messages` to their delivery on
 * another participant's open `GET /api/chat-sessions/{id}/events` stream, on one production
 * the app as `npm start` runs it over a fresh database. Prints messages per second and the p50/p90/p99/max time
 * from a POST's start to the message arriving on the stream, and checks that the stream got
 * every message once, in id order. Run by hand (`npm run bench:chat`), not in CI; see
 * bench/chat/README.md.
 *
 * Both ends of every figure are taken in this process with one clock (performance.now()): just
 * before the POST is sent, and when the stream's `message` event carrying its clientId is read.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { issueApiCredential, setRateLimit } from "@/lib/auth/api-keys";
import { CHAT_MESSAGES_PER_MINUTE } from "@/lib/limits";
import { createOrganization } from "@/lib/organizations";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { insertChatSession } from "@/test/chat-sessions";
import { freePort } from "@/test/postgres";
import {
  cleanUp,
  cleanUpOnSignals,
  existingBuild,
  intFromEnv,
  machineFacts,
  onCleanup,
  percentile,
  QUIET_PERCENT,
  quietMachine,
  sleep,
  startAppServer,
  table,
  wasInterrupted,
  scratchDatabase,
} from "../harness";

const APP_SECRET = "bench-chat-app-secret-that-is-at-least-32-characters";
/** Messages one sender is given at most, under the per-sender limit of CHAT_MESSAGES_PER_MINUTE a minute, with room to spare. */
const PER_SENDER = CHAT_MESSAGES_PER_MINUTE - 5;

const messages = intFromEnv("BENCH_MESSAGES", 400);
const warmup = intFromEnv("BENCH_WARMUP", 20, 0);
const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  distDir: process.env.BENCH_DIST_DIR || ".next",
  messages,
  warmup,
  concurrency: intFromEnv("BENCH_CONCURRENCY", 4),
  /** Participants who write, in turn: the per-sender limit is not configurable, so the load is spread over several. */
  senders: intFromEnv("BENCH_SENDERS", Math.ceil((messages + warmup) / PER_SENDER)),
  deliveryTimeoutSeconds: intFromEnv("BENCH_DELIVERY_TIMEOUT", 30),
  quietWait: intFromEnv("BENCH_QUIET_WAIT", 30, 0),
  poolSize: intFromEnv("BENCH_POOL_SIZE", 10),
};
if (Math.ceil((settings.messages + settings.warmup) / settings.senders) > CHAT_MESSAGES_PER_MINUTE) {
  throw new Error(
    `BENCH_SENDERS=${settings.senders} would give one sender more than the ${CHAT_MESSAGES_PER_MINUTE} messages a minute the app allows; use at least ${Math.ceil((settings.messages + settings.warmup) / CHAT_MESSAGES_PER_MINUTE)}`,
  );
}

cleanUpOnSignals("closing the stream, stopping the app and dropping the benchmark database");

const clock = () => performance.now();

// ---------------------------------------------------------------------------------------
// The build: made beforehand, never here.

function checkBuild(): string {
  const build = existingBuild(settings.distDir);
  if (!build) {
    const how = settings.distDir === ".next" ? "npx next build" : `NEXT_DIST_DIR=${settings.distDir} npx next build && git checkout tsconfig.json   # a custom distDir rewrites tsconfig.json`;
    throw new Error(`no production build in ${settings.distDir}. Build it first:\n  ${how}\nor point BENCH_DIST_DIR at an existing build.`);
  }
  const when = build.builtAt.toISOString().replace(/\.\d+Z$/, "Z");
  if (build.newerSource) {
    console.log(`warning: ${build.newerSource} is newer than ${settings.distDir}/BUILD_ID: the build may not match the sources`);
    return `${settings.distDir} (build ${build.id}, ${when}; sources changed since)`;
  }
  return `${settings.distDir} (build ${build.id}, ${when})`;
}

// ---------------------------------------------------------------------------------------
// The database: fresh for the run, dropped afterwards; one session with the senders and a reader.

type Setup = { dbUrl: string; database: string; sessionId: string; credential: string; senders: string[]; readerToken: string };

async function createBenchDatabase(admin: postgres.Sql): Promise<Setup> {
  const { name, url: dbUrl } = await scratchDatabase(admin, settings.adminUrl, "chat");
  console.log(`Created database ${name}; migrating...`);
  await migrateDatabase(dbUrl);
  const db = connect(dbUrl, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: "Bench Clinic", slug: "bench-clinic", timezone: "America/Bogota" });
    const credential = await issueApiCredential(db, organization.id, "bench-chat");
    await setRateLimit(db, credential.id, 2_147_483_647);
    const senders = Array.from({ length: settings.senders }, (_, i) => ({ externalId: `bench-patient-${i + 1}`, fullName: `Paciente ${i + 1}`, group: "patient" }));
    const session = await insertChatSession(db, organization.id, {
      members: [{ externalId: "bench-doctor", fullName: "Dra. Ana Martínez", group: "doctor" }, ...senders],
      state: "accepted",
      title: "bench:chat",
    });
    const reader = session.participants[0]!;
    const { accessToken } = await mintUserToken(APP_SECRET, { roomUserId: reader.roomUserId, organizationId: organization.id, apiKeyId: credential.id }, new Date(), 3600);
    return { dbUrl, database: name, sessionId: session.id, credential: `Bearer ${credential.bearerToken}`, senders: senders.map((s) => s.externalId), readerToken: `Bearer ${accessToken}` };
  } finally {
    await db.$client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------
// The reader: the doctor's stream, read as the chat page reads it (fetch and a reader).

class StreamReader {
  /** First arrival per clientId. */
  readonly arrivals = new Map<string, number>();
  private readonly seen = new Set<number>();
  private lastId = 0;
  duplicates = 0;
  outOfOrder = 0;
  hello = false;
  ended = false;
  private waiters: (() => void)[] = [];
  private readonly abort = new AbortController();

  async open(baseUrl: string, setup: Setup): Promise<void> {
    const response = await fetch(`${baseUrl}/api/chat-sessions/${setup.sessionId}/events`, { headers: { authorization: setup.readerToken }, signal: this.abort.signal });
    if (response.status !== 200 || !response.body) throw new Error(`GET …/events answered ${response.status}: ${await response.text()}`);
    onCleanup("close the stream", async () => this.abort.abort());
    void this.read(response.body.getReader());
    const deadline = clock() + 10_000;
    while (!this.hello) {
      if (clock() > deadline) throw new Error("no hello on the stream within 10 s");
      await this.next(1000);
    }
  }

  /** Resolves at the next event (or after `ms`). */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const at = clock();
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          this.frame(buffer.slice(0, end), at);
          buffer = buffer.slice(end + 2);
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // aborted at the end of the run
    }
    this.ended = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private frame(block: string, at: number): void {
    let event = "";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (event === "hello") this.hello = true;
    if (event !== "message") return;
    const message = JSON.parse(data) as { id: number; clientId: string | null };
    if (this.seen.has(message.id)) this.duplicates++;
    else if (message.id < this.lastId) this.outOfOrder++;
    this.seen.add(message.id);
    this.lastId = Math.max(this.lastId, message.id);
    if (message.clientId && !this.arrivals.has(message.clientId)) this.arrivals.set(message.clientId, at);
  }
}

// ---------------------------------------------------------------------------------------
// The writers.

type Sent = { clientId: string; start: number; answered: number; status: number };
type Run = { sent: Sent[]; started: number; failures: string[] };

async function sendMessages(baseUrl: string, setup: Setup, count: number, label: string, offset: number): Promise<Run> {
  const sent: Sent[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = clock();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const sender = setup.senders[(offset + i) % setup.senders.length]!;
      const clientId = randomUUID();
      const start = clock();
      const response = await fetch(`${baseUrl}/api/chat-sessions/${setup.sessionId}/messages`, {
        method: "POST",
        headers: { authorization: setup.credential, "x-user-id": sender, "content-type": "application/json" },
        body: JSON.stringify({ text: `${label} message ${i + 1}: ¿cómo sigue la fiebre? 🌡️`, clientId }),
      });
      const text = await response.text();
      const answered = clock();
      sent.push({ clientId, start, answered, status: response.status });
      if (response.status !== 201 && failures.length < 10) failures.push(`${response.status} ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  return { sent, started, failures };
}

async function awaitArrivals(reader: StreamReader, clientIds: string[], timeoutMs: number): Promise<void> {
  const deadline = clock() + timeoutMs;
  while (!reader.ended && clientIds.some((id) => !reader.arrivals.has(id))) {
    const left = deadline - clock();
    if (left <= 0) return;
    await reader.next(Math.min(left, 1000));
  }
}

// ---------------------------------------------------------------------------------------

function spread(values: number[]): { p50: number; p90: number; p99: number; max: number; n: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1)!, n: sorted.length };
}

const msText = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const admin = postgres(settings.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const machine = await machineFacts(admin, settings.adminUrl);
  console.log(machine.join("\n"));

  const build = checkBuild();
  const setup = await createBenchDatabase(admin);
  const port = await freePort();
  const { baseUrl, startMs } = await startAppServer(
    {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: settings.distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: setup.dbUrl,
      DATABASE_POOL_SIZE: String(settings.poolSize),
      APP_SECRET,
      APP_URL: `http://127.0.0.1:${port}`,
      SEED_DEMO: "false",
    },
    port,
  );
  console.log(`app server on ${baseUrl} (ready in ${(startMs / 1000).toFixed(1)} s)`);

  const reader = new StreamReader();
  await reader.open(baseUrl, setup);
  console.log(`The doctor's stream is open (user token); ${setup.senders.length} patients write, in turn, through the API credential with X-User-Id.`);

  if (settings.warmup > 0) {
    console.log(`Warm-up: ${settings.warmup} messages (not counted)...`);
    const warm = await sendMessages(baseUrl, setup, settings.warmup, "warm-up", 0);
    if (warm.failures.length > 0) throw new Error(`the warm-up failed: ${warm.failures.join("; ")}`);
    await awaitArrivals(reader, warm.sent.map((s) => s.clientId), 10_000);
  }

  const busy = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  console.log(`Sending ${settings.messages} messages, ${settings.concurrency} at a time (machine ${busy.toFixed(0)}% busy just before)...`);
  const run = await sendMessages(baseUrl, setup, settings.messages, "measured", settings.warmup);
  const stored = run.sent.filter((s) => s.status === 201);
  await awaitArrivals(reader, stored.map((s) => s.clientId), settings.deliveryTimeoutSeconds * 1000);
  await sleep(500); // anything doubled still shows up within a moment

  const arrived = stored.filter((s) => reader.arrivals.has(s.clientId));
  const delivery = spread(arrived.map((s) => reader.arrivals.get(s.clientId)! - s.start));
  const answer = spread(stored.map((s) => s.answered - s.start));
  const beforeAnswer = arrived.filter((s) => reader.arrivals.get(s.clientId)! < s.answered).length;
  const lastArrival = Math.max(run.started, ...arrived.map((s) => reader.arrivals.get(s.clientId)!));
  const seconds = (lastArrival - run.started) / 1000;

  const lines = ["", "Chat benchmark: POST …/messages -> the message on another participant's GET …/events", "======================================================================================"];
  lines.push(...machine);
  lines.push(`App:     app server (${build}), DATABASE_POOL_SIZE=${settings.poolSize}, database ${setup.database}`);
  lines.push(
    `Load:    ${settings.messages} messages in one chat session, ${settings.concurrency} POSTs in flight, from ${setup.senders.length} participants in turn (at most ${Math.ceil((settings.messages + settings.warmup) / setup.senders.length)} each: ` +
      `the app allows ${CHAT_MESSAGES_PER_MINUTE} a minute per sender), one more participant reading the stream` +
      (settings.warmup > 0 ? `; after ${settings.warmup} warm-up messages` : "") +
      `; machine ${busy.toFixed(0)}% busy just before`,
  );
  lines.push("");
  const figures = [["figure", "value"]];
  figures.push(["messages/s (first POST -> last delivery)", seconds > 0 ? `${(arrived.length / seconds).toFixed(1)}/s` : "-"]);
  figures.push(["  over", `${seconds.toFixed(2)} s`]);
  if (delivery) {
    figures.push(["POST start -> on the stream p50", msText(delivery.p50)]);
    figures.push(["POST start -> on the stream p90", msText(delivery.p90)]);
    figures.push(["POST start -> on the stream p99", msText(delivery.p99)]);
    figures.push(["POST start -> on the stream max", msText(delivery.max)]);
  }
  if (answer) {
    figures.push(["POST start -> 201 answered p50", msText(answer.p50)]);
    figures.push(["POST start -> 201 answered p99", msText(answer.p99)]);
  }
  figures.push(["on the stream before the POST's answer", `${beforeAnswer} of ${arrived.length}`]);
  figures.push(["stored (201) / refused", `${stored.length} / ${run.sent.length - stored.length}`]);
  figures.push(["delivered on the stream", `${arrived.length} of ${stored.length}`]);
  figures.push(["missing / duplicated / out of id order", `${stored.length - arrived.length} / ${reader.duplicates} / ${reader.outOfOrder}`]);
  lines.push(table(figures, 1));
  for (const failure of run.failures) lines.push(`REFUSED POST: ${failure}`);
  if (busy > QUIET_PERCENT) lines.push(`WARNING: other processes kept the CPUs ${busy.toFixed(0)}% busy before the measurement: the figures are high and noisy.`);
  console.log(lines.join("\n"));

  if (run.failures.length > 0 || arrived.length !== stored.length || reader.duplicates > 0 || reader.outOfOrder > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    if (!wasInterrupted()) console.error("\nbench:chat failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    process.exit();
  });
