import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";

/**
 * A room is ready when its participants are all known and its links can exist: from
 * `IMMUTABLE_PERIOD_MS` before its start. Then `ready_at` is set once (and `room.ready` goes to
 * the integrator), so nobody has to poll `GET` for the link.
 */
export async function markRoomReadyIfDue(tx: Db, organizationId: string, roomId: string, now: Date, immutableMs: number): Promise<boolean> {
  const rows = await tx.execute<{ id: string }>(sql`
    update rooms r set ready_at = ${now.toISOString()}
    where r.id = ${roomId} and r.organization_id = ${organizationId} and ${dueNow(now, immutableMs)}
    returning r.id`);
  return rows.length > 0;
}

/** The lifecycle sweep: rooms that became ready since the last run (their start came within the immutable period). */
export async function markRoomsReady(db: Database, now: Date, immutableMs: number, limit = 200): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    update rooms r set ready_at = ${now.toISOString()}
    where r.id in (select id from rooms where consultation_id is null and trashed_at is null and status = 'Pending' and ready_at is null
                     and starts_at <= ${new Date(now.getTime() + immutableMs).toISOString()} order by starts_at limit ${limit} for update skip locked)
      and ${dueNow(now, immutableMs)}
    returning r.id`);
  return rows.length;
}

function dueNow(now: Date, immutableMs: number) {
  return sql`r.consultation_id is null and r.trashed_at is null and r.ready_at is null and r.status in ('Pending', 'InProgress')
    and r.starts_at <= ${new Date(now.getTime() + immutableMs).toISOString()}
    and (r.ends_at is null or r.ends_at > ${now.toISOString()})
    and (select count(*) from room_participants p where p.room_id = r.id) = r.max_participants`;
}
