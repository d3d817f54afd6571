import { ConnectionError, ConnectionQuality, ConnectionState, DisconnectReason } from "livekit-client";
import { describe, expect, it } from "vitest";
import {
  afterDisconnect,
  callFailure,
  connectProblemOf,
  connectionOf,
  LIVEKIT_UNREACHABLE_MESSAGE,
  mergeStatsReports,
  remoteParticipantOf,
  identityOf,
  signalingConnectedOf,
  tokenExpired,
  type LiveKitParticipantView,
} from "./livekit-state";
import { summarizeStats } from "./stats";
import { callStateOf } from "./transport";

// What lib/livekit/token.ts signs: the role in both the attributes and the JSON metadata.
const provider: LiveKitParticipantView = {
  identity: "3f9a1c52-8e0b-4d1e-9a55-0c6f3b2d7e10",
  name: "Dr. Ana Martínez",
  attributes: { role: "provider", privilege: "plus" },
  metadata: JSON.stringify({ role: "provider", privilege: "plus" }),
  connectionQuality: ConnectionQuality.Good,
  microphone: { isMuted: false },
  camera: { isMuted: true },
};

describe("identityOf", () => {
  it("reads the role attribute first, then the JSON metadata, and refuses anything else", () => {
    const role = (attributes: Record<string, string>, metadata: string | undefined) => identityOf(attributes, metadata)?.role ?? null;
    expect(role({ role: "patient" }, JSON.stringify({ role: "provider" }))).toBe("patient");
    expect(role({}, JSON.stringify({ role: "provider" }))).toBe("provider");
    expect(role({ role: "admin" }, undefined)).toBeNull();
    expect(role({}, "not json")).toBeNull();
    expect(role({}, JSON.stringify({ role: "recorder" }))).toBeNull();
    expect(role({}, "null")).toBeNull();
  });

  it("reads a standalone room member's group and privilege; a token without them is a basic participant without a group", () => {
    expect(identityOf({ role: "member", privilege: "plus", group: "doctor" }, undefined)).toEqual({ role: "member", privilege: "plus", group: "doctor" });
    expect(identityOf({}, JSON.stringify({ role: "guest", privilege: "basic", group: "interpreter" }))).toEqual({ role: "guest", privilege: "basic", group: "interpreter" });
    expect(identityOf({ role: "patient" }, undefined)).toEqual({ role: "patient", privilege: "basic", group: null });
    expect(identityOf({ role: "member", privilege: "root", group: "" }, undefined)).toEqual({ role: "member", privilege: "basic", group: null });
  });
});

describe("remoteParticipantOf", () => {
  it("maps identity, name, role, privilege, group, track mute state and the stream", () => {
    const stream = {} as MediaStream;
    expect(remoteParticipantOf(provider, ConnectionState.Connected, stream)).toEqual({
      participantId: provider.identity,
      role: "provider",
      privilege: "plus",
      group: null,
      displayName: "Dr. Ana Martínez",
      audio: true,
      video: false,
      stream,
      connection: "connected",
    });
  });

  it("counts tracks not published yet as off, and a missing name as empty", () => {
    const joining = remoteParticipantOf({ ...provider, name: undefined, microphone: undefined, camera: undefined }, ConnectionState.Connected, null);
    expect(joining).toMatchObject({ displayName: "", audio: false, video: false, stream: null });
  });

  it("leaves out a participant without one of our roles (a recorder or an agent)", () => {
    expect(remoteParticipantOf({ ...provider, attributes: {}, metadata: undefined }, ConnectionState.Connected, null)).toBeNull();
  });
});

describe("connectionOf and signalingConnectedOf", () => {
  it("maps the room's connection and the other person's quality to a peer connection state", () => {
    expect(connectionOf(ConnectionState.Connected, ConnectionQuality.Excellent)).toBe("connected");
    expect(connectionOf(ConnectionState.Connected, ConnectionQuality.Unknown)).toBe("connected");
    expect(connectionOf(ConnectionState.Connected, ConnectionQuality.Lost)).toBe("disconnected");
    expect(connectionOf(ConnectionState.Connecting, ConnectionQuality.Good)).toBe("connecting");
    expect(connectionOf(ConnectionState.Reconnecting, ConnectionQuality.Good)).toBe("disconnected");
    expect(connectionOf(ConnectionState.SignalReconnecting, ConnectionQuality.Good)).toBe("disconnected");
    expect(connectionOf(ConnectionState.Disconnected, ConnectionQuality.Good)).toBe("closed");
  });

  it("is connected only while online and the room is connected", () => {
    expect(signalingConnectedOf(ConnectionState.Connected, true)).toBe(true);
    expect(signalingConnectedOf(ConnectionState.Connected, false)).toBe(false);
    expect(signalingConnectedOf(ConnectionState.Reconnecting, true)).toBe(false);
    expect(signalingConnectedOf(ConnectionState.Connecting, true)).toBe(false);
  });

  it("gives the call screen's states: active, reconnecting when the other person's link is lost, waiting before", () => {
    const snapshot = (room: ConnectionState, quality: ConnectionQuality, online = true) => ({
      signalingConnected: signalingConnectedOf(room, online),
      participants: [remoteParticipantOf({ ...provider, connectionQuality: quality }, room, null)!],
    });
    expect(callStateOf(snapshot(ConnectionState.Connected, ConnectionQuality.Good), false)).toBe("active");
    expect(callStateOf(snapshot(ConnectionState.Connected, ConnectionQuality.Lost), true)).toBe("reconnecting");
    expect(callStateOf(snapshot(ConnectionState.Connected, ConnectionQuality.Lost), false)).toBe("waiting");
    expect(callStateOf(snapshot(ConnectionState.Reconnecting, ConnectionQuality.Good), true)).toBe("reconnecting");
    expect(callStateOf(snapshot(ConnectionState.Connected, ConnectionQuality.Good, false), true)).toBe("reconnecting");
  });
});

describe("connectProblemOf", () => {
  it("tells a refused token from a cancelled attempt from a server that cannot be reached", () => {
    expect(connectProblemOf(ConnectionError.notAllowed("token is expired", 401))).toBe("refused");
    expect(connectProblemOf(ConnectionError.cancelled("Connection attempt aborted"))).toBe("cancelled");
    expect(connectProblemOf(ConnectionError.serverUnreachable("could not establish signal connection"))).toBe("unreachable");
    expect(connectProblemOf(ConnectionError.timeout("timed out"))).toBe("unreachable");
    expect(connectProblemOf(ConnectionError.websocket("websocket error", 502))).toBe("unreachable");
    expect(connectProblemOf(new Error("LiveKit did not connect within 15 s"))).toBe("unreachable");
  });
});

describe("callFailure", () => {
  it("carries the code the call screen shows and the person's message", () => {
    const cause = ConnectionError.serverUnreachable("could not establish signal connection");
    const failure = callFailure("livekit_unreachable", cause);
    expect(failure.code).toBe("livekit_unreachable");
    expect(failure.message).toBe(LIVEKIT_UNREACHABLE_MESSAGE);
    expect(failure.cause).toBe(cause);
    expect(callFailure("joined_elsewhere").message).toMatch(/another window or device/);
  });
});

describe("afterDisconnect", () => {
  it("ignores our own disconnect, stops when the same person connected elsewhere, recovers otherwise", () => {
    expect(afterDisconnect(DisconnectReason.CLIENT_INITIATED)).toBe("ignore");
    expect(afterDisconnect(DisconnectReason.DUPLICATE_IDENTITY)).toBe("elsewhere");
    expect(afterDisconnect(DisconnectReason.JOIN_FAILURE)).toBe("recover");
    expect(afterDisconnect(DisconnectReason.PARTICIPANT_REMOVED)).toBe("recover");
    expect(afterDisconnect(undefined)).toBe("recover");
  });
});

describe("tokenExpired", () => {
  const expiresAt = "2026-11-21T10:10:00.000Z";
  const at = (iso: string) => Date.parse(iso);
  it("is expired at or past its time, or within the margin of it", () => {
    expect(tokenExpired(expiresAt, at("2026-11-21T10:00:00.000Z"))).toBe(false);
    expect(tokenExpired(expiresAt, at("2026-11-21T10:09:54.000Z"))).toBe(false);
    expect(tokenExpired(expiresAt, at("2026-11-21T10:09:56.000Z"))).toBe(true);
    expect(tokenExpired(expiresAt, at("2026-11-21T10:11:00.000Z"))).toBe(true);
  });
});

describe("mergeStatsReports", () => {
  // Two peer connections (LiveKit's publisher and subscriber) both name their transport "T01".
  const publisher = (bytesSent: number) =>
    new Map<string, unknown>([
      ["T01", { id: "T01", type: "transport", selectedCandidatePairId: "CPpub" }],
      ["CPpub", { id: "CPpub", type: "candidate-pair", currentRoundTripTime: 0.042, localCandidateId: "Lpub" }],
      ["Lpub", { id: "Lpub", type: "local-candidate", candidateType: "srflx" }],
      ["OT01V1", { id: "OT01V1", type: "outbound-rtp", bytesSent }],
    ]);
  const subscriber = (bytesReceived: number, packetsReceived: number) =>
    new Map<string, unknown>([
      ["T01", { id: "T01", type: "transport", selectedCandidatePairId: "CPsub" }],
      ["CPsub", { id: "CPsub", type: "candidate-pair", currentRoundTripTime: 0.9, localCandidateId: "Lsub" }],
      ["Lsub", { id: "Lsub", type: "local-candidate", candidateType: "relay" }],
      ["IT01V2", { id: "IT01V2", type: "inbound-rtp", bytesReceived, packetsReceived, packetsLost: 10 }],
    ]);

  it("keeps the first report's entries and adds every report's streams, so the summary reads both directions", () => {
    const before = mergeStatsReports([publisher(0), subscriber(0, 0)]);
    const after = mergeStatsReports([publisher(125_000), subscriber(250_000, 990)]);
    expect((after.get("T01") as { selectedCandidatePairId: string }).selectedCandidatePairId).toBe("CPpub");
    expect(summarizeStats("livekit", before, after, 1)).toEqual({
      transport: "livekit",
      roundTripTimeMs: 42,
      packetLossPercent: 1,
      inboundBitrateKbps: 2000,
      outboundBitrateKbps: 1000,
      candidateType: "srflx",
    });
  });
});
