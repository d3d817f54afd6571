import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/livekit/webhook/route";
import { livekitConfig } from "@/lib/config";
import { videoRoomSchema } from "@/lib/rooms/schema";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { join, newConsultation, openVideoRoom, signIn } from "@/test/rooms";
import { livekitSignature, staysOf, transportOf } from "@/test/livekit";

// Whatever the shell has: this file's process runs without LiveKit.
delete process.env.LIVEKIT_URL;
delete process.env.LIVEKIT_API_KEY;
delete process.env.LIVEKIT_API_SECRET;

const test = setupTestDatabase();
let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

describe("without LiveKit", () => {
  it("answers LiveKit's webhook with 404 livekit_not_configured, signed or not", async () => {
    expect(livekitConfig()).toBeNull();
    const body = JSON.stringify({ event: "room_finished", id: "EV_1", room: { name: "x" } });
    const res = await call(webhookRoute, {
      path: "/api/livekit/webhook",
      headers: { "content-type": "application/webhook+json", authorization: await livekitSignature({ apiKey: "APIx", apiSecret: "a-secret-long-enough-for-the-sdk-012345" }, body) },
      body,
    });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ success: false, error: { code: "livekit_not_configured" } });
    expect(res.json.error.message).toContain("LIVEKIT_URL");
  });

  it("refuses a room over the mesh limit with livekit_required, and puts a room LiveKit carried back on peer to peer", async () => {
    const big = await newConsultation(tenant);
    const provider = await signIn(big, "provider");
    await test.db.execute(sql`update rooms set max_participants = 5 where id = ${provider.roomId}`);
    const refused = await openVideoRoom(provider, { cookie: provider.cookie });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("livekit_required");
    expect(await staysOf(test.db, provider.roomId)).toEqual([]);

    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    await test.db.execute(sql`update rooms set transport = 'livekit', max_participants = 4 where id = ${patient.roomId}`);
    const res = await join(patient);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(videoRoomSchema.parse(res.json.data)).toMatchObject({ transport: "p2p", livekit: null, maxParticipants: 4 });
    expect(await transportOf(test.db, patient.roomId)).toBe("p2p");
  });
});
