import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { PgPreparedQuery } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { toDatabaseError } from "./errors";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What domain functions take: the database, or a transaction on it. */
export type Db = Database | Transaction;

const HOOKED = Symbol.for("telemed-portal.database-errors");

/**
 * Every query drizzle runs goes through `queryWithCache`, which wraps a driver error in a
 * DrizzleQueryError carrying the parameters; a failure leaves it as a DatabaseError without
 * them (db/errors.ts). Installed once, when this module loads, for every drizzle database.
 */
function hookDrizzleErrors(): void {
  const prototype = PgPreparedQuery.prototype as unknown as { queryWithCache?: (...args: unknown[]) => Promise<unknown>; [HOOKED]?: true };
  if (prototype[HOOKED]) return;
  const original = prototype.queryWithCache;
  // A drizzle upgrade that renames it must fail here, not start printing patient data.
  if (typeof original !== "function") throw new Error("drizzle-orm: PgPreparedQuery.queryWithCache is gone; update db/client.ts");
  prototype.queryWithCache = async function queryWithCache(this: unknown, ...args: unknown[]) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      const failure = toDatabaseError(error);
      // Where the query was made (the driver's error was settled from a socket callback).
      Error.captureStackTrace(failure, queryWithCache);
      throw failure;
    }
  };
  prototype[HOOKED] = true;
}
hookDrizzleErrors();

/** The same client, but its own queries (`db.$client\`…\``, `unsafe`) fail with a DatabaseError too. */
function withDatabaseErrors(client: postgres.Sql): postgres.Sql {
  const sealed = <T>(query: T): T => {
    const pending = query as { reject?: (error: unknown) => void };
    // postgres.js settles a failed query through its `reject`; fragments and helpers have none.
    if (pending && typeof pending.reject === "function") {
      const reject = pending.reject;
      pending.reject = (error: unknown) => reject(toDatabaseError(error, { frames: true }));
    }
    return query;
  };
  return new Proxy(client, {
    apply: (target, self, args) => sealed(Reflect.apply(target, self, args)),
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if ((property === "unsafe" || property === "file") && typeof value === "function") {
        return (...args: unknown[]) => sealed((value as (...a: unknown[]) => unknown)(...args));
      }
      return value;
    },
  });
}

/**
 * The postgres.js client under a database or a transaction, failing with DatabaseErrors as
 * drizzle's queries do. For the hottest writes (a consultation's create, an outbox event):
 * drizzle's builders spend ~0.3 ms of CPU assembling inserts whose shape never changes, where a
 * postgres.js tagged template costs next to nothing and is a named prepared statement.
 * drizzle makes the client pass dates, times and JSON through untouched, both ways: send a
 * timestamp as an ISO string (`toISOString()`) and JSON as `JSON.stringify`'s text; what comes
 * back is PostgreSQL's text.
 */
export function driverOf(db: Db): postgres.Sql {
  if ("$client" in db) return db.$client;
  const client = (db._.session as unknown as { client?: postgres.Sql }).client;
  // A drizzle upgrade that moves it must fail here, loudly, not half-work.
  if (typeof client !== "function") throw new Error("drizzle-orm: a transaction's session has no postgres.js client; update db/client.ts");
  return withDatabaseErrors(client);
}

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
  return drizzle(withDatabaseErrors(client), { schema });
}
