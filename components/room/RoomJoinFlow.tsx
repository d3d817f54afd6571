"use client";

import { useEffect, useMemo, useState } from "react";
import { CallOver } from "./CallOver";
import { CallScreen } from "./CallScreen";
import { useCallMedia } from "./useCallMedia";
import { DeviceCheck } from "./DeviceCheck";
import { isEmbedded, useEmbedOutputs } from "./embed";
import { Countdown } from "./JoinFlow";
import type { AcceptedSession } from "./PinForm";
import styles from "./room.module.css";
import { formatClock, formatWhen, useViewerTimeZone } from "./time";

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
};

type Phase = "countdown" | "devices" | "call" | "left" | "ended" | "timeout";

/** "doctor" → "Doctor": the group as a label. */
function groupLabel(group: string | null): string | null {
  return group ? group.charAt(0).toLocaleUpperCase() + group.slice(1) : null;
}

/** "Ana", "Ana and Luis", "Ana, Luis and 3 others". */
function namesInWords(people: RoomPerson[]): string {
  const names = people.map((p) => p.name);
  if (names.length === 0) return "the others";
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  const rest = names.length - 2;
  return `${names[0]}, ${names[1]} and ${rest} other${rest === 1 ? "" : "s"}`;
}

type SessionState = { kind: "ready"; session: AcceptedSession } | { kind: "opening" } | { kind: "refused"; code: string; message: string };

/**
 * A room user's personal link: who the call is with and when, then (no PIN: the clinic's app
 * already knows who they are) the device check and the call. The link gives this browser its
 * session as the page opens; a reload finds that session again.
 */
export function RoomJoinFlow({ details }: { details: RoomJoinDetails }) {
  const [sessionState, setSessionState] = useState<SessionState>(details.session ? { kind: "ready", session: details.session } : { kind: "opening" });
  const session = sessionState.kind === "ready" ? sessionState.session : null;
  const target = useMemo(() => (session ? { consultationId: null, roomId: session.roomId } : null), [session]);
  const [phase, setPhase] = useState<Phase>(details.opensAt ? "countdown" : "devices");
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
        else setSessionState({ kind: "refused", code: body?.error?.code ?? "server_error", message: body?.error?.message ?? "This link could not be opened. Try again." });
      } catch {
        if (!cancelled) setSessionState({ kind: "refused", code: "network_unavailable", message: "You seem to be offline. Check your connection and reload this page." });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [details.session, details.token]);

  const { media, setMedia, finish, problem } = useCallMedia(emit, setPhase);

  if (phase === "call" && media && session && target) {
    return (
      <main className={styles.callPage}>
        <CallScreen
          target={target}
          participantId={session.participantId}
          role={role}
          waitingFor={namesInWords(details.others)}
          media={media}
          onFinished={finish}
          emit={emit}
        />
      </main>
    );
  }

  const span = (zone: string) =>
    details.endsAt ? `${formatWhen(details.startsAt, zone)} to ${formatClock(details.endsAt, zone)}` : `From ${formatWhen(details.startsAt, zone)}`;
  const when = span(details.timeZone);
  const viewerWhen = viewerTimeZone && viewerTimeZone !== details.timeZone ? span(viewerTimeZone) : null;
  const minutes = details.endsAt ? Math.round((Date.parse(details.endsAt) - Date.parse(details.startsAt)) / 60_000) : null;
  const state = details.opensAt && phase === "countdown" ? "Not open yet" : details.status === "InProgress" ? "In progress" : "Open: you can join now";

  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="join-title" data-phase={phase} data-link="room">
        <p className={styles.eyebrow}>{details.organizationName}</p>
        <h1 id="join-title">Video call with {namesInWords(details.others)}</h1>
        {details.description ? <p className={styles.description}>{details.description}</p> : null}
        <dl className={styles.facts}>
          <div>
            <dt>With</dt>
            <dd>
              <ul className={styles.people} data-testid="room-people">
                {details.others.map((person, i) => (
                  <li key={i}>
                    {person.name}
                    {person.group ? ` · ${groupLabel(person.group)}` : ""}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt>You</dt>
            <dd data-testid="room-you">
              {details.you.name}
              {details.you.group ? ` · ${groupLabel(details.you.group)}` : ""}
              {details.you.host ? " (host)" : ""}
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
            <dd data-testid="room-length">{minutes === null ? "No time limit" : `${minutes} minutes`}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd data-testid="consultation-state">{state}</dd>
          </div>
        </dl>

        {sessionState.kind === "refused" ? (
          <div className={styles.after} data-testid="room-link-refused" data-error-code={sessionState.code}>
            <h2>{sessionState.code === "room_link_expired" ? "This link has expired" : "This link cannot open the call"}</h2>
            <p role="alert">{sessionState.message}</p>
          </div>
        ) : null}
        {phase === "countdown" && details.opensAt && sessionState.kind !== "refused" ? (
          <Countdown
            opensAt={details.opensAt}
            serverTime={details.serverTime}
            onOpen={() => setPhase("devices")}
            hint="Keep this page open; the device check starts when it opens."
          />
        ) : null}
        {phase === "devices" && sessionState.kind === "opening" ? (
          <p className={styles.hint} role="status">
            Opening your link…
          </p>
        ) : null}
        {phase === "devices" && session ? (
          <DeviceCheck
            counterpartWord="others"
            joinHint={details.others.length === 1 ? `${details.others[0]!.name} sees and hears you once you join.` : "The others see and hear you once you join."}
            onProblem={problem}
            onJoin={(ready) => {
              setMedia(ready);
              setPhase("call");
            }}
          />
        ) : null}
        {phase === "left" || phase === "ended" || phase === "timeout" ? <CallOver phase={phase} what="call" onRejoin={() => setPhase("devices")} /> : null}
      </section>
    </main>
  );
}
