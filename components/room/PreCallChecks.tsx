"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { checkConnection, connectionVerdict, medianOf, type ConnectionFindings, type ConnectionVerdict } from "@/lib/video/connection-check";
import { MicLevelMonitor } from "@/lib/video/mic-level";
import { testSoundWav } from "@/lib/video/test-sound";
import styles from "./room.module.css";

/** Who runs the connection test: their session cookie authenticates its requests. */
export type CheckingParticipant = { roomId: string; participantId: string };

/**
 * The chosen microphone's level, live, under the preview: it follows the microphone picked
 * (a new track) and reads 0 while the microphone is off. `data-level` (0–100) is what the meter
 * shows; the bar and the attributes are written directly, not through React, 15 times a second.
 */
export function MicLevel({ track, on }: { track: MediaStreamTrack | null; on: boolean }) {
  const t = useTranslations("Join.checks");
  const meter = useRef<HTMLDivElement>(null);
  const monitor = useRef<MicLevelMonitor | null>(null);

  useEffect(() => {
    const watching = new MicLevelMonitor((level) => {
      const element = meter.current;
      if (!element) return;
      element.setAttribute("aria-valuenow", String(level));
      element.dataset.level = String(level);
      element.style.setProperty("--level", String(level / 100));
    });
    monitor.current = watching;
    return () => {
      watching.close();
      monitor.current = null;
    };
  }, []);

  useEffect(() => {
    monitor.current?.watch(track);
  }, [track]);

  return (
    <div className={styles.micLevel}>
      <span id="mic-level-label">{on ? t("microphoneLevel") : t("microphoneOff")}</span>
      <div
        ref={meter}
        className={styles.micLevelBar}
        role="meter"
        aria-labelledby="mic-level-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={0}
        data-level="0"
        data-testid="mic-level"
      />
    </div>
  );
}

type SpeakerState = "idle" | "playing" | "ended" | "failed";

/** Plays the test sound on the chosen speaker (the browser's default one when it cannot choose). */
function SpeakerTest({ speakerId }: { speakerId: string | undefined }) {
  const t = useTranslations("Join.checks");
  const [state, setState] = useState<SpeakerState>("idle");
  const playing = useRef<HTMLAudioElement | null>(null);
  const sound = useRef<string | null>(null);

  useEffect(
    () => () => {
      playing.current?.pause();
      if (sound.current) URL.revokeObjectURL(sound.current);
    },
    [],
  );

  async function play() {
    sound.current ??= URL.createObjectURL(new Blob([testSoundWav()], { type: "audio/wav" }));
    playing.current?.pause();
    const audio = new Audio(sound.current);
    playing.current = audio;
    audio.onended = () => setState("ended");
    audio.onerror = () => setState("failed");
    setState("playing");
    try {
      if (speakerId && typeof audio.setSinkId === "function") await audio.setSinkId(speakerId);
      await audio.play();
    } catch {
      setState("failed");
    }
  }

  const note = state === "playing" ? t("playing") : state === "ended" ? t("played") : state === "failed" ? t("playFailed") : "";
  return (
    <div className={styles.check} data-testid="speaker-test" data-speaker-test={state}>
      <span className={styles.checkName}>{t("speaker")}</span>
      <button type="button" className={styles.checkButton} onClick={() => void play()} disabled={state === "playing"}>
        {t("playSound")}
      </button>
      <p className={styles.checkNote} role="status" aria-live="polite">
        {note}
      </p>
    </div>
  );
}

type ConnectionResult = { verdict: ConnectionVerdict; findings: ConnectionFindings } | null;

/** No network at all: nothing to measure. */
const OFFLINE: ConnectionFindings = { roundTripsMs: [], failures: 0, relay: "not_configured", relayRequired: false };

/** Tests the connection once the devices are allowed, and again when asked; never holds up Join. */
function ConnectionTest({ participant }: { participant: CheckingParticipant | null }) {
  const t = useTranslations("Join.checks");
  const [result, setResult] = useState<ConnectionResult>(null);
  const [round, setRound] = useState(0);
  const roomId = participant?.roomId;
  const participantId = participant?.participantId;

  useEffect(() => {
    if (!roomId || !participantId) return;
    const stop = new AbortController();
    void (async () => {
      const findings = navigator.onLine === false ? OFFLINE : await checkConnection({ roomId, participantId }, stop.signal);
      if (!stop.signal.aborted) setResult({ verdict: connectionVerdict(findings), findings });
    })();
    return () => stop.abort();
  }, [roomId, participantId, round]);

  if (!participant) return null;
  const verdict = result?.verdict ?? "checking";
  const roundTrip = result && result.findings.roundTripsMs.length > 0 ? Math.round(medianOf(result.findings.roundTripsMs)) : null;
  const relay = result?.findings.relay ?? "";
  const details = [
    roundTrip !== null ? t("roundTrip", { ms: roundTrip }) : null,
    relay === "gathered" ? t("relayReached") : relay === "not_gathered" ? t("relayNotReached") : null,
  ].filter(Boolean);
  const words = { checking: t("checking"), good: t("good"), may_be_choppy: t("mayBeChoppy"), cannot_connect: t("cannotConnect") } as const;

  return (
    <div
      className={styles.check}
      data-testid="connection-test"
      data-connection-verdict={verdict}
      data-connection-relay={relay}
      data-round-trip-ms={roundTrip ?? ""}
      // What the verdict was made of, for support and the browser tests (which check the verdict against it).
      data-connection-findings={result ? JSON.stringify(result.findings) : ""}
    >
      <span className={styles.checkName}>{t("connection")}</span>
      <p className={styles.verdict} data-verdict={verdict} role="status" aria-live="polite">
        {words[verdict]}
      </p>
      {verdict !== "checking" ? (
        <>
          {details.length > 0 ? <p className={styles.checkNote}>{details.join(" · ")}</p> : null}
          <button
            type="button"
            className={styles.checkAgain}
            onClick={() => {
              setResult(null);
              setRound((n) => n + 1);
            }}
          >
            {t("testAgain")}
          </button>
        </>
      ) : null}
    </div>
  );
}

/** Before joining, as Doxy.me does: the test sound on the chosen speaker, and the connection test. */
export function PreCallChecks({ participant, speakerId }: { participant: CheckingParticipant | null; speakerId: string | undefined }) {
  const t = useTranslations("Join.checks");
  return (
    <section className={styles.checks} aria-labelledby="checks-title">
      <h3 id="checks-title">{t("title")}</h3>
      <SpeakerTest speakerId={speakerId} />
      <ConnectionTest participant={participant} />
    </section>
  );
}
