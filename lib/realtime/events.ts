import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** The kinds of event a room's realtime log carries. */
export type RoomEventKind = "signal" | "presence" | "media" | "chat" | "room-ended";

export type RoomEvent = {
  id: number;
  kind: RoomEventKind;
  senderId: string | null;
  recipientId: string | null;
  payload: Record<string, unknown>;
};

export const ROOM_EVENTS_CHANNEL = "room_events";

/**
 * Serializes writers of one room for the rest of the transaction, so a room's event ids are
 * committed in order and a reader that asks for `id > last` never skips one.
 */
export async function lockRoom(tx: Db, roomId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${roomId}, 7))`);
}

/** The newest event id of a room (0 when none); call under lockRoom to read a stable cursor. */
export async function latestRoomEventId(tx: Db, roomId: string): Promise<number> {
  const rows = await tx.execute<{ id: string | number | null }>(sql`select max(id) as id from room_events where room_id = ${roomId}`);
  return Number(rows[0]?.id ?? 0);
}

/**
 * Appends an event to the room's log and wakes every app instance's listeners (NOTIFY is
 * delivered at commit). Runs in a transaction of its own when not given one.
 */
export async function publishRoomEvent(
  db: Db,
  event: { organizationId: string; roomId: string; kind: RoomEventKind; senderId?: string | null; recipientId?: string | null; payload: Record<string, unknown> },
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockRoom(tx, event.roomId);
    const rows = await tx.execute<{ id: string | number }>(sql`
      insert into room_events (organization_id, room_id, sender_id, recipient_id, kind, payload)
      values (${event.organizationId}, ${event.roomId}, ${event.senderId ?? null}, ${event.recipientId ?? null}, ${event.kind}, ${JSON.stringify(event.payload)}::jsonb)
      returning id`);
    await tx.execute(sql`select pg_notify(${ROOM_EVENTS_CHANNEL}, ${event.roomId})`);
    return Number(rows[0]!.id);
  });
}

/** Events after `afterId` that `participantId` should see: addressed to them or to all, not their own. */
export async function roomEventsFor(db: Db, roomId: string, participantId: string, afterId: number, limit = 200): Promise<RoomEvent[]> {
  const rows = await db.execute<{ id: string | number; kind: RoomEventKind; sender_id: string | null; recipient_id: string | null; payload: Record<string, unknown> }>(sql`
    select id, kind, sender_id, recipient_id, payload from room_events
    where room_id = ${roomId} and id > ${afterId}
      and (recipient_id is null or recipient_id = ${participantId})
      and sender_id is distinct from ${participantId}
    order by id limit ${limit}`);
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, senderId: r.sender_id, recipientId: r.recipient_id, payload: r.payload }));
}

/**
 * Drops realtime events older than `olderThanHours`: signaling carries network addresses and
 * is useless once the call is over. Deletes in batches so a large backlog never holds locks long.
 */
export async function purgeRoomEvents(db: Db, now: Date, olderThanHours = 24, batch = 5_000): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanHours * 3600_000).toISOString();
  const rows = await db.execute(sql`
    delete from room_events where id in (select id from room_events where created_at < ${cutoff} limit ${batch}) returning id`);
  return rows.length;
}
