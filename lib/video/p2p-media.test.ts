// The peer-to-peer call's negotiation, whatever the timing: browsers stood in by a fake
// RTCPeerConnection (offer/answer states, implicit rollback, one ICE candidate per description)
// and the server by an in-memory room log (joins with their cursor and presence, `hello`,
// signals in order per reader). A seeded scheduler interleaves joins, stream openings and
// deliveries at random; every pair must end with matching descriptions, one offer each way,
// and no offer rolled back (which in Chromium can leave a connection without candidates).
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallSession } from "./call-session";
import { offersFirst, P2PMedia } from "./p2p-media";
import type { Peer } from "./p2p-peer";

type Description = { type: "offer" | "answer"; sdp: string };

/** Every fake connection made, to find a connection's other end. */
let connections: FakePeerConnection[] = [];
let made = 0;

class FakePeerConnection {
  readonly id = ++made;
  signalingState: RTCSignalingState = "stable";
  connectionState: RTCPeerConnectionState = "new";
  localDescription: (Description & { toJSON(): Description }) | null = null;
  remoteDescription: Description | null = null;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: { toJSON(): RTCIceCandidateInit } | null }) => void) | null = null;
  ontrack: ((event: { track: unknown }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  /** Offers this connection took back for the other side's. */
  rollbacks = 0;
  offers = 0;
  /** Candidates for a description this connection does not hold as the remote one (a stale or crossed signal). */
  stray = 0;
  private readonly senders: { track: unknown; replaceTrack(): Promise<void> }[] = [];
  /** Senders covered by the last description applied on both sides, and by the one in flight. */
  private negotiated = 0;
  private pending = 0;
  private iceRestart = false;
  private descriptions = 0;
  private operations: Promise<unknown> = Promise.resolve();

  constructor() {
    connections.push(this);
  }

  addTrack(track: unknown) {
    const sender = { track, replaceTrack: async () => {} };
    this.senders.push(sender);
    this.checkNegotiation();
    return sender;
  }

  getSenders() {
    return this.senders;
  }

  getReceivers() {
    return [];
  }

  async getStats() {
    return new Map();
  }

  restartIce() {
    this.iceRestart = true;
    this.checkNegotiation();
  }

  /** Like the browser: negotiation is needed when stable with something not yet described; fired as a task. */
  private checkNegotiation() {
    if (this.signalingState !== "stable" || (this.senders.length <= this.negotiated && !this.iceRestart)) return;
    setTimeout(() => {
      if (this.signalingState === "stable" && (this.senders.length > this.negotiated || this.iceRestart)) this.onnegotiationneeded?.();
    }, 0);
  }

  /** Operations run one at a time, in the order called (the browser's operations chain). */
  private enqueue<T>(operation: () => T): Promise<T> {
    const next = this.operations.then(operation);
    this.operations = next.catch(() => {});
    return next;
  }

  setLocalDescription(): Promise<void> {
    return this.enqueue(() => {
      if (this.signalingState === "closed") throw new Error("closed");
      const type = this.signalingState === "stable" ? "offer" : this.signalingState === "have-remote-offer" ? "answer" : null;
      if (!type) throw new Error(`InvalidStateError: setLocalDescription in ${this.signalingState}`);
      const sdp = `pc${this.id}-${type}${++this.descriptions}`;
      this.localDescription = { type, sdp, toJSON: () => ({ type, sdp }) };
      if (type === "offer") {
        this.offers++;
        this.pending = this.senders.length;
        this.iceRestart = false;
        this.signalingState = "have-local-offer";
      } else {
        this.negotiated = this.senders.length;
        this.becomeStable();
      }
      setTimeout(() => this.onicecandidate?.({ candidate: { toJSON: () => ({ candidate: `candidate for ${sdp}`, sdpMid: "0" }) } }), 0);
    });
  }

  setRemoteDescription(description: Description): Promise<void> {
    return this.enqueue(() => {
      if (this.signalingState === "closed") throw new Error("closed");
      if (description.type === "offer") {
        if (this.signalingState === "have-local-offer") {
          this.rollbacks++;
          this.localDescription = null;
        }
        this.remoteDescription = description;
        this.signalingState = "have-remote-offer";
        return;
      }
      if (this.signalingState !== "have-local-offer") throw new Error(`InvalidStateError: an answer in ${this.signalingState}`);
      this.remoteDescription = description;
      this.negotiated = this.pending;
      this.becomeStable();
    });
  }

  private becomeStable() {
    this.signalingState = "stable";
    if (this.connectionState !== "connected") {
      this.connectionState = "connected";
      this.onconnectionstatechange?.();
    }
    this.checkNegotiation();
  }

  addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void> {
    return this.enqueue(() => {
      if (!this.remoteDescription) throw new Error("InvalidStateError: no remote description");
      if (candidate && candidate.candidate !== `candidate for ${this.remoteDescription.sdp}`) this.stray++;
    });
  }

  close() {
    this.signalingState = "closed";
    this.connectionState = "closed";
    // The other end notices: its connection fails (and the call restarts ICE on it).
    const mine = this.localDescription?.sdp;
    for (const other of connections) {
      if (other !== this && other.signalingState !== "closed" && mine && other.remoteDescription?.sdp === mine) {
        setTimeout(() => {
          if (other.signalingState === "closed") return;
          other.connectionState = "failed";
          other.onconnectionstatechange?.();
        }, 0);
      }
    }
  }
}

class FakeMediaStream {
  private readonly tracks: unknown[];
  constructor(tracks: unknown[] = []) {
    this.tracks = [...tracks];
  }
  getTracks() {
    return this.tracks;
  }
  addTrack(track: unknown) {
    this.tracks.push(track);
  }
  removeTrack(track: unknown) {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
}

type RoomEvent = { id: number; kind: "presence" | "signal" | "media"; sender: string; recipient: string | null; payload: Record<string, unknown> };

/** The server as the browsers see it: joins (a cursor, then a presence), `hello`, and signals relayed in order. */
class FakeRoom {
  readonly events: RoomEvent[] = [];
  /** Who is in the call, with their latest connection. */
  readonly present = new Map<string, string>();

  join(participantId: string): { connectionId: string; cursor: number } {
    const cursor = this.events.length;
    const connectionId = randomUUID();
    this.present.set(participantId, connectionId);
    this.publish("presence", participantId, null, { state: "joined", participantId, role: "member", displayName: participantId, group: null, privilege: "basic", connectionId });
    return { connectionId, cursor };
  }

  hello(participantId: string) {
    const participants = [...this.present]
      .filter(([id]) => id !== participantId)
      .map(([id, connectionId]) => ({ participantId: id, role: "member", displayName: id, group: null, privilege: "basic", connectionId, audio: true, video: true }));
    return { participantId, participants };
  }

  post(sender: string, body: Record<string, unknown>) {
    const signals = (body.signals as Record<string, unknown>[] | undefined) ?? [body];
    for (const signal of signals) {
      if (signal.kind === "media") this.publish("media", sender, null, { participantId: sender, connectionId: signal.connectionId, audio: signal.audio, video: signal.video });
      else {
        const { to, ...payload } = signal;
        this.publish("signal", sender, to as string, { ...payload, from: sender });
      }
    }
  }

  after(participantId: string, cursor: number): RoomEvent[] {
    return this.events.filter((e) => e.id > cursor && e.sender !== participantId && (e.recipient === null || e.recipient === participantId));
  }

  private publish(kind: RoomEvent["kind"], sender: string, recipient: string | null, payload: Record<string, unknown>) {
    this.events.push({ id: this.events.length + 1, kind, sender, recipient, payload });
  }
}

/** One browser page in the call: its join, its stream (hello first, then the room's events in order) and its mesh. */
class FakePage {
  readonly media: P2PMedia;
  private cursor: number;
  helloed = false;
  closed = false;

  constructor(
    private readonly room: FakeRoom,
    readonly participantId: string,
  ) {
    const joined = room.join(participantId);
    this.cursor = joined.cursor;
    const session = {
      room: {
        participant: { participantId },
        connectionId: joined.connectionId,
        iceServers: [],
        iceTransportPolicy: "all",
        signaling: { send: `/api/rooms/r/signals?participantId=${participantId}` },
      },
      local: new FakeMediaStream([{ kind: "audio" }, { kind: "video" }]),
      closed: false,
      online: true,
      roomStreamConnected: true,
      wanted: { audio: true, video: true },
      changed: () => {},
    };
    this.media = new P2PMedia(session as unknown as CallSession);
    this.media.streamOpened();
  }

  get connectionId(): string {
    return (this.media as unknown as { session: { room: { connectionId: string } } }).session.room.connectionId;
  }

  hello() {
    this.helloed = true;
    this.media.streamEvents.hello(this.room.hello(this.participantId) as never);
  }

  get waiting(): boolean {
    return this.helloed && !this.closed && this.room.after(this.participantId, this.cursor).length > 0;
  }

  deliverOne() {
    const event = this.room.after(this.participantId, this.cursor)[0]!;
    this.cursor = event.id;
    void this.media.streamEvents[event.kind](event.payload as never);
  }

  /** The page goes away (a reload): its connections close. */
  close() {
    this.closed = true;
    (this.media as unknown as { session: { closed: boolean } }).session.closed = true;
    this.media.close();
  }

  peerFor(participantId: string): Peer | undefined {
    return (this.media as unknown as { peers: Map<string, Peer> }).peers.get(participantId);
  }
}

/** A small seeded generator, so a failing schedule can be run again. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs `steps` (joins, reloads…: each may run once its `ready` says so) interleaved at random
 * with stream openings and deliveries, letting the browsers' tasks run in between, until
 * nothing is left to do.
 */
async function schedule(random: () => number, pages: () => FakePage[], steps: { ready: () => boolean; run: () => void }[]): Promise<void> {
  const left = [...steps];
  for (let idle = 0; idle < 20; ) {
    const actions: (() => void)[] = [];
    for (const step of left) if (step.ready()) actions.push(() => left.splice(left.indexOf(step), 1)[0]!.run());
    for (const page of pages()) {
      if (!page.helloed && !page.closed) actions.push(() => page.hello());
      if (page.waiting) actions.push(() => page.deliverOne());
    }
    if (actions.length === 0 || random() < 0.3) {
      await tick();
      idle = actions.length === 0 ? idle + 1 : 0;
      continue;
    }
    actions[Math.floor(random() * actions.length)]!();
    idle = 0;
  }
}

/** Both ends of a pair hold each other's descriptions, stable, the first negotiation made by one offer and not rolled back. */
function expectConnected(a: FakePage, b: FakePage) {
  const ab = a.peerFor(b.participantId)?.pc as unknown as FakePeerConnection | undefined;
  const ba = b.peerFor(a.participantId)?.pc as unknown as FakePeerConnection | undefined;
  expect(ab && ba, `${a.participantId} and ${b.participantId} each have a connection to the other`).toBeTruthy();
  expect(a.peerFor(b.participantId)!.info.connectionId).toBe(b.connectionId);
  expect(b.peerFor(a.participantId)!.info.connectionId).toBe(a.connectionId);
  expect([ab!.signalingState, ba!.signalingState]).toEqual(["stable", "stable"]);
  expect(ab!.remoteDescription?.sdp).toBe(ba!.localDescription?.sdp);
  expect(ba!.remoteDescription?.sdp).toBe(ab!.localDescription?.sdp);
  expect(ab!.offers + ba!.offers, "one offer made the connection").toBe(1);
  expect(ab!.rollbacks + ba!.rollbacks).toBe(0);
  expect(ab!.stray + ba!.stray, "no candidate for another description").toBe(0);
}

const IDS = ["3f0c2a71-0000-4000-8000-000000000001", "9b7e5d13-0000-4000-8000-000000000002", "c4a8f6e2-0000-4000-8000-000000000003"];

beforeEach(() => {
  connections = [];
  vi.stubGlobal("RTCPeerConnection", FakePeerConnection);
  vi.stubGlobal("MediaStream", FakeMediaStream);
  vi.spyOn(console, "debug").mockImplementation(() => {});
});

let room: FakeRoom;
let opened: FakePage[];

beforeEach(() => {
  room = new FakeRoom();
  opened = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: { body: string }) => {
      room.post(new URL(url, "http://x").searchParams.get("participantId")!, JSON.parse(init.body) as Record<string, unknown>);
      return { ok: true, status: 202, headers: new Headers() };
    }),
  );
});

afterEach(() => {
  for (const page of opened) page.media.close();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const join = (participantId: string) => () => {
  opened.push(new FakePage(room, participantId));
};
const live = () => opened.filter((p) => !p.closed);

describe("who offers first", () => {
  it("is exactly one side of each pair, the same from either side", () => {
    for (const [a, b] of [[IDS[0]!, IDS[1]!], [IDS[2]!, IDS[1]!]] as const) {
      expect(offersFirst(a, b)).not.toBe(offersFirst(b, a));
    }
    expect(offersFirst(IDS[0]!, IDS[0]!)).toBe(false);
  });
});

describe("the peer-to-peer mesh comes up without a watchdog", () => {
  it("two people joining in any order and at any moment: one offer, no rollback, both connected", async () => {
    for (let seed = 1; seed <= 60; seed++) {
      room = new FakeRoom();
      opened.forEach((p) => p.media.close());
      opened = [];
      await schedule(seeded(seed), live, [
        { ready: () => true, run: join(IDS[0]!) },
        { ready: () => true, run: join(IDS[1]!) },
      ]);
      const [a, b] = opened;
      expect(opened, `seed ${seed}`).toHaveLength(2);
      expectConnected(a!, b!);
    }
  });

  it("three people joining in any order: every pair connected, no rollback", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      room = new FakeRoom();
      opened.forEach((p) => p.media.close());
      opened = [];
      await schedule(seeded(seed), live, IDS.map((id) => ({ ready: () => true, run: join(id) })));
      const [a, b, c] = opened;
      expectConnected(a!, b!);
      expectConnected(a!, c!);
      expectConnected(b!, c!);
    }
  });

  it("a page reloaded mid-call: the new page ignores what was meant for the old one, and connects afresh", async () => {
    for (const reloading of [0, 1]) {
      for (let seed = 1; seed <= 30; seed++) {
        room = new FakeRoom();
        opened.forEach((p) => p.media.close());
        opened = [];
        const random = seeded(seed * 7 + reloading);
        await schedule(random, live, [
          { ready: () => true, run: join(IDS[0]!) },
          { ready: () => true, run: join(IDS[1]!) },
        ]);
        const [stayer, old] = reloading === 0 ? [opened[1]!, opened[0]!] : [opened[0]!, opened[1]!];
        expectConnected(stayer, old);
        // The old page goes; the new one joins now or a moment later, while the stayer notices the drop.
        let gone = false;
        await schedule(random, live, [
          { ready: () => true, run: () => ((gone = true), old.close()) },
          { ready: () => gone, run: join(old.participantId) },
        ]);
        const renewed = opened.at(-1)!;
        expect(renewed).not.toBe(old);
        const ab = stayer.peerFor(renewed.participantId)!.pc as unknown as FakePeerConnection;
        const ba = renewed.peerFor(stayer.participantId)!.pc as unknown as FakePeerConnection;
        expect(stayer.peerFor(renewed.participantId)!.info.connectionId, `seed ${seed}`).toBe(renewed.connectionId);
        expect([ab.signalingState, ba.signalingState]).toEqual(["stable", "stable"]);
        expect(ab.remoteDescription?.sdp).toBe(ba.localDescription?.sdp);
        expect(ba.remoteDescription?.sdp).toBe(ab.localDescription?.sdp);
        expect(ab.rollbacks + ba.rollbacks, "no offer taken back").toBe(0);
      }
    }
  });
});
