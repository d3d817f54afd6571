/**
 * The browser side of a peer-to-peer call: one RTCPeerConnection per other participant (a
 * mesh), signaling through the app (Server-Sent Events down, POST up). Whoever joins offers to
 * everyone already there; the others answer, so a first negotiation never collides (in
 * Chromium, an offer rolled back while its candidates are being gathered can leave the
 * connection without candidates for good). Later renegotiations (ICE restarts) may collide
 * and are settled by "perfect negotiation". A connection that never comes up is replaced.
 * Runs in the browser only; the call screen drives it through CallTransport.
 */
import type { VideoRoom } from "@/lib/rooms/schema";
import type { ChatMessage } from "@/lib/chat/schema";
import { postRoomAction } from "./call-api";
import { RoomStream } from "./room-stream";
import { noConnectionStats, sampleTwice, summarizeStats } from "./stats";
import type { CallTransport, ConnectionStats, RemoteParticipant, TransportListener } from "./transport";

type Presence = { state: "joined" | "left"; participantId: string; role: "patient" | "provider"; displayName?: string; connectionId?: string; reason?: string };
type SignalPayload =
  | { kind: "description"; from: string; connectionId: string; description: RTCSessionDescriptionInit; fresh?: boolean }
  | { kind: "candidate"; from: string; connectionId: string; candidate: RTCIceCandidateInit | null };
type MediaPayload = { participantId: string; connectionId: string; audio: boolean; video: boolean };
type Hello = { participantId: string; participants: (Omit<RemoteParticipant, "stream" | "connection"> & { connectionId: string | null })[] };
type PeerInfo = RemoteParticipant & { connectionId: string | null };

/** How long a connection may stay "disconnected" before we restart ICE ourselves. */
const DISCONNECTED_RESTART_MS = 2_500;
/** An offerer whose connection has not come up this long replaces it (the polite side waits longer, so both never do at once). */
const STALLED_REPLACE_MS = 8_000;

/** Negotiation steps go to the console at debug level: browser traces then show what happened. */
const trace = (...args: unknown[]) => console.debug("[call]", ...args);

class Peer {
  readonly pc: RTCPeerConnection;
  readonly stream = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private tracksAdded = false;
  private everConnected = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly createdAt = Date.now();

  /**
   * `offerer`: this side starts the negotiation (it joined after the other, or replaces a
   * stalled connection; `fresh` then tells the other side to start over too). Otherwise the
   * peer waits for the other side's offer before adding its tracks.
   */
  constructor(
    private readonly call: P2PCall,
    readonly info: PeerInfo,
    private readonly polite: boolean,
    config: RTCConfiguration,
    private readonly local: MediaStream,
    options: { offerer: boolean; fresh?: boolean },
  ) {
    this.pc = new RTCPeerConnection(config);
    let fresh = options.fresh ?? false;
    this.pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await this.sendLocalDescription(fresh);
        fresh = false;
      } catch (error) {
        trace("negotiation failed", error);
      } finally {
        this.makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      this.call.signal({ kind: "candidate", to: this.info.participantId, candidate: candidate ? candidate.toJSON() : null });
    };
    this.pc.ontrack = ({ track }) => {
      for (const old of this.stream.getTracks()) if (old.kind === track.kind && old !== track) this.stream.removeTrack(old);
      this.stream.addTrack(track);
      this.info.stream = this.stream;
      this.call.changed();
    };
    this.pc.onconnectionstatechange = () => {
      trace("connection", this.pc.connectionState, "with", this.info.participantId);
      this.info.connection = this.pc.connectionState;
      if (this.pc.connectionState === "connected") this.everConnected = true;
      if (this.pc.connectionState === "failed") this.restartIce();
      if (this.pc.connectionState === "disconnected") {
        clearTimeout(this.restartTimer);
        this.restartTimer = setTimeout(() => {
          if (this.pc.connectionState === "disconnected") this.restartIce();
        }, DISCONNECTED_RESTART_MS);
      }
      this.call.changed();
    };
    if (options.offerer) {
      this.addTracks();
      const patience = STALLED_REPLACE_MS * (this.polite ? 1.5 : 1);
      this.watchdog = setInterval(() => {
        if (this.everConnected || this.pc.connectionState === "connected" || Date.now() - this.createdAt < patience) return;
        trace("no connection with", this.info.participantId, "after", patience, "ms: starting over");
        this.call.replacePeer(this.info);
      }, 1_000);
    }
  }

  private addTracks(): void {
    if (this.tracksAdded) return;
    this.tracksAdded = true;
    for (const track of this.local.getTracks()) this.pc.addTrack(track, this.local);
  }

  restartIce(): void {
    if (this.pc.signalingState !== "closed") this.pc.restartIce();
  }

  async onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    trace("received", description.type, "from", this.info.participantId, "in", this.pc.signalingState, this.polite ? "(polite)" : "");
    if (!this.tracksAdded && description.type === "offer") {
      // The first offer: take it, then add our tracks to the transceivers it made, and answer.
      await this.pc.setRemoteDescription(description);
      this.addTracks();
      await this.sendLocalDescription();
      return;
    }
    const collision = description.type === "offer" && (this.makingOffer || this.pc.signalingState !== "stable");
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    await this.pc.setRemoteDescription(description); // a polite peer rolls its own offer back
    if (description.type === "offer") await this.sendLocalDescription();
  }

  /** Makes the offer or answer the connection's state calls for, and sends it. */
  private async sendLocalDescription(fresh = false): Promise<void> {
    await this.pc.setLocalDescription();
    const description = this.pc.localDescription!.toJSON();
    trace("sending", description.type, "to", this.info.participantId, fresh ? "(fresh)" : "");
    this.call.signal({ kind: "description", to: this.info.participantId, description, ...(fresh ? { fresh } : {}) });
  }

  async onCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      if (!this.ignoreOffer) trace("ICE candidate refused", error);
    }
  }

  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack): Promise<void> {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === kind);
    return sender ? sender.replaceTrack(track) : Promise.resolve();
  }

  close(): void {
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdog);
    this.pc.onconnectionstatechange = null;
    this.pc.onnegotiationneeded = null;
    this.pc.close();
  }
}

export class P2PCall implements CallTransport {
  private readonly peers = new Map<string, Peer>();
  private stream: RoomStream | undefined;
  private online = typeof navigator === "undefined" ? true : navigator.onLine;
  private closed = false;
  private outbox: Record<string, unknown>[] = [];
  private flushing = false;
  private media = { audio: true, video: true };

  constructor(
    private room: VideoRoom,
    private readonly local: MediaStream,
    private readonly listener: TransportListener,
    /** Joins again (PUT video-room) when the server no longer counts us in the call. */
    private readonly rejoin: () => Promise<VideoRoom>,
  ) {}

  get connectionId(): string {
    return this.room.connectionId;
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.openStream();
    this.sendMedia();
  }

  private readonly onOnline = () => {
    this.online = true;
    if (this.stream?.stopped) this.stream.open();
    void this.flush();
    // The network may have changed under us: look for a new path at once rather than waiting.
    for (const peer of this.peers.values()) if (peer.pc.connectionState !== "connected") peer.restartIce();
    this.changed();
  };

  private readonly onOffline = () => {
    this.online = false;
    this.changed();
  };

  /** A new stream for the current join (its cursor is the join's). */
  private openStream(): void {
    this.stream?.close();
    this.stream = new RoomStream(
      this.room.signaling,
      {
        hello: (hello: Hello) => this.onHello(hello),
        presence: (presence: Presence) => this.onPresence(presence),
        signal: (signal: SignalPayload) => this.onSignal(signal),
        media: (media: MediaPayload) => this.onMedia(media),
        chat: (message: ChatMessage) => this.listener.onChat(message),
        "room-ended": (ended: { reason: string }) => this.finish(ended.reason === "timeout" ? "timeout" : "ended"),
      },
      { onStatus: () => this.changed(), onLost: () => void this.recover() },
    );
    this.stream.open();
  }

  /** The stream was refused or we were counted as gone: join again, then resume. */
  private async recover(): Promise<void> {
    if (this.closed) return;
    try {
      this.room = await this.rejoin();
      for (const peer of this.peers.values()) peer.close();
      this.peers.clear();
      this.openStream();
      this.sendMedia();
    } catch (error) {
      if (this.closed) return;
      const status = (error as { status?: number }).status;
      if (status === undefined) {
        setTimeout(() => void this.recover(), 3_000); // still offline
        return;
      }
      this.listener.onFailure(error as Error);
    }
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
        existing.info.audio = p.audio;
        existing.info.video = p.video;
        continue;
      }
      // We arrived after them: we offer.
      this.addPeer(p, { offerer: true });
    }
    this.changed();
  }

  private addPeer(known: Omit<PeerInfo, "stream" | "connection">, options: { offerer: boolean; fresh?: boolean }): Peer {
    this.peers.get(known.participantId)?.close();
    const info: PeerInfo = { ...known, stream: null, connection: "new" };
    const config: RTCConfiguration = { iceServers: this.room.iceServers, iceTransportPolicy: this.room.iceTransportPolicy };
    // Perfect negotiation needs exactly one polite side per pair; the ids decide.
    const peer = new Peer(this, info, this.room.participant.participantId < info.participantId, config, this.local, options);
    this.peers.set(info.participantId, peer);
    return peer;
  }

  /** Gives up on a connection that never came up and offers again on a new one. */
  replacePeer(info: PeerInfo): void {
    if (this.closed || this.peers.get(info.participantId)?.info !== info) return;
    this.addPeer(info, { offerer: true, fresh: true });
    this.changed();
  }

  private onPresence(presence: Presence): void {
    if (presence.participantId === this.room.participant.participantId) return;
    const existing = this.peers.get(presence.participantId);
    if (presence.state === "left") {
      existing?.close();
      this.peers.delete(presence.participantId);
    } else if (!existing || existing.info.connectionId !== presence.connectionId) {
      // Someone new, or the same person from a reloaded page: they will offer; wait for it.
      const { participantId, role, displayName = "", connectionId = null } = presence;
      this.addPeer({ participantId, role, displayName, connectionId, audio: true, video: true }, { offerer: false });
    }
    this.changed();
  }

  private async onSignal(signal: SignalPayload): Promise<void> {
    let peer = this.peers.get(signal.from);
    const startOver = signal.kind === "description" && signal.fresh === true;
    if (!peer || startOver || (peer.info.connectionId !== null && peer.info.connectionId !== signal.connectionId)) {
      if (signal.kind !== "description" || signal.description.type !== "offer") return; // for a connection that is gone
      const { role = "patient", displayName = "", audio = true, video = true } = peer?.info ?? {};
      peer = this.addPeer({ participantId: signal.from, role, displayName, connectionId: signal.connectionId, audio, video }, { offerer: false });
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
    if (this.closed) return;
    this.outbox.push({ ...message, connectionId: this.room.connectionId });
    void this.flush();
  }

  /** Sends what is queued, together (ICE candidates come in bursts), one request at a time. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && !this.closed) {
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
    return fetch(this.room.signaling.send, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).catch(() => undefined);
  }

  private sendMedia(): void {
    this.signal({ kind: "media", ...this.media });
  }

  changed(): void {
    if (this.closed) return;
    this.listener.onChange({
      signalingConnected: this.online && (this.stream?.connected ?? false),
      participants: [...this.peers.values()].map((p) => ({ ...p.info, connection: p.pc.connectionState })),
    });
  }

  setMicrophoneEnabled(enabled: boolean): void {
    for (const track of this.local.getAudioTracks()) track.enabled = enabled;
    this.media.audio = enabled;
    this.sendMedia();
  }

  setCameraEnabled(enabled: boolean): void {
    for (const track of this.local.getVideoTracks()) track.enabled = enabled;
    this.media.video = enabled;
    this.sendMedia();
  }

  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    track.enabled = this.media.video;
    await Promise.all([...this.peers.values()].map((peer) => peer.replaceTrack("video", track)));
  }

  /** The connection with the first person we are connected to (in a two-person call, the call). */
  async connectionStats(): Promise<ConnectionStats> {
    const peer = [...this.peers.values()].find((p) => p.pc.connectionState === "connected") ?? [...this.peers.values()][0];
    if (!peer) return noConnectionStats("p2p");
    const { before, after, seconds } = await sampleTwice(() => peer.pc.getStats());
    return summarizeStats("p2p", before, after, seconds);
  }

  async leave(): Promise<void> {
    await postRoomAction(this.room, "leave", {});
    this.close();
  }

  async endForEveryone(reason: "ended_by_provider" | "timeout"): Promise<void> {
    await postRoomAction(this.room, "end", { reason });
  }

  private finish(how: "ended" | "timeout"): void {
    this.close();
    this.listener.onEnded(how);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.stream?.close();
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }
}
