import type { PgBoss } from "pg-boss";
import type { Database } from "@/db/client";
import { purgeApiKeyUsage } from "@/lib/auth/api-keys";
import { purgeExpiredSessions, purgeSignInAttempts } from "@/lib/staff";
import { livekitConfig, roomSettings } from "@/lib/config";
import type { Sealer } from "@/lib/crypto";
import { describeError } from "@/lib/errors";
import { purgeIdempotencyKeys, sealPlainResponses } from "@/lib/idempotency";
import { reconcileLivekitRooms } from "@/lib/livekit/reconcile";
import type { LivekitConfig } from "@/lib/livekit/token";
import { purgeLivekitWebhookEvents } from "@/lib/livekit/webhook";
import { purgeRoomEvents } from "@/lib/realtime/events";
import { purgeSignalUsage } from "@/lib/rooms/signal-limits";
import { closeStaleAttendances } from "@/lib/rooms/attendance";
import { completeOverdueCalls, expireConsultations, expireRooms } from "@/lib/rooms/completion";
import { markRoomsReady } from "@/lib/teleconsultation/ready";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { startOutboxDispatcher } from "@/lib/webhooks/dispatch";
import { sealPlainDeliveryBodies } from "@/lib/webhooks/sealing";
import type { DeliverWebhookJob } from "@/lib/webhooks/queue";
import { openBoss, QUEUES } from "./boss";

export type JobsOptions = {
  db: Database;
  databaseUrl: string;
  appUrl: string;
  sealer: Sealer;
  webhooks: { allowInsecure: boolean; timeoutSeconds: number };
  lifecycle: { intervalSeconds: number; reconnectGraceSeconds: number; overrunGraceSeconds: number };
  /** LiveKit, when rooms use it; unset means the process's configuration (LIVEKIT_URL, …). */
  livekit?: LivekitConfig | null;
  /** The clock every job reads; tests move it instead of waiting hours. */
  now?: () => Date;
};

export type Jobs = { boss: PgBoss; stop: () => Promise<void> };

const HOUSEKEEPING = "housekeeping";

/**
 * Starts every background job of the portal on this process: the outbox fan-out, webhook
 * delivery workers, the lifecycle sweep (expiry, overdue calls, vanished participants) and
 * hourly housekeeping. Safe to run on several processes at once: pg-boss hands each job to one
 * worker, and every job re-checks the rows it changes under a lock.
 */
export async function startJobs(options: JobsOptions): Promise<Jobs> {
  const now = options.now ?? (() => new Date());
  const { db } = options;
  const boss = await openBoss(options.databaseUrl, { attemptTimeoutSeconds: options.webhooks.timeoutSeconds });
  const deps = {
    sealer: options.sealer,
    allowInsecure: options.webhooks.allowInsecure,
    timeoutMs: options.webhooks.timeoutSeconds * 1000,
    boss,
    now,
  };

  const stopDispatcher = startOutboxDispatcher(db, boss, { appUrl: options.appUrl, sealer: options.sealer });
  // Several small batches in parallel, so one receiver that times out holds up few others. A
  // worker whose batch came back full fetches again at once: otherwise a backlog beyond 4 × 10
  // drains at 40 per poll once new events stop waking the workers (bench/webhooks showed it).
  await boss.work<DeliverWebhookJob>(
    QUEUES.deliverWebhook,
    { batchSize: 10, localConcurrency: 4, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 5, burstWhenBatchFull: true },
    async (jobs) => {
      const results = await Promise.allSettled(jobs.map((job) => attemptDelivery(db, job.data, deps)));
      const failed = results.find((r) => r.status === "rejected");
      // The batch is retried; attempts already recorded are skipped as stale.
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  );

  const { intervalSeconds, reconnectGraceSeconds, overrunGraceSeconds } = options.lifecycle;
  const livekit = options.livekit === undefined ? livekitConfig() : options.livekit;
  await boss.work(QUEUES.lifecycleSweep, { pollingIntervalSeconds: Math.max(0.5, intervalSeconds / 2) }, async () => {
    const at = now();
    await expireConsultations(db, at);
    await expireRooms(db, at);
    await markRoomsReady(db, at, roomSettings().immutableMs);
    await completeOverdueCalls(db, at, overrunGraceSeconds);
    // Before the stale check: whoever LiveKit still has in a call is marked seen, so a lost
    // realtime stream alone does not close a stay whose media still flows.
    if (livekit) {
      await reconcileLivekitRooms(db, livekit, { now: at, graceSeconds: reconnectGraceSeconds }).catch((error: unknown) =>
        console.error("livekit reconcile:", error instanceof Error ? error.message : error),
      );
    }
    await closeStaleAttendances(db, at, reconnectGraceSeconds);
  });
  // Every instance asks; the singleton slot lets one sweep run per interval in the whole deployment.
  const askForSweep = () =>
    boss
      .send(QUEUES.lifecycleSweep, null, { singletonKey: "sweep", singletonSeconds: intervalSeconds })
      .catch((error: unknown) => console.error("lifecycle sweep:", error instanceof Error ? error.message : error));
  void askForSweep();
  const sweepTimer = setInterval(askForSweep, intervalSeconds * 1000);
  sweepTimer.unref();

  await boss.createQueue(HOUSEKEEPING, { retryLimit: 0 });
  await boss.schedule(HOUSEKEEPING, "7 * * * *");
  await boss.work(HOUSEKEEPING, async () => {
    const at = now();
    while ((await purgeRoomEvents(db, at)) > 0);
    await purgeSignalUsage(db, at);
    await purgeIdempotencyKeys(db);
    await purgeApiKeyUsage(db, at);
    await purgeLivekitWebhookEvents(db, at);
    await purgeExpiredSessions(db, at);
    await purgeSignInAttempts(db, at);
  });

  // Rows an older version stored in plain text (PINs and join links) are sealed once, in the
  // background: until then they are read in either form.
  const sealing = sealPlainSecrets(db, options.sealer).catch((error: unknown) =>
    console.error("sealing stored secrets:", describeError(error)),
  );

  return {
    boss,
    stop: async () => {
      clearInterval(sweepTimer);
      await stopDispatcher();
      await boss.stop({ graceful: true, timeout: 5_000 });
      await sealing;
    },
  };
}

/** Seals what older versions kept in plain text: stored idempotent answers and webhook bodies. */
export async function sealPlainSecrets(db: Database, sealer: Sealer): Promise<{ responses: number; deliveries: number }> {
  const responses = await sealPlainResponses(db, sealer);
  const deliveries = await sealPlainDeliveryBodies(db, sealer);
  return { responses, deliveries };
}
