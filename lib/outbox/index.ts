import { driverOf, type Db } from "@/db/client";

/**
 * The domain events: the seeds' five, exactly as they spell them, `consultation.access_reissued`
 * (the clinic issued a new PIN) and `room.ready` (a standalone room's participants are all known
 * and its personal links now exist). `session_started` and `session_ended` are recorded for a
 * consultation's call (aggregate "consultation") and for a standalone room's (aggregate "room").
 * The chat-sessions contract's directives and messages are `chat_session.*` and
 * `chat_message.created` (aggregate "chat_session": ids and who, never a message's text).
 * `participant.waiting`: a consultation's patient (or guest) joined its call while no provider
 * was in it (aggregate "consultation", ids only; lib/rooms/waiting.ts).
 */
export const DOMAIN_EVENTS = [
  "consultation.created",
  "consultation.expired",
  "consultation.completed",
  "session_started",
  "session_ended",
  "consultation.access_reissued",
  "room.ready",
  "chat_session.started",
  "chat_session.accepted",
  "chat_session.rejected",
  "chat_session.finished",
  "chat_message.created",
  "participant.waiting",
] as const;
export type DomainEvent = (typeof DOMAIN_EVENTS)[number];

/** The channel the outbox's insert trigger notifies (with the organizations concerned) when events are recorded. */
export const OUTBOX_CHANNEL = "outbox_events";

/** Records an event; call it inside the transaction that makes the change it describes. */
export async function recordEvent(
  tx: Db,
  event: { organizationId: string; event: DomainEvent; aggregateType: string; aggregateId: string; payload: Record<string, unknown>; occurredAt?: Date },
): Promise<void> {
  // A postgres.js template (see driverOf): every write of the domain records one.
  const sql = driverOf(tx);
  await sql`
    insert into outbox_events (organization_id, event, aggregate_type, aggregate_id, payload, occurred_at)
    values (${event.organizationId}, ${event.event}, ${event.aggregateType}, ${event.aggregateId}, ${JSON.stringify(event.payload)},
            coalesce(${event.occurredAt?.toISOString() ?? null}::timestamptz, now()))`;
}
