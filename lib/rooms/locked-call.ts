import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { lockRoom } from "@/lib/realtime/events";
import type { NoShow } from "./no-show";
import type { CallTimes } from "./window";

/** A room's call, named the way every lifecycle function is scoped: organization and room. */
export type CallTarget = { organizationId: string; roomId: string };

export type LockedCall = CallTimes & {
  /** The consultation whose call this is; null for a standalone room (teleconsultation API). */
  consultationId: string | null;
  organizationId: string;
  roomId: string;
  transport: "p2p" | "livekit";
  maxParticipants: number;
  startedAt: Date | null;
  completedAt: Date | null;
  /** The booked length; null when the call has no end. */
  durationMinutes: number | null;
  /** A standalone room ends when someone leaves and fewer than two remain. */
  live: boolean;
};

type Row = {
  consultation_id: string | null;
  status: LockedCall["status"];
  immediate: boolean;
  starts_at_ms: number;
  ends_at_ms: number | null;
  started_at_ms: number | null;
  completed_at_ms: number | null;
  duration_minutes: number | null;
  transport: LockedCall["transport"];
  max_participants: number;
  live: boolean;
  trashed: boolean;
};

const at = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

/**
 * Locks the call behind a room (FOR NO KEY UPDATE) and then the room's event log. A
 * consultation's call is its consultation row (the schedule and state live there); a standalone
 * room's is the room row. Every lifecycle change takes the locks in this order, so concurrent
 * joins, leaves and ends serialize without deadlocks. Not FOR UPDATE: writers of the log (a
 * signal, a chat message) hold the log and then insert rows whose foreign key takes FOR KEY
 * SHARE on the room row, which FOR UPDATE blocks: a standalone room's join waiting for the log
 * and a signal waiting for the row deadlocked (two Join presses at once in a room of three).
 */
export async function lockCall(tx: Db, organizationId: string, roomId: string): Promise<LockedCall> {
  const [kind] = await tx.execute<{ consultation_id: string | null }>(sql`
    select consultation_id from rooms where id = ${roomId} and organization_id = ${organizationId}`);
  if (!kind) throw AppError.notFound("The room");
  const rows = await tx.execute<Row>(
    kind.consultation_id
      ? sql`
    select c.id as consultation_id, c.status, c.immediate, c.duration_minutes, r.transport, r.max_participants, false as live, false as trashed,
      extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms,
      extract(epoch from c.started_at)::float8 * 1000 as started_at_ms,
      extract(epoch from c.completed_at)::float8 * 1000 as completed_at_ms
    from rooms r join consultations c on c.id = r.consultation_id
    where r.id = ${roomId} and r.organization_id = ${organizationId}
    for no key update of c`
      : sql`
    select null as consultation_id, r.status, false as immediate, r.transport, r.max_participants, r.live, r.trashed_at is not null as trashed,
      (extract(epoch from r.ends_at - r.starts_at) / 60)::int as duration_minutes,
      extract(epoch from r.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from r.ends_at)::float8 * 1000 as ends_at_ms,
      extract(epoch from r.started_at)::float8 * 1000 as started_at_ms,
      extract(epoch from r.completed_at)::float8 * 1000 as completed_at_ms
    from rooms r
    where r.id = ${roomId} and r.organization_id = ${organizationId}
    for no key update of r`,
  );
  const row = rows[0];
  if (!row) throw AppError.notFound("The room");
  await lockRoom(tx, roomId);
  return {
    consultationId: row.consultation_id,
    organizationId,
    roomId,
    status: row.status,
    immediate: row.immediate,
    trashed: row.trashed,
    startsAt: new Date(Number(row.starts_at_ms)),
    endsAt: at(row.ends_at_ms),
    startedAt: at(row.started_at_ms),
    completedAt: at(row.completed_at_ms),
    durationMinutes: row.duration_minutes,
    transport: row.transport,
    maxParticipants: row.max_participants,
    live: row.live,
  };
}

/** The first join: Pending → InProgress (`session_started` of that join says `firstJoin`). */
export async function startCall(tx: Db, call: LockedCall, now: Date): Promise<void> {
  const at = now.toISOString();
  if (call.consultationId) {
    await tx.execute(sql`update consultations set status = 'InProgress', started_at = ${at}, updated_at = ${at} where id = ${call.consultationId}`);
  } else {
    await tx.execute(sql`update rooms set status = 'InProgress', started_at = ${at}, updated_at = ${at} where id = ${call.roomId}`);
  }
}

/**
 * The call closes for good: a consultation's row or a standalone room's, whichever carries its
 * state. A consultation also records who never joined (`noShow`, lib/rooms/no-show.ts).
 */
export async function closeCall(
  tx: Db,
  call: LockedCall,
  state: { status: "Completed" | "Expired"; reason: string; noShow?: NoShow | null },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  if (call.consultationId) {
    const noShow = state.noShow ?? null;
    await tx.execute(
      state.status === "Completed"
        ? sql`update consultations set status = 'Completed', completed_at = ${at}, completion_reason = ${state.reason}, no_show = ${noShow}, updated_at = ${at} where id = ${call.consultationId}`
        : sql`update consultations set status = 'Expired', expired_at = ${at}, completion_reason = ${state.reason}, no_show = ${noShow}, updated_at = ${at} where id = ${call.consultationId}`,
    );
  } else {
    await tx.execute(sql`
      update rooms set status = ${state.status}, completed_at = ${at}, completion_reason = ${state.reason}, updated_at = ${at} where id = ${call.roomId}`);
  }
}
