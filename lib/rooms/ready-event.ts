import type { Db } from "@/db/client";
import { recordEvent } from "@/lib/outbox";

/** Who takes part in a ready room, as `room.ready` names them: by ids and group, never by name. */
export type ReadyParticipant = { bandyerUserId: string; userExternalId: string; group: string | null };

/**
 * Records `room.ready` for a standalone room: its participants are all known and their personal
 * links now exist (`GET /api/teleconsultation/{roomId}` answers with `accessLinkURL`). Call it
 * inside the transaction that makes the room ready. The webhook body is built from this payload
 * alone (lib/webhooks/payload.ts): no name is stored in it.
 */
export async function recordRoomReady(
  tx: Db,
  room: { organizationId: string; roomId: string; startsAt: Date; endsAt: Date | null; participants: ReadyParticipant[] },
  now: Date,
): Promise<void> {
  await recordEvent(tx, {
    organizationId: room.organizationId,
    event: "room.ready",
    aggregateType: "room",
    aggregateId: room.roomId,
    occurredAt: now,
    payload: {
      consultationId: null,
      roomId: room.roomId,
      startsAt: room.startsAt.toISOString(),
      endsAt: room.endsAt?.toISOString() ?? null,
      readyAt: now.toISOString(),
      participants: room.participants.map(({ bandyerUserId, userExternalId, group }) => ({ bandyerUserId, userExternalId, group })),
    },
  });
}
