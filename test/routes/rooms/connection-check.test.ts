import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as connectionCheckRoute } from "@/app/api/rooms/[roomId]/connection-check/route";
import { ConnectionCheckLimit, CONNECTION_CHECKS_PER_MINUTE, connectionCheckSchema } from "@/lib/rooms/connection-check";
import { call, createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { newConsultation, signIn, type Participant } from "@/test/rooms";

// ICE servers for this file's process; read when the configuration is first loaded.
process.env.STUN_URLS = "stun:stun.portal.test:3478";
process.env.TURN_URLS = "turn:turn.portal.test:3478?transport=udp";
process.env.TURN_SECRET = "turn-shared-secret-for-the-tests";

const test = setupTestDatabase();

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

function check(p: Pick<Participant, "id" | "roomId">, headers: Record<string, string>, roomId = p.roomId) {
  return call(connectionCheckRoute, { path: `/api/rooms/${roomId}/connection-check?participantId=${p.id}`, headers, params: { roomId } });
}

describe("GET /api/rooms/{roomId}/connection-check", () => {
  it("gives a signed-in participant the call's ICE servers, TURN credentials fresh, and joins nothing", async () => {
    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    const res = await check(patient, { cookie: patient.cookie });
    expect(res.status, res.text).toBe(200);
    const data = connectionCheckSchema.parse(res.json.data);
    expect(data.iceTransportPolicy).toBe("all");
    expect(data.iceServers[0]).toEqual({ urls: ["stun:stun.portal.test:3478"] });
    expect(data.iceServers[1]).toMatchObject({ urls: ["turn:turn.portal.test:3478?transport=udp"], username: expect.stringMatching(new RegExp(`^\\d+:${patient.id}$`)), credential: expect.any(String) });
    expect(res.headers.get("cache-control")).toBe("no-store");
    // Only a check: the consultation has not started and nobody is in the call.
    const [consultation] = await test.db.execute<{ status: string }>(sql`select status from consultations where id = ${link.consultationId}`);
    expect(consultation!.status).toBe("Pending");
    const attendances = await test.db.execute(sql`select 1 from room_attendances where participant_id = ${patient.id}`);
    expect(attendances.length).toBe(0);
  });

  it("refuses a browser without the session, another room, and a missing participantId in the error envelope", async () => {
    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    const other = await signIn(await newConsultation(tenant), "patient");

    const noCookie = await check(patient, {});
    expect(noCookie.status).toBe(401);
    expect(noCookie.json).toMatchObject({ success: false, error: { code: "session_required" } });

    const otherRoom = await check(patient, { cookie: patient.cookie }, other.roomId);
    expect(otherRoom.status).toBe(404);
    expect(otherRoom.json.error.code).toBe("not_found");

    const noParticipant = await call(connectionCheckRoute, { path: `/api/rooms/${patient.roomId}/connection-check`, headers: { cookie: patient.cookie }, params: { roomId: patient.roomId } });
    expect(noParticipant.status).toBe(400);
    expect(noParticipant.json.error.code).toBe("invalid_participant");
  });

  it(`answers 429 connection_check_rate_limited past ${CONNECTION_CHECKS_PER_MINUTE} checks a minute, for that participant only`, async () => {
    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    const provider = await signIn(link, "provider");
    const statuses: number[] = [];
    // The limit counts by the clock's minute: start at the beginning of one, so all fall in it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
    for (let i = 0; i < CONNECTION_CHECKS_PER_MINUTE; i++) statuses.push((await check(patient, { cookie: patient.cookie })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await check(patient, { cookie: patient.cookie });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ success: false, error: { code: "connection_check_rate_limited" } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await check(provider, { cookie: provider.cookie })).status).toBe(200);
  });
});

describe("ConnectionCheckLimit", () => {
  it("counts each participant per minute and starts again the next minute", async () => {
    const limit = new ConnectionCheckLimit(2);
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 10, 0, s));
    limit.charge("a", at(0));
    limit.charge("a", at(30));
    limit.charge("b", at(30));
    const error = await refusal(Promise.resolve().then(() => limit.charge("a", at(45))));
    expect(error.code).toBe("connection_check_rate_limited");
    expect(error.headers["Retry-After"]).toBe("15");
    expect(() => limit.charge("a", at(60))).not.toThrow();
  });
});
