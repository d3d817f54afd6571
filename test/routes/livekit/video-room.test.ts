import { sql } from "drizzle-orm";
import { jwtVerify, type JWTPayload } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { env } from "@/lib/config";
import { videoRoomSchema } from "@/lib/rooms/schema";
import { openVideoRoom } from "@/lib/rooms/video-room";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { closeEventStreams, join, newConsultation, roomCall, signIn } from "@/test/rooms";
import { sessionOf, staysOf, transportOf } from "@/test/livekit";

// LiveKit for this file's process; read when the configuration is first loaded.
process.env.LIVEKIT_URL = "wss://livekit.portal.test";
process.env.LIVEKIT_API_KEY = "APIvideoRoomTests";
process.env.LIVEKIT_API_SECRET = "the-livekit-secret-for-the-video-room-tests";
process.env.LIVEKIT_TOKEN_TTL_SECONDS = "900";

const test = setupTestDatabase();
let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});
afterEach(closeEventStreams);

type Claims = JWTPayload & { name?: string; attributes?: Record<string, string>; video?: Record<string, unknown> };
async function claimsOf(token: string): Promise<Claims> {
  const { payload } = await jwtVerify<Claims>(token, new TextEncoder().encode(process.env.LIVEKIT_API_SECRET!), { issuer: process.env.LIVEKIT_API_KEY });
  return payload;
}

describe("PUT …/video-room with LiveKit configured", () => {
  it("puts the room on LiveKit and hands each participant their own token, uncached, with the signaling stream still there", async () => {
    const link = await newConsultation(tenant);
    const provider = await signIn(link, "provider");
    const patient = await signIn(link, "patient");
    expect(await transportOf(test.db, provider.roomId)).toBe("p2p");

    const before = Math.floor(Date.now() / 1000);
    const res = await join(provider);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const room = videoRoomSchema.parse(res.json.data);
    expect(room).toMatchObject({ transport: "livekit", roomId: provider.roomId, status: "InProgress" });
    expect(room.livekit!.url).toBe("wss://livekit.portal.test");
    expect(room.signaling.events).toBe(`/api/rooms/${provider.roomId}/events?participantId=${provider.id}`);
    expect(room.signaling.send).toBe(`/api/rooms/${provider.roomId}/signals?participantId=${provider.id}`);
    expect(await transportOf(test.db, provider.roomId)).toBe("livekit");

    const claims = await claimsOf(room.livekit!.token);
    expect(claims).toMatchObject({ sub: provider.id, name: "Dr. Ana Martínez", attributes: { role: "provider" } });
    expect(claims.video).toMatchObject({ room: provider.roomId, roomJoin: true, canPublishSources: ["camera", "microphone", "screen_share", "screen_share_audio"] });
    expect(claims.exp! - before).toBeGreaterThanOrEqual(900);
    expect(claims.exp! - before).toBeLessThanOrEqual(902);
    expect(new Date(room.livekit!.expiresAt).getTime()).toBe(claims.exp! * 1000);

    const patientRoom = videoRoomSchema.parse((await join(patient)).json.data);
    expect(patientRoom.transport).toBe("livekit");
    const patientClaims = await claimsOf(patientRoom.livekit!.token);
    expect(patientClaims).toMatchObject({ sub: patient.id, attributes: { role: "patient" } });
    expect(patientClaims.video).toMatchObject({ room: patient.roomId, canPublishSources: ["camera", "microphone"] });
    // Joining is still recorded by us, as on the peer-to-peer path.
    expect((await staysOf(test.db, patient.roomId)).map((s) => [s.participantId, s.open])).toEqual([
      [provider.id, true],
      [patient.id, true],
    ]);
  });

  it("takes a room over the mesh limit with LiveKit, and refuses it with livekit_required without", async () => {
    const link = await newConsultation(tenant);
    const provider = await signIn(link, "provider");
    await test.db.execute(sql`update rooms set max_participants = 6 where id = ${provider.roomId}`);
    const withoutLivekit = await refusal(openVideoRoom(test.db, sessionOf(provider, tenant.organization.id), { now: new Date(), env: env(), livekit: null }));
    expect(withoutLivekit).toMatchObject({ status: 409, code: "livekit_required" });
    expect(await staysOf(test.db, provider.roomId)).toEqual([]);

    const room = videoRoomSchema.parse((await join(provider)).json.data);
    expect(room).toMatchObject({ transport: "livekit", maxParticipants: 6 });
    expect(room.livekit).not.toBeNull();
  });

  it("falls back to peer to peer without LiveKit, and keeps a call already running peer to peer there until it empties", async () => {
    const link = await newConsultation(tenant);
    const provider = await signIn(link, "provider");
    const patient = await signIn(link, "patient");
    const session = sessionOf(provider, tenant.organization.id);

    // A room LiveKit carried, joined where LiveKit is not configured: peer to peer, and the room says so.
    await join(provider);
    expect(await transportOf(test.db, provider.roomId)).toBe("livekit");
    const fallback = await openVideoRoom(test.db, session, { now: new Date(), env: env(), livekit: null });
    expect(fallback).toMatchObject({ transport: "p2p", livekit: null });
    expect(await transportOf(test.db, provider.roomId)).toBe("p2p");

    // The provider is in a peer-to-peer call: the patient joins them there, though LiveKit is configured.
    const patientRoom = videoRoomSchema.parse((await join(patient)).json.data);
    expect(patientRoom).toMatchObject({ transport: "p2p", livekit: null });
    expect(await transportOf(test.db, provider.roomId)).toBe("p2p");

    // Once everyone has left, the room's next call is on LiveKit.
    expect((await roomCall(leaveRoute, "leave", provider)).status).toBe(200);
    expect((await roomCall(leaveRoute, "leave", patient)).status).toBe(200);
    const rejoined = videoRoomSchema.parse((await join(patient)).json.data);
    expect(rejoined.transport).toBe("livekit");
    expect((await claimsOf(rejoined.livekit!.token)).sub).toBe(patient.id);
    expect(await transportOf(test.db, provider.roomId)).toBe("livekit");
  });
});
