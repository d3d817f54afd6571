import "server-only";
import { sql } from "drizzle-orm";
import { WebhookReceiver, type WebhookEvent } from "livekit-server-sdk";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { recordMediaDeparture, recordMediaPresence } from "@/lib/rooms/attendance";
import type { CallTarget } from "@/lib/rooms/locked-call";
import type { LivekitWebhookResult } from "./schema";
import type { LivekitConfig } from "./token";

// Values of LiveKit's protocol enums livekit.DisconnectReason and livekit.RoomEndReason (the
// SDK does not re-export those enums, and @livekit/protocol is not our dependency).
const DisconnectReason = { CLIENT_INITIATED: 1, DUPLICATE_IDENTITY: 2, MIGRATION: 8 } as const;
const RoomEndReason = { ROOM_END_SERVER_SHUTDOWN: 3, ROOM_END_SUPERSEDED: 4, ROOM_END_OPEN_FAILED: 5 } as const;

/** Largest webhook body read; LiveKit's events are a few kilobytes. Checked before the signature. */
export const LIVEKIT_WEBHOOK_MAX_BYTES = 1024 * 1024;

export function livekitNotConfigured(): AppError {
  return new AppError("livekit_not_configured", "LiveKit is not configured on this server (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET), so it takes no LiveKit webhooks.",
  );
}

/**
 * Checks a LiveKit webhook with the SDK: the `Authorization` header must be a JWT signed with
 * our API secret, issued by our API key, whose `sha256` claim is the body's digest. The body
 * must be the raw text as received.
 */
export async function verifyLivekitWebhook(config: LivekitConfig, body: string, authorization: string | null): Promise<WebhookEvent> {
  try {
    return await new WebhookReceiver(config.apiKey, config.apiSecret).receive(body, authorization ?? undefined);
  } catch {
    throw new AppError("invalid_signature", "The webhook's Authorization token does not verify with this server's LiveKit API key and secret, or the body was changed.");
  }
}

/**
 * Applies one LiveKit webhook to the call it is about, through the same lifecycle functions as
 * the peer-to-peer path:
 * - `participant_joined`: the participant gets a stay if they have none (`session_started`;
 *   the first makes the consultation InProgress);
 * - `participant_left`: their open stay closes (`session_ended`, `left` when they hung up,
 *   `disconnected` otherwise). A leave because the same identity connected again (a second tab)
 *   or moved to another LiveKit node is not a leave;
 * - `room_finished`: LiveKit closed the room after it stood empty: stays still open (leaves we
 *   missed) close as `disconnected`. The consultation stays live: a patient who waited alone
 *   and left, or a call everyone dropped out of, can be joined again until its end, when the
 *   lifecycle sweep completes it, as on the peer-to-peer path. Nothing at all when LiveKit
 *   closed the room for its own reasons (shutting down, moved elsewhere, never opened): the
 *   browsers reconnect.
 * Every other event, and events about rooms or identities that are not ours, are ignored.
 *
 * Idempotent: the event id is stored in the same transaction as its effects, so a repeat finds
 * it and changes nothing, and an event whose effects failed applies when LiveKit sends it again.
 */
export async function receiveLivekitWebhook(
  db: Database,
  config: LivekitConfig | null,
  input: { body: string; authorization: string | null; now: Date },
): Promise<LivekitWebhookResult> {
  if (!config) throw livekitNotConfigured();
  const event = await verifyLivekitWebhook(config, input.body, input.authorization);
  const name = event.event;
  if (!event.id) throw AppError.badRequest("invalid_event", "The LiveKit event has no id.", "id");

  const action = actionFor(event);
  if (!action) return { event: name, outcome: "ignored" };
  const target = await callOfRoom(db, event.room!.name);
  if (!target) return { event: name, outcome: "ignored" };

  // LiveKit stamps events in whole seconds.
  const happenedAt = event.createdAt > 0n ? new Date(Number(event.createdAt) * 1000) : input.now;
  return db.transaction(async (tx) => {
    const stored = await tx.execute(sql`
      insert into livekit_webhook_events (id, organization_id, room_id, event, received_at)
      values (${event.id}, ${target.organizationId}, ${target.roomId}, ${name}, ${input.now.toISOString()})
      on conflict (id) do nothing
      returning id`);
    if (stored.length === 0) return { event: name, outcome: "duplicate" as const };
    const changed = await apply(tx, target, action, happenedAt, input.now);
    return { event: name, outcome: changed ? ("applied" as const) : ("unchanged" as const) };
  });
}

type Action =
  | { kind: "joined"; participantId: string }
  | { kind: "left"; participantId: string; reason: "left" | "disconnected" }
  | { kind: "finished" };

/** What an event asks of us, or nothing for events we do not act on. */
function actionFor(event: WebhookEvent): Action | null {
  if (!event.room?.name || !isUuid(event.room.name)) return null;
  const identity = event.participant?.identity;
  switch (event.event) {
    case "participant_joined":
      return isUuid(identity) ? { kind: "joined", participantId: identity } : null;
    case "participant_left": {
      if (!isUuid(identity)) return null;
      const why = event.participant!.disconnectReason;
      // The same participant is still in the room: another tab took over, or a node handed it on.
      if (why === DisconnectReason.DUPLICATE_IDENTITY || why === DisconnectReason.MIGRATION) return null;
      return { kind: "left", participantId: identity, reason: why === DisconnectReason.CLIENT_INITIATED ? "left" : "disconnected" };
    }
    case "room_finished": {
      const why = event.roomEndReason;
      if (why === RoomEndReason.ROOM_END_SERVER_SHUTDOWN || why === RoomEndReason.ROOM_END_SUPERSEDED || why === RoomEndReason.ROOM_END_OPEN_FAILED) {
        return null;
      }
      return { kind: "finished" };
    }
    default:
      return null;
  }
}

async function apply(tx: Db, target: CallTarget, action: Action, happenedAt: Date, now: Date): Promise<boolean> {
  switch (action.kind) {
    case "joined":
      return (await recordMediaPresence(tx, target, [action.participantId], happenedAt, now)).length > 0;
    case "left": {
      // A stay that began after the leave (the event is a second old at most) is a later one.
      const joinedBefore = new Date(happenedAt.getTime() + 1000);
      const closed = await recordMediaDeparture(tx, target, { participantId: action.participantId, joinedBefore }, action.reason, now);
      return closed.length > 0;
    }
    case "finished": {
      const joinedBefore = new Date(happenedAt.getTime() + 1000);
      return (await recordMediaDeparture(tx, target, { joinedBefore }, "disconnected", now)).length > 0;
    }
  }
}

/** The organization and room behind a LiveKit room name (our room id), for rooms that hold a consultation. */
async function callOfRoom(db: Db, roomName: string): Promise<CallTarget | null> {
  const [row] = await db.execute<{ organization_id: string }>(sql`
    select organization_id from rooms where id = ${roomName} and consultation_id is not null`);
  return row ? { organizationId: row.organization_id, roomId: roomName } : null;
}

/** Housekeeping: LiveKit repeats an event within minutes, so a week of ids is plenty. */
export async function purgeLivekitWebhookEvents(db: Db, now: Date, keepDays = 7): Promise<number> {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const rows = await db.execute(sql`delete from livekit_webhook_events where received_at < ${cutoff} returning id`);
  return rows.length;
}
