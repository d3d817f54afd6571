import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "@/test/postgres";
import { connect, type Database } from "./client";
import { startEmbeddedPostgres } from "./embedded";

// A private cluster, because the test stops and starts it (the shared one serves other tests).
let dataDir: string;
let port: number;
let cluster: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let db: Database;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "telemed-client-pg-"));
  chmodSync(dataDir, 0o755); // the package runs the server as `postgres` when we are root
  port = await freePort();
  cluster = await startEmbeddedPostgres({ dataDir, port, database: "telemed" });
  db = connect(cluster.url, { max: 10 });
});

afterAll(async () => {
  await db?.$client.end({ timeout: 1 });
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// postgres.js 3.4.9 left a connection unable to send its start-up message again once a write
// had been queued around a close (patches/postgres+3.4.9.patch): after a restart, part of the
// pool and the LISTEN connection never came back, and the process saw uncaught TypeErrors.
test("after PostgreSQL restarts under load, every pooled connection and LISTEN come back", { timeout: 120_000 }, async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    const notes: string[] = [];
    const listening = await db.$client.listen("client_test", (payload) => notes.push(payload));

    let running = true;
    const failures = new Set<string>();
    const load = Array.from({ length: 12 }, async () => {
      while (running) {
        try {
          // Transactions too: their later statements go to a connection that may have closed.
          await db.transaction(async (tx) => {
            await tx.execute(sql`select pg_sleep(0.01)`);
            await sleep(10);
            await tx.execute(sql`select pg_sleep(0.01)`);
          });
        } catch (error) {
          failures.add((error as { cause?: { code?: string }; code?: string }).cause?.code ?? String(error));
          await sleep(20);
        }
      }
    });
    await sleep(300);
    await cluster.stop();
    await sleep(2000);
    cluster = await startEmbeddedPostgres({ dataDir, port, database: "telemed" });
    expect(failures.size, "the stop was felt by the queries in flight").toBeGreaterThan(0);

    await sleep(500);
    running = false;
    // A statement written to a dead socket used to hang its transaction for good.
    const stopped = await Promise.race([Promise.all(load).then(() => true), sleep(30_000).then(() => false)]);
    expect(stopped, "every query of the load settled").toBe(true);

    // Ten queries held open at once can only run on ten different backends: the whole pool.
    let backends = new Set<number>();
    for (let round = 0; round < 40 && backends.size < 10; round++) {
      await sleep(250);
      const settled = await Promise.allSettled(
        Array.from({ length: 10 }, () => db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid, pg_sleep(0.3)`)),
      );
      backends = new Set(settled.flatMap((s) => (s.status === "fulfilled" ? [Number(s.value[0]!.pid)] : [])));
    }
    expect(backends.size, "distinct backends answering ten concurrent queries").toBe(10);

    // The LISTEN connection re-subscribed by itself.
    let delivered = false;
    for (let round = 0; round < 40 && !delivered; round++) {
      await db.execute(sql`select pg_notify('client_test', ${`after-restart-${round}`})`);
      await sleep(250);
      delivered = notes.some((note) => note.startsWith("after-restart"));
    }
    expect(delivered, "a NOTIFY after the restart reached the listener").toBe(true);
    await listening.unlisten();
    expect(uncaught).toEqual([]);
  } finally {
    process.off("uncaughtException", onUncaught);
  }
});
