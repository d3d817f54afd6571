import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { livekitConfig } from "@/lib/config";
import type { Env } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import { mintParticipantToken, type LivekitConfig } from "@/lib/livekit/token";
import { lockRoom, publishRoomEvent } from "@/lib/realtime/events";
import { iceConfigFor } from "@/lib/rooms/ice";
import { joinCall } from "./join";
import type { RoomSignal, VideoRoom } from "./schema";
import { chargeSignals } from "./signal-limits";
import type { ParticipantRole, ParticipantSession } from "./session";

/** Warned this long before the consultation's time is up. */
export const TIMEOUT_WARNING_MS = 2 * 60_000;

/**
 * `PUT /api/v3/appointments/{id}/video-room`: the caller joins the call (see joinCall) and
 * gets what the browser needs to connect: transport, role, a LiveKit token when the call is on
 * LiveKit, ICE servers with fresh TURN credentials, where to signal, and the timer. The
 * signaling stream stays in use on LiveKit too: chat, presence and `room-ended` come through it.
 * `livekit` defaults to the process's configuration (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).
 */
export async function openVideoRoom(
  db: Database,
  session: ParticipantSession,
  options: { now: Date; env: Env; userAgent?: string | null; livekit?: LivekitConfig | null },
): Promise<VideoRoom> {
  const { now, env } = options;
  const livekit = options.livekit === undefined ? livekitConfig() : options.livekit;
  const joined = await joinCall(db, session, {
    now,
    opensMinutesBefore: env.JOIN_OPENS_MINUTES_BEFORE,
    livekitConfigured: livekit !== null,
    userAgent: options.userAgent,
  });
  const token =
    joined.transport === "livekit" && livekit
      ? await mintParticipantToken(livekit, { roomId: joined.roomId, participant: joined.participant })
      : null;
  const ice = iceConfigFor(env, joined.participant.id, now);
  const query = `participantId=${joined.participant.id}`;
  return {
    consultationId: joined.consultationId,
    roomId: joined.roomId,
    status: joined.status,
    transport: joined.transport,
    maxParticipants: joined.maxParticipants,
    participant: {
      participantId: joined.participant.id,
      role: joined.participant.role,
      displayName: joined.participant.displayName,
      privilege: joined.participant.privilege,
      group: joined.participant.group,
    },
    connectionId: joined.connectionId,
    livekit: token && livekit ? { url: livekit.url, token: token.token, expiresAt: token.expiresAt.toISOString() } : null,
    iceServers: ice.iceServers,
    iceTransportPolicy: ice.iceTransportPolicy,
    signaling: {
      events: `/api/rooms/${joined.roomId}/events?${query}`,
      send: `/api/rooms/${joined.roomId}/signals?${query}`,
      lastEventId: joined.cursor,
    },
    timer: {
      startedAt: joined.startedAt.toISOString(),
      endsAt: joined.endsAt?.toISOString() ?? null,
      warnAt: joined.endsAt ? new Date(joined.endsAt.getTime() - TIMEOUT_WARNING_MS).toISOString() : null,
      durationMinutes: joined.durationMinutes,
      serverTime: now.toISOString(),
    },
  };
}

/**
 * Relays signals, in order: an SDP description or ICE candidate to one participant of the
 * same room, or this participant's microphone and camera state to the whole room.
 */
export async function sendSignals(db: Database, session: ParticipantSession, signals: RoomSignal[], now = new Date()): Promise<{ eventIds: number[] }> {
  const [open] = await db.execute<{ id: string }>(sql`
    select id from room_attendances where participant_id = ${session.participantId} and left_at is null`);
  if (!open) throw new AppError("not_in_call", "Join the call before sending signals.");
  const recipients = [...new Set(signals.flatMap((signal) => (signal.kind === "media" ? [] : [signal.to])))];
  if (recipients.length > 0) {
    // Ids are UUIDs (checked by the schema), so the array literal is safe.
    const found = await db.execute<{ id: string }>(sql`
      select id from room_participants where room_id = ${session.roomId} and id = any(${`{${recipients.join(",")}}`}::uuid[])`);
    const known = new Set(found.map((row) => row.id));
    if (recipients.some((id) => !known.has(id) || id === session.participantId)) {
      throw AppError.badRequest("unknown_recipient", "The recipient is not another participant of this room.", "to");
    }
  }
  const events = signals.map((signal) => {
    if (signal.kind === "media") {
      return { kind: "media" as const, recipientId: null, payload: { participantId: session.participantId, connectionId: signal.connectionId, audio: signal.audio, video: signal.video } };
    }
    const { to, ...payload } = signal;
    return { kind: "signal" as const, recipientId: to, payload: { ...payload, from: session.participantId } };
  });
  const bytes = events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.payload)), 0);
  return db.transaction(async (tx) => {
    // Counted under the room's lock, so one participant's parallel requests cannot slip past the limits.
    await lockRoom(tx, session.roomId);
    await chargeSignals(tx, session.participantId, { signals: events.length, bytes }, now);
    const eventIds: number[] = [];
    for (const event of events) {
      eventIds.push(await publishRoomEvent(tx, { organizationId: session.organizationId, roomId: session.roomId, senderId: session.participantId, ...event }));
    }
    return { eventIds };
  });
}

export type PresentParticipant = {
  participantId: string;
  role: ParticipantRole;
  displayName: string;
  /** A room user's group (`doctor`, `interpreter`…); null for a consultation's patient and provider. */
  group: string | null;
  /** `plus`: a host, who can end the call for everyone. */
  privilege: "plus" | "basic";
  connectionId: string | null;
  audio: boolean;
  video: boolean;
};

/** Who else is in the call now, with their latest connection and media state. */
export async function presentParticipants(db: Database, session: ParticipantSession): Promise<PresentParticipant[]> {
  const rows = await db.execute<{
    participant_id: string;
    role: PresentParticipant["role"];
    display_name: string;
    group_name: string | null;
    privilege: PresentParticipant["privilege"];
    connection_id: string | null;
    media: { audio?: boolean; video?: boolean } | null;
  }>(sql`
    select p.id as participant_id, p.role, p.display_name, p.group_name, p.privilege, j.payload->>'connectionId' as connection_id,
      (select e.payload from room_events e
        where e.room_id = a.room_id and e.sender_id = p.id and e.kind = 'media' and e.id > coalesce(j.id, 0)
        order by e.id desc limit 1) as media
    from room_attendances a
    join room_participants p on p.id = a.participant_id
    -- The participant's latest join: its connection, and the media state sent since.
    left join lateral (select e.id, e.payload from room_events e
        where e.room_id = a.room_id and e.sender_id = p.id and e.kind = 'presence' and e.payload->>'state' = 'joined'
        order by e.id desc limit 1) j on true
    where a.room_id = ${session.roomId} and a.left_at is null and a.participant_id <> ${session.participantId}
    order by a.joined_at`);
  return rows.map((r) => ({
    participantId: r.participant_id,
    role: r.role,
    displayName: r.display_name,
    group: r.group_name,
    privilege: r.privilege,
    connectionId: r.connection_id,
    audio: r.media?.audio ?? true,
    video: r.media?.video ?? true,
  }));
}
