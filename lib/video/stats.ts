import type { ConnectionStats } from "./transport";

type Stat = Record<string, unknown> & { id: string; type: string };
/** RTCStatsReport is a read-only map of stat id to stat; a Map of plain objects is the same shape. */
export type StatsReport = Pick<ReadonlyMap<string, unknown>, "forEach" | "get">;

const CANDIDATE_TYPES = new Set(["host", "srflx", "prflx", "relay"]);

function statsOf(report: StatsReport): Stat[] {
  const all: Stat[] = [];
  report.forEach((value) => all.push(value as Stat));
  return all;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The candidate pair media flows over: the transport's selected pair, or a nominated succeeded one. */
function selectedPair(report: StatsReport, stats: Stat[]): Stat | undefined {
  for (const s of stats) {
    if (s.type === "transport" && typeof s.selectedCandidatePairId === "string") {
      const pair = report.get(s.selectedCandidatePairId) as Stat | undefined;
      if (pair) return pair;
    }
  }
  return stats.find((s) => s.type === "candidate-pair" && s.state === "succeeded" && s.nominated === true);
}

function bytes(stats: Stat[], type: "inbound-rtp" | "outbound-rtp"): number {
  return stats.filter((s) => s.type === type).reduce((sum, s) => sum + (num(s.bytesReceived ?? s.bytesSent) ?? 0), 0);
}

/**
 * What an issue report says about a connection, from two of the browser's stats reports taken
 * `seconds` apart: round-trip time and candidate type from the selected candidate pair, packet
 * loss from the inbound streams since the start, bitrates from the bytes between the reports.
 */
export function summarizeStats(
  transport: ConnectionStats["transport"],
  before: StatsReport,
  after: StatsReport,
  seconds: number,
): ConnectionStats {
  const earlier = statsOf(before);
  const later = statsOf(after);
  const pair = selectedPair(after, later);
  const local = pair && typeof pair.localCandidateId === "string" ? (after.get(pair.localCandidateId) as Stat | undefined) : undefined;
  const rtt = num(pair?.currentRoundTripTime);
  const inbound = later.filter((s) => s.type === "inbound-rtp");
  const lost = inbound.reduce((sum, s) => sum + Math.max(0, num(s.packetsLost) ?? 0), 0);
  const received = inbound.reduce((sum, s) => sum + (num(s.packetsReceived) ?? 0), 0);
  const kbps = (type: "inbound-rtp" | "outbound-rtp") =>
    seconds > 0 && later.some((s) => s.type === type) ? Math.max(0, Math.round(((bytes(later, type) - bytes(earlier, type)) * 8) / seconds / 1000)) : null;
  const candidateType = typeof local?.candidateType === "string" && CANDIDATE_TYPES.has(local.candidateType) ? local.candidateType : null;
  return {
    transport,
    roundTripTimeMs: rtt === null ? null : Math.round(rtt * 1000),
    packetLossPercent: lost + received > 0 ? Math.round((lost / (lost + received)) * 10_000) / 100 : null,
    inboundBitrateKbps: kbps("inbound-rtp"),
    outboundBitrateKbps: kbps("outbound-rtp"),
    candidateType: candidateType as ConnectionStats["candidateType"],
  };
}

/** What a report says when there is no connection to measure (nobody else in the call yet). */
export function noConnectionStats(transport: ConnectionStats["transport"]): ConnectionStats {
  return { transport, roundTripTimeMs: null, packetLossPercent: null, inboundBitrateKbps: null, outboundBitrateKbps: null, candidateType: null };
}

/** Stats of the same source twice, `ms` apart. */
export async function sampleTwice<T>(read: () => Promise<T>, ms = 1000): Promise<{ before: T; after: T; seconds: number }> {
  const before = await read();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await read();
  return { before, after, seconds: (performance.now() - started) / 1000 };
}
