import { beforeAll, describe, expect, it } from "vitest";
import { POST as signalsRoute } from "@/app/api/rooms/[roomId]/signals/route";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { inCall as inCallOf, roomCall, type Participant } from "@/test/rooms";
import { SIGNALS_PER_DAY, SIGNALS_PER_WINDOW, SIGNAL_WINDOW_SECONDS } from "@/lib/rooms/signal-limits";
import { sendSignals } from "@/lib/rooms/video-room";
import type { RoomSignal } from "@/lib/rooms/schema";
import type { ParticipantSession } from "@/lib/rooms/session";

const test = setupTestDatabase();

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

const CONNECTION = "0b6e3c61-2a8f-4d1e-9a44-6f1d2c3b4a59";

/** An SDP of about `bytes` bytes, line by line as browsers write it. */
function sdpOf(bytes: number): string {
  const line = "a=candidate:842163049 1 udp 1677729535 198.51.100.23 54321 typ srflx raddr 10.0.0.2 rport 54321 generation 0\r\n";
  return `v=0\r\n${line.repeat(Math.ceil(bytes / line.length))}`.slice(0, bytes);
}
const candidate = (to: string, i: number) => ({
  kind: "candidate",
  to,
  connectionId: CONNECTION,
  candidate: { candidate: `candidate:${i} 1 udp 2122260223 192.0.2.${i % 250} ${50_000 + i} typ host generation 0 ufrag Ab12 network-id 1`, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "Ab12" },
});
const media = (audio: boolean) => ({ kind: "media", connectionId: CONNECTION, audio, video: true });

async function storedSignals(p: Pick<Participant, "id">): Promise<number> {
  const [row] = await test.db.$client<{ n: number }[]>`select count(*)::int as n from room_events where sender_id = ${p.id} and kind in ('signal', 'media')`;
  return row!.n;
}

/** Sends what a browser's P2PMedia sends: batches of at most 50 signals, each request within the body limit. */
async function sendAsBrowser(from: Participant, signals: unknown[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < signals.length; i += 50) {
    const batch = signals.slice(i, i + 50);
    const res = await roomCall(signalsRoute, "signals", from, batch.length === 1 ? batch[0] : { signals: batch });
    statuses.push(res.status);
  }
  return statuses;
}

describe("signal limits per participant (issue 13, item 6)", () => {
  it("lets a real negotiation burst through: for each of 3 peers an offer of 40 KB, 60 ICE candidates and 10 media toggles, in a few seconds", async () => {
    const { patient, provider } = await inCallOf(tenant);
    // A consultation has one peer; the limits are the sender's, so three peers' worth to it weighs the same.
    const statuses: number[] = [];
    for (let peer = 0; peer < 3; peer++) {
      statuses.push(...(await sendAsBrowser(provider, [{ kind: "description", to: patient.id, connectionId: CONNECTION, description: { type: "offer", sdp: sdpOf(40_000) } }])));
      statuses.push(...(await sendAsBrowser(provider, Array.from({ length: 60 }, (_, i) => candidate(patient.id, peer * 100 + i)))));
      for (let t = 0; t < 10; t++) statuses.push(...(await sendAsBrowser(provider, [media(t % 2 === 0)])));
    }
    expect(statuses.every((s) => s === 202), statuses.join(",")).toBe(true);
    expect(await storedSignals(provider)).toBe(3 * (1 + 60 + 10));
    // An ICE restart right after (the network changed) still goes through.
    expect(await sendAsBrowser(provider, [{ kind: "description", to: patient.id, connectionId: CONNECTION, description: { type: "offer", sdp: sdpOf(40_000) } }])).toEqual([202]);
  });

  it("answers a flood with 429 signal_rate_limited and Retry-After, and stores nothing more", async () => {
    const { patient, provider } = await inCallOf(tenant);
    const batch = { signals: Array.from({ length: 50 }, (_, i) => candidate(patient.id, i)) };
    let accepted = 0;
    let refused: Awaited<ReturnType<typeof roomCall>> | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await roomCall(signalsRoute, "signals", provider, batch);
      if (res.status === 202) accepted += 50;
      else refused = res;
    }
    expect(refused?.status).toBe(429);
    expect(refused!.json.error).toMatchObject({
      code: "signal_rate_limited",
      details: [{ field: "signals", code: "signal_rate_limited", message: `at most ${SIGNALS_PER_WINDOW} signals every ${SIGNAL_WINDOW_SECONDS} seconds` }],
    });
    const retryAfter = Number(refused!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(SIGNAL_WINDOW_SECONDS);
    // At most two windows' worth went in (the flood may straddle a window's end), and nothing refused was kept.
    expect(accepted).toBeLessThanOrEqual(2 * SIGNALS_PER_WINDOW);
    expect(await storedSignals(provider)).toBe(accepted);
    // The other participant is not held back by it.
    expect((await roomCall(signalsRoute, "signals", patient, candidate(provider.id, 1))).status).toBe(202);
  });

  it("refuses a body over the size limit with a 400 naming the body", async () => {
    const { patient, provider } = await inCallOf(tenant);
    const big = { signals: Array.from({ length: 3 }, () => ({ kind: "description", to: patient.id, connectionId: CONNECTION, description: { type: "offer", sdp: sdpOf(30_000) } })) };
    const res = await roomCall(signalsRoute, "signals", provider, big);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "payload_too_large", details: [{ field: "body" }] });
    expect(await storedSignals(provider)).toBe(0);
  });

  it("counts per 10-second window and per day, whole batches only", async () => {
    const { patient, provider } = await inCallOf(tenant);
    const session: ParticipantSession = { participantId: provider.id, roomId: provider.roomId, consultationId: provider.consultationId, organizationId: tenant.organization.id, role: "provider" };
    const batch = Array.from({ length: 50 }, (_, i) => candidate(patient.id, i)) as RoomSignal[];
    const start = new Date(Math.ceil(Date.now() / 10_000) * 10_000 + 10_000);
    for (let i = 0; i < SIGNALS_PER_WINDOW / 50; i++) await sendSignals(test.db, session, batch, start);
    const over = await refusal(sendSignals(test.db, session, batch.slice(0, 1), new Date(start.getTime() + 4_000)));
    expect(over).toMatchObject({ status: 429, code: "signal_rate_limited", headers: { "Retry-After": "6" } });
    expect(await storedSignals(provider)).toBe(SIGNALS_PER_WINDOW);
    // The next window is open again.
    await sendSignals(test.db, session, batch, new Date(start.getTime() + 10_000));

    // What the participant sent earlier today counts too: at the day's limit, they wait until that window is a day old.
    const earlier = new Date(start.getTime() - 3600_000);
    await test.db.$client`insert into signal_usage (participant_id, window_start, signals, bytes) values (${provider.id}, ${earlier.toISOString()}, ${SIGNALS_PER_DAY - SIGNALS_PER_WINDOW - 100}, 1000)`;
    await sendSignals(test.db, session, batch, new Date(start.getTime() + 20_000));
    const day = await refusal(sendSignals(test.db, session, batch.slice(0, 1), new Date(start.getTime() + 30_000)));
    expect(day).toMatchObject({ status: 429, code: "signal_rate_limited", details: [{ message: `at most ${SIGNALS_PER_DAY} signals a day` }] });
    expect(Number(day.headers["Retry-After"])).toBe(24 * 3600 - 3600 - 30);
    expect(await storedSignals(provider)).toBe(SIGNALS_PER_WINDOW + 100);
  });
});
