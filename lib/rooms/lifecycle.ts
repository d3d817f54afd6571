import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { recordEvent } from "@/lib/outbox";
import { latestRoomEventId, lockRoom, publishRoomEvent } from "@/lib/realtime/events";
import type { ParticipantSession } from "./session";
import { callWindow, type CallTimes } from "./window";

/** Peer-to-peer calls are a full mesh: beyond this many participants a room needs LiveKit. */
export const MESH_LIMIT = 4;

/** Why a consultation in progress completed: its provider (or the clinic's staff) ended it for everyone, or its time was up. */
export type CompletionReason = "ended_by_provider" | "ended_by_staff" | "timeout";
type AttendanceEnd = "left" | "ended" | "timeout" | "disconnected";

/** A room's call, named the way every lifecycle function is scoped: organization and room. */
export type CallTarget = { organizationId: string; roomId: string };

type LockedCall = CallTimes & {
  consultationId: string;
  organizationId: string;
  roomId: string;
  transport: "p2p" | "livekit";
  maxParticipants: number;
  startedAt: Date | null;
  completedAt: Date | null;
  durationMinutes: number;
};

/** Slack for the browser's clock (already corrected with serverTime) when it says the time is up. */
const TIMEOUT_SLACK_MS = 5_000;

/**
 * Locks the consultation behind a room (FOR UPDATE) and then the room's event log. Every
 * lifecycle change takes the locks in this order, so concurrent joins, leaves and ends
 * serialize without deadlocks.
 */
async function lockCall(tx: Db, organizationId: string, roomId: string): Promise<LockedCall> {
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

/** The refusal for a call that cannot be joined now, or nothing when it can. */
export function refusalFor(call: CallTimes, now: Date, opensMinutesBefore: number): AppError | undefined {
  const window = callWindow(call, now, opensMinutesBefore);
  switch (window.state) {
    case "open":
      return undefined;
    case "too_early":
      return new AppError("room_not_open", "This consultation is not open yet. Its link opens shortly before the scheduled time.", [
        { field: "scheduledAt", code: "room_not_open", message: `opens at ${window.opensAt.toISOString()}` },
      ]);
    case "completed":
      return new AppError("consultation_completed", "This consultation has ended.");
    case "expired":
      return new AppError("consultation_expired", "This consultation has expired: its time passed without anyone joining.");
  }
}

export type JoinedCall = {
  consultationId: string;
  roomId: string;
  transport: "p2p" | "livekit";
  maxParticipants: number;
  status: "InProgress";
  startedAt: Date;
  endsAt: Date;
  durationMinutes: number;
  participant: { id: string; role: "patient" | "provider"; displayName: string };
  /** This browser tab's connection: signals name it so peers can tell a reload from the same page. */
  connectionId: string;
  /** The room's last event before this join: the client's realtime stream starts after it. */
  cursor: number;
  firstJoin: boolean;
};

/**
 * A participant enters the call. The first join of a consultation moves it Pending →
 * InProgress; every new stay records `session_started` (with the participant's role) and
 * opens an attendance, all in one transaction with the outbox. Joining again while a stay is
 * open (a reload, a second tab) keeps that stay.
 */
export async function joinCall(
  db: Database,
  session: ParticipantSession,
  options: { now: Date; opensMinutesBefore: number; livekitConfigured: boolean; userAgent?: string | null },
): Promise<JoinedCall> {
  const { now } = options;
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, session.organizationId, session.roomId);
    const refusal = refusalFor(call, now, options.opensMinutesBefore);
    if (refusal) throw refusal;
    if (call.maxParticipants > MESH_LIMIT && !options.livekitConfigured) {
      throw new AppError("livekit_required", `This room is set up for ${call.maxParticipants} participants. Peer-to-peer calls take at most ${MESH_LIMIT}; the clinic must configure LiveKit (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).`,
      );
    }
    const [participant] = await tx.execute<{ id: string; role: "patient" | "provider"; display_name: string }>(sql`
      select id, role, display_name from room_participants where id = ${session.participantId} and room_id = ${session.roomId}`);
    if (!participant) throw AppError.notFound("The participant");

    const firstJoin = call.status === "Pending";
    const startedAt = call.startedAt ?? now;
    if (firstJoin) await startConsultation(tx, call, now);
    const transport = await transportFor(tx, call, participant.id, options.livekitConfigured);
    if (transport !== call.transport) {
      await tx.execute(sql`update rooms set transport = ${transport} where id = ${call.roomId} and organization_id = ${call.organizationId}`);
    }

    // A stay still open (a reload, a second tab) is kept; otherwise a new one begins.
    if (!(await touchAttendance(tx, participant.id, now))) {
      const [{ present }] = (await tx.execute<{ present: number }>(sql`
        select count(*)::int as present from room_attendances where room_id = ${call.roomId} and left_at is null`)) as unknown as [{ present: number }];
      if (present >= call.maxParticipants) {
        throw new AppError("room_full", `This call already has its ${call.maxParticipants} participants.`);
      }
      await openStay(tx, call, { participantId: participant.id, role: participant.role }, now, { firstJoin, userAgent: options.userAgent });
    }

    const cursor = await latestRoomEventId(tx, call.roomId);
    const connectionId = randomUUID();
    await publishRoomEvent(tx, {
      organizationId: session.organizationId,
      roomId: call.roomId,
      kind: "presence",
      senderId: participant.id,
      payload: { state: "joined", participantId: participant.id, role: participant.role, displayName: participant.display_name, connectionId },
    });
    return {
      consultationId: call.consultationId,
      roomId: call.roomId,
      transport,
      maxParticipants: call.maxParticipants,
      status: "InProgress" as const,
      startedAt,
      endsAt: call.endsAt,
      durationMinutes: call.durationMinutes,
      participant: { id: participant.id, role: participant.role, displayName: participant.display_name },
      connectionId,
      cursor,
      firstJoin,
    };
  });
}

/** The first join: Pending → InProgress (`session_started` of that join says `firstJoin`). */
async function startConsultation(tx: Db, call: LockedCall, now: Date): Promise<void> {
  await tx.execute(sql`update consultations set status = 'InProgress', started_at = ${now.toISOString()}, updated_at = ${now.toISOString()} where id = ${call.consultationId}`);
}

/**
 * Where this join's call happens. Without LiveKit, peer to peer: a room an earlier join put on
 * LiveKit falls back too (rooms over the mesh limit were refused before this), since nothing
 * else can carry it. With LiveKit, on LiveKit, unless the room's call is already running peer
 * to peer with someone else in it (it began before LiveKit was configured, or on an instance
 * without it) and fits a mesh: the newcomer joins them there, and the room's next call uses
 * LiveKit. `rooms.transport` always says where the room's call happens now, which is what
 * LiveKit's webhooks and the reconciliation go by.
 */
async function transportFor(tx: Db, call: LockedCall, participantId: string, livekitConfigured: boolean): Promise<"p2p" | "livekit"> {
  if (!livekitConfigured) return "p2p";
  if (call.transport === "livekit" || call.maxParticipants > MESH_LIMIT) return "livekit";
  const [others] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from room_attendances where room_id = ${call.roomId} and left_at is null and participant_id <> ${participantId}`);
  return others!.n > 0 ? "p2p" : "livekit";
}

/** A new stay begins: an attendance row and `session_started` in the outbox. */
async function openStay(
  tx: Db,
  call: LockedCall,
  participant: { participantId: string; role: string },
  now: Date,
  options: { firstJoin: boolean; userAgent?: string | null },
): Promise<void> {
  await tx.execute(sql`
    insert into room_attendances (organization_id, room_id, participant_id, joined_at, last_seen_at, user_agent)
    values (${call.organizationId}, ${call.roomId}, ${participant.participantId}, ${now.toISOString()}, ${now.toISOString()}, ${options.userAgent?.slice(0, 400) ?? null})`);
  await recordSessionEvent(tx, call, "session_started", participant, now, { joinedAt: now.toISOString(), firstJoin: options.firstJoin });
}

/** `session_started` / `session_ended` for one participant's stay, in the outbox. */
function recordSessionEvent(
  tx: Db,
  call: LockedCall,
  event: "session_started" | "session_ended",
  participant: { participantId: string; role: string },
  now: Date,
  details: Record<string, unknown>,
): Promise<void> {
  return recordEvent(tx, {
    organizationId: call.organizationId,
    event,
    aggregateType: "consultation",
    aggregateId: call.consultationId,
    occurredAt: now,
    payload: { consultationId: call.consultationId, roomId: call.roomId, participant, ...details },
  });
}

/** Closes open stays and records `session_ended` for each; returns who was closed. */
async function closeAttendances(
  tx: Db,
  call: LockedCall,
  now: Date,
  reason: AttendanceEnd,
  filter: { participantId?: string; except?: string[]; seenBefore?: Date; joinedBefore?: Date },
): Promise<{ participantId: string; role: string }[]> {
  // Ids are UUIDs (checked by the callers), so the array literal is safe.
  const except = filter.except?.length ? `{${filter.except.join(",")}}` : null;
  const closed = await tx.execute<{ participant_id: string; role: string }>(sql`
    update room_attendances a set left_at = ${now.toISOString()}, end_reason = ${reason}
    from room_participants p
    where p.id = a.participant_id and a.room_id = ${call.roomId} and a.left_at is null
      ${filter.participantId ? sql`and a.participant_id = ${filter.participantId}` : sql``}
      ${except ? sql`and a.participant_id <> all(${except}::uuid[])` : sql``}
      ${filter.seenBefore ? sql`and a.last_seen_at < ${filter.seenBefore.toISOString()}` : sql``}
      ${filter.joinedBefore ? sql`and a.joined_at < ${filter.joinedBefore.toISOString()}` : sql``}
    returning a.participant_id, p.role`);
  for (const row of closed) {
    await recordSessionEvent(tx, call, "session_ended", { participantId: row.participant_id, role: row.role }, now, { leftAt: now.toISOString(), reason });
    await publishRoomEvent(tx, {
      organizationId: call.organizationId,
      roomId: call.roomId,
      kind: "presence",
      senderId: row.participant_id,
      payload: { state: "left", participantId: row.participant_id, role: row.role, reason },
    });
  }
  return closed.map((r) => ({ participantId: r.participant_id, role: r.role }));
}

/** A participant leaves the call; the consultation stays live and the link works again. */
export async function leaveCall(db: Database, session: ParticipantSession, now: Date): Promise<{ left: boolean }> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, session.organizationId, session.roomId);
    const closed = await closeAttendances(tx, call, now, "left", { participantId: session.participantId });
    return { left: closed.length > 0 };
  });
}

/**
 * Ends the consultation for everyone: every stay is closed (`session_ended`), the
 * consultation becomes Completed (`consultation.completed`), and every connected client is
 * told, all in one transaction. Ending an already completed consultation changes nothing; a
 * `timeout` before the scheduled end is refused.
 */
export async function completeCall(
  db: Db,
  target: CallTarget,
  reason: CompletionReason,
  now: Date,
): Promise<{ status: "Completed"; completedAt: Date; changed: boolean }> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, target.organizationId, target.roomId);
    if (reason === "timeout" && now.getTime() < call.endsAt.getTime() - TIMEOUT_SLACK_MS) {
      throw new AppError("consultation_time_left", "This consultation's time is not up yet.");
    }
    if (call.status === "Completed") return { status: "Completed" as const, completedAt: call.completedAt!, changed: false };
    if (call.status !== "InProgress") {
      throw new AppError("consultation_not_in_progress", `This consultation is ${call.status}; only a consultation in progress can be ended.`);
    }
    await closeAttendances(tx, call, now, reason === "timeout" ? "timeout" : "ended", {});
    await tx.execute(sql`
      update consultations set status = 'Completed', completed_at = ${now.toISOString()}, completion_reason = ${reason}, updated_at = ${now.toISOString()}
      where id = ${call.consultationId}`);
    await recordEvent(tx, {
      organizationId: call.organizationId,
      event: "consultation.completed",
      aggregateType: "consultation",
      aggregateId: call.consultationId,
      occurredAt: now,
      payload: { consultationId: call.consultationId, status: "Completed", completedAt: now.toISOString(), reason },
    });
    await publishRoomEvent(tx, { organizationId: call.organizationId, roomId: call.roomId, kind: "room-ended", payload: { reason } });
    return { status: "Completed" as const, completedAt: now, changed: true };
  });
}

/** The end of the call as a participant asks for it: providers end for everyone; anyone may end a call whose time is up. */
export async function endCall(
  db: Database,
  session: ParticipantSession,
  reason: CompletionReason,
  now: Date,
): Promise<{ status: "Completed"; completedAt: Date; changed: boolean }> {
  if (reason === "ended_by_provider" && session.role !== "provider") {
    throw new AppError("forbidden", "Only the provider can end the consultation for everyone; a patient can leave the call.");
  }
  return completeCall(db, { organizationId: session.organizationId, roomId: session.roomId }, reason, now);
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
    const rows = await tx.execute<{ id: string; role: string; open: boolean; left_since: boolean }>(sql`
      select p.id, p.role,
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
      if (firstJoin) await startConsultation(tx, call, now);
      await openStay(tx, call, { participantId: row.id, role: row.role }, now, { firstJoin });
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

/**
 * Pending consultations whose time has passed without anyone joining become Expired, with
 * `consultation.expired` in the outbox, in one statement per batch. Rows a join holds are
 * skipped (the join decides), and the status check makes a second sweeper find nothing.
 */
export async function expireConsultations(db: Database, now: Date, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ id: string; organization_id: string }>(sql`
      update consultations c set status = 'Expired', expired_at = ${now.toISOString()}, updated_at = ${now.toISOString()}
      where c.id in (
        select id from consultations
        where status = 'Pending' and ends_at <= ${now.toISOString()}
        order by ends_at limit ${limit}
        for update skip locked)
      and c.status = 'Pending'
      returning c.id, c.organization_id`);
    for (const row of expired) {
      await recordEvent(tx, {
        organizationId: row.organization_id,
        event: "consultation.expired",
        aggregateType: "consultation",
        aggregateId: row.id,
        occurredAt: now,
        payload: { consultationId: row.id, status: "Expired", expiredAt: now.toISOString() },
      });
    }
    return expired.length;
  });
}

/**
 * The clinic calls off a consultation nobody has joined: it becomes Expired at once (its links
 * stop opening the call and its slot is free to book again), with `consultation.expired`
 * saying `cancelled`. A consultation already joined is ended instead (completeCall).
 */
export async function cancelConsultation(db: Db, organizationId: string, consultationId: string, now: Date): Promise<{ status: "Expired"; changed: boolean }> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, organizationId, await roomOf(tx, organizationId, consultationId));
    if (call.status === "Expired") return { status: "Expired" as const, changed: false };
    if (call.status !== "Pending") {
      throw new AppError("consultation_not_pending", `This consultation is ${call.status === "InProgress" ? "in progress: end it instead" : call.status}; only a pending consultation can be cancelled.`);
    }
    await tx.execute(sql`
      update consultations set status = 'Expired', expired_at = ${now.toISOString()}, completion_reason = 'cancelled', updated_at = ${now.toISOString()}
      where id = ${call.consultationId}`);
    await recordEvent(tx, {
      organizationId,
      event: "consultation.expired",
      aggregateType: "consultation",
      aggregateId: call.consultationId,
      occurredAt: now,
      payload: { consultationId: call.consultationId, status: "Expired", expiredAt: now.toISOString(), reason: "cancelled" },
    });
    // Someone waiting on the join screens hears it at once.
    await publishRoomEvent(tx, { organizationId, roomId: call.roomId, kind: "room-ended", payload: { reason: "cancelled" } });
    return { status: "Expired" as const, changed: true };
  });
}

/** Staff end a consultation in progress for everyone, from the dashboard. */
export async function endConsultationByStaff(db: Db, organizationId: string, consultationId: string, now: Date) {
  return completeCall(db, { organizationId, roomId: await roomOf(db, organizationId, consultationId) }, "ended_by_staff", now);
}

async function roomOf(db: Db, organizationId: string, consultationId: string): Promise<string> {
  const [room] = isUuid(consultationId)
    ? await db.execute<{ id: string }>(sql`select id from rooms where consultation_id = ${consultationId} and organization_id = ${organizationId}`)
    : [];
  if (!room) throw AppError.notFound("The consultation");
  return room.id;
}

/** Completes, as `timeout`, live consultations past their scheduled end plus the grace. */
export async function completeOverdueCalls(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const cutoff = new Date(now.getTime() - graceSeconds * 1000);
  const overdue = await db.execute<{ room_id: string; organization_id: string }>(sql`
    select r.id as room_id, r.organization_id from consultations c join rooms r on r.consultation_id = c.id
    where c.status = 'InProgress' and c.ends_at < ${cutoff.toISOString()} limit 200`);
  let completed = 0;
  for (const room of overdue) {
    const result = await completeCall(db, { organizationId: room.organization_id, roomId: room.room_id }, "timeout", now);
    if (result.changed) completed++;
  }
  return completed;
}
