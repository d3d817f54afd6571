import { fileURLToPath } from "node:url";
import net from "node:net";
import { startEmbeddedPostgres } from "../db/embedded";

/**
 * The PostgreSQL server the tests make their databases on: TEST_DATABASE_URL, or an embedded
 * one in .data/test-postgres (shared by Vitest, the e2e web server and later runs).
 * `stop` is a no-op when another process had started the embedded one.
 */
export async function testServerAdminUrl(log?: (line: string) => void): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) return { adminUrl: process.env.TEST_DATABASE_URL, stop: async () => {} };
  const port = Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54330);
  log?.(`no TEST_DATABASE_URL: embedded PostgreSQL in .data/test-postgres on port ${port}`);
  const handle = await startEmbeddedPostgres({
    dataDir: fileURLToPath(new URL("../.data/test-postgres", import.meta.url)),
    port,
    database: "postgres",
  });
  return { adminUrl: handle.url, stop: handle.stop };
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
