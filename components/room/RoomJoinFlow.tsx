"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import type { ClinicBackgrounds } from "@/lib/video/background-choice";
import { CallOver } from "./CallOver";
import type { EndCallRedirectSettings } from "./EndCallRedirect";
import { CallScreen } from "./CallScreen";
import type { Counterpart } from "./counterpart";
import { useCallMedia } from "./useCallMedia";
import { DeviceCheck } from "./DeviceCheck";
import { isEmbedded, useEmbedOutputs } from "./embed";
import { useResumeCall } from "./useResumeCall";
import { JoinCardTop } from "./JoinCardTop";
import { Countdown, statusOf, WhenFact } from "./JoinFlow";
import type { AcceptedSession } from "./PinForm";
import { usePersonWords } from "./RemoteTile";
import styles from "./room.module.css";
import { useCallSpan, useViewerTimeZone } from "./time";

/** Someone in the room, as the join screen names them. */
export type RoomPerson = { name: string; group: string | null };

/** A room user's personal link, as the server found it (app/join/[token]/page.tsx). */
export type RoomJoinDetails = {
  token: string;
  organizationName: string;
  timeZone: string;
  /** Whom the link is for; `host`: a plus user, who can end the call for everyone. */
  you: RoomPerson & { host: boolean };
  /** The other participants of the room. */
  others: RoomPerson[];
  description: string | null;
  status: "Pending" | "InProgress";
  startsAt: string;
  /** Null: the room has no time limit. */
  endsAt: string | null;
  /** Set while the room is not open yet. */
  opensAt: string | null;
  serverTime: string;
  /** This browser already opened this link (a reload): the call needs no new link. */
  session: AcceptedSession | null;
  embedOrigins: string[];
  /** The clinic's backgrounds for the call, and whether the link asked for its default one. */
  backgrounds: ClinicBackgrounds;
  /** The clinic's page to go to once the call is over, and after how long; null: none set. */
  endCallRedirect: EndCallRedirectSettings | null;
};

type Phase = "countdown" | "devices" | "call" | "left" | "ended" | "timeout";

/** "Ana", "Ana and Luis", "Ana, Luis and 3 others", in the request's language; null for nobody. */
function useNamesInWords(): (people: RoomPerson[]) => string | null {
  const t = useTranslations("Join.names");
  const format = useFormatter();
  return (people) => {
    const names = people.map((p) => p.name);
    if (names.length === 0) return null;
    if (names.length <= 2) return format.list(names, { type: "conjunction" });
    return t("andMore", { first: names[0]!, second: names[1]!, count: names.length - 2 });
  };
}

/** Why the link gave no session: the join API's error code, in the page's words (an unknown code gets a general one). */
const REFUSAL = {
  room_link_expired: "refused.linkExpired",
  link_not_found: "refused.notFound",
  consultation_completed: "refused.completed",
  consultation_expired: "refused.expired",
  room_deleted: "refused.deleted",
  network_unavailable: "refused.offline",
} as const;

type SessionState = { kind: "ready"; session: AcceptedSession } | { kind: "opening" } | { kind: "refused"; code: string };

/**
 * A room user's personal link: who the call is with and when, then (no PIN: the clinic's app
 * already knows who they are) the device check and the call. The link gives this browser its
 * session as the page opens; a reload finds that session again.
 */
export function RoomJoinFlow({ details }: { details: RoomJoinDetails }) {
  const [sessionState, setSessionState] = useState<SessionState>(details.session ? { kind: "ready", session: details.session } : { kind: "opening" });
  const session = sessionState.kind === "ready" ? sessionState.session : null;
  const target = useMemo(() => (session ? { consultationId: null, roomId: session.roomId } : null), [session]);
  const checking = useMemo(() => (session ? { roomId: session.roomId, participantId: session.participantId } : null), [session]);
  const [phase, setPhase] = useState<Phase>(details.opensAt ? "countdown" : "devices");
  const t = useTranslations("Join");
  const span = useCallSpan();
  const namesInWords = useNamesInWords();
  const words = usePersonWords();
  const viewerTimeZone = useViewerTimeZone();
  // A room's participant is a member; whether they host (end for everyone) is their privilege, which the join returns.
  const role = "member";
  const who = useMemo(() => ({ role, consultationId: null }) as const, [role]);
  const emit = useEmbedOutputs(details.embedOrigins, who);

  useEffect(() => {
    if (details.session) return;
    let cancelled = false;
    (async () => {
      try {
        // Inside a clinic's iframe the session cookie must be a partitioned third-party cookie.
        const embedded = isEmbedded() ? "?embedded=1" : "";
        const response = await fetch(`/api/join/${encodeURIComponent(details.token)}/session${embedded}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "{}",
        });
        const body = (await response.json().catch(() => null)) as { data?: AcceptedSession; error?: { code: string; message: string } } | null;
        if (cancelled) return;
        if (response.ok && body?.data) setSessionState({ kind: "ready", session: body.data });
        else setSessionState({ kind: "refused", code: body?.error?.code ?? "server_error" });
      } catch {
        if (!cancelled) setSessionState({ kind: "refused", code: "network_unavailable" });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [details.session, details.token]);

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
  const names = namesInWords(details.others);
  const others: Counterpart = details.others.length === 1 ? { kind: "name", name: details.others[0]!.name } : names ? { kind: "name", name: names } : { kind: "others" };
  const seenBy: Counterpart = details.others.length === 1 ? others : { kind: "others" };

  if (phase === "call" && media && session && target) {
    return (
      <main className={styles.callPage}>
        <CallScreen
          target={target}
          participantId={session.participantId}
          role={role}
          waitingFor={others}
          media={media}
          onFinished={finish}
          emit={emit}
        />
      </main>
    );
  }

  const when = span(details.startsAt, details.endsAt);
  const viewerWhen = viewerTimeZone && viewerTimeZone !== details.timeZone ? span(details.startsAt, details.endsAt, viewerTimeZone) : null;
  const minutes = details.endsAt ? Math.round((Date.parse(details.endsAt) - Date.parse(details.startsAt)) / 60_000) : null;
  const state = t(statusOf(phase, details));
  const withGroup = (person: RoomPerson) => {
    const group = words.group(person.group);
    return group ? `${person.name} · ${group}` : person.name;
  };

  // Who and when: under the heading, or in the device check beside the preview (after Join on a phone).
  const factsInCheck = phase === "devices" && session !== null;
  const facts = (
    <dl className={styles.facts}>
      <div>
        <dt>{t("facts.with")}</dt>
        <dd>
          <ul className={styles.people} data-testid="room-people">
            {details.others.map((person, i) => (
              <li key={i}>{withGroup(person)}</li>
            ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t("facts.you")}</dt>
        <dd data-testid="room-you">{details.you.host ? t("youHost", { you: withGroup(details.you) }) : withGroup(details.you)}</dd>
      </div>
      <div>
        <dt>{t("facts.when")}</dt>
        <WhenFact when={when} timeZone={details.timeZone} viewerWhen={viewerWhen} viewerTimeZone={viewerTimeZone} />
      </div>
      <div>
        <dt>{t("facts.length")}</dt>
        <dd data-testid="room-length">{minutes === null ? t("noTimeLimit") : t("minutes", { count: minutes })}</dd>
      </div>
      <div>
        <dt>{t("facts.status")}</dt>
        <dd data-testid="consultation-state">{state}</dd>
      </div>
    </dl>
  );

  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="join-title" data-phase={phase} data-link="room">
        <JoinCardTop organizationName={details.organizationName} />
        <h1 id="join-title">{t("roomTitle", { names: names ?? t("names.others") })}</h1>
        {details.description ? <p className={styles.description}>{details.description}</p> : null}
        {factsInCheck ? null : facts}

        {sessionState.kind === "refused" ? (
          <div className={styles.after} data-testid="room-link-refused" data-error-code={sessionState.code}>
            <h2>{sessionState.code === "room_link_expired" ? t("refused.expiredTitle") : t("refused.title")}</h2>
            <p role="alert">{t(REFUSAL[sessionState.code as keyof typeof REFUSAL] ?? "refused.unknown")}</p>
          </div>
        ) : null}
        {phase === "countdown" && details.opensAt && sessionState.kind !== "refused" ? (
          <Countdown
            opensAt={details.opensAt}
            serverTime={details.serverTime}
            onOpen={() => setPhase("devices")}
            next="devices"
          />
        ) : null}
        {phase === "devices" && sessionState.kind === "opening" ? (
          <p className={styles.hint} role="status">
            {t("opening")}
          </p>
        ) : null}
        {phase === "devices" && session && resume === "resuming" ? (
          <p className={styles.hint} role="status" data-testid="resuming-call">
            {t("resuming")}
          </p>
        ) : null}
        {phase === "devices" && session && resume === "no" ? (
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
        {phase === "left" || phase === "ended" || phase === "timeout" ? <CallOver phase={phase} what="call" onRejoin={() => setPhase("devices")} redirect={details.endCallRedirect} /> : null}
      </section>
    </main>
  );
}
