import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as sessionRoute } from "@/app/api/join/[token]/session/route";
import { PUT as roomVideoRoute } from "@/app/api/rooms/[roomId]/video-room/route";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { newConsultation, signIn } from "@/test/rooms";
import { insertStandaloneRoom } from "@/test/standalone-rooms";
import { mintRoomLink } from "@/lib/rooms/room-link";

const test = setupTestDatabase();
const APP_SECRET = process.env.APP_SECRET!;

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

const openLink = (token: string, body: unknown = {}) => call(sessionRoute, { path: `/api/join/${token}/session`, body, params: { token } });

describe("POST /api/join/{token}/session with a room user's personal link", () => {
  it("needs no PIN: 201, the member's session cookie, and that cookie joins the room's call", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const host = room.participants[0]!;
    const res = await openLink(mintRoomLink(APP_SECRET, host.participantId, new Date()));
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ success: true, data: { participantId: host.participantId, consultationId: null, roomId: room.roomId, role: "member" }, metadata: expect.anything() });
    const cookie = res.headers.get("set-cookie")!;
    const [pair, ...attributes] = cookie.split("; ");
    expect(pair).toMatch(new RegExp(`^tm_p_${host.participantId}=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(attributes).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/"]));
    // Until the room's end (30 minutes away) and a little after.
    const maxAge = Number(attributes.find((a) => a.startsWith("Max-Age="))!.slice(8));
    expect(maxAge).toBeGreaterThan(30 * 60);
    expect(maxAge).toBeLessThanOrEqual(46 * 60);

    const joined = await call(roomVideoRoute, {
      method: "PUT",
      path: `/api/rooms/${room.roomId}/video-room?participantId=${host.participantId}`,
      headers: { cookie: pair! },
      params: { roomId: room.roomId },
    });
    expect(joined.status, joined.text).toBe(200);
    expect(joined.json.data).toMatchObject({ consultationId: null, roomId: room.roomId, participant: { participantId: host.participantId, privilege: "plus", group: "doctor" } });
  });

  it("a room with no time limit gives a day's session", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id, { endsAt: null });
    const res = await openLink(mintRoomLink(APP_SECRET, room.participants[1]!.participantId, new Date()));
    expect(res.status, res.text).toBe(201);
    const maxAge = Number(/Max-Age=(\d+)/.exec(res.headers.get("set-cookie")!)![1]);
    expect(maxAge).toBeGreaterThan(23 * 3600);
    expect(maxAge).toBeLessThanOrEqual(24 * 3600);
  });

  it("answers a bad link in the error envelope, and sets no cookie", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const id = room.participants[0]!.participantId;

    const token = mintRoomLink(APP_SECRET, id, new Date());
    const tampered = await openLink(token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21));
    expect(tampered.status).toBe(404);
    expect(tampered.json).toMatchObject({ success: false, error: { code: "link_not_found" } });
    expect(tampered.headers.get("set-cookie")).toBeNull();

    const old = await openLink(mintRoomLink(APP_SECRET, id, new Date(Date.now() - 11 * 60_000)));
    expect(old.status).toBe(410);
    expect(old.json).toMatchObject({ success: false, error: { code: "room_link_expired" } });
    expect(old.headers.get("set-cookie")).toBeNull();

    await test.db.execute(sql`update rooms set links_valid_from = now() + interval '1 second' where id = ${room.roomId}`);
    const stale = await openLink(mintRoomLink(APP_SECRET, id, new Date()));
    expect([stale.status, stale.json.error.code]).toEqual([410, "room_link_expired"]);

    await test.db.execute(sql`update rooms set trashed_at = now() where id = ${room.roomId}`);
    const trashed = await openLink(mintRoomLink(APP_SECRET, id, new Date(Date.now() + 2_000)));
    expect([trashed.status, trashed.json.error.code]).toEqual([410, "room_deleted"]);

    // The body is still JSON: a cross-site form cannot open a link for someone.
    const form = await call(sessionRoute, { path: `/api/join/${token}/session`, headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1", params: { token } });
    expect([form.status, form.json.error.code]).toEqual([400, "unsupported_content_type"]);
  });

  it("does not open a consultation's participant with a room link, and consultation links still need the PIN", async () => {
    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    const res = await openLink(mintRoomLink(APP_SECRET, patient.id, new Date()));
    expect([res.status, res.json.error.code]).toEqual([404, "link_not_found"]);

    const noPin = await call(sessionRoute, { path: `/api/join/${link.providerToken}/session?type=provider`, body: {}, params: { token: link.providerToken } });
    expect(noPin.status).toBe(400);
    expect(noPin.headers.get("set-cookie")).toBeNull();
  });
});
