/**
 * One connection of a peer-to-peer call: the RTCPeerConnection with one other participant,
 * negotiated by "perfect negotiation" (see p2p-media.ts for who offers). A connection that never
 * comes up is replaced by the call; one that drops restarts ICE. Runs in the browser only.
 */
import type { RemoteParticipant } from "./transport";

export type PeerInfo = RemoteParticipant & { connectionId: string | null };

/** What a peer asks of its call: send a signal, report a change, replace it. */
export type PeerOwner = {
  signal(message: Record<string, unknown>): void;
  changed(): void;
  replacePeer(info: PeerInfo): void;
};

/** How long a connection may stay "disconnected" before we restart ICE ourselves. */
const DISCONNECTED_RESTART_MS = 2_500;
/**
 * An offerer whose connection has not come up, and has made no progress (a description or
 * candidate sent or received, a change of state) for this long, replaces it (the polite side
 * waits longer, so both never do at once). Counted from the last progress, not from the start:
 * on a busy device (a four-person mesh encodes three videos) an answer can take longer than
 * this, and replacing a connection that is still being negotiated only starts it over.
 */
const STALLED_REPLACE_MS = 8_000;

/** Negotiation steps go to the console at debug level: browser traces then show what happened. */
const trace = (...args: unknown[]) => console.debug("[call]", ...args);

export class Peer {
  readonly pc: RTCPeerConnection;
  readonly stream = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private tracksAdded = false;
  private everConnected = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  /** The last sign of negotiation going on: see STALLED_REPLACE_MS. */
  private progressAt = Date.now();

  /**
   * `offerer`: this side starts the negotiation (see offersFirst in p2p-media.ts, or it replaces
   * a stalled connection; `fresh` then tells the other side to start over too). Otherwise the
   * peer waits for the other side's offer before adding its tracks.
   */
  constructor(
    private readonly call: PeerOwner,
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
      this.progressAt = Date.now();
      this.call.signal({ kind: "candidate", ...this.recipient(), candidate: candidate ? candidate.toJSON() : null });
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
      this.progressAt = Date.now();
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
        if (this.everConnected || this.pc.connectionState === "connected" || Date.now() - this.progressAt < patience) return;
        trace("no connection with", this.info.participantId, "and no progress for", patience, "ms: starting over");
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
    this.progressAt = Date.now();
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
    this.progressAt = Date.now();
    const description = this.pc.localDescription!.toJSON();
    trace("sending", description.type, "to", this.info.participantId, fresh ? "(fresh)" : "");
    this.call.signal({ kind: "description", ...this.recipient(), description, ...(fresh ? { fresh } : {}) });
  }

  /** Whom a signal is for: the participant, and their page this connection is with (when known) so that a page reloaded meanwhile ignores it. */
  private recipient(): { to: string; toConnectionId?: string } {
    return { to: this.info.participantId, ...(this.info.connectionId ? { toConnectionId: this.info.connectionId } : {}) };
  }

  async onCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    this.progressAt = Date.now();
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
