import { PgBoss } from "pg-boss";
import { DELIVER_WEBHOOK_QUEUE } from "@/lib/webhooks/queue";

export const JOB_SCHEMA = "pgboss";

/** The queues and what each job carries. */
export const QUEUES = {
  /** One attempt at one webhook delivery. */
  deliverWebhook: DELIVER_WEBHOOK_QUEUE,
  /** Expiry, overdue calls, vanished participants, old signaling. */
  lifecycleSweep: "lifecycle-sweep",
} as const;

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
