/**
 * The portal's HTTP server (`npm start`, through server/start.mjs): the production build of
 * Next.js for the pages, and the API front (server/api-front.ts) for /api/**, on one port.
 *
 *   PORT  the port (3000)
 *   HOST  the address to listen on (every interface when unset, as `next start`)
 */
import http from "node:http";
import path from "node:path";
import nextEnv from "@next/env";
import next from "next";
import { runtime } from "@/db/runtime";
import { appUrl, ConfigError, env } from "@/lib/config";
import type { Env } from "@/lib/config/env";
import { stopProcessJobs } from "@/lib/jobs/runtime";
import { apiFront, loadApiRoutes } from "./api-front";

const root = path.resolve(import.meta.dirname, "..");
// The .env files, as `next start` reads them, before the configuration is read once.
nextEnv.loadEnvConfig(root, false);
let config: Env;
try {
  config = env();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
// Next.js is told where it listens: a server action's redirect fetches its target from there.
const app = next({ dev: false, dir: root, hostname: config.HOST ?? "localhost", port: config.PORT });
// Loads next.config.mjs and runs instrumentation.ts: the database is ready (migrated, seeded)
// and the jobs run before the first request is taken.
await app.prepare();
const handleByNext = app.getRequestHandler();
try {
  await runtime(); // instrumentation.ts started it; it is ready before the port opens
} catch {
  process.exit(1); // instrumentation.ts has said why
}

const answerApi = apiFront(await loadApiRoutes(path.join(root, "app", "api")), {
  origin: new URL(appUrl()).origin,
  compress: config.HTTP_COMPRESSION,
});

const server = http.createServer((req, res) => {
  if (answerApi(req, res)) return;
  handleByNext(req, res).catch((error: unknown) => {
    console.error("next: request failed", error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

const host = config.HOST;
server.on("error", (error: NodeJS.ErrnoException) => {
  const where = `port ${config.PORT} of ${host ?? "every interface"}`;
  console.error(error.code === "EADDRINUSE" ? `Cannot listen: ${where} is in use. Stop what runs there, or set PORT.` : `Cannot listen on ${where}: ${error.message}`);
  process.exit(1);
});
server.listen(config.PORT, host, () => {
  console.log(`Ready on http://${host ?? "localhost"}:${config.PORT}`);
});

/** Stops taking requests, lets the jobs in hand finish, closes the database (and the embedded one). */
let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping.`);
  // Whatever happens below, the process ends: a stop that hangs is worse than one cut short.
  setTimeout(() => process.exit(0), 10_000).unref();
  server.close();
  server.closeAllConnections(); // event streams never end by themselves; their clients reconnect elsewhere
  try {
    await stopProcessJobs();
    await app.close();
    await (await runtime()).stop();
  } catch (error) {
    console.error(`stopping: ${(error as Error).message}`);
  }
  process.exit(0);
}
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
