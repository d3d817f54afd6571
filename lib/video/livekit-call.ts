/**
 * The browser side of a LiveKit call: media goes through the LiveKit server (livekit-client's
 * Room) with the token our join returned; chat, presence on our side and the consultation's
 * lifecycle (its end, being counted out) stay on our room's own stream, as for peer-to-peer.
 * The tracks published are the ones the device check opened, so the chosen camera and
 * microphone are kept. Runs in the browser only; the call screen drives it through CallTransport.
 *
 * livekit-client only, not @livekit/components-react: its hooks and components read a Room
 * from a React context and render their own tiles, while our call screen is one React tree for
 * both transports and takes plain streams and states from this class.
 */
import {
  ConnectionState,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  Track,
  type RemoteParticipant as LiveKitParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
} from "livekit-client";
import type { ChatMessage } from "@/lib/chat/schema";
import type { VideoRoom } from "@/lib/rooms/schema";
import { postRoomAction, type CallApiError } from "./call-api";
import {
  afterDisconnect,
  callFailure,
  connectProblemOf,
  mergeStatsReports,
  remoteParticipantOf,
  signalingConnectedOf,
  tokenExpired,
} from "./livekit-state";
import { RoomStream } from "./room-stream";
import { noConnectionStats, sampleTwice, summarizeStats } from "./stats";
import type { CallTransport, ConnectionStats, RemoteParticipant, TransportListener } from "./transport";

/** A connect that has not succeeded by then will not: the person is told, and may try again. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After LiveKit gives up reconnecting, wait this long before joining again: an end of the call arrives on our stream meanwhile. */
const RECOVER_DELAY_MS = 1_000;
/** Joining again while offline is retried this often. */
const OFFLINE_RETRY_MS = 3_000;

export class LiveKitCall implements CallTransport {
  private readonly lk = new Room({
    // Our tiles show a MediaStream, not elements LiveKit attaches: adaptive stream would pause
    // video it cannot see. The tracks belong to the call screen, so LiveKit must not stop them.
    adaptiveStream: false,
    dynacast: true,
    stopLocalTrackOnUnpublish: false,
  });
  private stream: RoomStream | undefined;
  private online = typeof navigator === "undefined" ? true : navigator.onLine;
  private closed = false;
  /** We have been connected since the last disconnect: a disconnect now is one to recover from. */
  private connected = false;
  private pending = false;
  private queued: (() => Promise<void>) | undefined;
  /** Our room stream was refused or told us to rejoin: the next recovery opens a new one. */
  private streamLost = false;
  /** The server's clock minus ours, from the last join: token expiry is in the server's time. */
  private clockOffset: number;
  private media = { audio: true, video: true };
  /** The camera track the call screen swapped to, published on the next connect too. */
  private camera: MediaStreamTrack | undefined;
  private readonly remoteStreams = new Map<string, MediaStream>();

  constructor(
    private room: VideoRoom,
    private readonly local: MediaStream,
    private readonly listener: TransportListener,
    /** Joins again (PUT video-room): a fresh LiveKit token, and counted in the call again. */
    private readonly rejoin: () => Promise<VideoRoom>,
  ) {
    this.clockOffset = Date.parse(room.timer.serverTime) - Date.now();
    const changed = () => this.changed();
    this.lk
      .on(RoomEvent.ConnectionStateChanged, changed)
      .on(RoomEvent.ParticipantConnected, changed)
      .on(RoomEvent.ParticipantDisconnected, (participant: LiveKitParticipant) => {
        this.remoteStreams.delete(participant.identity);
        this.changed();
      })
      .on(RoomEvent.TrackPublished, changed)
      .on(RoomEvent.TrackUnpublished, changed)
      .on(RoomEvent.TrackMuted, changed)
      .on(RoomEvent.TrackUnmuted, changed)
      .on(RoomEvent.ParticipantAttributesChanged, changed)
      .on(RoomEvent.ParticipantMetadataChanged, changed)
      .on(RoomEvent.ParticipantNameChanged, changed)
      .on(RoomEvent.ConnectionQualityChanged, changed)
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, publication: RemoteTrackPublication, participant: LiveKitParticipant) =>
        this.onTrackSubscribed(track, publication, participant),
      )
      .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack, _publication: RemoteTrackPublication, participant: LiveKitParticipant) => {
        this.remoteStreams.get(participant.identity)?.removeTrack(track.mediaStreamTrack);
        this.changed();
      })
      .on(RoomEvent.Connected, () => {
        this.connected = true;
      })
      .on(RoomEvent.Disconnected, (reason) => {
        const wasConnected = this.connected;
        this.connected = false;
        this.remoteStreams.clear();
        this.changed();
        // A failed connect disconnects too; connect() itself handles that one.
        if (this.closed || !wasConnected) return;
        const next = afterDisconnect(reason);
        if (next === "elsewhere") this.fail(callFailure("joined_elsewhere"));
        if (next === "recover") setTimeout(() => this.recover(), RECOVER_DELAY_MS);
      });
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.openStream();
    this.run(() => this.connect());
  }

  private readonly onOnline = () => {
    this.online = true;
    if (this.stream?.stopped) this.stream.open();
    this.changed();
  };

  private readonly onOffline = () => {
    this.online = false;
    this.changed();
  };

  /** Our room's stream for the current join: chat, the end of the consultation, and `rejoin`. */
  private openStream(): void {
    this.stream?.close();
    this.stream = new RoomStream(
      this.room.signaling,
      {
        chat: (message: ChatMessage) => this.listener.onChat(message),
        "room-ended": (ended: { reason: string }) => this.finish(ended.reason === "timeout" ? "timeout" : "ended"),
      },
      // LiveKit is our link to the call; this stream's drops do not make the call "reconnecting".
      { onStatus: () => {}, onLost: () => this.recover(true) },
    );
    this.stream.open();
  }

  /** One connect or recovery at a time; one asked for meanwhile runs after it. */
  private run(work: () => Promise<void>): void {
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
   * Connects to LiveKit and publishes our tracks. A token that has expired, or that LiveKit
   * refuses, is replaced once by joining again; a server that cannot be reached in time is a
   * failure the person sees (with Try again).
   */
  private async connect(): Promise<void> {
    let refreshed = false;
    for (;;) {
      if (this.closed) return;
      const livekit = this.room.livekit;
      if (!livekit || tokenExpired(livekit.expiresAt, Date.now() + this.clockOffset)) {
        if (refreshed) return this.fail(callFailure("livekit_refused")); // a fresh join gave no usable token
        if (!(await this.joinAgain())) return;
        refreshed = true;
        continue;
      }
      try {
        await this.connectWithin(livekit.url, livekit.token);
      } catch (error) {
        if (this.closed) return;
        const problem = connectProblemOf(error);
        if (problem === "cancelled") return;
        if (problem === "refused" && !refreshed) {
          if (!(await this.joinAgain())) return;
          refreshed = true;
          continue;
        }
        return this.fail(callFailure(problem === "refused" ? "livekit_refused" : "livekit_unreachable", error));
      }
      try {
        await this.publish();
      } catch (error) {
        // Connected, but our media did not get on (negotiation timed out, or the track was refused): a call nobody can hear is no call.
        return this.fail(callFailure("livekit_unreachable", error));
      }
      this.changed();
      return;
    }
  }

  /** Room.connect, given up (and the attempt cancelled) after CONNECT_TIMEOUT_MS. */
  private async connectWithin(url: string, token: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.lk.disconnect(false);
        reject(new Error(`LiveKit did not connect within ${CONNECT_TIMEOUT_MS / 1000} s`));
      }, CONNECT_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.lk.connect(url, token, { maxRetries: 1, websocketTimeout: 10_000, peerConnectionTimeout: 10_000 }), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Joins again: a fresh token, and counted in the call again. False when it could not: the
   * failure has been reported, or, offline, a recovery is scheduled.
   */
  private async joinAgain(): Promise<boolean> {
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
   * LiveKit gave up reconnecting (`streamLost` false), or our stream says we are no longer in
   * the call: join again, and reconnect what is down.
   */
  private recover(streamLost = false): void {
    if (this.closed) return;
    if (streamLost) this.streamLost = true;
    this.run(async () => {
      if (this.closed || !(await this.joinAgain())) return;
      if (this.lk.state === ConnectionState.Disconnected) await this.connect();
    });
  }

  /** Publishes the device check's microphone and camera, muted as the call screen says. */
  private async publish(): Promise<void> {
    const participant = this.lk.localParticipant;
    const microphone = this.local.getAudioTracks()[0];
    if (microphone && !participant.getTrackPublication(Track.Source.Microphone)) {
      const track = new LocalAudioTrack(microphone, undefined, true);
      if (!this.media.audio) await track.mute();
      await participant.publishTrack(track, { source: Track.Source.Microphone });
      this.setMuted(Track.Source.Microphone, !this.media.audio); // toggled while publishing
    }
    const camera = this.camera ?? this.local.getVideoTracks()[0];
    if (camera && !participant.getTrackPublication(Track.Source.Camera)) {
      // userProvided: muting only disables the track; LiveKit would otherwise stop the camera and reopen it itself.
      const track = new LocalVideoTrack(camera, undefined, true);
      if (!this.media.video) await track.mute();
      await participant.publishTrack(track, { source: Track.Source.Camera });
      this.setMuted(Track.Source.Camera, !this.media.video);
      // Swapped while publishing: send the newer camera.
      if (this.camera && this.camera !== track.mediaStreamTrack) await track.replaceTrack(this.camera, { userProvidedTrack: true });
    }
  }

  private onTrackSubscribed(track: RemoteTrack, publication: RemoteTrackPublication, participant: LiveKitParticipant): void {
    if (publication.source !== Track.Source.Camera && publication.source !== Track.Source.Microphone) return;
    let stream = this.remoteStreams.get(participant.identity);
    if (!stream) {
      stream = new MediaStream();
      this.remoteStreams.set(participant.identity, stream);
    }
    for (const old of stream.getTracks()) if (old.kind === track.mediaStreamTrack.kind && old !== track.mediaStreamTrack) stream.removeTrack(old);
    stream.addTrack(track.mediaStreamTrack);
    this.changed();
  }

  private changed(): void {
    if (this.closed) return;
    const state = this.lk.state;
    const participants: RemoteParticipant[] = [];
    for (const p of this.lk.remoteParticipants.values()) {
      const stream = this.remoteStreams.get(p.identity);
      const mapped = remoteParticipantOf(
        {
          identity: p.identity,
          name: p.name,
          attributes: p.attributes,
          metadata: p.metadata,
          connectionQuality: p.connectionQuality,
          microphone: p.getTrackPublication(Track.Source.Microphone),
          camera: p.getTrackPublication(Track.Source.Camera),
        },
        state,
        stream && stream.getTracks().length > 0 ? stream : null,
      );
      if (mapped) participants.push(mapped);
    }
    this.listener.onChange({ signalingConnected: signalingConnectedOf(state, this.online), participants });
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.media.audio = enabled;
    for (const track of this.local.getAudioTracks()) track.enabled = enabled;
    this.setMuted(Track.Source.Microphone, !enabled);
  }

  setCameraEnabled(enabled: boolean): void {
    this.media.video = enabled;
    for (const track of this.local.getVideoTracks()) track.enabled = enabled;
    this.setMuted(Track.Source.Camera, !enabled);
  }

  /** Mutes a published track, so the others see it (LiveKit tells them); unpublished ones are muted as they are published. */
  private setMuted(source: Track.Source, muted: boolean): void {
    const track = this.lk.localParticipant.getTrackPublication(source)?.track;
    if (track && track.isMuted !== muted) void (muted ? track.mute() : track.unmute()).catch((error: unknown) => console.warn("mute failed", error));
  }

  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    track.enabled = this.media.video;
    this.camera = track;
    const published = this.lk.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
    if (published) await published.replaceTrack(track, { userProvidedTrack: true });
  }

  /** Our published tracks' connection (the upstream pair) and everything received, as one summary. */
  async connectionStats(): Promise<ConnectionStats> {
    const local = [...this.lk.localParticipant.trackPublications.values()].flatMap((p) => (p.track ? [p.track] : []));
    const remote = [...this.lk.remoteParticipants.values()].flatMap((p) => [...p.trackPublications.values()].flatMap((pub) => (pub.track ? [pub.track] : [])));
    const tracks = [...local, ...remote];
    if (tracks.length === 0) return noConnectionStats("livekit");
    const read = async () => {
      const reports = await Promise.all(tracks.map((t) => t.getRTCStatsReport().catch(() => undefined)));
      return mergeStatsReports(reports.filter((r): r is RTCStatsReport => r !== undefined));
    };
    const { before, after, seconds } = await sampleTwice(read);
    return summarizeStats("livekit", before, after, seconds);
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

  private fail(error: Error): void {
    if (this.closed) return;
    this.close();
    this.listener.onFailure(error);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.stream?.close();
    this.remoteStreams.clear();
    void this.lk.disconnect(false).catch(() => {}); // false: the device check's tracks stay with the call screen
  }
}
