"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { ClinicBackgrounds } from "@/lib/video/background-choice";
import { BackgroundController } from "@/lib/video/background-controller";
import { listDevices, mediaProblemOf, openLocalMedia, type DeviceLists, type MediaProblem } from "@/lib/video/media";
import { BackgroundPicker, useBackgroundState, useFirstBackground } from "./BackgroundPicker";
import { counterpartArgs, type Counterpart } from "./counterpart";
import { MicLevel, PreCallChecks, type CheckingParticipant } from "./PreCallChecks";
import styles from "./room.module.css";

/**
 * What the device check hands the call: the stream to send (its video is the camera's, or the
 * background effect's processed track), the devices chosen, and the background controller, which
 * keeps the camera behind an effect and goes on into the call.
 */
/** `speakerId`: the speaker chosen in the check (where the browser lets the page choose); the call plays the others on it. */
export type ReadyMedia = { stream: MediaStream; cameraId?: string; microphoneId?: string; speakerId?: string; audio: boolean; video: boolean; background: BackgroundController };

export type Problem = MediaProblem | "network_unavailable";

/** What keeps the call from starting, by its code (the seed's), in the page's words: what it is and what to do. */
const PROBLEM = {
  camera_permission_required: { title: "problems.cameraBlocked.title", help: "problems.cameraBlocked.help" },
  microphone_permission_required: { title: "problems.microphoneBlocked.title", help: "problems.microphoneBlocked.help" },
  waiting_permissions: { title: "problems.waitingPermission.title", help: "problems.waitingPermission.help" },
  device_not_found: { title: "problems.notFound.title", help: "problems.notFound.help" },
  device_in_use: { title: "problems.inUse.title", help: "problems.inUse.help" },
  media_unsupported: { title: "problems.unsupported.title", help: "problems.unsupported.help" },
  network_unavailable: { title: "problems.offline.title", help: "problems.offline.help" },
} as const satisfies Record<Problem, { title: string; help: string }>;

/**
 * Before the call: asks for camera and microphone, shows the preview with the microphone's
 * level and Join right under it (both in sight without scrolling, on a phone too), then the
 * checks (a test sound on the chosen speaker, the connection test), the devices (and starting
 * muted), and the background (none, blur, one of the clinic's images; the preview shows it).
 * Says plainly what to do when something is missing. On a wide screen the preview and Join
 * stand on the left, the rest on the right; `children` (who the call is with, and when) heads
 * that side, so on a phone it comes after Join: the person read it before (the PIN step, or
 * the heading says who).
 */
export function DeviceCheck({
  onJoin,
  onProblem,
  seenBy,
  clinic,
  participant,
  children,
}: {
  children?: ReactNode;
  /** The clinic's backgrounds, and whether the link asked for its default one. */
  clinic: ClinicBackgrounds;
  /** Whose session runs the connection test (null: no session yet, no test). */
  participant: CheckingParticipant | null;
  onJoin: (media: ReadyMedia) => void;
  /** Something keeps the call from starting (reported to an embedding page). */
  onProblem?: (problem: Problem) => void;
  /** Who sees and hears the person once they join, said under the Join button. */
  seenBy: Counterpart;
}) {
  const t = useTranslations("Join.devices");
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [devices, setDevices] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  const [cameraId, setCameraId] = useState<string | undefined>();
  const [microphoneId, setMicrophoneId] = useState<string | undefined>();
  const [speakerId, setSpeakerId] = useState<string | undefined>();
  const [audio, setAudio] = useState(true);
  const [video, setVideo] = useState(true);
  const [asking, setAsking] = useState(true);
  const preview = useRef<HTMLVideoElement>(null);
  const handedOver = useRef(false);
  const current = useRef<MediaStream | null>(null);
  const [background] = useState(() => new BackgroundController());
  const backgroundState = useBackgroundState(background);
  useFirstBackground(background, clinic);

  const request = useCallback(async (choice: { cameraId?: string; microphoneId?: string }) => {
    setAsking(true);
    try {
      const next = await openLocalMedia(choice);
      current.current?.getTracks().forEach((t) => t.stop());
      current.current = next;
      void background.setCamera(next.getVideoTracks()[0] ?? null);
      setStream(next);
      setProblem(null);
      const lists = await listDevices();
      setDevices(lists);
      setCameraId(next.getVideoTracks()[0]?.getSettings().deviceId);
      setMicrophoneId(next.getAudioTracks()[0]?.getSettings().deviceId);
    } catch (error) {
      setProblem(await mediaProblemOf(error));
    } finally {
      setAsking(false);
    }
  }, [background]);

  useEffect(() => {
    // Asking for the devices is the point of this step: start as soon as it shows.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void request({});
    return () => {
      if (handedOver.current) return;
      void background.close();
      current.current?.getTracks().forEach((t) => t.stop());
    };
  }, [request, background]);

  // The preview shows what the others will see: the camera, or the background effect's track.
  const outgoing = backgroundState.outgoing;
  useEffect(() => {
    if (preview.current) preview.current.srcObject = outgoing ? new MediaStream([outgoing]) : null;
  }, [outgoing]);

  useEffect(() => {
    stream?.getAudioTracks().forEach((t) => (t.enabled = audio));
    background.setCameraOn(video);
  }, [stream, audio, video, background]);

  function join() {
    if (!stream) return;
    if (!navigator.onLine) {
      setProblem("network_unavailable");
      return;
    }
    handedOver.current = true;
    // The call sends the stream's tracks: the effect's track in place of the camera when one runs.
    if (outgoing) {
      for (const track of stream.getVideoTracks()) if (track !== outgoing) stream.removeTrack(track);
      if (!stream.getVideoTracks().includes(outgoing)) stream.addTrack(outgoing);
    }
    onJoin({ stream, cameraId, microphoneId, speakerId, audio, video, background });
  }

  useEffect(() => {
    if (problem) onProblem?.(problem);
  }, [problem, onProblem]);

  const text = problem ? PROBLEM[problem] : null;

  return (
    <section className={styles.devices} aria-labelledby="devices-title" data-testid="device-check">
      <div className={styles.devicesMain}>
        <h2 id="devices-title">{t("title")}</h2>
        <div className={styles.preview} data-testid="device-preview">
          <video ref={preview} autoPlay playsInline muted aria-label={t("preview")} className={styles.mirror} />
          {!stream && !problem ? <p className={styles.previewNote}>{t("asking")}</p> : null}
          {stream && !video ? <p className={styles.previewNote}>{t("cameraOff")}</p> : null}
        </div>
        {stream ? <MicLevel track={stream.getAudioTracks()[0] ?? null} on={audio} /> : null}

        <div role="alert" aria-live="assertive" data-problem={problem ?? ""}>
          {text ? (
            <div className={styles.problem}>
              <p className={styles.problemTitle}>{t(text.title)}</p>
              <p>{t(text.help)}</p>
              {problem !== "network_unavailable" ? (
                <button type="button" className={styles.secondary} onClick={() => void request({ cameraId, microphoneId })} disabled={asking}>
                  {t("tryAgain")}
                </button>
              ) : null}
            </div>
          ) : null}
        </div>

        <button type="button" className={styles.primary} onClick={join} disabled={!stream} data-testid="join-call">
          {t("join")}
        </button>
        <p className={styles.hint}>{t("joinHint", counterpartArgs(seenBy))}</p>
      </div>

      <div className={styles.devicesSide}>
        {children}
        {stream ? <PreCallChecks participant={participant} speakerId={speakerId} /> : null}
        {stream ? (
          <div className={styles.deviceGrid}>
            <label className={styles.label} htmlFor="camera-select">
              {t("camera")}
            </label>
            <select
              id="camera-select"
              value={cameraId ?? ""}
              onChange={(e) => {
                setCameraId(e.target.value);
                void request({ cameraId: e.target.value, microphoneId });
              }}
            >
              {devices.cameras.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t("cameraN", { n: i + 1 })}
                </option>
              ))}
            </select>
            <label className={styles.label} htmlFor="microphone-select">
              {t("microphone")}
            </label>
            <select
              id="microphone-select"
              value={microphoneId ?? ""}
              onChange={(e) => {
                setMicrophoneId(e.target.value);
                void request({ cameraId, microphoneId: e.target.value });
              }}
            >
              {devices.microphones.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t("microphoneN", { n: i + 1 })}
                </option>
              ))}
            </select>
            {devices.speakers.length > 0 ? (
              <>
                <label className={styles.label} htmlFor="speaker-select">
                  {t("speaker")}
                </label>
                <select id="speaker-select" value={speakerId ?? devices.speakers[0]!.deviceId} onChange={(e) => setSpeakerId(e.target.value)}>
                  {devices.speakers.map((d, i) => (
                    <option key={d.deviceId} value={d.deviceId}>
                      {d.label || t("speakerN", { n: i + 1 })}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
            <div className={styles.toggles}>
              <label>
                <input type="checkbox" checked={audio} onChange={(e) => setAudio(e.target.checked)} /> {t("microphoneOn")}
              </label>
              <label>
                <input type="checkbox" checked={video} onChange={(e) => setVideo(e.target.checked)} /> {t("cameraOn")}
              </label>
            </div>
            <div className={styles.backgroundRow}>
              <BackgroundPicker controller={background} name="device-background" />
            </div>
          </div>
        ) : null}
      </div>
    </section>
  );
}
