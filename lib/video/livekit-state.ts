/**
 * What LiveKit's state means for our call screen, as plain functions of plain values (so they
 * are tested without a browser or a LiveKit server): a remote participant as our
 * RemoteParticipant, the room's connection as ours, what a failed connect or an unexpected
 * disconnect calls for, and one stats report from several tracks'.
 */
import { ConnectionErrorReason, ConnectionQuality, ConnectionState, DisconnectReason } from "livekit-client";
import type { CallApiError } from "./call-api";
import type { StatsReport } from "./stats";
import type { RemoteParticipant } from "./transport";

/** The parts of a LiveKit participant the call screen shows. */
export type LiveKitParticipantView = {
  identity: string;
  name?: string;
  attributes: Readonly<Record<string, string>>;
  metadata?: string;
  connectionQuality: ConnectionQuality;
  /** The published microphone and camera; undefined until the participant publishes them. */
  microphone?: { isMuted: boolean };
  camera?: { isMuted: boolean };
};

const ROLES: readonly string[] = ["patient", "provider", "guest", "member"] satisfies RemoteParticipant["role"][];

/** Who our token says the participant is (lib/livekit/token.ts): role, privilege and group. */
export type TokenIdentity = Pick<RemoteParticipant, "role" | "privilege" | "group">;

/**
 * Who our token says the participant is: the `role`, `privilege` and `group` attributes, else
 * the same in the JSON metadata; null without a role of ours (not a participant we admitted).
 */
export function identityOf(attributes: Readonly<Record<string, string>>, metadata: string | undefined): TokenIdentity | null {
  let source: Record<string, unknown> = attributes;
  if (!ROLES.includes(attributes.role ?? "")) {
    if (!metadata) return null;
    try {
      const parsed: unknown = JSON.parse(metadata);
      if (!parsed || typeof parsed !== "object") return null;
      source = parsed as Record<string, unknown>;
    } catch {
      return null; // metadata that is not ours
    }
  }
  const { role, privilege, group } = source;
  if (typeof role !== "string" || !ROLES.includes(role)) return null;
  return {
    role: role as RemoteParticipant["role"],
    privilege: privilege === "plus" ? "plus" : "basic",
    group: typeof group === "string" && group !== "" ? group : null,
  };
}


/**
 * A remote participant's link as a peer connection state, so the screen's states work as they
 * do for peer-to-peer: while our own room connection is down, or LiveKit has lost the other
 * person's, the link is interrupted (`disconnected`: the screen says reconnecting).
 */
export function connectionOf(room: ConnectionState, quality: ConnectionQuality): RTCPeerConnectionState {
  switch (room) {
    case ConnectionState.Connected:
      return quality === ConnectionQuality.Lost ? "disconnected" : "connected";
    case ConnectionState.Connecting:
      return "connecting";
    case ConnectionState.Reconnecting:
    case ConnectionState.SignalReconnecting:
      return "disconnected";
    case ConnectionState.Disconnected:
      return "closed";
  }
}

/** Our link to the server: the network is up and the LiveKit room connected. */
export function signalingConnectedOf(room: ConnectionState, online: boolean): boolean {
  return online && room === ConnectionState.Connected;
}

/**
 * Our RemoteParticipant for a LiveKit one, or null for a participant our server did not
 * admit with a role (a recorder or agent LiveKit may add): the screen shows people only.
 */
export function remoteParticipantOf(view: LiveKitParticipantView, room: ConnectionState, stream: MediaStream | null): RemoteParticipant | null {
  const identity = identityOf(view.attributes, view.metadata);
  if (!identity) return null;
  return {
    participantId: view.identity,
    ...identity,
    displayName: view.name ?? "",
    // Nothing published yet counts as off: the badge shows until the track arrives.
    audio: view.microphone ? !view.microphone.isMuted : false,
    video: view.camera ? !view.camera.isMuted : false,
    stream,
    connection: connectionOf(room, view.connectionQuality),
  };
}

export const LIVEKIT_UNREACHABLE_MESSAGE =
  "The video service cannot be reached right now. Check your connection and press Try again; if it keeps happening, tell the clinic.";
export const LIVEKIT_REFUSED_MESSAGE = "The video service did not accept this call's access. Press Try again; if it keeps happening, tell the clinic.";
export const JOINED_ELSEWHERE_MESSAGE = "You joined this call from another window or device, so it was closed here. Press Try again to continue here.";

/** A failure the call screen shows with its code (see CallScreen's error state). */
export function callFailure(code: "livekit_unreachable" | "livekit_refused" | "joined_elsewhere", cause?: unknown): CallApiError {
  const message = { livekit_unreachable: LIVEKIT_UNREACHABLE_MESSAGE, livekit_refused: LIVEKIT_REFUSED_MESSAGE, joined_elsewhere: JOINED_ELSEWHERE_MESSAGE }[code];
  return Object.assign(new Error(message, { cause }), { code });
}

/**
 * What a failed `Room.connect` calls for: `refused` (the token was not accepted: join again
 * for a fresh one), `cancelled` (we disconnected ourselves), or `unreachable` (anything else:
 * no server answered, or not in time).
 */
export function connectProblemOf(error: unknown): "refused" | "cancelled" | "unreachable" {
  if (error instanceof Error && error.name === "ConnectionError") {
    const reason = (error as Error & { reason: ConnectionErrorReason }).reason;
    if (reason === ConnectionErrorReason.NotAllowed) return "refused";
    if (reason === ConnectionErrorReason.Cancelled) return "cancelled";
  }
  return "unreachable";
}

/**
 * What a disconnect we did not ask for calls for: nothing (we asked), stop here (the same
 * participant connected elsewhere; connecting again would throw that one out), or join again
 * and reconnect (LiveKit gave up reconnecting, or the server removed us).
 */
export function afterDisconnect(reason: DisconnectReason | undefined): "ignore" | "elsewhere" | "recover" {
  if (reason === DisconnectReason.CLIENT_INITIATED) return "ignore";
  if (reason === DisconnectReason.DUPLICATE_IDENTITY) return "elsewhere";
  return "recover";
}

/** A token that cannot connect any more (or will not within `marginMs`): join again first. */
export function tokenExpired(expiresAt: string, now: number, marginMs = 5_000): boolean {
  return Date.parse(expiresAt) - marginMs <= now;
}

/**
 * One stats report from several (each track's sender or receiver): entries by id, the first
 * kept. Reports of one peer connection share their transport and candidate entries; when
 * publishing and subscribing use two, the first report's (ours: the publisher's) selected
 * pair is the one the summary reads, and every report's RTP streams count.
 */
export function mergeStatsReports(reports: StatsReport[]): Map<string, unknown> {
  const merged = new Map<string, unknown>();
  for (const report of reports) {
    report.forEach((value, id) => {
      if (!merged.has(id)) merged.set(id, value);
    });
  }
  return merged;
}
