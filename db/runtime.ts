import { appUrl, env } from "@/lib/config";
import { connect, type Database } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";
import { seedDemo } from "@/lib/demo/seed";

export type Runtime = { db: Database; url: string; embedded: boolean; stop: () => Promise<void> };

const holder = globalThis as typeof globalThis & { __telemedRuntime?: Promise<Runtime> };

/**
 * The process's database, made ready once: with no DATABASE_URL an embedded PostgreSQL is
 * started in DATA_DIR; migrations are applied; the demo organization is seeded when asked.
 */
export function runtime(): Promise<Runtime> {
  holder.__telemedRuntime ??= boot().catch((error: unknown) => {
    holder.__telemedRuntime = undefined; // let the next request try again
    throw error;
  });
  return holder.__telemedRuntime;
}

export async function database(): Promise<Database> {
  return (await runtime()).db;
}

/** Tests hand the process a database of their own. */
export function setDatabase(db: Database, url = ""): void {
  holder.__telemedRuntime = Promise.resolve({ db, url, embedded: false, stop: async () => {} });
}

async function boot(): Promise<Runtime> {
  const e = env();
  let url = e.DATABASE_URL;
  let stopEmbedded = async () => {};
  const embedded = !url;
  if (!url) {
    const handle = await startEmbeddedPostgres({ dataDir: e.DATA_DIR, port: e.EMBEDDED_POSTGRES_PORT, log: console.log });
    url = handle.url;
    stopEmbedded = handle.stop;
    console.log(`Embedded PostgreSQL ready on 127.0.0.1:${e.EMBEDDED_POSTGRES_PORT} (data in ${e.DATA_DIR}/postgres).`);
  }
  await migrateDatabase(url);
  const db = connect(url, { max: e.DATABASE_POOL_SIZE });
  if (e.SEED_DEMO ?? embedded) await seedDemo(db, { appUrl: appUrl(), print: console.log });
  return {
    db,
    url,
    embedded,
    stop: async () => {
      await db.$client.end({ timeout: 5 });
      await stopEmbedded();
    },
  };
}
