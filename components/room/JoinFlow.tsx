"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import type { ClinicBackgrounds } from "@/lib/video/background-choice";
import { CallOver } from "./CallOver";
import type { EndCallRedirectSettings } from "./EndCallRedirect";
import { CallScreen } from "./CallScreen";
import type { Counterpart } from "./counterpart";
import { useCallMedia } from "./useCallMedia";
import { DeviceCheck } from "./DeviceCheck";
import { useEmbedOutputs } from "./embed";
import { useResumeCall } from "./useResumeCall";
import { JoinCardTop } from "./JoinCardTop";
import { PinForm, type AcceptedSession } from "./PinForm";
import styles from "./room.module.css";
import { useCallSpan, useViewerTimeZone } from "./time";

export type JoinDetails = {
  token: string;
  role: "patient" | "provider" | "guest";
  organizationName: string;
  timeZone: string;
  /** Whom the call is with: a name, and what they are (the provider's professional type, a catalog name, or the word for them). */
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
  /** The clinic's backgrounds for the call, and whether the link asked for its default one. */
  backgrounds: ClinicBackgrounds;
  /** The clinic's page to go to once the call is over, and after how long; null: none set. */
  endCallRedirect: EndCallRedirectSettings | null;
};

type Phase = "countdown" | "pin" | "devices" | "call" | "left" | "ended" | "timeout";

/** The join link's steps: countdown (if early), PIN, device check, call, and after. */
export function JoinFlow({ details }: { details: JoinDetails }) {
  const [session, setSession] = useState<AcceptedSession | null>(details.session);
  // One object per session: the call starts again only when the session changes.
  const target = useMemo(() => (session ? { consultationId: session.consultationId, roomId: session.roomId } : null), [session]);
  const checking = useMemo(() => (session ? { roomId: session.roomId, participantId: session.participantId } : null), [session]);
  const [phase, setPhase] = useState<Phase>(details.opensAt ? "countdown" : details.session ? "devices" : "pin");
  const t = useTranslations("Join");
  const span = useCallSpan();
  const viewerTimeZone = useViewerTimeZone();
  // The patient and a guest wait for the provider (by name); the provider for the patient.
  const waitingFor: Counterpart = details.role === "provider" ? { kind: "patient" } : { kind: "name", name: details.counterpart.name };
  const seenBy: Counterpart = details.role === "provider" ? { kind: "patient" } : { kind: "provider" };
  const who = useMemo(() => ({ role: details.role, consultationId: session?.consultationId ?? null }), [details.role, session]);
  const emit = useEmbedOutputs(details.embedOrigins, who);

  const { media, setMedia, finish, problem } = useCallMedia(emit, setPhase);
  // A reload mid-call goes straight back in.
  const resume = useResumeCall({
    participantId: session?.participantId ?? null,
    roomId: session?.roomId ?? null,
    eligible: phase === "devices",
    clinic: details.backgrounds,
    onResumed: (ready) => {
      setMedia(ready);
      setPhase("call");
    },
  });

  if (phase === "call" && media && session && target) {
    return (
      <main className={styles.callPage}>
        <CallScreen
          target={target}
          participantId={session.participantId}
          role={details.role}
          waitingFor={waitingFor}
          media={media}
          onFinished={finish}
          emit={emit}
        />
      </main>
    );
  }

  const when = span(details.startsAt, details.endsAt);
  const viewerWhen = viewerTimeZone && viewerTimeZone !== details.timeZone ? span(details.startsAt, details.endsAt, viewerTimeZone) : null;
  const state = t(statusOf(phase, details));

  // Who and when: under the heading, or in the device check beside the preview (after Join on a phone).
  const facts = (
    <dl className={styles.facts}>
      <div>
        <dt>{t("facts.with")}</dt>
        <dd>
          {details.counterpart.name} · {details.counterpart.label}
        </dd>
      </div>
      <div>
        <dt>{t("facts.when")}</dt>
        <WhenFact when={when} timeZone={details.timeZone} viewerWhen={viewerWhen} viewerTimeZone={viewerTimeZone} />
      </div>
      <div>
        <dt>{t("facts.length")}</dt>
        <dd>{t("minutes", { count: details.durationMinutes })}</dd>
      </div>
      <div>
        <dt>{t("facts.status")}</dt>
        <dd data-testid="consultation-state">{state}</dd>
      </div>
    </dl>
  );

  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="join-title" data-phase={phase}>
        <JoinCardTop organizationName={details.organizationName} />
        <h1 id="join-title">{t("title", { name: details.counterpart.name })}</h1>
        {phase !== "devices" ? facts : null}

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
        {phase === "devices" && resume === "resuming" ? (
          <p className={styles.hint} role="status" data-testid="resuming-call">
            {t("resuming")}
          </p>
        ) : null}
        {phase === "devices" && resume === "no" ? (
          <DeviceCheck
            clinic={details.backgrounds}
            participant={checking}
            seenBy={seenBy}
            onProblem={problem}
            onJoin={(ready) => {
              setMedia(ready);
              setPhase("call");
            }}
          >
            {facts}
          </DeviceCheck>
        ) : null}
        {phase === "left" || phase === "ended" || phase === "timeout" ? <CallOver phase={phase} what="consultation" onRejoin={() => setPhase("devices")} redirect={details.endCallRedirect} /> : null}
      </section>
    </main>
  );
}

/** The call's time in the clinic's timezone, and in the viewer's own when that differs: the consultation's and the room's join cards. */
export function WhenFact({ when, timeZone, viewerWhen, viewerTimeZone }: { when: string; timeZone: string; viewerWhen: string | null; viewerTimeZone: string | null }) {
  const t = useTranslations("Join");
  return (
    <dd>
      {when} <span className={styles.zone}>({timeZone.replace(/_/g, " ")})</span>
      {viewerWhen && viewerTimeZone ? (
        <span className={styles.viewerTime} data-testid="viewer-time">
          {t("viewerTime", { when: viewerWhen, zone: viewerTimeZone.replace(/_/g, " ") })}
        </span>
      ) : null}
    </dd>
  );
}

/** A time left in days, hours, minutes and seconds: "23 min 22 s" reads as a wait, where "23:22" reads as a clock time. */
function parts(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return { days: Math.floor(total / 86_400), hours: Math.floor((total % 86_400) / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/**
 * The card's "Status", as the page stands now: the status the page was served with holds only
 * until this page's own call changes it (it began, it ended for everyone), so the card never
 * says "open" above "the consultation has ended".
 */
export function statusOf(phase: string, details: { opensAt: string | null; status: "Pending" | "InProgress" }) {
  if (phase === "ended" || phase === "timeout") return "state.ended";
  // Not "in progress": once this page has left it hears nothing more, and the others may end it meanwhile.
  if (phase === "left") return "state.left";
  if (details.opensAt && phase === "countdown") return "state.notOpen";
  return details.status === "InProgress" ? "state.inProgress" : "state.open";
}

/** Until a scheduled call opens, on the server's clock. `next`: what comes when it opens (the PIN, or for a room's link the device check). */
export function Countdown({ opensAt, serverTime, onOpen, next = "pin" }: { opensAt: string; serverTime: string; onOpen: () => void; next?: "pin" | "devices" }) {
  const t = useTranslations("Join.countdown");
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
      <p>{t("opensIn")}</p>
      <p className={styles.countdownValue}>{t("remaining", parts(remaining))}</p>
      <p className={styles.hint}>{next === "pin" ? t("hintPin") : t("hintDevices")}</p>
    </div>
  );
}
