"use client";

import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import type { ChatMessage } from "@/lib/chat/schema";
import type { ParticipantRole } from "@/lib/rooms/session";
import type { CallTarget } from "@/lib/video/call-api";
import { gridShape } from "@/lib/video/call-grid";
import { listDevices } from "@/lib/video/media";
import { CallControls } from "./CallControls";
import { ChatPanel } from "./ChatPanel";
import type { ReadyMedia } from "./DeviceCheck";
import type { EmitOutput } from "./embed";
import { MicIcon } from "./icons";
import { groupWord, nameOf, RemoteTile } from "./RemoteTile";
import { ReportIssue } from "./ReportIssue";
import { useActiveSpeaker } from "./useActiveSpeaker";
import { useCall } from "./useCall";
import { useChat } from "./useChat";
import styles from "./room.module.css";
import { formatDuration } from "./time";

type Props = {
  /** The call to join: a consultation's, or a standalone room's (consultationId null). */
  target: CallTarget;
  participantId: string;
  role: ParticipantRole;
  /** Whom the person waits for, in words: "Dr. Ana Martínez", "the patient", "the others". */
  waitingFor: string;
  media: ReadyMedia;
  /** The call is over for this person: `left` (may rejoin), `ended` or `timeout` (for everyone). */
  onFinished: (how: "left" | "ended" | "timeout") => void;
  /** Tells the embedding page (if any) what happens: the seed's SDK outputs. */
  emit: EmitOutput;
};

/** Space between a group call's tiles, in CSS pixels (the stage's `gap`). */
const TILE_GAP = 6;

/**
 * The call: with one other person, them large and yourself small; with more, everyone in a grid
 * shaped for the screen (lib/video/call-grid.ts) with the one speaking outlined. Who and how
 * long, and the seed's controls (mute, disable video, swap camera where there is a second
 * camera, end call; a host, privilege plus, may end it for everyone). States follow the seed:
 * waiting, active, reconnecting, ended, error, timeout. A standalone room's call says "call"
 * where a consultation's says "consultation"; a call without an end shows no countdown warning.
 */
export function CallScreen({ target, participantId, role, waitingFor, media, onFinished, emit }: Props) {
  // The call's listener outlives renders: it reaches the chat through a ref.
  const chatReceived = useRef<(message: ChatMessage) => void>(() => {});
  const { room, snapshot, state, failure, call, serverNow, measure, leave: leaveCall, endForEveryone: endCall, retry } = useCall({
    target,
    participantId,
    media,
    onFinished,
    emit,
    chatReceived,
  });
  const [audio, setAudio] = useState(media.audio);
  const [video, setVideo] = useState(media.video);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState(media.cameraId);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const localVideo = useRef<HTMLVideoElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [stageSize, setStageSize] = useState({ width: 0, height: 0 });
  const endDialog = useRef<HTMLDialogElement>(null);
  const reportDialog = useRef<HTMLDialogElement>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const chat = useChat(room ? { roomId: room.roomId, participantId, role } : null, chatOpen);
  const catchUp = useRef(chat.catchUp);
  useEffect(() => {
    chatReceived.current = chat.received;
    catchUp.current = chat.catchUp;
  }, [chat.received, chat.catchUp]);

  useEffect(() => {
    if (localVideo.current) localVideo.current.srcObject = media.stream;
  }, [media.stream]);

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
  const what = standalone ? "call" : "consultation";
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
    emit({ output: "audio", value: "updated", detail: { enabled: next } });
  }

  function toggleVideo() {
    const next = !video;
    setVideo(next);
    call.current?.setCameraEnabled(next);
    emit({ output: "video", value: "updated", detail: { enabled: next } });
  }

  async function swapCamera() {
    const index = cameras.findIndex((c) => c.deviceId === cameraId);
    const nextCamera = cameras[(index + 1) % cameras.length];
    if (!nextCamera) return;
    const fresh = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: nextCamera.deviceId } } });
    const track = fresh.getVideoTracks()[0]!;
    await call.current?.replaceVideoTrack(track);
    for (const old of media.stream.getVideoTracks()) {
      media.stream.removeTrack(old);
      old.stop();
    }
    media.stream.addTrack(track);
    track.enabled = video;
    if (localVideo.current) localVideo.current.srcObject = media.stream;
    setCameraId(nextCamera.deviceId);
    emit({ output: "camera", value: "updated" });
  }

  function toggleChat() {
    const next = !chatOpen;
    setChatOpen(next);
    if (next) emit({ output: "chat", value: "opened" });
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

  const stateText: Record<typeof state, string> = {
    connecting: "Connecting…",
    waiting: main ? `Connecting to ${main.displayName || waitingFor}…` : `Waiting for ${waitingFor} to join`,
    active: "In call",
    reconnecting: "Connection lost. Reconnecting…",
    ended: `The ${what} has ended`,
    timeout: `Time is up: the ${what} has ended`,
    error: failure?.message ?? "The call is unavailable",
  };

  if (state === "error") {
    return (
      <section className={styles.card} data-call-state="error" aria-labelledby="call-error-title">
        <h2 id="call-error-title">The call could not continue</h2>
        <p role="alert" data-error-code={failure?.code}>
          {stateText.error}
        </p>
        <button
          type="button"
          className={styles.primary}
          onClick={retry}
        >
          Try again
        </button>
      </section>
    );
  }

  const startedAt = room ? new Date(room.timer.startedAt).getTime() : serverNow;
  const label = grid
    ? `In call with ${new Intl.ListFormat("en", { type: "conjunction" }).format(remotes.map(nameOf))}`
    : main
      ? `${main.displayName || waitingFor} · ${groupWord(main)}`
      : `Waiting for ${waitingFor}`;
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
    <section className={styles.call} data-call-state={state} aria-label="Video call">
      <header className={styles.callBar}>
        <p className={styles.participantLabel} data-testid="participant-label">
          {label}
        </p>
        <p className={styles.timer} aria-label="Session time" data-testid="session-timer">
          <time>{formatDuration(serverNow - startedAt)}</time>
        </p>
      </header>

      <p className={styles.stateBanner} role="status" aria-live="polite" data-testid="call-state" data-state={state}>
        {stateText[state]}
      </p>
      {serverNow >= warnAt && serverNow < endsAt ? (
        <p className={styles.warning} role="alert" data-testid="timeout-warning">
          {Math.max(1, Math.ceil((endsAt - serverNow) / 60_000))} minute{endsAt - serverNow > 60_000 ? "s" : ""} left: the {what} ends at its scheduled time.
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
          <RemoteTile key={p.participantId} participant={p} grid={grid} speaking={p.participantId === speaker} />
        ))}
        {/* Yourself: small in a corner beside one other person, a tile like the others' in a group. One element throughout, so the camera never blinks. */}
        <figure key="self" className={grid ? styles.gridTile : styles.selfPip} data-testid="self-tile">
          <video ref={localVideo} className={styles.mirror} autoPlay playsInline muted aria-label="Your video" data-testid="local-video" />
          {grid && !video ? <p className={styles.cameraOff}>Your camera is off</p> : null}
          {grid ? (
            <figcaption className={styles.tileLabel}>
              <span className={styles.tileName}>You</span>
              {!audio ? (
                <span className={styles.mutedBadge}>
                  <MicIcon off /> Muted
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
        chatOpen={chatOpen}
        chatUnread={chat.unread}
        joined={room !== null}
        onToggleAudio={toggleAudio}
        onToggleVideo={toggleVideo}
        onSwapCamera={() => void swapCamera()}
        onToggleChat={toggleChat}
        onReport={openReport}
        onEnd={pressEnd}
      />

      <dialog ref={reportDialog} className={styles.dialog} aria-labelledby="report-title" onClose={() => setReportOpen(false)}>
        {reportOpen && room ? (
          <ReportIssue roomId={room.roomId} participantId={participantId} measure={measure} onDone={() => reportDialog.current?.close()} />
        ) : null}
      </dialog>

      <dialog ref={endDialog} className={styles.dialog} aria-labelledby="end-title" onClose={() => setConfirmEnd(false)}>
        {confirmEnd ? (
          <>
            <h2 id="end-title">End the call?</h2>
            <p>Leave for now and come back with the same link, or end the {what} for everyone.</p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.secondary} onClick={() => void leave()}>
                Leave call
              </button>
              <button type="button" className={styles.danger} onClick={() => void endForEveryone()}>
                {standalone ? "End the call for everyone" : "End consultation for everyone"}
              </button>
              <button type="button" className={styles.link} onClick={() => endDialog.current?.close()}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </dialog>
    </section>
  );
}
