import type { PgBoss } from "pg-boss";
import { runtime } from "@/db/runtime";
import { appSealer, appUrl, env } from "@/lib/config";
import { openBoss } from "./boss";
import { startJobs, type Jobs } from "./index";

const holder = globalThis as typeof globalThis & { __telemedJobs?: Promise<Jobs>; __telemedQueue?: Promise<PgBoss> };

/** Starts every job worker in this process (the app by default, or `npm run worker`). */
export function startProcessJobs(options: { now?: () => Date } = {}): Promise<Jobs> {
  holder.__telemedJobs ??= (async () => {
    const { db, url } = await runtime();
    const e = env();
    return startJobs({
      db,
      databaseUrl: url,
      appUrl: appUrl(),
      sealer: appSealer(),
      webhooks: { allowInsecure: e.WEBHOOK_ALLOW_INSECURE_URLS, timeoutSeconds: e.WEBHOOK_TIMEOUT_SECONDS },
      lifecycle: {
        intervalSeconds: e.LIFECYCLE_INTERVAL_SECONDS,
        reconnectGraceSeconds: e.ROOM_RECONNECT_GRACE_SECONDS,
        overrunGraceSeconds: e.CALL_OVERRUN_GRACE_SECONDS,
      },
      now: options.now,
    });
  })();
  return holder.__telemedJobs;
}

/** Stops this process's job workers, if it runs them (a server shutting down). */
export async function stopProcessJobs(): Promise<void> {
  const jobs = holder.__telemedJobs;
  holder.__telemedJobs = undefined;
  if (jobs) await (await jobs).stop();
}

/**
 * The queue requests put jobs on (a redelivery): the workers' own pg-boss when this process
 * runs them, or else one that only sends.
 */
export function jobQueue(): Promise<PgBoss> {
  if (holder.__telemedJobs) return holder.__telemedJobs.then((jobs) => jobs.boss);
  holder.__telemedQueue ??= (async () => {
    const { url } = await runtime();
    return openBoss(url, { attemptTimeoutSeconds: env().WEBHOOK_TIMEOUT_SECONDS, poolSize: 2 });
  })().catch((error: unknown) => {
    holder.__telemedQueue = undefined;
    throw error;
  });
  return holder.__telemedQueue;
}

/** Tests hand the process a queue of their own. */
export function setJobQueue(boss: PgBoss): void {
  holder.__telemedQueue = Promise.resolve(boss);
}
