import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database } from "@/db/client";
import { organizations, outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { enqueueDeliveries } from "./queue";
import { OUTBOX_CHANNEL, type DomainEvent } from "@/lib/outbox";
import { webhookBody } from "./payload";

const BATCH = 200;
/** Bodies read at once in one fan-out run (each one query on the pool, beside the run's own transaction). */
const BODY_READS_AT_ONCE = 8;

/**
 * Fans committed outbox events out to every enabled endpoint of their organization that asked
 * for them: one delivery row per event and endpoint (unique, so two instances can never make two
 * messages of one event), and its first attempt queued, in one transaction with marking the
 * events dispatched. Rows are claimed with SKIP LOCKED, so instances share the work. Returns how
 * many events it took.
 */
export async function dispatchOutbox(db: Database, boss: PgBoss, ctx: { appUrl: string; sealer: Sealer }, now = new Date()): Promise<number> {
  const { unwanted, wanted } = await settleUnwanted(db, now);
  return unwanted + (wanted ? await dispatchWanted(db, boss, ctx, now) : 0);
}

/**
 * Marks dispatched, in one statement, a batch of the events no enabled endpoint asked for (most
 * of them where a clinic has no webhooks: each consultation created, joined, completed), and says
 * whether any undispatched event is wanted. The fan-out's transaction (six round trips and the
 * bodies) then runs only when there is something to send.
 */
async function settleUnwanted(db: Database, now: Date): Promise<{ unwanted: number; wanted: boolean }> {
  // An enabled endpoint of the event's organization asked for it (`o` is the event).
  const wantedBySome = db.$client`exists (select 1 from webhook_endpoints e where e.organization_id = o.organization_id and e.enabled and o.event = any(e.events))`;
  const [row] = await db.$client<{ unwanted: number; wanted: boolean }[]>`
    with unwanted as (
      update outbox_events set dispatched_at = ${now.toISOString()}::timestamptz
      where id in (
        select o.id from outbox_events o
        where o.dispatched_at is null and not ${wantedBySome}
        order by o.sequence
        limit ${BATCH}
        for update skip locked
      )
      returning 1
    )
    select (select count(*) from unwanted)::int as unwanted,
      exists (select 1 from outbox_events o where o.dispatched_at is null and ${wantedBySome}) as wanted`;
  return row!;
}

/** The events some endpoint wants (and any unwanted one come since): deliveries made, first attempts queued. */
function dispatchWanted(db: Database, boss: PgBoss, ctx: { appUrl: string; sealer: Sealer }, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const events = await tx
      .select({
        id: outboxEvents.id,
        organizationId: outboxEvents.organizationId,
        event: outboxEvents.event,
        aggregateType: outboxEvents.aggregateType,
        aggregateId: outboxEvents.aggregateId,
        payload: outboxEvents.payload,
        occurredAt: outboxEvents.occurredAt,
      })
      .from(outboxEvents)
      .where(sql`${outboxEvents.dispatchedAt} is null`)
      .orderBy(outboxEvents.sequence)
      .limit(BATCH)
      .for("update", { skipLocked: true });
    if (events.length === 0) return 0;

    const organizationIds = [...new Set(events.map((e) => e.organizationId))];
    const [endpoints, zones] = await Promise.all([
      tx
        .select({ id: webhookEndpoints.id, organizationId: webhookEndpoints.organizationId, events: webhookEndpoints.events })
        .from(webhookEndpoints)
        .where(and(inArray(webhookEndpoints.organizationId, organizationIds), eq(webhookEndpoints.enabled, true))),
      tx.select({ id: organizations.id, timeZone: organizations.timezone }).from(organizations).where(inArray(organizations.id, organizationIds)),
    ]);
    const timeZoneOf = new Map(zones.map((z) => [z.id, z.timeZone]));

    const targetsOf = (event: (typeof events)[number]) =>
      endpoints.filter((e) => e.organizationId === event.organizationId && e.events.includes(event.event));
    // A few reads at a time rather than one after another, so a run (and the transaction it
    // holds open) does not grow by a round trip per event.
    const wanted = events.filter((event) => targetsOf(event).length > 0);
    const bodies = new Map<string, string | undefined>();
    for (let i = 0; i < wanted.length; i += BODY_READS_AT_ONCE) {
      await Promise.all(
        wanted.slice(i, i + BODY_READS_AT_ONCE).map(async (event) => {
          const body = await bodyOf(db, { ...event, event: event.event as DomainEvent }, { timeZone: timeZoneOf.get(event.organizationId)!, ...ctx });
          // Sealed once per event: it carries the join links, and every endpoint gets the same bytes.
          bodies.set(event.id, body === undefined ? undefined : ctx.sealer.seal(body));
        }),
      );
    }

    const deliveries: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const event of events) {
      const targets = targetsOf(event);
      const body = bodies.get(event.id);
      if (targets.length === 0 || body === undefined) continue;
      for (const target of targets) {
        deliveries.push({
          organizationId: event.organizationId,
          endpointId: target.id,
          eventId: event.id,
          event: event.event,
          // A standalone room's or a chat session's event is no consultation's: it stays out of every consultation's delivery log.
          consultationId: event.aggregateType === "room" || event.aggregateType === "chat_session" ? null : event.aggregateId,
          body,
          nextAttemptAt: now,
        });
      }
    }
    const created = deliveries.length
      ? await tx.insert(webhookDeliveries).values(deliveries).onConflictDoNothing().returning({ id: webhookDeliveries.id })
      : [];
    await tx
      .update(outboxEvents)
      .set({ dispatchedAt: now })
      .where(inArray(outboxEvents.id, events.map((e) => e.id)));
    await enqueueDeliveries(boss, tx, created.map((d) => ({ deliveryId: d.id, round: 1, attempt: 1, trigger: "scheduled" as const })));
    return events.length;
  });
}

/** The body, or nothing when the consultation or room no longer exists (its organization deleted it). */
async function bodyOf(db: Database, event: Parameters<typeof webhookBody>[1], ctx: Parameters<typeof webhookBody>[2]): Promise<string | undefined> {
  try {
    return await webhookBody(db, event, ctx);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Runs the fan-out whenever an outbox insert notifies (a statement trigger on the table), and
 * every second anyway as the backstop for notifications lost while reconnecting.
 */
export function startOutboxDispatcher(db: Database, boss: PgBoss, ctx: { appUrl: string; sealer: Sealer }): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        while (!stopped && (await dispatchOutbox(db, boss, ctx)) >= BATCH);
      } while (again && !stopped);
    })()
      .catch((error: unknown) => console.error("webhook fan-out:", error instanceof Error ? error.message : error))
      .finally(() => (running = undefined));
  };
  const listening = db.$client.listen(OUTBOX_CHANNEL, run, run).catch((error: unknown) => {
    console.error("webhook fan-out: LISTEN failed, polling only:", error instanceof Error ? error.message : error);
    return undefined;
  });
  const timer = setInterval(run, 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await (await listening)?.unlisten();
    await running;
  };
}
