/**
 * The media of a LiveKit call: it goes through the LiveKit server (livekit-client's Room) with
 * the token our join returned; chat, presence on our side and the consultation's lifecycle (its
 * end, being counted out) stay with CallSession on our room's own stream, as for peer-to-peer.
 * The tracks published are the ones the device check opened, so the chosen camera and
 * microphone are kept. Runs in the browser only; CallSession drives it.
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
import type { CallMedia, CallSession, MediaWanted } from "./call-session";
import {
  afterDisconnect,
  callFailure,
  connectProblemOf,
  mergeStatsReports,
  remoteParticipantOf,
  signalingConnectedOf,
  tokenExpired,
} from "./livekit-state";
import { AudioLevelMeter } from "./active-speaker";
import { noConnectionStats, sampleTwice, summarizeStats } from "./stats";
import type { ConnectionStats, RemoteParticipant } from "./transport";

/** A connect that has not succeeded by then will not: the person is told, and may try again. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After LiveKit gives up reconnecting, wait this long before joining again: an end of the call arrives on our stream meanwhile. */
const RECOVER_DELAY_MS = 1_000;

export class LiveKitMedia implements CallMedia {
  private readonly lk = new Room({
    // Our tiles show a MediaStream, not elements LiveKit attaches: adaptive stream would pause
    // video it cannot see. The tracks belong to the call screen, so LiveKit must not stop them.
    adaptiveStream: false,
    dynacast: true,
    stopLocalTrackOnUnpublish: false,
  });
  /** We have been connected since the last disconnect: a disconnect now is one to recover from. */
  private connected = false;
  /** The camera track the call screen swapped to, published on the next connect too. */
  private camera: MediaStreamTrack | undefined;
  private readonly remoteStreams = new Map<string, MediaStream>();
  private readonly meter = new AudioLevelMeter();

  /** Chat and the end of the call come on the room's stream with CallSession; LiveKit carries the rest. */
  readonly streamEvents = {};

  constructor(private readonly session: CallSession) {
    const changed = () => this.session.changed();
    this.lk
      .on(RoomEvent.ConnectionStateChanged, changed)
      .on(RoomEvent.ParticipantConnected, changed)
      .on(RoomEvent.ParticipantDisconnected, (participant: LiveKitParticipant) => {
        this.remoteStreams.delete(participant.identity);
        this.session.changed();
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
        this.session.changed();
      })
      .on(RoomEvent.Connected, () => {
        this.connected = true;
      })
      .on(RoomEvent.Disconnected, (reason) => {
        const wasConnected = this.connected;
        this.connected = false;
        this.remoteStreams.clear();
        this.session.changed();
        // A failed connect disconnects too; connect() itself handles that one.
        if (this.session.closed || !wasConnected) return;
        const next = afterDisconnect(reason);
        if (next === "elsewhere") this.session.fail(callFailure("joined_elsewhere"));
        if (next === "recover") setTimeout(() => this.session.recover(), RECOVER_DELAY_MS);
      });
  }

  streamOpened(): void {}

  /** LiveKit is our link to the call; the room stream's drops do not make the call "reconnecting". */
  streamStatusChanged(): void {}

  online(): void {}

  linkUp(): boolean {
    return signalingConnectedOf(this.lk.state, this.session.online);
  }

  /**
   * Connects to LiveKit and publishes our tracks. A token that has expired, or that LiveKit
   * refuses, is replaced once by joining again; a server that cannot be reached in time is a
   * failure the person sees (with Try again).
   */
  async connect(): Promise<void> {
    if (this.lk.state !== ConnectionState.Disconnected) return; // joined again while LiveKit still holds on
    let refreshed = false;
    for (;;) {
      if (this.session.closed) return;
      const livekit = this.session.room.livekit;
      if (!livekit || tokenExpired(livekit.expiresAt, this.session.serverNow())) {
        if (refreshed) return this.session.fail(callFailure("livekit_refused")); // a fresh join gave no usable token
        if (!(await this.session.joinAgain())) return;
        refreshed = true;
        continue;
      }
      try {
        await this.connectWithin(livekit.url, livekit.token);
      } catch (error) {
        if (this.session.closed) return;
        const problem = connectProblemOf(error);
        if (problem === "cancelled") return;
        if (problem === "refused" && !refreshed) {
          if (!(await this.session.joinAgain())) return;
          refreshed = true;
          continue;
        }
        return this.session.fail(callFailure(problem === "refused" ? "livekit_refused" : "livekit_unreachable", error));
      }
      try {
        await this.publish();
      } catch (error) {
        // Connected, but our media did not get on (negotiation timed out, or the track was refused): a call nobody can hear is no call.
        return this.session.fail(callFailure("livekit_unreachable", error));
      }
      this.session.changed();
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

  /** Publishes the device check's microphone and camera, muted as the call screen says. */
  private async publish(): Promise<void> {
    const participant = this.lk.localParticipant;
    const microphone = this.session.local.getAudioTracks()[0];
    if (microphone && !participant.getTrackPublication(Track.Source.Microphone)) {
      const track = new LocalAudioTrack(microphone, undefined, true);
      if (!this.session.wanted.audio) await track.mute();
      await participant.publishTrack(track, { source: Track.Source.Microphone });
      this.setMuted(Track.Source.Microphone, !this.session.wanted.audio); // toggled while publishing
    }
    const camera = this.camera ?? this.session.local.getVideoTracks()[0];
    if (camera && !participant.getTrackPublication(Track.Source.Camera)) {
      // userProvided: muting only disables the track; LiveKit would otherwise stop the camera and reopen it itself.
      const track = new LocalVideoTrack(camera, undefined, true);
      if (!this.session.wanted.video) await track.mute();
      await participant.publishTrack(track, { source: Track.Source.Camera });
      this.setMuted(Track.Source.Camera, !this.session.wanted.video);
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
    this.session.changed();
  }

  participants(): RemoteParticipant[] {
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
    return participants;
  }

  wantedChanged(kind: keyof MediaWanted): void {
    this.setMuted(kind === "audio" ? Track.Source.Microphone : Track.Source.Camera, !this.session.wanted[kind]);
  }

  /** Mutes a published track, so the others see it (LiveKit tells them); unpublished ones are muted as they are published. */
  private setMuted(source: Track.Source, muted: boolean): void {
    const track = this.lk.localParticipant.getTrackPublication(source)?.track;
    if (track && track.isMuted !== muted) void (muted ? track.mute() : track.unmute()).catch((error: unknown) => console.warn("mute failed", error));
  }

  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
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

  /**
   * Each remote participant's received audio level since the last call, from their microphone
   * track's receiver (the same statistics as peer-to-peer; see active-speaker.ts).
   */
  async audioLevels(): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    const keys: string[] = [];
    await Promise.all(
      [...this.lk.remoteParticipants.values()].map(async (p) => {
        const publication = p.getTrackPublication(Track.Source.Microphone);
        const receiver = publication?.track?.receiver;
        if (!receiver || publication.isMuted) return levels.set(p.identity, 0);
        const key = `${p.identity}:${publication.trackSid}`;
        keys.push(key);
        const report = await receiver.getStats().catch(() => undefined);
        levels.set(p.identity, report ? this.meter.level(key, report) : 0);
      }),
    );
    this.meter.keepOnly(keys);
    return levels;
  }

  close(): void {
    this.remoteStreams.clear();
    void this.lk.disconnect(false).catch(() => {}); // false: the device check's tracks stay with the call screen
  }
}
