"use client";

import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import { useEffect, useMemo, useState } from "react";
import { CallOver } from "./CallOver";
import { CallScreen } from "./CallScreen";
import { useCallMedia } from "./useCallMedia";
import { DeviceCheck } from "./DeviceCheck";
import { useEmbedOutputs } from "./embed";
import { PinForm, type AcceptedSession } from "./PinForm";
import styles from "./room.module.css";
import { formatClock, formatDuration, formatWhen, useViewerTimeZone } from "./time";

export type JoinDetails = {
  token: string;
  role: "patient" | "provider" | "guest";
  organizationName: string;
  timeZone: string;
  counterpart: { name: string; label: string };
  immediate: boolean;
  status: "Pending" | "InProgress";
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  /** Set while a scheduled call is not open yet. */
  opensAt: string | null;
  serverTime: string;
  /** This browser already entered the PIN for this link. */
  session: AcceptedSession | null;
  /** Origins that may embed the room; its outputs are posted to them only. */
  embedOrigins: string[];
};

type Phase = "countdown" | "pin" | "devices" | "call" | "left" | "ended" | "timeout";

/** The join link's steps: countdown (if early), PIN, device check, call, and after. */
export function JoinFlow({ details }: { details: JoinDetails }) {
  const [session, setSession] = useState<AcceptedSession | null>(details.session);
  // One object per session: the call starts again only when the session changes.
  const target = useMemo(() => (session ? { consultationId: session.consultationId, roomId: session.roomId } : null), [session]);
  const [phase, setPhase] = useState<Phase>(details.opensAt ? "countdown" : details.session ? "devices" : "pin");
  const viewerTimeZone = useViewerTimeZone();
  // The patient and a guest wait for the provider; the provider for the patient.
  const counterpartWord = details.role === "provider" ? "patient" : "provider";
  const who = useMemo(() => ({ role: details.role, consultationId: session?.consultationId ?? null }), [details.role, session]);
  const emit = useEmbedOutputs(details.embedOrigins, who);

  const { media, setMedia, finish, problem } = useCallMedia(emit, setPhase);

  if (phase === "call" && media && session && target) {
    return (
      <main className={styles.callPage}>
        <CallScreen
          target={target}
          participantId={session.participantId}
          role={details.role}
          waitingFor={details.role === "provider" ? "the patient" : details.counterpart.name}
          media={media}
          onFinished={finish}
          emit={emit}
        />
      </main>
    );
  }

  const when = `${formatWhen(details.startsAt, details.timeZone)} to ${formatClock(details.endsAt, details.timeZone)}`;
  const viewerWhen =
    viewerTimeZone && viewerTimeZone !== details.timeZone ? `${formatWhen(details.startsAt, viewerTimeZone)} to ${formatClock(details.endsAt, viewerTimeZone)}` : null;
  const state = details.opensAt && phase === "countdown" ? "Not open yet" : details.status === "InProgress" ? "In progress" : "Open: you can join now";

  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="join-title" data-phase={phase}>
        <LanguageSwitcher />
        <p className={styles.eyebrow}>{details.organizationName}</p>
        <h1 id="join-title">Video consultation with {details.counterpart.name}</h1>
        <dl className={styles.facts}>
          <div>
            <dt>With</dt>
            <dd>
              {details.counterpart.name} · {details.counterpart.label}
            </dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>
              {when} <span className={styles.zone}>({details.timeZone.replace(/_/g, " ")})</span>
              {viewerWhen ? <span className={styles.viewerTime} data-testid="viewer-time">{viewerWhen} your time ({viewerTimeZone!.replace(/_/g, " ")})</span> : null}
            </dd>
          </div>
          <div>
            <dt>Length</dt>
            <dd>{details.durationMinutes} minutes</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd data-testid="consultation-state">{state}</dd>
          </div>
        </dl>

        {phase === "countdown" && details.opensAt ? (
          <Countdown opensAt={details.opensAt} serverTime={details.serverTime} onOpen={() => setPhase(session ? "devices" : "pin")} />
        ) : null}
        {phase === "pin" ? (
          <PinForm
            token={details.token}
            role={details.role}
            onAccepted={(accepted) => {
              setSession(accepted);
              setPhase("devices");
            }}
          />
        ) : null}
        {phase === "devices" ? (
          <DeviceCheck
            counterpartWord={counterpartWord}
            onProblem={problem}
            onJoin={(ready) => {
              setMedia(ready);
              setPhase("call");
            }}
          />
        ) : null}
        {phase === "left" || phase === "ended" || phase === "timeout" ? <CallOver phase={phase} what="consultation" onRejoin={() => setPhase("devices")} /> : null}
      </section>
    </main>
  );
}

/** Until a scheduled call opens, on the server's clock. */
export function Countdown({
  opensAt,
  serverTime,
  onOpen,
  hint = "Keep this page open; you can enter your PIN when it opens.",
}: {
  opensAt: string;
  serverTime: string;
  onOpen: () => void;
  hint?: string;
}) {
  const [offset] = useState(() => new Date(serverTime).getTime() - Date.now());
  const [now, setNow] = useState(() => Date.now());
  const remaining = new Date(opensAt).getTime() - (now + offset);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (remaining <= 0) onOpen();
  }, [remaining, onOpen]);
  return (
    <div className={styles.countdown} role="timer" aria-live="off" data-testid="countdown">
      <p>The call opens in</p>
      <p className={styles.countdownValue}>{formatDuration(remaining)}</p>
      <p className={styles.hint}>{hint}</p>
    </div>
  );
}
