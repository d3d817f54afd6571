import { sql } from "drizzle-orm";
import { fromDrizzle, PgBoss } from "pg-boss";
import type { Db } from "@/db/client";

export const JOB_SCHEMA = "pgboss";

/** The queues and what each job carries. */
export const QUEUES = {
  /** One attempt at one webhook delivery. */
  deliverWebhook: "webhook-deliver",
  /** Expiry, overdue calls, vanished participants, old signaling. */
  lifecycleSweep: "lifecycle-sweep",
} as const;

export type DeliverWebhookJob = { deliveryId: string; round: number; attempt: number; trigger: "scheduled" | "manual" };

/**
 * A pg-boss instance on its own small pool, with LISTEN/NOTIFY so a job sent by any instance
 * wakes a worker at once (polling stays as the backstop). A crashed worker's job is retried
 * after `expireInSeconds`; the monitor looks for such jobs every 10 s.
 */
export async function openBoss(databaseUrl: string, options: { attemptTimeoutSeconds: number; poolSize?: number }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    max: options.poolSize ?? 4,
    application_name: "telemed-jobs",
    useListenNotify: true,
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
  });
  boss.on("error", (error: unknown) => console.error("jobs:", error instanceof Error ? error.message : error));
  await boss.start();
  await boss.createQueue(QUEUES.deliverWebhook, {
    notify: true,
    // The delivery row keeps the webhook's own retry schedule; pg-boss retries only a job whose
    // worker died mid-attempt, and that retry finds the row as the dead worker left it.
    expireInSeconds: options.attemptTimeoutSeconds + 15,
    retryLimit: 20,
    retryDelay: 5,
    retentionSeconds: 7 * 24 * 3600,
    deleteAfterSeconds: 7 * 24 * 3600,
  });
  await boss.createQueue(QUEUES.lifecycleSweep, { notify: true, expireInSeconds: 60, retryLimit: 0, deleteAfterSeconds: 3600 });
  return boss;
}

/** Queues attempts at deliveries inside the caller's transaction, so a job exists exactly when the change that asks for it commits. */
export async function enqueueDeliveries(
  boss: PgBoss,
  tx: Db,
  jobs: (DeliverWebhookJob & { startAfter?: Date })[],
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    QUEUES.deliverWebhook,
    jobs.map(({ startAfter, ...data }) => ({ data, ...(startAfter ? { startAfter } : {}) })),
    { db: fromDrizzle(tx, sql) },
  );
}
