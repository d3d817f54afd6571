import type { ChatMessage } from "@/lib/chat/schema";

/**
 * What the call screen needs from a call, whatever carries its media: CallSession implements
 * it for both transports (peer-to-peer and LiveKit), so the screen, its states and its controls
 * stay one.
 */
export type RemoteParticipant = {
  participantId: string;
  /** A consultation's patient, provider or guest, or a standalone room's member. */
  role: "patient" | "provider" | "guest" | "member";
  displayName: string;
  /** A standalone room member's group (`doctor`, `interpreter`…), shown on their tile; null for a consultation's people. */
  group: string | null;
  /** `plus`: a host (may end the call for everyone). */
  privilege: "plus" | "basic";
  audio: boolean;
  video: boolean;
  stream: MediaStream | null;
  connection: RTCPeerConnectionState;
};

export type TransportSnapshot = {
  /** Our own link to the server (network up and the realtime stream open). */
  signalingConnected: boolean;
  participants: RemoteParticipant[];
};

export type TransportListener = {
  onChange(snapshot: TransportSnapshot): void;
  /** The consultation ended for everyone: by the provider, or because its time was up. */
  onEnded(how: "ended" | "timeout"): void;
  onFailure(error: Error): void;
  /** A chat message from someone else in the room, live (the room's realtime stream carries chat for every transport). */
  onChat(message: ChatMessage): void;
};

/** The connection as it is now, for an issue report; a figure the browser cannot give is null. */
export type ConnectionStats = {
  transport: "p2p" | "livekit";
  roundTripTimeMs: number | null;
  /** Inbound packets lost, as a percentage of those expected since the connection began. */
  packetLossPercent: number | null;
  inboundBitrateKbps: number | null;
  outboundBitrateKbps: number | null;
  /** The selected ICE candidate pair's local candidate type: `relay` means through TURN. */
  candidateType: "host" | "srflx" | "prflx" | "relay" | null;
};

export interface CallTransport {
  start(): void;
  setMicrophoneEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  replaceVideoTrack(track: MediaStreamTrack): Promise<void>;
  leave(): Promise<void>;
  endForEveryone(reason: "ended_by_provider" | "timeout"): Promise<void>;
  connectionStats(): Promise<ConnectionStats>;
  /**
   * How loud each remote participant has been since the last call (0 silent … 1 full scale),
   * by participant id, from the receivers' inbound-rtp audio statistics; for the active speaker.
   */
  audioLevels(): Promise<Map<string, number>>;
  close(): void;
}

export type CallState = "waiting" | "active" | "reconnecting" | "ended" | "timeout" | "error";

/**
 * The seed's call state from what the transport sees: `reconnecting` while our own network or
 * stream is down, or a connection we had is interrupted; `active` while media flows with
 * someone; `waiting` while alone or while the other side has not connected yet.
 */
export function callStateOf(snapshot: TransportSnapshot, everConnected: boolean): Exclude<CallState, "ended" | "timeout" | "error"> {
  if (!snapshot.signalingConnected) return "reconnecting";
  if (snapshot.participants.some((p) => p.connection === "connected")) return "active";
  const interrupted = snapshot.participants.some((p) => p.connection === "disconnected" || p.connection === "failed" || p.connection === "connecting");
  return everConnected && interrupted ? "reconnecting" : "waiting";
}
