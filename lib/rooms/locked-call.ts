import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { lockRoom } from "@/lib/realtime/events";
import type { CallTimes } from "./window";

/** A room's call, named the way every lifecycle function is scoped: organization and room. */
export type CallTarget = { organizationId: string; roomId: string };

export type LockedCall = CallTimes & {
  consultationId: string;
  organizationId: string;
  roomId: string;
  transport: "p2p" | "livekit";
  maxParticipants: number;
  startedAt: Date | null;
  completedAt: Date | null;
  durationMinutes: number;
};


/**
 * Locks the consultation behind a room (FOR UPDATE) and then the room's event log. Every
 * lifecycle change takes the locks in this order, so concurrent joins, leaves and ends
 * serialize without deadlocks.
 */
export async function lockCall(tx: Db, organizationId: string, roomId: string): Promise<LockedCall> {
  const rows = await tx.execute<{
    consultation_id: string;
    status: LockedCall["status"];
    immediate: boolean;
    starts_at_ms: number;
    ends_at_ms: number;
    started_at_ms: number | null;
    completed_at_ms: number | null;
    duration_minutes: number;
    transport: LockedCall["transport"];
    max_participants: number;
  }>(sql`
    select c.id as consultation_id, c.status, c.immediate, c.duration_minutes, r.transport, r.max_participants,
      extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms,
      extract(epoch from c.started_at)::float8 * 1000 as started_at_ms,
      extract(epoch from c.completed_at)::float8 * 1000 as completed_at_ms
    from rooms r join consultations c on c.id = r.consultation_id
    where r.id = ${roomId} and r.organization_id = ${organizationId}
    for update of c`);
  const row = rows[0];
  if (!row) throw AppError.notFound("The room");
  await lockRoom(tx, roomId);
  return {
    consultationId: row.consultation_id,
    organizationId,
    roomId,
    status: row.status,
    immediate: row.immediate,
    startsAt: new Date(Number(row.starts_at_ms)),
    endsAt: new Date(Number(row.ends_at_ms)),
    startedAt: row.started_at_ms === null ? null : new Date(Number(row.started_at_ms)),
    completedAt: row.completed_at_ms === null ? null : new Date(Number(row.completed_at_ms)),
    durationMinutes: row.duration_minutes,
    transport: row.transport,
    maxParticipants: row.max_participants,
  };
}

/** The first join: Pending → InProgress (`session_started` of that join says `firstJoin`). */
export async function startConsultation(tx: Db, call: LockedCall, now: Date): Promise<void> {
  await tx.execute(sql`update consultations set status = 'InProgress', started_at = ${now.toISOString()}, updated_at = ${now.toISOString()} where id = ${call.consultationId}`);
}
