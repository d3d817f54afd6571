import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Db } from "@/db/client";

/** The pg-boss queue of webhook delivery attempts; lib/jobs creates it and works it. */
export const DELIVER_WEBHOOK_QUEUE = "webhook-deliver";

/** One attempt at one webhook delivery. */
export type DeliverWebhookJob = { deliveryId: string; round: number; attempt: number; trigger: "scheduled" | "manual" };

/** Queues attempts at deliveries inside the caller's transaction, so a job exists exactly when the change that asks for it commits. */
export async function enqueueDeliveries(
  boss: PgBoss,
  tx: Db,
  jobs: (DeliverWebhookJob & { startAfter?: Date })[],
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    DELIVER_WEBHOOK_QUEUE,
    jobs.map(({ startAfter, ...data }) => ({ data, ...(startAfter ? { startAfter } : {}) })),
    { db: fromDrizzle(tx, sql) },
  );
}
