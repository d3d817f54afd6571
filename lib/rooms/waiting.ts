import { sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordEvent } from "@/lib/outbox";
import type { LockedCall } from "./locked-call";

/**
 * "Waiting for the provider", read from the call's presence (its open stays) rather than kept
 * in a column of its own: a consultation in progress is waiting since the earliest join of a
 * participant other than the provider who is still in the call and whom no provider has been
 * in the call with since (a provider's stay open now, or one that ended after that join).
 * So it begins when the patient (or a guest) joins a call without the provider, and clears
 * when a provider joins, when they leave, or when the consultation ends; a provider who comes
 * and goes again does not make them wait anew. A reload keeps its stay, so it keeps the time.
 */
export function waitingSinceMs(consultationId: SQLWrapper) {
  return sql<number | null>`(
    select extract(epoch from min(a.joined_at))::float8 * 1000
    from consultations wc
    join rooms wr on wr.consultation_id = wc.id
    join room_attendances a on a.room_id = wr.id and a.left_at is null
    join room_participants wp on wp.id = a.participant_id and wp.role <> 'provider'
    where wc.id = ${consultationId} and wc.status = 'InProgress'
      and not exists (
        select 1 from room_attendances pa join room_participants pp on pp.id = pa.participant_id and pp.role = 'provider'
        where pa.room_id = wr.id and (pa.left_at is null or pa.left_at > a.joined_at)))`;
}

/** A time read with waitingSinceMs, as a Date. */
export function waitingSince(ms: number | string | null): Date | null {
  return ms === null ? null : new Date(Number(ms));
}

/**
 * A consultation's participant other than the provider began a stay: when no provider is in the
 * call, they are now waiting, and `participant.waiting` goes to the outbox (ids only). Called
 * in the join's transaction, under the call's lock, so a provider joining at the same moment
 * is either seen here or joins after.
 */
export async function recordWaitingIfAlone(tx: Db, call: LockedCall, participant: { participantId: string; role: string }, now: Date): Promise<boolean> {
  if (!call.consultationId || participant.role === "provider") return false;
  const [provider] = await tx.execute<{ present: boolean }>(sql`
    select exists (
      select 1 from room_attendances a join room_participants p on p.id = a.participant_id
      where a.room_id = ${call.roomId} and a.left_at is null and p.role = 'provider') as present`);
  if (provider?.present) return false;
  await recordEvent(tx, {
    organizationId: call.organizationId,
    event: "participant.waiting",
    aggregateType: "consultation",
    aggregateId: call.consultationId,
    occurredAt: now,
    payload: {
      consultationId: call.consultationId,
      roomId: call.roomId,
      participant: { participantId: participant.participantId, role: participant.role },
      waitingSince: now.toISOString(),
    },
  });
  return true;
}
