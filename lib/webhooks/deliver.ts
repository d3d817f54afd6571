import { eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database, Transaction } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { openStored, type Sealer } from "@/lib/crypto";
import { enqueueDeliveries, type DeliverWebhookJob } from "./queue";
import { signingSecrets } from "./endpoints";
import { FAILING_DISABLES_AFTER_MS, nextAttemptAt, outcomeOf, type AttemptOutcome } from "./retry";
import { postWebhook, type WebhookResponse } from "./send";
import { signedHeaders } from "./signing";

/** What an attempt needs besides the database: the clock is injectable so tests can walk the retry schedule. */
export type DeliveryDeps = {
  sealer: Sealer;
  allowInsecure: boolean;
  timeoutMs: number;
  /** Queues the next attempt; absent for test events, which are tried once. */
  boss?: PgBoss;
  now?: () => Date;
  random?: () => number;
};

export type AttemptResult = { outcome: AttemptOutcome; response: WebhookResponse; nextAttemptAt: Date | null } | { outcome: "stale" | "endpoint_disabled" };

/**
 * Makes attempt number `job.attempt` of a delivery and records it. A job that finds the row
 * already past that attempt (its worker died after recording, and pg-boss retried the job) or
 * already settled does nothing. An attempt whose worker died (or lost the database) between
 * the receiver's answer and the record is made again: at least once, and every repeat carries
 * the same `webhook-id` and body (e2e/webhook-faults.spec.ts counts them).
 */
export async function attemptDelivery(db: Database, job: DeliverWebhookJob | { deliveryId: string; round: 1; attempt: 1; trigger: "test" }, deps: DeliveryDeps): Promise<AttemptResult> {
  const now = deps.now ?? (() => new Date());
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, job.deliveryId));
  if (!row || !isCurrent(row.delivery, job)) return { outcome: "stale" };
  const { delivery, endpoint } = row;
  if (!endpoint.enabled) {
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", nextAttemptAt: null, lastError: "The endpoint is disabled; redeliver once it is enabled again." })
      .where(eq(webhookDeliveries.id, delivery.id));
    return { outcome: "endpoint_disabled" };
  }

  const sentAt = now();
  // The bytes sealed at fan-out, the same on every attempt.
  const body = openStored(deps.sealer, delivery.body);
  const headers = signedHeaders({ deliveryId: delivery.id, event: delivery.event, body, sentAt, secrets: signingSecrets(endpoint, deps.sealer, sentAt) });
  const response = await postWebhook(endpoint.url, body, headers, { timeoutMs: deps.timeoutMs, allowInsecure: deps.allowInsecure, now });
  const answeredAt = now();
  const outcome = outcomeOf(response);
  const retryAt = outcome === "retry" && deps.boss && !delivery.test ? nextAttemptAt(job.attempt, answeredAt, response.retryAfterSeconds, deps.random) : null;

  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: webhookDeliveries.status, round: webhookDeliveries.round, attemptCount: webhookDeliveries.attemptCount })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, delivery.id))
      .for("update");
    if (!current || !isCurrent(current, job)) return { outcome: "stale" as const };
    await tx.insert(webhookAttempts).values({
      organizationId: delivery.organizationId,
      deliveryId: delivery.id,
      attemptedAt: sentAt,
      statusCode: response.statusCode,
      latencyMs: Math.round(response.latencyMs),
      responseExcerpt: response.responseExcerpt,
      error: response.error,
      trigger: job.trigger,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        status: outcome === "delivered" ? "delivered" : retryAt ? "pending" : "failed",
        attemptCount: job.attempt,
        lastAttemptAt: sentAt,
        lastStatusCode: response.statusCode,
        lastError: response.error ?? (outcome === "delivered" ? null : `The receiver answered ${response.statusCode}.`),
        deliveredAt: outcome === "delivered" ? answeredAt : null,
        nextAttemptAt: retryAt,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    // A test event says nothing about the endpoint's health.
    if (!delivery.test) await recordEndpointHealth(tx, endpoint.id, outcome, sentAt);
    if (retryAt) await enqueueDeliveries(deps.boss!, tx, [{ deliveryId: delivery.id, round: job.round, attempt: job.attempt + 1, trigger: "scheduled", startAfter: retryAt }]);
    return { outcome, response, nextAttemptAt: retryAt };
  });
}

/** Whether the job is the delivery's next attempt: pending, this round, and not yet made. */
function isCurrent(delivery: { status: string; round: number; attemptCount: number }, job: { round: number; attempt: number }): boolean {
  return delivery.status === "pending" && delivery.round === job.round && delivery.attemptCount + 1 === job.attempt;
}

/** A success clears the failing streak; a 410 disables at once; three days without a success disable too. */
async function recordEndpointHealth(tx: Transaction, endpointId: string, outcome: AttemptOutcome, at: Date): Promise<void> {
  if (outcome === "delivered") {
    await tx.update(webhookEndpoints).set({ failingSince: null }).where(sql`${webhookEndpoints.id} = ${endpointId} and ${webhookEndpoints.failingSince} is not null`);
    return;
  }
  if (outcome === "gone") {
    await tx.update(webhookEndpoints).set({ enabled: false, disabledReason: "gone", disabledAt: at, updatedAt: at }).where(eq(webhookEndpoints.id, endpointId));
    return;
  }
  const threshold = new Date(at.getTime() - FAILING_DISABLES_AFTER_MS).toISOString();
  const [endpoint] = await tx.execute<{ organization_id: string; id: string; newly_disabled: boolean }>(sql`
    update webhook_endpoints set
      failing_since = coalesce(failing_since, ${at.toISOString()}),
      enabled = case when failing_since <= ${threshold} then false else enabled end,
      disabled_reason = case when enabled and failing_since <= ${threshold} then 'failing'::webhook_disabled_reason else disabled_reason end,
      disabled_at = case when enabled and failing_since <= ${threshold} then ${at.toISOString()}::timestamptz else disabled_at end
    where id = ${endpointId}
    returning organization_id, id, (disabled_at = ${at.toISOString()}::timestamptz and disabled_reason = 'failing') as newly_disabled`);
  // The endpoint list shows it as disabled (reason `failing`); the operator's log says so too, by
  // id (an integrator's URL may carry a token of theirs in its query).
  if (endpoint?.newly_disabled) console.warn(`webhooks: disabled endpoint ${endpoint.id} of organization ${endpoint.organization_id} after three days without a successful delivery`);
}
