import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { recordEvent } from "@/lib/outbox";
import { publishRoomEvent } from "@/lib/realtime/events";
import { lockCall, startCall, type CallTarget, type LockedCall } from "./locked-call";
import { recordWaitingIfAlone } from "./waiting";

type AttendanceEnd = "left" | "ended" | "timeout" | "disconnected";

/**
 * Who a stay is for, as the webhooks name them: a consultation's participant by id and role; a
 * standalone room's also by the integrator's `userExternalId` and group. Never a name.
 */
export type StayParticipant = { participantId: string; role: string; group?: string | null; userExternalId?: string | null };

/**
 * A new stay begins: an attendance row and `session_started` in the outbox, and
 * `participant.waiting` when a consultation's patient or guest finds no provider in the call.
 */
export async function openStay(
  tx: Db,
  call: LockedCall,
  participant: StayParticipant,
  now: Date,
  options: { firstJoin: boolean; userAgent?: string | null },
): Promise<void> {
  await tx.execute(sql`
    insert into room_attendances (organization_id, room_id, participant_id, joined_at, last_seen_at, user_agent)
    values (${call.organizationId}, ${call.roomId}, ${participant.participantId}, ${now.toISOString()}, ${now.toISOString()}, ${options.userAgent?.slice(0, 400) ?? null})`);
  await recordSessionEvent(tx, call, "session_started", participant, now, { joinedAt: now.toISOString(), firstJoin: options.firstJoin });
  await recordWaitingIfAlone(tx, call, participant, now);
}

/** `session_started` / `session_ended` for one participant's stay, in the outbox. */
function recordSessionEvent(
  tx: Db,
  call: LockedCall,
  event: "session_started" | "session_ended",
  participant: StayParticipant,
  now: Date,
  details: Record<string, unknown>,
): Promise<void> {
  if (call.consultationId) {
    return recordEvent(tx, {
      organizationId: call.organizationId,
      event,
      aggregateType: "consultation",
      aggregateId: call.consultationId,
      occurredAt: now,
      payload: { consultationId: call.consultationId, roomId: call.roomId, participant: { participantId: participant.participantId, role: participant.role }, ...details },
    });
  }
  const { participantId, userExternalId = null, group = null } = participant;
  return recordEvent(tx, {
    organizationId: call.organizationId,
    event,
    aggregateType: "room",
    aggregateId: call.roomId,
    occurredAt: now,
    payload: { consultationId: null, roomId: call.roomId, participant: { participantId, role: participant.role, userExternalId, group }, ...details },
  });
}

/** Closes open stays and records `session_ended` for each; returns who was closed. */
export async function closeAttendances(
  tx: Db,
  call: LockedCall,
  now: Date,
  reason: AttendanceEnd,
  filter: { participantId?: string; except?: string[]; seenBefore?: Date; joinedBefore?: Date },
): Promise<StayParticipant[]> {
  // Ids are UUIDs (checked by the callers), so the array literal is safe.
  const except = filter.except?.length ? `{${filter.except.join(",")}}` : null;
  const closed = await tx.execute<{ participant_id: string; role: string; group_name: string | null; external_id: string | null }>(sql`
    update room_attendances a set left_at = ${now.toISOString()}, end_reason = ${reason}
    from room_participants p left join room_users u on u.id = p.room_user_id
    where p.id = a.participant_id and a.room_id = ${call.roomId} and a.left_at is null
      ${filter.participantId ? sql`and a.participant_id = ${filter.participantId}` : sql``}
      ${except ? sql`and a.participant_id <> all(${except}::uuid[])` : sql``}
      ${filter.seenBefore ? sql`and a.last_seen_at < ${filter.seenBefore.toISOString()}` : sql``}
      ${filter.joinedBefore ? sql`and a.joined_at < ${filter.joinedBefore.toISOString()}` : sql``}
    returning a.participant_id, p.role, p.group_name, u.external_id`);
  const participants = closed.map((r) => ({ participantId: r.participant_id, role: r.role, group: r.group_name, userExternalId: r.external_id }));
  for (const participant of participants) {
    await recordSessionEvent(tx, call, "session_ended", participant, now, { leftAt: now.toISOString(), reason });
    await publishRoomEvent(tx, {
      organizationId: call.organizationId,
      roomId: call.roomId,
      kind: "presence",
      senderId: participant.participantId,
      payload: { state: "left", participantId: participant.participantId, role: participant.role, reason },
    });
  }
  return participants;
}

/** Keeps a participant's stay alive while their realtime connection is open. */
export async function touchAttendance(db: Db, participantId: string, now: Date): Promise<boolean> {
  const rows = await db.execute(sql`
    update room_attendances set last_seen_at = ${now.toISOString()} where participant_id = ${participantId} and left_at is null returning id`);
  return rows.length > 0;
}

/**
 * The media server (LiveKit) reports these participants in the room's call. Each with an open
 * stay is marked seen (being in LiveKit counts as present, like our realtime stream's
 * heartbeat); each without one gets a stay (`session_started`), and a Pending consultation
 * becomes InProgress. Skipped: ids that are not this room's participants (LiveKit's agents or
 * recorders), a participant whose last stay closed at or after `reportedAt` (they left after
 * LiveKit saw them: the report is stale), and calls no longer live. The room's size is not
 * checked: LiveKit has admitted them already, and this records what is. Returns who got a stay.
 */
export async function recordMediaPresence(db: Db, target: CallTarget, participantIds: string[], reportedAt: Date, now: Date): Promise<string[]> {
  if (participantIds.length === 0) return [];
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, target.organizationId, target.roomId);
    if (call.status !== "Pending" && call.status !== "InProgress") return [];
    // Ids are UUIDs (checked by the callers), so the array literal is safe.
    const rows = await tx.execute<{ id: string; role: string; group_name: string | null; external_id: string | null; open: boolean; left_since: boolean }>(sql`
      select p.id, p.role, p.group_name, (select u.external_id from room_users u where u.id = p.room_user_id) as external_id,
        exists (select 1 from room_attendances a where a.participant_id = p.id and a.left_at is null) as open,
        exists (select 1 from room_attendances a where a.participant_id = p.id and a.left_at >= ${reportedAt.toISOString()}) as left_since
      from room_participants p
      where p.room_id = ${call.roomId} and p.organization_id = ${call.organizationId} and p.id = any(${`{${participantIds.join(",")}}`}::uuid[])
      order by p.role desc, p.id`);
    const opened: string[] = [];
    let firstJoin = call.status === "Pending";
    for (const row of rows) {
      if (row.open) {
        await touchAttendance(tx, row.id, now);
        continue;
      }
      if (row.left_since) continue;
      if (firstJoin) await startCall(tx, call, now);
      await openStay(tx, call, { participantId: row.id, role: row.role, group: row.group_name, userExternalId: row.external_id }, now, { firstJoin });
      firstJoin = false;
      opened.push(row.id);
    }
    return opened;
  });
}

/**
 * The media server (LiveKit) reports participants gone from the room's call: their open stays
 * close (`session_ended` with `reason`). `participantId` names one; `except` closes everyone
 * but those still there. A stay that began at or after `joinedBefore` is newer than the report
 * and stays open; with `seenBefore`, so does one our realtime stream saw since then.
 */
export async function recordMediaDeparture(
  db: Db,
  target: CallTarget,
  filter: { participantId?: string; except?: string[]; seenBefore?: Date; joinedBefore: Date },
  reason: "left" | "disconnected",
  now: Date,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, target.organizationId, target.roomId);
    const closed = await closeAttendances(tx, call, now, reason, filter);
    return closed.map((c) => c.participantId);
  });
}

/**
 * Closes, as `disconnected`, stays whose realtime connection has been gone longer than the
 * grace: the tab was closed or the network never came back. Safe to run on every instance.
 */
export async function closeStaleAttendances(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const cutoff = new Date(now.getTime() - graceSeconds * 1000);
  const stale = await db.execute<{ room_id: string; organization_id: string }>(sql`
    select distinct room_id, organization_id from room_attendances where left_at is null and last_seen_at < ${cutoff.toISOString()} limit 200`);
  let closed = 0;
  for (const room of stale) {
    closed += await db.transaction(async (tx) => {
      const call = await lockCall(tx, room.organization_id, room.room_id);
      return (await closeAttendances(tx, call, now, "disconnected", { seenBefore: cutoff })).length;
    });
  }
  return closed;
}
