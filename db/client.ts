import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What domain functions take: the database, or a transaction on it. */
export type Db = Database | Transaction;

export function connect(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // postgres.js waits up to 20 s between reconnects once a restart has failed a few, with the
    // count shared by the whole pool; a clinic's app should be back within seconds of its database.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    connect_timeout: 10,
    // Keep timestamps as Date objects and bigints as numbers where they fit.
    types: { bigint: postgres.BigInt },
  });
  return drizzle(client, { schema });
}
