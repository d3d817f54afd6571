import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { recordRoomReady } from "@/lib/rooms/ready-event";

/**
 * A room is ready when its participants are all known and its links can exist: from
 * `IMMUTABLE_PERIOD_MS` before its start. Then `ready_at` is set once and `room.ready` goes to
 * the integrator in the same transaction, so nobody has to poll `GET` for the link.
 */
export async function markRoomReadyIfDue(tx: Db, organizationId: string, roomId: string, now: Date, immutableMs: number): Promise<boolean> {
  const rows = await tx.execute<ReadyRow>(sql`
    update rooms r set ready_at = ${now.toISOString()}
    where r.id = ${roomId} and r.organization_id = ${organizationId} and ${dueNow(now, immutableMs)}
    returning ${READY_COLUMNS}`);
  await announce(tx, rows, now);
  return rows.length > 0;
}

/** The lifecycle sweep: rooms that became ready since the last run (their start came within the immutable period). */
export async function markRoomsReady(db: Database, now: Date, immutableMs: number, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<ReadyRow>(sql`
      update rooms r set ready_at = ${now.toISOString()}
      where r.id in (select id from rooms where consultation_id is null and trashed_at is null and status = 'Pending' and ready_at is null
                       and starts_at <= ${new Date(now.getTime() + immutableMs).toISOString()} order by starts_at limit ${limit} for update skip locked)
        and ${dueNow(now, immutableMs)}
      returning ${READY_COLUMNS}`);
    await announce(tx, rows, now);
    return rows.length;
  });
}

type ReadyRow = { id: string; organization_id: string; starts_ms: number; ends_ms: number | null };
const READY_COLUMNS = sql`r.id, r.organization_id, extract(epoch from r.starts_at)::float8 * 1000 as starts_ms, extract(epoch from r.ends_at)::float8 * 1000 as ends_ms`;

async function announce(tx: Db, rows: ReadyRow[], now: Date): Promise<void> {
  for (const row of rows) {
    const participants = await tx.execute<{ room_user_id: string; external_id: string; group_name: string | null }>(sql`
      select p.room_user_id, u.external_id, p.group_name from room_participants p join room_users u on u.id = p.room_user_id
      where p.room_id = ${row.id} and p.organization_id = ${row.organization_id} order by p.created_at, p.id`);
    await recordRoomReady(
      tx,
      {
        organizationId: row.organization_id,
        roomId: row.id,
        startsAt: new Date(Number(row.starts_ms)),
        endsAt: row.ends_ms === null ? null : new Date(Number(row.ends_ms)),
        participants: participants.map((p) => ({ bandyerUserId: p.room_user_id, userExternalId: p.external_id, group: p.group_name })),
      },
      now,
    );
  }
}

function dueNow(now: Date, immutableMs: number) {
  return sql`r.consultation_id is null and r.trashed_at is null and r.ready_at is null and r.status in ('Pending', 'InProgress')
    and r.starts_at <= ${new Date(now.getTime() + immutableMs).toISOString()}
    and (r.ends_at is null or r.ends_at > ${now.toISOString()})
    and (select count(*) from room_participants p where p.room_id = r.id) = r.max_participants`;
}
