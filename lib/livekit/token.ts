import "server-only";
import { decodeJwt } from "jose";
import { AccessToken, TrackSource, type VideoGrant } from "livekit-server-sdk";
import type { livekitConfig } from "@/lib/config";

/** LiveKit's URL and credentials, as lib/config reads them. */
export type LivekitConfig = NonNullable<ReturnType<typeof livekitConfig>>;

import type { ParticipantRole } from "@/lib/rooms/session";

export type { ParticipantRole };

/**
 * What each role may do in a LiveKit room. Decided:
 * - both join this one room, subscribe to everyone, and publish only their camera and
 *   microphone (`canPublishSources`, which LiveKit enforces; a plain `canPublish` would allow any
 *   source);
 * - the provider (a consultation's) may also share their screen (with its tab audio, which belongs to the share):
 *   showing results or images is part of a consultation; a patient has no need to;
 * - nobody publishes data: chat and presence go through our own stream, stored and moderated
 *   like the rest of the record, so LiveKit's data channel stays closed;
 * - nobody changes their own name, metadata or attributes (`canUpdateOwnMetadata` false): the
 *   role shown on a tile must be the one we signed;
 * - no admin, create, list, record or hidden grants: a participant's token can do nothing but
 *   take part in its own call.
 */
export function grantsFor(role: ParticipantRole, roomId: string): VideoGrant {
  const sources = [TrackSource.CAMERA, TrackSource.MICROPHONE];
  if (role === "provider") sources.push(TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO);
  return {
    room: roomId,
    roomJoin: true,
    canSubscribe: true,
    canPublish: true,
    canPublishSources: sources,
    canPublishData: false,
    canUpdateOwnMetadata: false,
  };
}

/**
 * A LiveKit access token for one participant of one room: identity is our participant id (so
 * LiveKit's webhooks and participant lists name our participants), name is their display name,
 * and the role, privilege and group (a room user's `doctor`, `interpreter`…; left out when
 * there is none) ride in both `attributes` (livekit-client's `participant.attributes`) and the
 * JSON metadata (`{"role":…}`) so the browser can label tiles. Valid for
 * LIVEKIT_TOKEN_TTL_SECONDS: long enough to connect; a reconnect after that joins again.
 */
export async function mintParticipantToken(
  config: LivekitConfig,
  input: {
    roomId: string;
    participant: { id: string; role: ParticipantRole; displayName: string; privilege: "plus" | "basic"; group: string | null };
  },
): Promise<{ token: string; expiresAt: Date }> {
  const { participant } = input;
  const shown: Record<string, string> = { role: participant.role, privilege: participant.privilege };
  if (participant.group !== null) shown.group = participant.group;
  const token = new AccessToken(config.apiKey, config.apiSecret, {
    identity: participant.id,
    name: participant.displayName,
    ttl: config.tokenTtlSeconds,
    attributes: shown,
    metadata: JSON.stringify(shown),
  });
  token.addGrant(grantsFor(participant.role, input.roomId));
  const jwt = await token.toJwt();
  // The SDK stamps `exp` from its own clock; report exactly what it signed.
  const { exp } = decodeJwt(jwt);
  return { token: jwt, expiresAt: new Date(exp! * 1000) };
}
