"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { VideoRoom } from "@/lib/rooms/schema";
import { initializeVideoRoom, type CallApiError } from "@/lib/video/call-api";
import { listDevices } from "@/lib/video/media";
import { openTransport } from "@/lib/video/open-transport";
import { callStateOf, type CallState, type CallTransport, type RemoteParticipant, type TransportSnapshot } from "@/lib/video/transport";
import { ChatPanel } from "./ChatPanel";
import type { ReadyMedia } from "./DeviceCheck";
import type { EmitOutput } from "./embed";
import { CameraIcon, ChatIcon, FlagIcon, MicIcon, PhoneIcon, SwapIcon } from "./icons";
import { ReportIssue } from "./ReportIssue";
import { useChat } from "./useChat";
import styles from "./room.module.css";
import { formatDuration } from "./time";

type Props = {
  consultationId: string;
  participantId: string;
  role: "patient" | "provider";
  /** Whom the person waits for, in words: "Dr. Ana Martínez", "the patient". */
  waitingFor: string;
  media: ReadyMedia;
  /** The call is over for this person: `left` (may rejoin), `ended` or `timeout` (for everyone). */
  onFinished: (how: "left" | "ended" | "timeout") => void;
  /** Tells the embedding page (if any) what happens: the seed's SDK outputs. */
  emit: EmitOutput;
};

type Failure = { code: string; message: string };

const ROLE_WORD = { patient: "Patient", provider: "Provider" } as const;

function RemoteTile({ participant, large }: { participant: RemoteParticipant; large: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== participant.stream) video.current.srcObject = participant.stream;
  }, [participant.stream]);
  const label = `${participant.displayName || ROLE_WORD[participant.role]} · ${ROLE_WORD[participant.role]}`;
  return (
    <figure className={large ? styles.remoteLarge : styles.remoteSmall} data-remote-participant={participant.participantId}>
      <video ref={video} autoPlay playsInline data-testid="remote-video" aria-label={`Video of ${label}`} />
      {!participant.video ? (
        <p className={styles.cameraOff} data-testid="remote-camera-off">
          {participant.displayName || ROLE_WORD[participant.role]} turned the camera off
        </p>
      ) : null}
      <figcaption className={styles.tileLabel}>
        {label}
        {!participant.audio ? (
          <span className={styles.mutedBadge} data-testid="remote-muted">
            <MicIcon off /> Muted
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

/**
 * The call: the other person large and yourself small, who and how long, and the seed's
 * controls (mute, disable video, swap camera where there is a second camera, end call).
 * States follow the seed: waiting, active, reconnecting, ended, error, timeout.
 */
export function CallScreen({ consultationId, participantId, role, waitingFor, media, onFinished, emit }: Props) {
  const [room, setRoom] = useState<VideoRoom | null>(null);
  const [snapshot, setSnapshot] = useState<TransportSnapshot>({ signalingConnected: false, participants: [] });
  const [final, setFinal] = useState<Exclude<CallState, "waiting" | "active" | "reconnecting"> | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [audio, setAudio] = useState(media.audio);
  const [video, setVideo] = useState(media.video);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState(media.cameraId);
  const [now, setNow] = useState(() => Date.now());
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const call = useRef<CallTransport | null>(null);
  const [everConnected, setEverConnected] = useState(false);
  // Until the room's stream first opens the call is starting, not reconnecting.
  const [everSignaled, setEverSignaled] = useState(false);
  const [clockOffset, setClockOffset] = useState(0);
  const localVideo = useRef<HTMLVideoElement>(null);
  const endDialog = useRef<HTMLDialogElement>(null);
  const reportDialog = useRef<HTMLDialogElement>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const chat = useChat(room ? { roomId: room.roomId, participantId, role } : null, chatOpen);
  // The transport's listener outlives renders: it reaches the chat through a ref.
  const chatReceived = useRef(chat.received);
  const catchUp = useRef(chat.catchUp);
  useEffect(() => {
    chatReceived.current = chat.received;
    catchUp.current = chat.catchUp;
  }, [chat.received, chat.catchUp]);

  // Start the call: join (PUT video-room), then connect the transport.
  useEffect(() => {
    let cancelled = false;
    const start = async () => {
      if (!navigator.onLine) throw Object.assign(new Error("offline"), { code: "network_unavailable" });
      const joined = await initializeVideoRoom(consultationId, participantId);
      if (cancelled) return;
      setClockOffset(new Date(joined.timer.serverTime).getTime() - Date.now());
      const transport = await openTransport(joined, media.stream, {
        onChange: (next) => {
          if (next.participants.some((p) => p.connection === "connected")) setEverConnected(true);
          if (next.signalingConnected) setEverSignaled(true);
          setSnapshot(next);
        },
        onEnded: (how) => setFinal(how),
        onFailure: (error) => {
          setFailure({ code: (error as CallApiError).code ?? "server_error", message: error.message });
          setFinal("error");
        },
        onChat: (message) => chatReceived.current(message),
      }, () => initializeVideoRoom(consultationId, participantId));
      if (cancelled) {
        transport.close();
        return;
      }
      call.current = transport;
      setRoom(joined);
      transport.start();
      transport.setMicrophoneEnabled(media.audio);
      transport.setCameraEnabled(media.video);
      emit({ output: "session", value: "started" });
    };
    start().catch((error: CallApiError) => {
      if (cancelled) return;
      const offline = error.code === "network_unavailable";
      setFailure({
        code: error.code ?? "server_error",
        message: offline ? "You seem to be offline. Check your Wi-Fi or mobile data, then press Try again." : error.message,
      });
      setFinal("error");
    });
    return () => {
      cancelled = true;
      call.current?.close();
      call.current = null;
    };
  }, [consultationId, participantId, media, attempt, emit]);

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

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const serverNow = now + clockOffset;
  const endsAt = room ? new Date(room.timer.endsAt).getTime() : Infinity;
  const warnAt = room ? new Date(room.timer.warnAt).getTime() : Infinity;

  // Time is up: end for everyone (the server checks), and show `timeout` whatever it answers.
  useEffect(() => {
    if (final || !room || serverNow < endsAt) return;
    const transport = call.current;
    void transport?.endForEveryone("timeout").catch(() => {});
    transport?.close();
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFinal("timeout");
  }, [final, room, serverNow, endsAt]);

  useEffect(() => {
    if (final === "ended" || final === "timeout") {
      call.current?.close();
      onFinished(final);
    }
  }, [final, onFinished]);

  const state: CallState | "connecting" = final ?? (room ? (everSignaled ? callStateOf(snapshot, everConnected) : "waiting") : "connecting");

  useEffect(() => {
    if (state === "error") emit({ output: "error", value: failure?.code ?? "server_error" });
    else if (state !== "connecting") emit({ output: "state", value: state });
  }, [state, failure, emit]);
  const remotes = snapshot.participants;
  const main = remotes.find((p) => p.connection === "connected") ?? remotes[0];

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

  const measure = useCallback(async () => (call.current ? call.current.connectionStats() : null), []);

  async function leave() {
    setConfirmEnd(false);
    endDialog.current?.close();
    await call.current?.leave().catch(() => {});
    onFinished("left");
  }

  async function endForEveryone() {
    endDialog.current?.close();
    try {
      await call.current?.endForEveryone("ended_by_provider");
      setFinal("ended");
    } catch (error) {
      setFailure({ code: "end_failed", message: (error as Error).message });
    }
  }

  function pressEnd() {
    if (role === "provider") {
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
    ended: "The consultation has ended",
    timeout: "Time is up: the consultation has ended",
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
          onClick={() => {
            setFailure(null);
            setFinal(null);
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </section>
    );
  }

  const startedAt = room ? new Date(room.timer.startedAt).getTime() : serverNow;
  const label = main ? `${main.displayName || waitingFor} · ${ROLE_WORD[main.role]}` : `Waiting for ${waitingFor}`;

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
          {Math.max(1, Math.ceil((endsAt - serverNow) / 60_000))} minute{endsAt - serverNow > 60_000 ? "s" : ""} left: the consultation ends at its scheduled time.
        </p>
      ) : null}

      <div className={styles.callBody}>
      <div className={styles.stage} data-count={remotes.length}>
        {remotes.length === 0 ? <p className={styles.waitingNote}>{stateText.waiting}</p> : null}
        {remotes.map((p) => (
          <RemoteTile key={p.participantId} participant={p} large={remotes.length === 1 || p === main} />
        ))}
        <video ref={localVideo} className={`${styles.self} ${styles.mirror}`} autoPlay playsInline muted aria-label="Your video" data-testid="local-video" />
      </div>
      {chatOpen ? <ChatPanel participantId={participantId} messages={chat.messages} send={chat.send} onClose={() => setChatOpen(false)} closed={state === "ended" || state === "timeout"} /> : null}
      </div>

      <nav className={styles.controls} aria-label="Call controls">
        <button type="button" className={styles.control} onClick={toggleAudio} aria-pressed={!audio} data-testid="toggle-audio">
          <MicIcon off={!audio} />
          <span>{audio ? "Mute" : "Unmute"}</span>
        </button>
        <button type="button" className={styles.control} onClick={toggleVideo} aria-pressed={!video} data-testid="toggle-video">
          <CameraIcon off={!video} />
          <span>{video ? "Stop video" : "Start video"}</span>
        </button>
        {cameras.length > 1 ? (
          <button type="button" className={styles.control} onClick={() => void swapCamera()} data-testid="swap-camera">
            <SwapIcon />
            <span>Swap camera</span>
          </button>
        ) : null}
        <button
          type="button"
          className={styles.control}
          onClick={toggleChat}
          aria-pressed={chatOpen}
          aria-label={chat.unread > 0 ? `Chat, ${chat.unread} unread` : "Chat"}
          data-testid="toggle-chat"
          disabled={!room}
        >
          <ChatIcon />
          <span>Chat</span>
          {chat.unread > 0 ? (
            <span className={styles.badge} data-testid="chat-unread" aria-hidden="true">
              {chat.unread > 99 ? "99+" : chat.unread}
            </span>
          ) : null}
        </button>
        <button type="button" className={styles.control} onClick={openReport} data-testid="report-issue" disabled={!room}>
          <FlagIcon />
          <span>Report issue</span>
        </button>
        <span className={styles.spacer} />
        <button type="button" className={`${styles.control} ${styles.endControl}`} onClick={pressEnd} data-testid="end-call">
          <PhoneIcon />
          <span>End call</span>
        </button>
      </nav>

      <dialog ref={reportDialog} className={styles.dialog} aria-labelledby="report-title" onClose={() => setReportOpen(false)}>
        {reportOpen && room ? (
          <ReportIssue roomId={room.roomId} participantId={participantId} measure={measure} onDone={() => reportDialog.current?.close()} />
        ) : null}
      </dialog>

      <dialog ref={endDialog} className={styles.dialog} aria-labelledby="end-title" onClose={() => setConfirmEnd(false)}>
        {confirmEnd ? (
          <>
            <h2 id="end-title">End the call?</h2>
            <p>Leave for now and come back with the same link, or end the consultation for everyone.</p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.secondary} onClick={() => void leave()}>
                Leave call
              </button>
              <button type="button" className={styles.danger} onClick={() => void endForEveryone()}>
                End consultation for everyone
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
