/**
 * The device check's connection test: a few small requests to this server (its round trip,
 * and whether any went unanswered), and, when the deployment has a TURN relay, whether this
 * network reaches it (a relay candidate gathered with the app's own ICE servers). The result
 * is a plain verdict; it never holds up Join.
 */

export type ConnectionVerdict = "good" | "may_be_choppy" | "cannot_connect";

/** Whether this network reached the TURN relay: `not_configured` when the deployment has none. */
export type RelayFinding = "not_configured" | "gathered" | "not_gathered";

export type ConnectionFindings = {
  /** Round trips (ms) of the requests the server answered, the warm-up one left out. */
  roundTripsMs: number[];
  /** Requests that got no answer in time, or a server error. */
  failures: number;
  relay: RelayFinding;
  /** The deployment sends every call through the relay (`WEBRTC_ICE_TRANSPORT_POLICY=relay`). */
  relayRequired: boolean;
};

/**
 * The thresholds, and why:
 * - Round trip, the median of the requests after a warm-up one (which pays for the connection's
 *   setup): up to 300 ms is good. ITU-T G.114 puts the limit of a natural conversation at about
 *   150 ms one way, 300 ms there and back; past it people talk over each other and video lags.
 * - The slowest answer more than 1 s behind the median: the network stalls now and then
 *   (jitter), which a call hears as gaps.
 * - Some requests unanswered within PROBE_TIMEOUT_MS, but not all: the network loses traffic.
 * - None answered: the call cannot reach this server (its signaling goes through it).
 * - TURN configured and no relay candidate within RELAY_TIMEOUT_MS: when every call goes
 *   through the relay, the call cannot connect; otherwise a call still connects directly on
 *   most networks, but has no way round a network that blocks that, so "may be choppy".
 */
export const GOOD_ROUND_TRIP_MS = 300;
export const JITTER_MS = 1000;
export const PROBES = 5;
export const PROBE_TIMEOUT_MS = 4000;
export const RELAY_TIMEOUT_MS = 5000;

export function connectionVerdict(findings: ConnectionFindings): ConnectionVerdict {
  const { roundTripsMs, failures, relay, relayRequired } = findings;
  if (roundTripsMs.length === 0) return "cannot_connect";
  if (relay === "not_gathered" && relayRequired) return "cannot_connect";
  if (relay === "not_gathered" || failures > 0) return "may_be_choppy";
  const median = medianOf(roundTripsMs);
  if (median > GOOD_ROUND_TRIP_MS || Math.max(...roundTripsMs) - median > JITTER_MS) return "may_be_choppy";
  return "good";
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What the server's connection-check endpoint answers (lib/rooms/connection-check.ts). */
type CheckAnswer = { iceServers: RTCIceServer[]; iceTransportPolicy: "all" | "relay" };

/**
 * Runs the test for a participant of a room (their session cookie authenticates the requests).
 * `signal` stops it (the person joined, or the check closed); the findings are then not used.
 */
export async function checkConnection(participant: { roomId: string; participantId: string }, signal: AbortSignal): Promise<ConnectionFindings> {
  const url = `/api/rooms/${encodeURIComponent(participant.roomId)}/connection-check?participantId=${encodeURIComponent(participant.participantId)}`;
  const roundTripsMs: number[] = [];
  let failures = 0;
  let answer: CheckAnswer | null = null;
  for (let i = 0; i < PROBES && !signal.aborted; i++) {
    const started = performance.now();
    try {
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin", signal: withTimeout(signal, PROBE_TIMEOUT_MS) });
      const body = (await response.json().catch(() => null)) as { data?: CheckAnswer } | null;
      const took = performance.now() - started;
      // Any answer below 500 reached this server (a 429 or an expired session too): it counts for the round trip.
      if (response.status >= 500) failures++;
      else if (i > 0) roundTripsMs.push(took);
      if (response.ok && body?.data) answer ??= body.data;
    } catch {
      if (signal.aborted) break;
      failures++;
    }
  }
  if (failures === PROBES) return { roundTripsMs, failures, relay: "not_configured", relayRequired: false };
  const relayRequired = answer?.iceTransportPolicy === "relay";
  const relay = answer ? await reachRelay(answer.iceServers, signal) : "not_configured";
  return { roundTripsMs, failures, relay, relayRequired };
}

/** `signal`, or the timeout, whichever comes first (by hand: AbortSignal.any is missing from browsers before 2023, where every probe would fail). */
function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
  const either = new AbortController();
  const timer = setTimeout(() => either.abort(), ms);
  const stop = () => {
    clearTimeout(timer);
    either.abort();
  };
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop, { once: true });
  either.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  return either.signal;
}

/** The TURN servers among the ICE servers (a STUN server cannot relay). */
function turnServersOf(iceServers: RTCIceServer[]): RTCIceServer[] {
  return iceServers.flatMap((server) => {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => /^turns?:/i.test(url));
    return urls.length > 0 ? [{ ...server, urls }] : [];
  });
}

/** Asks the TURN servers for a relay address, as the call would: one found is a relay this network reaches. */
async function reachRelay(iceServers: RTCIceServer[], signal: AbortSignal): Promise<RelayFinding> {
  const turn = turnServersOf(iceServers);
  if (turn.length === 0 || typeof RTCPeerConnection === "undefined") return "not_configured";
  const pc = new RTCPeerConnection({ iceServers: turn, iceTransportPolicy: "relay" });
  try {
    return await new Promise<RelayFinding>((resolve) => {
      const timer = setTimeout(() => resolve("not_gathered"), RELAY_TIMEOUT_MS);
      const done = (finding: RelayFinding) => {
        clearTimeout(timer);
        resolve(finding);
      };
      signal.addEventListener("abort", () => done("not_gathered"), { once: true });
      pc.onicecandidate = (event) => {
        if (!event.candidate) done("not_gathered"); // gathering finished without one
        else if (event.candidate.type === "relay" || / typ relay /.test(event.candidate.candidate)) done("gathered");
      };
      // A data channel gives the offer something to gather candidates for; nothing is ever sent.
      pc.createDataChannel("connection-check");
      pc.createOffer()
        .then((offer) => pc.setLocalDescription(offer))
        .catch(() => done("not_gathered"));
    });
  } finally {
    pc.close();
  }
}
