import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Applies pending migrations under an advisory lock, so several instances can start at once. */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7351001)`;
    await migrate(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(7351001)`;
  } finally {
    await client.end();
  }
}
