"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { ChatMessage } from "@/lib/chat/schema";
import type { VideoRoom } from "@/lib/rooms/schema";
import { initializeVideoRoom, type CallApiError, type CallTarget } from "@/lib/video/call-api";
import { openTransport } from "@/lib/video/open-transport";
import { callStateOf, type CallState, type CallTransport, type TransportSnapshot } from "@/lib/video/transport";
import type { ReadyMedia } from "./DeviceCheck";
import type { EmitOutput } from "./embed";

/** Why the call stopped: an API error code, the transport's (`livekit_unreachable`, …), or `network_unavailable`. The call screen words it. */
export type Failure = { code: string };

type Options = {
  target: CallTarget;
  participantId: string;
  media: ReadyMedia;
  /** The call is over for this person: `left` (may rejoin), `ended` or `timeout` (for everyone). */
  onFinished: (how: "left" | "ended" | "timeout") => void;
  emit: EmitOutput;
  /** The call's listener outlives renders: it reaches the chat through this ref. */
  chatReceived: RefObject<(message: ChatMessage) => void>;
};

/**
 * One call for the call screen: joins (PUT video-room) and opens the call, reports its state
 * (`connecting` until joined, then the seed's states) to the screen and the embedding page, keeps
 * the server's time, and ends it for everyone when the time is up.
 */
export function useCall({ target, participantId, media, onFinished, emit, chatReceived }: Options) {
  const [room, setRoom] = useState<VideoRoom | null>(null);
  const [snapshot, setSnapshot] = useState<TransportSnapshot>({ signalingConnected: false, participants: [] });
  const [final, setFinal] = useState<Exclude<CallState, "waiting" | "active" | "reconnecting"> | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [attempt, setAttempt] = useState(0);
  const call = useRef<CallTransport | null>(null);
  const [everConnected, setEverConnected] = useState(false);
  // Until the room's stream first opens the call is starting, not reconnecting.
  const [everSignaled, setEverSignaled] = useState(false);
  const [clockOffset, setClockOffset] = useState(0);

  // Start the call: join (PUT video-room), then connect the transport.
  useEffect(() => {
    let cancelled = false;
    const start = async () => {
      if (!navigator.onLine) throw Object.assign(new Error("offline"), { code: "network_unavailable" });
      const joined = await initializeVideoRoom(target, participantId);
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
          setFailure({ code: (error as CallApiError).code ?? "server_error" });
          setFinal("error");
        },
        onChat: (message) => chatReceived.current(message),
      }, () => initializeVideoRoom(target, participantId));
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
      setFailure({ code: error.code ?? "server_error" });
      setFinal("error");
    });
    return () => {
      cancelled = true;
      call.current?.close();
      call.current = null;
    };
  }, [target, participantId, media, attempt, emit, chatReceived]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const serverNow = now + clockOffset;
  const endsAt = room?.timer.endsAt ? Date.parse(room.timer.endsAt) : Infinity;

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

  /** The connection's statistics now, for an issue report (null before the call is open). */
  const measure = useCallback(async () => (call.current ? call.current.connectionStats() : null), []);

  /** Leaves the call (the person may come back with the same link). */
  async function leave() {
    await call.current?.leave().catch(() => {});
    onFinished("left");
  }

  async function endForEveryone() {
    try {
      await call.current?.endForEveryone("ended_by_provider");
      setFinal("ended");
    } catch {
      setFailure({ code: "end_failed" });
    }
  }

  /** After an error: join and connect again from the start. */
  function retry() {
    setFailure(null);
    setFinal(null);
    setAttempt((n) => n + 1);
  }

  return { room, snapshot, state, failure, call, serverNow, measure, leave, endForEveryone, retry };
}
