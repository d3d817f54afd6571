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
    // Keep timestamps as Date objects and bigints as numbers where they fit.
    types: { bigint: postgres.BigInt },
  });
  return drizzle(client, { schema });
}
