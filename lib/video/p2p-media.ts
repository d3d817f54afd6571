/**
 * The media of a peer-to-peer call: one RTCPeerConnection per other participant (a mesh),
 * signaling through the app (the room's stream down, POST up). Of each pair, one side makes the
 * first offer, whoever joined first and whatever the timing (see offersFirst), so a first
 * negotiation never collides (in Chromium, an offer rolled back while its candidates are being
 * gathered can leave the connection without candidates for good). Later renegotiations (ICE
 * restarts) may collide and are settled by "perfect negotiation" (p2p-peer.ts). A connection
 * that never comes up is replaced. Runs in the browser only; CallSession drives it.
 */
import type { CallMedia, CallSession } from "./call-session";
import { Peer, type PeerInfo, type PeerOwner } from "./p2p-peer";
import { AudioLevelMeter } from "./active-speaker";
import { noConnectionStats, sampleTwice, summarizeStats } from "./stats";
import type { ConnectionStats, RemoteParticipant } from "./transport";

type Presence = {
  state: "joined" | "left";
  participantId: string;
  role: RemoteParticipant["role"];
  displayName?: string;
  group?: string | null;
  privilege?: RemoteParticipant["privilege"];
  connectionId?: string;
  reason?: string;
};
/** `toConnectionId`: the page it is for; one for an earlier page of ours (before a reload or a new join) is not ours to answer. */
type SignalPayload =
  | { kind: "description"; from: string; connectionId: string; toConnectionId?: string; description: RTCSessionDescriptionInit; fresh?: boolean }
  | { kind: "candidate"; from: string; connectionId: string; toConnectionId?: string; candidate: RTCIceCandidateInit | null };
type MediaPayload = { participantId: string; connectionId: string; audio: boolean; video: boolean };
type Hello = { participantId: string; participants: (Omit<RemoteParticipant, "stream" | "connection"> & { connectionId: string | null })[] };

/**
 * Which side of a pair makes the first offer: the one with the greater participant id. Both
 * sides know both ids, so exactly one of them offers, whichever learns of the other first and
 * however (the stream's `hello` or a `presence`): two Join presses at the same moment, a reload,
 * a third person. Deciding by who joined last does not do that: when both joins land before
 * either stream opens, both `hello`s list the other and both offer.
 */
export function offersFirst(self: string, other: string): boolean {
  return self > other;
}

export class P2PMedia implements CallMedia, PeerOwner {
  private readonly peers = new Map<string, Peer>();
  private outbox: Record<string, unknown>[] = [];
  private readonly meter = new AudioLevelMeter();
  private flushing = false;

  readonly streamEvents = {
    hello: (hello: Hello) => this.onHello(hello),
    presence: (presence: Presence) => this.onPresence(presence),
    signal: (signal: SignalPayload) => this.onSignal(signal),
    media: (media: MediaPayload) => this.onMedia(media),
  };

  constructor(private readonly session: CallSession) {}

  /** A new stream for a new join: its `hello` brings the people in the call again; tell them our microphone and camera. */
  streamOpened(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.sendMedia();
  }

  /** Signaling goes over the room's stream: its drops are ours. */
  streamStatusChanged(): void {
    this.changed();
  }

  /** The connections come with the stream's `hello` and `presence`: nothing to connect here. */
  async connect(): Promise<void> {}

  online(): void {
    void this.flush();
    // The network may have changed under us: look for a new path at once rather than waiting.
    for (const peer of this.peers.values()) if (peer.pc.connectionState !== "connected") peer.restartIce();
  }

  linkUp(): boolean {
    return this.session.online && this.session.roomStreamConnected;
  }

  participants(): RemoteParticipant[] {
    return [...this.peers.values()].map((p) => ({ ...p.info, connection: p.pc.connectionState }));
  }

  changed(): void {
    this.session.changed();
  }

  private onHello(hello: Hello): void {
    const present = new Set(hello.participants.map((p) => p.participantId));
    for (const [id, peer] of this.peers) {
      if (!present.has(id)) {
        peer.close();
        this.peers.delete(id);
      }
    }
    for (const p of hello.participants) {
      const existing = this.peers.get(p.participantId);
      if (existing && existing.info.connectionId === p.connectionId) {
        Object.assign(existing.info, { role: p.role, displayName: p.displayName, group: p.group, privilege: p.privilege, audio: p.audio, video: p.video });
        continue;
      }
      this.addPeer(p, { offerer: offersFirst(this.self, p.participantId) });
    }
    this.changed();
  }

  private get self(): string {
    return this.session.room.participant.participantId;
  }

  private addPeer(known: Omit<PeerInfo, "stream" | "connection">, options: { offerer: boolean; fresh?: boolean }): Peer {
    this.peers.get(known.participantId)?.close();
    const info: PeerInfo = { ...known, stream: null, connection: "new" };
    const config: RTCConfiguration = { iceServers: this.session.room.iceServers, iceTransportPolicy: this.session.room.iceTransportPolicy };
    // Perfect negotiation needs exactly one polite side per pair; the ids decide.
    // (The first offerer is the impolite side: should a later offer of the other side cross its own, its own wins.)
    const peer = new Peer(this, info, !offersFirst(this.self, info.participantId), config, this.session.local, options);
    this.peers.set(info.participantId, peer);
    return peer;
  }

  /** Gives up on a connection that never came up and offers again on a new one. */
  replacePeer(info: PeerInfo): void {
    if (this.session.closed || this.peers.get(info.participantId)?.info !== info) return;
    this.addPeer(info, { offerer: true, fresh: true });
    this.changed();
  }

  private onPresence(presence: Presence): void {
    if (presence.participantId === this.session.room.participant.participantId) return;
    const existing = this.peers.get(presence.participantId);
    if (presence.state === "left") {
      existing?.close();
      this.peers.delete(presence.participantId);
    } else if (!existing || existing.info.connectionId !== presence.connectionId) {
      // Someone new, or the same person from a reloaded page: a new connection.
      const { participantId, role, displayName = "", group = null, privilege = "basic", connectionId = null } = presence;
      this.addPeer({ participantId, role, displayName, group, privilege, connectionId, audio: true, video: true }, { offerer: offersFirst(this.self, participantId) });
    } else {
      // Their offer came first (the connection was made for it): who they are comes with the presence.
      existing.info.role = presence.role;
      existing.info.displayName = presence.displayName ?? existing.info.displayName;
      existing.info.group = presence.group ?? null;
      existing.info.privilege = presence.privilege ?? "basic";
    }
    this.changed();
  }

  private async onSignal(signal: SignalPayload): Promise<void> {
    // Meant for an earlier page of ours (its connection was live when it was sent): answering it would tangle our new connection with theirs.
    if (signal.toConnectionId && signal.toConnectionId !== this.session.room.connectionId) return;
    let peer = this.peers.get(signal.from);
    const startOver = signal.kind === "description" && signal.fresh === true;
    if (!peer || startOver || (peer.info.connectionId !== null && peer.info.connectionId !== signal.connectionId)) {
      if (signal.kind !== "description" || signal.description.type !== "offer") return; // for a connection that is gone
      // Who they are is known from their presence or the hello; an offer that outran both is labelled when the presence comes.
      const { role = "guest", displayName = "", group = null, privilege = "basic", audio = true, video = true } = peer?.info ?? {};
      peer = this.addPeer({ participantId: signal.from, role, displayName, group, privilege, connectionId: signal.connectionId, audio, video }, { offerer: false });
    }
    peer.info.connectionId ??= signal.connectionId;
    if (signal.kind === "description") await peer.onDescription(signal.description);
    else await peer.onCandidate(signal.candidate);
  }

  private onMedia(media: MediaPayload): void {
    const peer = this.peers.get(media.participantId);
    if (!peer) return;
    peer.info.audio = media.audio;
    peer.info.video = media.video;
    this.changed();
  }

  /** Queues a signal and sends it in order; a failed send waits for the network and retries. */
  signal(message: Record<string, unknown>): void {
    if (this.session.closed) return;
    this.outbox.push({ ...message, connectionId: this.session.room.connectionId });
    void this.flush();
  }

  /** Sends what is queued, together (ICE candidates come in bursts), one request at a time. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && !this.session.closed) {
        const batch = this.outbox.slice(0, 50);
        const response = await this.postSignals(batch.length === 1 ? batch[0]! : { signals: batch });
        if (!response) {
          await new Promise((r) => setTimeout(r, 1_000)); // offline: try again shortly
          continue;
        }
        if (response.status === 429) {
          // Over the participant's signal limits (lib/rooms/signal-limits.ts): nothing was stored, send it again when told.
          const seconds = Number(response.headers.get("Retry-After"));
          await new Promise((r) => setTimeout(r, (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : 5) * 1_000));
          continue;
        }
        this.outbox.splice(0, batch.length);
        // Refused as a whole (one recipient has left): send the rest one by one.
        if (!response.ok && batch.length > 1) for (const single of batch) await this.postSignals(single);
      }
    } finally {
      this.flushing = false;
    }
  }

  private postSignals(body: unknown): Promise<Response | undefined> {
    return fetch(this.session.room.signaling.send, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).catch(() => undefined);
  }

  private sendMedia(): void {
    this.signal({ kind: "media", ...this.session.wanted });
  }

  wantedChanged(): void {
    this.sendMedia();
  }

  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    await Promise.all([...this.peers.values()].map((peer) => peer.replaceTrack("video", track)));
  }

  /** The connection with the first person we are connected to (in a two-person call, the call). */
  async connectionStats(): Promise<ConnectionStats> {
    const peer = [...this.peers.values()].find((p) => p.pc.connectionState === "connected") ?? [...this.peers.values()][0];
    if (!peer) return noConnectionStats("p2p");
    const { before, after, seconds } = await sampleTwice(() => peer.pc.getStats());
    return summarizeStats("p2p", before, after, seconds);
  }

  /** Each connected peer's received audio level since the last call (see active-speaker.ts), from its audio receiver's stats only. */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    const peers = [...this.peers.values()].filter((p) => p.pc.connectionState === "connected");
    await Promise.all(
      peers.map(async (peer) => {
        const receiver = peer.pc.getReceivers().find((r) => r.track.kind === "audio");
        const report = receiver ? await receiver.getStats().catch(() => undefined) : undefined;
        const key = `${peer.info.participantId}:${peer.info.connectionId}`;
        levels.set(peer.info.participantId, report && peer.info.audio ? this.meter.level(key, report) : 0);
      }),
    );
    this.meter.keepOnly(peers.map((p) => `${p.info.participantId}:${p.info.connectionId}`));
    return levels;
  }

  close(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }
}
