"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import type { ChatMessage } from "@/lib/chat/schema";
import type { ParticipantRole } from "@/lib/rooms/session";
import type { CallTarget } from "@/lib/video/call-api";
import { gridShape } from "@/lib/video/call-grid";
import { listDevices } from "@/lib/video/media";
import { BackgroundNoticeText, BackgroundPicker, useBackgroundState } from "./BackgroundPicker";
import { CallControls } from "./CallControls";
import { ChatPanel } from "./ChatPanel";
import { counterpartArgs, type Counterpart } from "./counterpart";
import type { ReadyMedia } from "./DeviceCheck";
import type { EmitOutput } from "./embed";
import { MicIcon } from "./icons";
import { RemoteTile, usePersonWords } from "./RemoteTile";
import { ReportIssue } from "./ReportIssue";
import { useActiveSpeaker } from "./useActiveSpeaker";
import { useCall } from "./useCall";
import { useChat } from "./useChat";
import { forgetInCall, rememberInCall, updateInCall } from "./useResumeCall";
import styles from "./room.module.css";
import { formatDuration } from "./time";

type Props = {
  /** The call to join: a consultation's, or a standalone room's (consultationId null). */
  target: CallTarget;
  participantId: string;
  role: ParticipantRole;
  /** Whom the person waits for: someone by name ("Dr. Ana Martínez", "Ana and Luis"), the patient, or the others. */
  waitingFor: Counterpart;
  media: ReadyMedia;
  /** The call is over for this person: `left` (may rejoin), `ended` or `timeout` (for everyone). */
  onFinished: (how: "left" | "ended" | "timeout") => void;
  /** Tells the embedding page (if any) what happens: the seed's SDK outputs. */
  emit: EmitOutput;
};

/** Space between a group call's tiles, in CSS pixels (the stage's `gap`). */
const TILE_GAP = 6;

/**
 * Why the call stopped, by the failure's code (the API's error codes, the transport's own, and
 * `network_unavailable`), in the page's words; an unknown code gets a general message.
 */
const FAILURE = {
  network_unavailable: "errors.offline",
  livekit_unreachable: "errors.livekitUnreachable",
  livekit_refused: "errors.livekitRefused",
  joined_elsewhere: "errors.joinedElsewhere",
  session_required: "errors.sessionRequired",
  room_not_open: "errors.notOpen",
  consultation_completed: "errors.completed",
  consultation_expired: "errors.expired",
  room_deleted: "errors.deleted",
  room_full: "errors.full",
  livekit_required: "errors.livekitRequired",
  rate_limited: "errors.rateLimited",
} as const;

/**
 * The call: with one other person, them large and yourself small; with more, everyone in a grid
 * shaped for the screen (lib/video/call-grid.ts) with the one speaking outlined. Who and how
 * long, and the seed's controls (mute, disable video, swap camera where there is a second
 * camera, end call; a host, privilege plus, may end it for everyone). States follow the seed:
 * waiting, active, reconnecting, ended, error, timeout. A standalone room's call says "call"
 * where a consultation's says "consultation"; a call without an end shows no countdown warning.
 */
export function CallScreen({ target, participantId, role, waitingFor, media, onFinished, emit }: Props) {
  const t = useTranslations("Call");
  const format = useFormatter();
  const words = usePersonWords();
  // The call's listener outlives renders: it reaches the chat through a ref.
  const chatReceived = useRef<(message: ChatMessage) => void>(() => {});
  // While this screen is up a reload comes straight back (useResumeCall); once the call is over for this person, not.
  const over = useCallback(
    (how: "left" | "ended" | "timeout") => {
      forgetInCall(participantId);
      onFinished(how);
    },
    [participantId, onFinished],
  );
  useEffect(() => {
    rememberInCall(participantId, { roomId: target.roomId, cameraId: media.cameraId, microphoneId: media.microphoneId, audio: media.audio, video: media.video });
  }, [participantId, target.roomId, media]);
  const { room, snapshot, state, failure, call, serverNow, measure, leave: leaveCall, endForEveryone: endCall, retry } = useCall({
    target,
    participantId,
    media,
    onFinished: over,
    emit,
    chatReceived,
  });
  const [audio, setAudio] = useState(media.audio);
  const [video, setVideo] = useState(media.video);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState(media.cameraId);
  const [swapping, setSwapping] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const localVideo = useRef<HTMLVideoElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [stageSize, setStageSize] = useState({ width: 0, height: 0 });
  const endDialog = useRef<HTMLDialogElement>(null);
  const reportDialog = useRef<HTMLDialogElement>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const backgroundDialog = useRef<HTMLDialogElement>(null);
  const [backgroundOpen, setBackgroundOpen] = useState(false);
  const background = media.background;
  const backgroundState = useBackgroundState(background);
  // Read by the background's listener, which outlives renders.
  const videoOn = useRef(media.video);
  const sending = useRef<Promise<void>>(Promise.resolve());
  const chat = useChat(room ? { roomId: room.roomId, participantId, role } : null, chatOpen);
  const catchUp = useRef(chat.catchUp);
  useEffect(() => {
    chatReceived.current = chat.received;
    catchUp.current = chat.catchUp;
  }, [chat.received, chat.catchUp]);

  useEffect(() => {
    if (localVideo.current) localVideo.current.srcObject = media.stream;
  }, [media.stream]);

  // The background's track (the camera's, or the effect's) is what the call sends and what you
  // see of yourself: when it changes, it replaces the sent track on every connection, with no
  // renegotiation, on either transport.
  useEffect(() => {
    let sent = media.stream.getVideoTracks()[0] ?? null;
    const send = async (track: MediaStreamTrack) => {
      await call.current?.replaceVideoTrack(track);
      for (const old of media.stream.getVideoTracks()) if (old !== track) media.stream.removeTrack(old);
      if (!media.stream.getVideoTracks().includes(track)) media.stream.addTrack(track);
      track.enabled = videoOn.current;
      // A stream of its own: an element left on a stream whose track was swapped can stay black.
      if (localVideo.current) localVideo.current.srcObject = new MediaStream([track]);
    };
    const follow = () => {
      const track = background.getState().outgoing;
      if (!track || track === sent) return;
      sent = track;
      sending.current = sending.current.then(() => send(track)).catch(() => {});
    };
    follow();
    return background.subscribe(follow);
  }, [background, media.stream, call]);

  useEffect(() => {
    listDevices().then(
      (lists) => {
        setCameras(lists.cameras);
        if (lists.cameras.length < 2) emit({ output: "camera", value: "unsupported" });
      },
      () => setCameras([]),
    );
  }, [emit]);

  // The chat again from the server whenever the room's stream (re)connects: the history after a
  // reload, and whatever a reconnect missed.
  useEffect(() => {
    if (room && snapshot.signalingConnected) void catchUp.current();
  }, [room, snapshot.signalingConnected]);

  const endsAt = room?.timer.endsAt ? Date.parse(room.timer.endsAt) : Infinity;
  const warnAt = room?.timer.warnAt ? Date.parse(room.timer.warnAt) : Infinity;
  const remotes = snapshot.participants;
  const main = remotes.find((p) => p.connection === "connected") ?? remotes[0];
  const grid = remotes.length >= 2;
  const finished = state === "ended" || state === "timeout" || state === "error";
  const speaker = useActiveSpeaker(call, room !== null && remotes.length > 0 && !finished);
  const standalone = target.consultationId === null;
  const host = room?.participant.privilege === "plus";

  // A group call's grid follows the stage's size: the window, a phone turned, the chat opened beside.
  useLayoutEffect(() => {
    const element = stage.current;
    if (!element || !grid) return;
    const measure = () => {
      const style = getComputedStyle(element);
      const width = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const height = element.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      setStageSize((size) => (size.width === width && size.height === height ? size : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [grid]);

  function toggleAudio() {
    const next = !audio;
    setAudio(next);
    call.current?.setMicrophoneEnabled(next);
    updateInCall(participantId, { audio: next });
    emit({ output: "audio", value: "updated", detail: { enabled: next } });
  }

  function toggleVideo() {
    const next = !video;
    setVideo(next);
    videoOn.current = next;
    background.setCameraOn(next);
    call.current?.setCameraEnabled(next);
    updateInCall(participantId, { video: next });
    emit({ output: "video", value: "updated", detail: { enabled: next } });
  }

  async function swapCamera() {
    const index = cameras.findIndex((c) => c.deviceId === cameraId);
    const nextCamera = cameras[(index + 1) % cameras.length];
    if (!nextCamera || swapping) return;
    // One swap at a time: with a background on, the effect restarts on the new camera first.
    setSwapping(true);
    try {
      await swapTo(nextCamera);
    } finally {
      setSwapping(false);
    }
  }

  async function swapTo(nextCamera: MediaDeviceInfo) {
    const fresh = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: nextCamera.deviceId } } });
    const track = fresh.getVideoTracks()[0]!;
    const old = background.cameraTrack;
    // The background moves to the new camera (an effect restarts on it); the listener above sends
    // whichever track results, and the old camera stops once it is no longer sent.
    await background.setCamera(track);
    await sending.current;
    if (old !== track) old?.stop();
    setCameraId(nextCamera.deviceId);
    updateInCall(participantId, { cameraId: nextCamera.deviceId });
    emit({ output: "camera", value: "updated" });
  }

  function toggleChat() {
    const next = !chatOpen;
    setChatOpen(next);
    if (next) emit({ output: "chat", value: "opened" });
  }

  function openBackground() {
    setBackgroundOpen(true);
    backgroundDialog.current?.showModal();
  }

  function openReport() {
    setReportOpen(true);
    reportDialog.current?.showModal();
  }

  async function leave() {
    setConfirmEnd(false);
    endDialog.current?.close();
    await leaveCall();
  }

  async function endForEveryone() {
    endDialog.current?.close();
    await endCall();
  }

  function pressEnd() {
    if (host) {
      setConfirmEnd(true);
      endDialog.current?.showModal();
    } else {
      void leave();
    }
  }

  const who = counterpartArgs(waitingFor);
  const stateText: Record<typeof state, string> = {
    connecting: t("state.connecting"),
    waiting: main ? t("state.connectingTo", main.displayName ? { who: "name", name: main.displayName } : who) : t("state.waitingFor", who),
    active: t("state.active"),
    reconnecting: t("state.reconnecting"),
    ended: standalone ? t("state.endedCall") : t("state.endedConsultation"),
    timeout: standalone ? t("state.timeoutCall") : t("state.timeoutConsultation"),
    error: t(FAILURE[failure?.code as keyof typeof FAILURE] ?? "errors.unknown"),
  };

  if (state === "error") {
    return (
      <section className={styles.card} data-call-state="error" aria-labelledby="call-error-title">
        <h2 id="call-error-title">{t("errors.title")}</h2>
        <p role="alert" data-error-code={failure?.code}>
          {stateText.error}
        </p>
        <button
          type="button"
          className={styles.primary}
          onClick={retry}
        >
          {t("errors.tryAgain")}
        </button>
      </section>
    );
  }

  const startedAt = room ? new Date(room.timer.startedAt).getTime() : serverNow;
  const label = grid
    ? t("label.inCallWith", { names: format.list(remotes.map(words.name), { type: "conjunction" }) })
    : !main
      ? t("label.waitingFor", who)
      : [main.displayName || (waitingFor.kind === "name" ? waitingFor.name : words.what(main)), words.what(main)].join(" · ");
  const shape = gridShape(remotes.length + 1, stageSize.width, stageSize.height, TILE_GAP);
  const tileSize = (count: number) => (count > 0 ? `${Math.floor(count)}px` : undefined);
  const stageStyle = grid
    ? ({
        "--tile-width": tileSize((stageSize.width - TILE_GAP * (shape.columns - 1)) / shape.columns),
        "--tile-height": tileSize((stageSize.height - TILE_GAP * (shape.rows - 1)) / shape.rows),
        "--tile-gap": `${TILE_GAP}px`,
      } as CSSProperties)
    : undefined;

  return (
    <section className={styles.call} data-call-state={state} aria-label={t("region")}>
      <header className={styles.callBar}>
        <p className={styles.participantLabel} data-testid="participant-label">
          {label}
        </p>
        <p className={styles.timer} aria-label={t("sessionTime")} data-testid="session-timer">
          <time>{formatDuration(serverNow - startedAt)}</time>
        </p>
      </header>

      <p className={styles.stateBanner} role="status" aria-live="polite" data-testid="call-state" data-state={state}>
        {stateText[state]}
      </p>
      <BackgroundNoticeText notice={backgroundOpen ? null : backgroundState.notice} />
      {serverNow >= warnAt && serverNow < endsAt ? (
        <p className={styles.warning} role="alert" data-testid="timeout-warning">
          {standalone
            ? t("warningCall", { minutes: Math.max(1, Math.ceil((endsAt - serverNow) / 60_000)) })
            : t("warningConsultation", { minutes: Math.max(1, Math.ceil((endsAt - serverNow) / 60_000)) })}
        </p>
      ) : null}

      <div className={styles.callBody}>
      <div
        ref={stage}
        className={styles.stage}
        data-count={remotes.length}
        data-layout={grid ? "grid" : "solo"}
        data-columns={grid ? shape.columns : undefined}
        data-testid="call-stage"
        style={stageStyle}
      >
        {remotes.length === 0 ? (
          <p key="waiting" className={styles.waitingNote}>
            {stateText.waiting}
          </p>
        ) : null}
        {remotes.map((p) => (
          <RemoteTile key={p.participantId} participant={p} grid={grid} speaking={p.participantId === speaker} speakerId={media.speakerId} />
        ))}
        {/* Yourself: small in a corner beside one other person, a tile like the others' in a group. One element throughout, so the camera never blinks. */}
        <figure key="self" className={grid ? styles.gridTile : styles.selfPip} data-testid="self-tile">
          <video ref={localVideo} className={styles.mirror} autoPlay playsInline muted aria-label={t("yourVideo")} data-testid="local-video" />
          {grid && !video ? <p className={styles.cameraOff}>{t("yourCameraOff")}</p> : null}
          {grid ? (
            <figcaption className={styles.tileLabel}>
              <span className={styles.tileName}>{t("you")}</span>
              {!audio ? (
                <span className={styles.mutedBadge}>
                  <MicIcon off /> {t("muted")}
                </span>
              ) : null}
            </figcaption>
          ) : null}
        </figure>
      </div>
      {chatOpen ? (
        <ChatPanel
          participantId={participantId}
          messages={chat.messages}
          send={chat.send}
          upload={chat.upload}
          renewFileLinks={chat.renewFileLinks}
          onClose={() => setChatOpen(false)}
          closed={state === "ended" || state === "timeout"}
        />
      ) : null}
      </div>

      <CallControls
        audio={audio}
        video={video}
        canSwapCamera={cameras.length > 1}
        swapping={swapping}
        canChangeBackground={backgroundState.status !== "unsupported"}
        background={backgroundState.choice.kind !== "none"}
        chatOpen={chatOpen}
        chatUnread={chat.unread}
        joined={room !== null}
        onToggleAudio={toggleAudio}
        onToggleVideo={toggleVideo}
        onSwapCamera={() => void swapCamera()}
        onBackground={openBackground}
        onToggleChat={toggleChat}
        onReport={openReport}
        onEnd={pressEnd}
      />

      <dialog ref={backgroundDialog} className={styles.dialog} aria-labelledby="background-title" onClose={() => setBackgroundOpen(false)}>
        {backgroundOpen ? (
          <div className={styles.backgroundDialog}>
            <h2 id="background-title">{t("background.title")}</h2>
            <BackgroundPicker controller={background} name="call-background" hideLegend />
            <div className={styles.dialogActions}>
              <button type="button" className={styles.secondary} onClick={() => backgroundDialog.current?.close()} data-testid="background-done">
                {t("background.done")}
              </button>
            </div>
          </div>
        ) : null}
      </dialog>

      <dialog ref={reportDialog} className={styles.dialog} aria-labelledby="report-title" onClose={() => setReportOpen(false)}>
        {reportOpen && room ? (
          <ReportIssue roomId={room.roomId} participantId={participantId} measure={measure} onDone={() => reportDialog.current?.close()} />
        ) : null}
      </dialog>

      <dialog ref={endDialog} className={styles.dialog} aria-labelledby="end-title" onClose={() => setConfirmEnd(false)}>
        {confirmEnd ? (
          <>
            <h2 id="end-title">{t("end.title")}</h2>
            <p>{standalone ? t("end.bodyCall") : t("end.bodyConsultation")}</p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.secondary} onClick={() => void leave()}>
                {t("end.leave")}
              </button>
              <button type="button" className={styles.danger} onClick={() => void endForEveryone()}>
                {standalone ? t("end.everyoneCall") : t("end.everyoneConsultation")}
              </button>
              <button type="button" className={styles.link} onClick={() => endDialog.current?.close()}>
                {t("end.cancel")}
              </button>
            </div>
          </>
        ) : null}
      </dialog>
    </section>
  );
}
