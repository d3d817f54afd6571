import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { latestRoomEventId, publishRoomEvent } from "@/lib/realtime/events";
import { openStay, touchAttendance } from "./attendance";
import { lockCall, startCall, type LockedCall } from "./locked-call";
import type { ParticipantRole, ParticipantSession } from "./session";
import { refusalFor } from "./window";

/** Peer-to-peer calls are a full mesh: beyond this many participants a room needs LiveKit. */
export const MESH_LIMIT = 4;

export type JoinedCall = {
  consultationId: string | null;
  roomId: string;
  transport: "p2p" | "livekit";
  maxParticipants: number;
  status: "InProgress";
  startedAt: Date;
  endsAt: Date | null;
  durationMinutes: number | null;
  participant: JoinedParticipant;
  /** This browser tab's connection: signals name it so peers can tell a reload from the same page. */
  connectionId: string;
  /** The room's last event before this join: the client's realtime stream starts after it. */
  cursor: number;
  firstJoin: boolean;
};

/** Who joined: their role, whether they host (plus), and the group their tile shows. */
export type JoinedParticipant = { id: string; role: ParticipantRole; displayName: string; privilege: "plus" | "basic"; group: string | null };

/**
 * A participant enters the call. The first join of a call (a consultation's or a standalone
 * room's) moves it Pending → InProgress; every new stay records `session_started` (with the participant's role) and
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
    const [row] = await tx.execute<{ id: string; role: ParticipantRole; display_name: string; privilege: "plus" | "basic"; group_name: string | null; external_id: string | null }>(sql`
      select p.id, p.role, p.display_name, p.privilege, p.group_name, u.external_id
      from room_participants p left join room_users u on u.id = p.room_user_id
      where p.id = ${session.participantId} and p.room_id = ${session.roomId}`);
    if (!row) throw AppError.notFound("The participant");
    const participant: JoinedParticipant = { id: row.id, role: row.role, displayName: row.display_name, privilege: row.privilege, group: row.group_name };

    const firstJoin = call.status === "Pending";
    const startedAt = call.startedAt ?? now;
    if (firstJoin) await startCall(tx, call, now);
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
      const stay = { participantId: participant.id, role: participant.role, group: participant.group, userExternalId: row.external_id };
      await openStay(tx, call, stay, now, { firstJoin, userAgent: options.userAgent });
    }

    const cursor = await latestRoomEventId(tx, call.roomId);
    const connectionId = randomUUID();
    await publishRoomEvent(tx, {
      organizationId: session.organizationId,
      roomId: call.roomId,
      kind: "presence",
      senderId: participant.id,
      payload: {
        state: "joined",
        participantId: participant.id,
        role: participant.role,
        displayName: participant.displayName,
        group: participant.group,
        privilege: participant.privilege,
        connectionId,
      },
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
      participant,
      connectionId,
      cursor,
      firstJoin,
    };
  });
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
