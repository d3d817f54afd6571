import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { recordEvent } from "@/lib/outbox";
import { publishRoomEvent } from "@/lib/realtime/events";
import { closeAttendances } from "./attendance";
import { closeCall, lockCall, type CallTarget, type LockedCall } from "./locked-call";
import { noShowOf, noShowOfRoom, type NoShow } from "./no-show";
import type { ParticipantSession } from "./session";

/**
 * Why a call in progress completed: its provider (a room's host) or the clinic's staff ended
 * it for everyone, its time was up, or (a live standalone room) people left until fewer than
 * two remained.
 */
export type CompletionReason = "ended_by_provider" | "ended_by_host" | "ended_by_staff" | "timeout" | "participants_left";

/** Slack for the browser's clock (already corrected with serverTime) when it says the time is up. */
const TIMEOUT_SLACK_MS = 5_000;

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
    if (reason === "timeout" && (call.endsAt === null || now.getTime() < call.endsAt.getTime() - TIMEOUT_SLACK_MS)) {
      throw new AppError("consultation_time_left", "This consultation's time is not up yet.");
    }
    if (call.status === "Completed") return { status: "Completed" as const, completedAt: call.completedAt!, changed: false };
    if (call.status !== "InProgress") {
      throw new AppError("consultation_not_in_progress", `This consultation is ${call.status}; only a consultation in progress can be ended.`);
    }
    await finishCall(tx, call, reason, now);
    return { status: "Completed" as const, completedAt: now, changed: true };
  });
}

/**
 * Inside the call's lock: every stay closes, the call is Completed (a consultation with who
 * never joined: `noShow`), the outbox and the connected clients hear it.
 */
async function finishCall(tx: Db, call: LockedCall, reason: CompletionReason, now: Date): Promise<void> {
  const noShow = call.consultationId ? await noShowOf(tx, call.roomId) : null;
  await closeAttendances(tx, call, now, reason === "timeout" ? "timeout" : "ended", {});
  await closeCall(tx, call, { status: "Completed", reason, noShow }, now);
  if (call.consultationId) {
    await recordEvent(tx, {
      organizationId: call.organizationId,
      event: "consultation.completed",
      aggregateType: "consultation",
      aggregateId: call.consultationId,
      occurredAt: now,
      payload: { consultationId: call.consultationId, status: "Completed", completedAt: now.toISOString(), reason, noShow },
    });
  }
  await publishRoomEvent(tx, { organizationId: call.organizationId, roomId: call.roomId, kind: "room-ended", payload: { reason } });
}

/**
 * A participant leaves the call; the call stays live and the link works again. In a live
 * standalone room (`LIVE_TELECONSULTATION`), leaving so that fewer than two remain ends the
 * call for everyone. Only an explicit leave counts: a dropped connection may come back.
 */
export async function leaveCall(db: Database, session: ParticipantSession, now: Date): Promise<{ left: boolean; ended: boolean }> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, session.organizationId, session.roomId);
    const closed = await closeAttendances(tx, call, now, "left", { participantId: session.participantId });
    if (closed.length === 0 || !call.live || call.consultationId || call.status !== "InProgress") return { left: closed.length > 0, ended: false };
    const [{ present }] = (await tx.execute<{ present: number }>(sql`
      select count(*)::int as present from room_attendances where room_id = ${call.roomId} and left_at is null`)) as unknown as [{ present: number }];
    if (present >= 2) return { left: true, ended: false };
    await finishCall(tx, call, "participants_left", now);
    return { left: true, ended: true };
  });
}

/**
 * The end of the call as a participant asks for it: a host (a consultation's provider, a
 * room's plus user) ends for everyone; anyone may end a call whose time is up.
 */
export async function endCall(
  db: Database,
  session: ParticipantSession,
  reason: "ended_by_provider" | "timeout",
  now: Date,
): Promise<{ status: "Completed"; completedAt: Date; changed: boolean }> {
  if (reason === "ended_by_provider") {
    const [host] = await db.execute<{ privilege: string }>(sql`
      select privilege from room_participants where id = ${session.participantId} and room_id = ${session.roomId} and organization_id = ${session.organizationId}`);
    if (!host) throw AppError.notFound("The room");
    if (host.privilege !== "plus") {
      throw new AppError("forbidden", "Only the provider can end the consultation for everyone; a patient can leave the call.");
    }
  }
  const why: CompletionReason = reason === "ended_by_provider" && session.consultationId === null ? "ended_by_host" : reason;
  return completeCall(db, { organizationId: session.organizationId, roomId: session.roomId }, why, now);
}

/**
 * Pending consultations whose time has passed without anyone joining become Expired, with
 * `consultation.expired` in the outbox, in one statement per batch. Rows a join holds are
 * skipped (the join decides), and the status check makes a second sweeper find nothing. Nobody
 * joined a Pending consultation, so its `noShow` is `both`; it is still read from the stays, by
 * the one rule.
 */
export async function expireConsultations(db: Database, now: Date, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ id: string; organization_id: string; no_show: NoShow | null }>(sql`
      update consultations c set status = 'Expired', expired_at = ${now.toISOString()}, updated_at = ${now.toISOString()},
        no_show = ${noShowOfRoom(sql`(select r.id from rooms r where r.consultation_id = c.id)`)}
      where c.id in (
        select id from consultations
        where status = 'Pending' and ends_at <= ${now.toISOString()}
        order by ends_at limit ${limit}
        for update skip locked)
      and c.status = 'Pending'
      returning c.id, c.organization_id, c.no_show`);
    for (const row of expired) {
      await recordEvent(tx, {
        organizationId: row.organization_id,
        event: "consultation.expired",
        aggregateType: "consultation",
        aggregateId: row.id,
        occurredAt: now,
        payload: { consultationId: row.id, status: "Expired", expiredAt: now.toISOString(), noShow: row.no_show },
      });
    }
    return expired.length;
  });
}

/**
 * The clinic calls off a consultation nobody has joined: it becomes Expired at once (its links
 * stop opening the call and its slot is free to book again), with `consultation.expired`
 * saying `cancelled`. A consultation already joined is ended instead (completeCall). It is
 * nobody's no-show (`noShow` null): the clinic decided, whoever was due.
 */
export async function cancelConsultation(db: Db, organizationId: string, consultationId: string, now: Date): Promise<{ status: "Expired"; changed: boolean }> {
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, organizationId, await roomOf(tx, organizationId, consultationId));
    if (call.status === "Expired") return { status: "Expired" as const, changed: false };
    if (call.status !== "Pending") {
      throw new AppError("consultation_not_pending", `This consultation is ${call.status === "InProgress" ? "in progress: end it instead" : call.status}; only a pending consultation can be cancelled.`);
    }
    await closeCall(tx, call, { status: "Expired", reason: "cancelled" }, now);
    await recordEvent(tx, {
      organizationId,
      event: "consultation.expired",
      aggregateType: "consultation",
      aggregateId: consultationId,
      occurredAt: now,
      payload: { consultationId, status: "Expired", expiredAt: now.toISOString(), reason: "cancelled", noShow: null },
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

/** Completes, as `timeout`, live calls (consultations' and standalone rooms') past their scheduled end plus the grace. */
export async function completeOverdueCalls(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const cutoff = new Date(now.getTime() - graceSeconds * 1000);
  const overdue = await db.execute<{ room_id: string; organization_id: string }>(sql`
    (select r.id as room_id, r.organization_id from consultations c join rooms r on r.consultation_id = c.id
     where c.status = 'InProgress' and c.ends_at < ${cutoff.toISOString()} limit 200)
    union all
    (select id, organization_id from rooms
     where consultation_id is null and trashed_at is null and status = 'InProgress' and ends_at < ${cutoff.toISOString()} limit 200)`);
  let completed = 0;
  for (const room of overdue) {
    const result = await completeCall(db, { organizationId: room.organization_id, roomId: room.room_id }, "timeout", now);
    if (result.changed) completed++;
  }
  return completed;
}

/** Standalone rooms nobody joined whose time has passed become Expired (`GET` shows it; rooms have no expiry webhook). */
export async function expireRooms(db: Database, now: Date, limit = 200): Promise<number> {
  const rows = await db.execute(sql`
    update rooms set status = 'Expired', completed_at = ${now.toISOString()}, completion_reason = 'expired', updated_at = ${now.toISOString()}
    where id in (
      select id from rooms
      where consultation_id is null and trashed_at is null and status = 'Pending' and ends_at <= ${now.toISOString()}
      order by ends_at limit ${limit}
      for update skip locked)
    and status = 'Pending'
    returning id`);
  return rows.length;
}
