/**
 * One call as the call screen drives it, whatever carries the media: the join it runs on (and
 * joining again when the server no longer counts us in, or the media needs a fresh join), our
 * room's stream (chat, the end of the consultation, being counted out), the network going and
 * coming back, leaving and ending, and the state reported to the screen. The media itself (a
 * peer-to-peer mesh, or LiveKit) sits behind CallMedia. Runs in the browser only.
 */
import type { ChatMessage } from "@/lib/chat/schema";
import type { VideoRoom } from "@/lib/rooms/schema";
import { postRoomAction, type CallApiError } from "./call-api";
import { RoomStream, type RoomStreamHandlers } from "./room-stream";
import type { CallTransport, ConnectionStats, RemoteParticipant, TransportListener } from "./transport";

/** Joining again while offline is retried this often. */
const OFFLINE_RETRY_MS = 3_000;

/** What the person asked for: microphone and camera on or off. */
export type MediaWanted = { audio: boolean; video: boolean };

/** What carries the call's media; the session does everything else. */
export interface CallMedia {
  /** Events of the room's stream this media reads besides chat and the end (peer-to-peer signals over it). */
  readonly streamEvents: RoomStreamHandlers;
  /** A new room stream was opened for the current join (it starts at the join's cursor). */
  streamOpened(): void;
  /** The room stream opened or dropped. */
  streamStatusChanged(): void;
  /** Connects what is down: the first time, everything. Runs one at a time (CallSession.run). */
  connect(): Promise<void>;
  /** The network is back. */
  online(): void;
  /** Our link to the call is up, the network included. */
  linkUp(): boolean;
  participants(): RemoteParticipant[];
  /** The person turned the microphone (`audio`) or camera (`video`) on or off; the local tracks already follow. */
  wantedChanged(kind: keyof MediaWanted): void;
  replaceVideoTrack(track: MediaStreamTrack): Promise<void>;
  connectionStats(): Promise<ConnectionStats>;
  /** Each remote participant's received audio level since the last call (0…1), by participant id. */
  audioLevels(): Promise<Map<string, number>>;
  close(): void;
}

export class CallSession implements CallTransport {
  private readonly media: CallMedia;
  private stream: RoomStream | undefined;
  private pending = false;
  private queued: (() => Promise<void>) | undefined;
  /** Our room stream was refused or told us to rejoin: the next join opens a new one. */
  private streamLost = false;
  /** The server's clock minus ours, from the last join. */
  private clockOffset: number;
  // Read by the media; only the session changes them.
  online = typeof navigator === "undefined" ? true : navigator.onLine;
  closed = false;
  readonly wanted: MediaWanted = { audio: true, video: true };

  constructor(
    /** The current join: replaced on each join again. */
    public room: VideoRoom,
    readonly local: MediaStream,
    private readonly listener: TransportListener,
    /** Joins again (PUT video-room): counted in the call again, with fresh credentials. */
    private readonly rejoin: () => Promise<VideoRoom>,
    media: (session: CallSession) => CallMedia,
  ) {
    this.clockOffset = Date.parse(room.timer.serverTime) - Date.now();
    this.media = media(this);
  }

  /** The server's clock now (a LiveKit token's expiry is in the server's time). */
  serverNow(): number {
    return Date.now() + this.clockOffset;
  }

  get roomStreamConnected(): boolean {
    return this.stream?.connected ?? false;
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.openStream();
    this.run(() => this.media.connect());
  }

  private readonly onOnline = () => {
    this.online = true;
    if (this.stream?.stopped) this.stream.open();
    this.media.online();
    this.changed();
  };

  private readonly onOffline = () => {
    this.online = false;
    this.changed();
  };

  /** Our room's stream for the current join: the media's events, chat, the end of the consultation, and `rejoin`. */
  private openStream(): void {
    this.stream?.close();
    this.stream = new RoomStream(
      this.room.signaling,
      {
        ...this.media.streamEvents,
        chat: (message: ChatMessage) => this.listener.onChat(message),
        "room-ended": (ended: { reason: string }) => this.finish(ended.reason === "timeout" ? "timeout" : "ended"),
      },
      { onStatus: () => this.media.streamStatusChanged(), onLost: () => this.recover(true) },
    );
    this.stream.open();
    this.media.streamOpened();
  }

  /** One connect or recovery at a time; one asked for meanwhile runs after it. */
  run(work: () => Promise<void>): void {
    if (this.pending) {
      this.queued = work;
      return;
    }
    this.pending = true;
    void work()
      .catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.pending = false;
        const next = this.queued;
        this.queued = undefined;
        if (next && !this.closed) this.run(next);
      });
  }

  /**
   * Joins again: counted in the call again, with fresh credentials. False when it could not:
   * the failure has been reported, or, offline, a recovery is scheduled.
   */
  async joinAgain(): Promise<boolean> {
    try {
      this.room = await this.rejoin();
      this.clockOffset = Date.parse(this.room.timer.serverTime) - Date.now();
      // Kept open otherwise: a new stream starts at the new join's cursor, past what happened meanwhile (chat).
      if (this.streamLost || this.stream?.stopped) {
        this.streamLost = false;
        this.openStream();
      }
      return true;
    } catch (error) {
      if (this.closed) return false;
      if ((error as CallApiError).status === undefined) {
        setTimeout(() => this.recover(), OFFLINE_RETRY_MS); // still offline
        return false;
      }
      this.fail(error as Error);
      return false;
    }
  }

  /**
   * The media lost its link for good (`streamLost` false), or our stream says we are no longer
   * in the call: join again, and reconnect what is down.
   */
  recover(streamLost = false): void {
    if (this.closed) return;
    if (streamLost) this.streamLost = true;
    this.run(async () => {
      if (this.closed || !(await this.joinAgain())) return;
      await this.media.connect();
    });
  }

  changed(): void {
    if (this.closed) return;
    this.listener.onChange({ signalingConnected: this.media.linkUp(), participants: this.media.participants() });
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.wanted.audio = enabled;
    for (const track of this.local.getAudioTracks()) track.enabled = enabled;
    this.media.wantedChanged("audio");
  }

  setCameraEnabled(enabled: boolean): void {
    this.wanted.video = enabled;
    for (const track of this.local.getVideoTracks()) track.enabled = enabled;
    this.media.wantedChanged("video");
  }

  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    track.enabled = this.wanted.video;
    await this.media.replaceVideoTrack(track);
  }

  connectionStats(): Promise<ConnectionStats> {
    return this.media.connectionStats();
  }

  audioLevels(): Promise<Map<string, number>> {
    return this.closed ? Promise.resolve(new Map()) : this.media.audioLevels();
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

  fail(error: Error): void {
    if (this.closed) return;
    // Someone ended the call while we were joining again or signalling (a peer's connection drops
    // the moment the host ends it): the server's answer may beat our stream's room-ended.
    if ((error as CallApiError).code === "consultation_completed") return this.finish("ended");
    this.close();
    this.listener.onFailure(error);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.stream?.close();
    this.media.close();
  }
}
