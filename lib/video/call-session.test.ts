// The call session's lifecycle, with a fake media and the browser's EventSource, window and
// fetch stood in: what it asks of the server, when it joins again, and what the screen hears.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage } from "@/lib/chat/schema";
import type { VideoRoom } from "@/lib/rooms/schema";
import { CallSession, type CallMedia } from "./call-session";
import type { TransportListener, TransportSnapshot } from "./transport";

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, ((message: { data: string; lastEventId: string }) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(event: string, listener: (message: { data: string; lastEventId: string }) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  emit(event: string, data: unknown, lastEventId = ""): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ data: JSON.stringify(data), lastEventId });
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

/** The device check's stream, as far as the session reads it. */
const NO_TRACKS = { getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;
const PARTICIPANT = "6f1c3c1e-2b1f-4f5e-9d55-1f8f7a9a1b11";

function joinedRoom(lastEventId: number): VideoRoom {
  const now = new Date().toISOString();
  return {
    consultationId: "0b8d2c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
    roomId: "1c9e3d5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
    status: "InProgress",
    transport: "p2p",
    maxParticipants: 2,
    participant: { participantId: PARTICIPANT, role: "patient", displayName: "Alex", privilege: "basic", group: null },
    connectionId: "2d0f4e6a-7b8c-4d9e-8f1a-2b3c4d5e6f7a",
    livekit: null,
    iceServers: [],
    iceTransportPolicy: "all",
    signaling: { events: "/api/rooms/r/events?participantId=p", send: "/api/rooms/r/signals?participantId=p", lastEventId },
    timer: { startedAt: now, endsAt: now, warnAt: now, durationMinutes: 30, serverTime: now },
  };
}

function fakeMedia() {
  const media = {
    streamEvents: {},
    streamOpened: vi.fn(),
    streamStatusChanged: vi.fn(),
    connect: vi.fn(async () => {}),
    online: vi.fn(),
    linkUp: vi.fn(() => true),
    participants: vi.fn(() => []),
    wantedChanged: vi.fn(),
    replaceVideoTrack: vi.fn(async () => {}),
    connectionStats: vi.fn(async () => ({ transport: "p2p" as const, roundTripTimeMs: null, packetLossPercent: null, inboundBitrateKbps: null, outboundBitrateKbps: null, candidateType: null })),
    audioLevels: vi.fn(async () => new Map<string, number>()),
    close: vi.fn(),
  } satisfies CallMedia;
  return media;
}

function fakeListener() {
  return {
    onChange: vi.fn<(snapshot: TransportSnapshot) => void>(),
    onEnded: vi.fn<(how: "ended" | "timeout") => void>(),
    onFailure: vi.fn<(error: Error) => void>(),
    onChat: vi.fn<(message: ChatMessage) => void>(),
  } satisfies TransportListener;
}

const fetchMock = vi.fn(async () => new Response(JSON.stringify({ data: { ok: true } }), { status: 200 }));
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  FakeEventSource.opened = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.stubGlobal("window", new EventTarget());
  vi.stubGlobal("navigator", { onLine: true });
  vi.stubGlobal("fetch", fetchMock);
  fetchMock.mockClear();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("CallSession", () => {
  it("opens the room stream at the join's cursor, connects the media, and hands chat and the end to the screen", async () => {
    const media = fakeMedia();
    const listener = fakeListener();
    const session = new CallSession(joinedRoom(41), NO_TRACKS, listener, vi.fn(), () => media);
    session.start();
    await flush();
    const [stream] = FakeEventSource.opened;
    expect(stream!.url).toBe("/api/rooms/r/events?participantId=p&after=41");
    expect(media.streamOpened).toHaveBeenCalledTimes(1);
    expect(media.connect).toHaveBeenCalledTimes(1);

    stream!.emit("chat", { id: 7, body: "hello" }, "42");
    expect(listener.onChat).toHaveBeenCalledWith({ id: 7, body: "hello" });
    stream!.emit("room-ended", { reason: "timeout" });
    await flush();
    expect(listener.onEnded).toHaveBeenCalledWith("timeout");
    expect(media.close).toHaveBeenCalledTimes(1);
    expect(stream!.readyState).toBe(FakeEventSource.CLOSED);
  });

  it("joins again when the server counts it out, on a new stream from the new join, then reconnects the media", async () => {
    const media = fakeMedia();
    const rejoin = vi.fn(async () => joinedRoom(90));
    const session = new CallSession(joinedRoom(41), NO_TRACKS, fakeListener(), rejoin, () => media);
    session.start();
    await flush();
    FakeEventSource.opened[0]!.emit("rejoin", {});
    await flush();
    expect(rejoin).toHaveBeenCalledTimes(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[0]!.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.opened[1]!.url).toBe("/api/rooms/r/events?participantId=p&after=90");
    expect(media.streamOpened).toHaveBeenCalledTimes(2);
    expect(media.connect).toHaveBeenCalledTimes(2);
  });

  it("tries joining again every 3 s while offline, and stops with the server's refusal", async () => {
    vi.useFakeTimers();
    const media = fakeMedia();
    const listener = fakeListener();
    const refused = Object.assign(new Error("The room was deleted."), { status: 410, code: "room_deleted" });
    const rejoin = vi
      .fn<() => Promise<VideoRoom>>()
      .mockRejectedValueOnce(Object.assign(new Error("offline"), { code: "network_unavailable" }))
      .mockRejectedValueOnce(refused);
    const session = new CallSession(joinedRoom(41), NO_TRACKS, listener, rejoin, () => media);
    session.start();
    session.recover(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(rejoin).toHaveBeenCalledTimes(1);
    expect(listener.onFailure).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(rejoin).toHaveBeenCalledTimes(2);
    expect(listener.onFailure).toHaveBeenCalledWith(refused);
    expect(media.close).toHaveBeenCalledTimes(1);
  });

  it("ends (not fails) when joining again finds the call ended: the host's end can beat our stream's room-ended", async () => {
    const media = fakeMedia();
    const listener = fakeListener();
    const ended = Object.assign(new Error("This consultation has ended."), { status: 410, code: "consultation_completed" });
    const session = new CallSession(joinedRoom(41), NO_TRACKS, listener, vi.fn<() => Promise<VideoRoom>>().mockRejectedValue(ended), () => media);
    session.start();
    session.recover();
    await vi.waitFor(() => expect(listener.onEnded).toHaveBeenCalledWith("ended"));
    expect(listener.onFailure).not.toHaveBeenCalled();
    expect(media.close).toHaveBeenCalledTimes(1);
  });

  it("reports the link as the media sees it, and on the network's return reopens a stream the browser gave up", async () => {
    const media = fakeMedia();
    const listener = fakeListener();
    const session = new CallSession(joinedRoom(41), NO_TRACKS, listener, vi.fn(), () => media);
    session.start();
    const stream = FakeEventSource.opened[0]!;
    stream.close(); // the browser no longer retries
    media.linkUp.mockReturnValue(false);
    window.dispatchEvent(new Event("offline"));
    expect(session.online).toBe(false);
    expect(listener.onChange).toHaveBeenLastCalledWith({ signalingConnected: false, participants: [] });
    window.dispatchEvent(new Event("online"));
    expect(session.online).toBe(true);
    expect(media.online).toHaveBeenCalledTimes(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[1]!.url).toBe("/api/rooms/r/events?participantId=p&after=41");
  });

  it("turns the local tracks on and off as asked and tells the media", () => {
    const media = fakeMedia();
    const track = { kind: "audio", enabled: true } as MediaStreamTrack;
    const local = { getAudioTracks: () => [track], getVideoTracks: () => [] } as unknown as MediaStream;
    const session = new CallSession(joinedRoom(41), local, fakeListener(), vi.fn(), () => media);
    session.setMicrophoneEnabled(false);
    expect(track.enabled).toBe(false);
    expect(session.wanted).toEqual({ audio: false, video: true });
    expect(media.wantedChanged).toHaveBeenCalledWith("audio");
  });

  it("leaves (POST leave, then closes) and ends for everyone (POST end with the reason)", async () => {
    const media = fakeMedia();
    const session = new CallSession(joinedRoom(41), NO_TRACKS, fakeListener(), vi.fn(), () => media);
    session.start();
    await session.endForEveryone("ended_by_provider");
    expect(fetchMock).toHaveBeenLastCalledWith(
      `/api/rooms/1c9e3d5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f/end?participantId=${PARTICIPANT}`,
      expect.objectContaining({ method: "POST", body: JSON.stringify({ reason: "ended_by_provider" }) }),
    );
    expect(media.close).not.toHaveBeenCalled();
    await session.leave();
    expect(fetchMock).toHaveBeenLastCalledWith(`/api/rooms/1c9e3d5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f/leave?participantId=${PARTICIPANT}`, expect.objectContaining({ method: "POST" }));
    expect(media.close).toHaveBeenCalledTimes(1);
  });
});
