import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sql } from "drizzle-orm";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { appSealer, appUrl } from "@/lib/config";
import { startJobs, type Jobs } from "@/lib/jobs";
import { completeCall } from "@/lib/rooms/completion";
import { openVideoRoom } from "@/lib/rooms/video-room";
import { env } from "@/lib/config";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { startReceiver } from "@/test/receiver";
import { join, newConsultation, roomCall, signIn, type Participant } from "@/test/rooms";
import { livekitApiHost, reconcileLivekitRooms } from "@/lib/livekit/reconcile";
import { consultationOf, outboxOf, sessionOf, staysOf } from "@/test/livekit";
import type { LivekitConfig } from "@/lib/livekit/token";

// Joins in this file go through LiveKit (the URL is only handed to browsers here).
process.env.LIVEKIT_URL = "wss://livekit.portal.test";
process.env.LIVEKIT_API_KEY = "APIreconcileTests";
process.env.LIVEKIT_API_SECRET = "the-livekit-secret-for-the-reconcile-tests-01";

const test = setupTestDatabase();
const GRACE_SECONDS = 40;
const SECOND = 1000;

/**
 * Stands in for LiveKit, which cannot be installed on this machine: a real HTTP server that
 * answers LiveKit's Twirp endpoint `POST /twirp/livekit.RoomService/ListParticipants` (JSON) the
 * way livekit-server does, after checking the request's token as LiveKit would (issued by our
 * API key, signed with our secret, a roomAdmin grant for that very room).
 */
type FakeLivekit = {
  url: string;
  /** Who is in each room; a room not listed answers Twirp `not_found`, as LiveKit does for a room it does not have. */
  rooms: Map<string, { identity: string; state?: string }[]>;
  /** Rooms whose request fails with a 500. */
  failing: Set<string>;
  asked: string[];
  refused: string[];
  close: () => Promise<void>;
};

async function startFakeLivekit(keys: { apiKey: string; apiSecret: string }): Promise<FakeLivekit> {
  const verifier = new TokenVerifier(keys.apiKey, keys.apiSecret);
  const fake = { rooms: new Map(), failing: new Set(), asked: [], refused: [] } as unknown as FakeLivekit;
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const twirp = await startReceiver(async (req, res, body) => {
    if (req.method !== "POST" || req.url !== "/twirp/livekit.RoomService/ListParticipants") return answer(res, 404, { code: "bad_route", msg: "no such route" });
    const { room } = JSON.parse(body.toString("utf8")) as { room: string };
    try {
      const claims = await verifier.verify(String(req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!claims.video?.roomAdmin || claims.video.room !== room) throw new Error("no roomAdmin grant for this room");
    } catch {
      fake.refused.push(room);
      return answer(res, 401, { code: "unauthenticated", msg: "invalid token" });
    }
    fake.asked.push(room);
    if (fake.failing.has(room)) return answer(res, 500, { code: "internal", msg: "something broke" });
    const participants = fake.rooms.get(room);
    if (!participants) return answer(res, 404, { code: "not_found", msg: "requested room does not exist" });
    answer(res, 200, {
      participants: participants.map((p, i) => ({ sid: `PA_${i}`, identity: p.identity, state: p.state ?? "ACTIVE", name: p.identity, joined_at: "1700000000" })),
    });
  });
  fake.url = twirp.url.replace(/^http:/, "ws:");
  fake.close = twirp.close;
  return fake;
}

let tenant: Tenant;
let livekit: FakeLivekit;
let config: LivekitConfig;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  livekit = await startFakeLivekit({ apiKey: process.env.LIVEKIT_API_KEY!, apiSecret: process.env.LIVEKIT_API_SECRET! });
  config = { url: livekit.url, apiKey: process.env.LIVEKIT_API_KEY!, apiSecret: process.env.LIVEKIT_API_SECRET!, tokenTtlSeconds: 600 };
});
afterAll(async () => {
  await livekit?.close();
});

type Call = { consultationId: string; roomId: string; provider: Participant; patient: Participant };

/** A consultation in progress on LiveKit: the provider joined through our API, the patient signed in. */
async function liveCall(options: { patientJoins?: boolean } = {}): Promise<Call> {
  const link = await newConsultation(tenant);
  const provider = await signIn(link, "provider");
  const patient = await signIn(link, "patient");
  expect((await join(provider)).json.data.transport).toBe("livekit");
  if (options.patientJoins) await join(patient);
  return { consultationId: link.consultationId, roomId: provider.roomId, provider, patient };
}

const openIds = async (roomId: string) => (await staysOf(test.db, roomId)).filter((s) => s.open).map((s) => s.participantId);
const later = (seconds: number) => new Date(Date.now() + seconds * SECOND);

describe("reconciling with LiveKit", () => {
  it("derives LiveKit's HTTP API from the URL browsers use", () => {
    expect(livekitApiHost("wss://lk.clinic.example")).toBe("https://lk.clinic.example");
    expect(livekitApiHost("ws://127.0.0.1:7880")).toBe("http://127.0.0.1:7880");
    expect(livekitApiHost("https://lk.clinic.example")).toBe("https://lk.clinic.example");
  });

  it("opens stays LiveKit has and we miss, closes ours LiveKit lost once the grace has passed, and completes nothing", async () => {
    // Both in the call with us; LiveKit still has the provider only.
    const lost = await liveCall({ patientJoins: true });
    livekit.rooms.set(lost.roomId, [{ identity: lost.provider.id }]);
    // We have the provider; LiveKit has both (the patient's join webhook never came), and a recorder and a stranger.
    const missed = await liveCall();
    livekit.rooms.set(missed.roomId, [{ identity: missed.provider.id }, { identity: missed.patient.id }, { identity: "EG_recorder" }, { identity: randomUUID() }]);
    // LiveKit does not know the room at all (our participants never connected, or it closed it).
    const unknown = await liveCall();
    // LiveKit fails for this room.
    const failing = await liveCall();
    livekit.failing.add(failing.roomId);
    // Not asked: a peer-to-peer call, and a completed one.
    const p2pLink = await newConsultation(tenant);
    const p2pProvider = await signIn(p2pLink, "provider");
    await openVideoRoom(test.db, sessionOf(p2pProvider, tenant.organization.id), { now: new Date(), env: env(), livekit: null });
    const done = await liveCall();
    await completeCall(test.db, { organizationId: tenant.organization.id, roomId: done.roomId }, "ended_by_provider", new Date());

    // Just now: everyone we have was seen within the grace, so nobody is closed; the missed patient is opened.
    const first = await reconcileLivekitRooms(test.db, config, { now: new Date(), graceSeconds: GRACE_SECONDS });
    expect(first).toEqual({ rooms: 4, opened: 1, closed: 0, failed: 1 });
    expect(livekit.refused).toEqual([]);
    expect(livekit.asked.sort()).toEqual([lost.roomId, missed.roomId, unknown.roomId, failing.roomId].sort());
    expect(await openIds(lost.roomId)).toEqual([lost.provider.id, lost.patient.id]);
    expect(await openIds(missed.roomId)).toEqual([missed.provider.id, missed.patient.id]);
    expect((await outboxOf(test.db, missed.consultationId)).at(-1)).toEqual({ event: "session_started", participantId: missed.patient.id, firstJoin: false });

    // A minute on, with nothing heard from their browsers: whom LiveKit lost closes; whom it has stays, marked seen.
    livekit.asked.length = 0;
    const at = later(60);
    const second = await reconcileLivekitRooms(test.db, config, { now: at, graceSeconds: GRACE_SECONDS });
    expect(second).toEqual({ rooms: 4, opened: 0, closed: 2, failed: 1 });
    expect(await openIds(lost.roomId)).toEqual([lost.provider.id]);
    expect((await staysOf(test.db, lost.roomId)).find((s) => s.participantId === lost.patient.id)?.endReason).toBe("disconnected");
    expect((await staysOf(test.db, lost.roomId)).find((s) => s.participantId === lost.provider.id)?.lastSeenAt).toBe(at.getTime());
    expect(await openIds(missed.roomId)).toEqual([missed.provider.id, missed.patient.id]);
    expect(await openIds(unknown.roomId)).toEqual([]);
    // LiveKit failing is not LiveKit saying nobody is there: that room is left as it was.
    expect(await openIds(failing.roomId)).toEqual([failing.provider.id]);
    for (const c of [lost, missed, unknown, failing]) expect((await consultationOf(test.db, c.consultationId)).status).toBe("InProgress");
    // Nothing changed that needed changing, so a third pass does nothing.
    expect(await reconcileLivekitRooms(test.db, config, { now: at, graceSeconds: GRACE_SECONDS })).toEqual({ rooms: 4, opened: 0, closed: 0, failed: 1 });
  });

  it("does not reopen a stay that closed after LiveKit was asked", async () => {
    const c = await liveCall({ patientJoins: true });
    livekit.rooms.set(c.roomId, [{ identity: c.provider.id }, { identity: c.patient.id }]);
    const asked = new Date();
    // The patient hangs up while LiveKit's answer (still listing them) is on its way.
    expect((await roomCall(leaveRoute, "leave", c.patient)).status).toBe(200);
    await reconcileLivekitRooms(test.db, config, { now: asked, graceSeconds: GRACE_SECONDS });
    expect(await openIds(c.roomId)).toEqual([c.provider.id]);
    // Asked again later, LiveKit still lists them: they are in the call, so they get a stay again.
    await reconcileLivekitRooms(test.db, config, { now: new Date(), graceSeconds: GRACE_SECONDS });
    expect(await openIds(c.roomId)).toEqual([c.provider.id, c.patient.id]);
  });
});

describe("the lifecycle sweep with LiveKit", () => {
  let jobs: Jobs | undefined;
  afterAll(async () => {
    await jobs?.stop();
  });

  it("reconciles before closing vanished participants, and a LiveKit that fails does not stop the sweep", async () => {
    // Earlier tests' rooms: out of the way.
    await test.db.execute(sql`update rooms set transport = 'p2p'`);
    const present = await liveCall();
    livekit.rooms.set(present.roomId, [{ identity: present.provider.id }, { identity: present.patient.id }]);
    const broken = await liveCall();
    livekit.failing.add(broken.roomId);

    // The sweep's clock is past the grace for every stay opened now.
    jobs = await startJobs({
      db: test.db,
      databaseUrl: test.url,
      appUrl: appUrl(),
      sealer: appSealer(),
      webhooks: { allowInsecure: true, timeoutSeconds: 2 },
      lifecycle: { intervalSeconds: 1, reconnectGraceSeconds: GRACE_SECONDS, overrunGraceSeconds: 60 },
      livekit: config,
      now: () => later(2 * GRACE_SECONDS),
    });
    // LiveKit failed for one room, yet its vanished participant is closed by the same sweep.
    await expect.poll(() => openIds(broken.roomId), { timeout: 15_000 }).toEqual([]);
    expect((await staysOf(test.db, broken.roomId))[0]!.endReason).toBe("disconnected");
    // In LiveKit, so seen: neither participant of the other room is closed as vanished.
    await expect.poll(() => openIds(present.roomId), { timeout: 15_000 }).toEqual([present.provider.id, present.patient.id]);
    expect((await staysOf(test.db, present.roomId)).every((s) => s.endReason === null)).toBe(true);
  });
});
