import { beforeAll, describe, expect, it } from "vitest";
import { POST as credentials } from "@/app/api/credentials/route";
import { POST as addParticipant } from "@/app/api/teleconsultation/[roomId]/participants/data/route";
import { DELETE as remove, GET as read, PATCH as update } from "@/app/api/teleconsultation/[roomId]/route";
import { POST as create } from "@/app/api/teleconsultation/route";
import { revokeApiCredential } from "@/lib/auth/api-keys";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";

const test = setupTestDatabase();

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const NEW_USERS = (prefix: string) => [
  { userExternalId: `${prefix}-doctor`, groups: ["doctor"], fullName: "Joe Smith", language: "it" },
  { userExternalId: `${prefix}-patient`, groups: ["patient"], fullName: "Jane Doe", language: "it" },
  { userExternalId: `${prefix}-interpreter`, groups: ["customer"], fullName: "Ana Ruiz", language: "es" },
];

async function createRoom(tenant: Tenant, body: unknown) {
  return call(create, { path: "/api/teleconsultation", headers: tenant.headers, body });
}

function asUser(tenant: Tenant, userExternalId: string) {
  return { ...tenant.headers, "x-user-id": userExternalId };
}

describe("/api/teleconsultation: the contract's examples", () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
  });

  it("creates a room with the object form for new users (the example without auth0), then the array form for known ones", async () => {
    // The contract's "Without auth0 dependency" example, with its syntax slips fixed, and the third participant still unknown.
    const partial = await createRoom(tenant, {
      participants: {
        number: 3,
        data: [
          { userExternalId: "user1_external_id", groups: ["doctor"], fullName: "Joe Smith", language: "it" },
          { userExternalId: "user3_external_id", groups: ["patient"], fullName: "Jane Doe", language: "it" },
        ],
      },
      start_date: minutes(60),
      end_date: minutes(120),
    });
    expect(partial.status, partial.text).toBe(201);
    expect(Object.keys(partial.json)).toEqual(["roomId"]);
    expect(partial.json.roomId).toMatch(/^[0-9a-f-]{36}$/);

    // Both are in the directory now: the array form names them (the "With duration_in_seconds" example).
    const byId = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10), duration_in_seconds: 3600 });
    expect(byId.status, byId.text).toBe(201);

    // The third participant joins the first room through participants/data (the second example of that route).
    const added = await call(addParticipant, {
      path: `/api/teleconsultation/${partial.json.roomId}/participants/data`,
      headers: tenant.headers,
      params: { roomId: partial.json.roomId },
      body: { userExternalId: "user2_external_id", groups: ["customer"], fullName: "Luigi Bianchi", language: "it" },
    });
    expect(added.status, added.text).toBe(201);
    expect(added.text).toBe("");

    const view = await call(read, { path: `/api/teleconsultation/${partial.json.roomId}`, headers: asUser(tenant, "user1_external_id"), params: { roomId: partial.json.roomId } });
    expect(view.status, view.text).toBe(200);
    expect(view.json.participantsBandyerCall.map((p: { fullName: string }) => p.fullName)).toEqual(["Jane Doe", "Luigi Bianchi"]);
    expect(view.json.details).toMatchObject({ recording: "none", recordingStatus: "stopped", callType: "audio_video", status: "NOT_RUNNING", durationInSeconds: 3600, durationUsedInSeconds: 0, live: true });
    // It starts in an hour: with IMMUTABLE_PERIOD_MS 0 it can still change, so there is no link yet.
    expect(view.json.accessLinkURL).toBeNull();
    expect(view.json.details.disabled).toBe(true);
  });

  it("refuses an unknown id in the array form, naming it", async () => {
    const res = await createRoom(tenant, { participants: ["user1_external_id", "nobody"], start_date: minutes(10), end_date: minutes(40) });
    expect(res.status, res.text).toBe(400);
    expect(res.json.code).toBe("unknown_room_user");
    expect(res.json.error).toContain('"nobody"');
    expect(res.json.details).toEqual([expect.objectContaining({ field: "participants[1]", code: "unknown_room_user" })]);
  });

  it("refuses a new user without groups or fullName, at the field", async () => {
    const res = await createRoom(tenant, {
      participants: { number: 2, data: [{ userExternalId: "user1_external_id" }, { userExternalId: "brand-new", fullName: "New Person" }] },
      start_date: minutes(10),
      duration_in_seconds: 1800,
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.details).toEqual([expect.objectContaining({ field: "participants.data[1].groups", code: "unknown_room_user" })]);
  });

  it("answers the contract's no-plus-user 400 on POST, PATCH and participants/data", async () => {
    const users = [
      { userExternalId: "p1", groups: ["patient"], fullName: "Patient One" },
      { userExternalId: "p2", groups: ["customer"], fullName: "Customer Two" },
    ];
    const post = await createRoom(tenant, { participants: { number: 2, data: users }, start_date: minutes(10), duration_in_seconds: 1800 });
    expect(post.status, post.text).toBe(400);
    expect(post.json).toMatchObject({ error: "Failed POST /teleconsultation: no plus user in room", code: "no_plus_user" });

    // A room waiting for its second participant: PATCH to two basic users, or adding a basic last one, is refused too
    // (the refused POST wrote nothing: "p2" is not in the directory yet, so it comes with its data).
    const room = await createRoom(tenant, { participants: { number: 2, data: [users[0]] }, start_date: minutes(10), duration_in_seconds: 1800 });
    expect(room.status, room.text).toBe(201);
    const roomId = room.json.roomId;
    const patch = await call(update, { method: "PATCH", path: `/api/teleconsultation/${roomId}`, headers: tenant.headers, params: { roomId }, body: { participants: { number: 2, data: users } } });
    expect(patch.status, patch.text).toBe(400);
    expect(patch.json.error).toBe("Failed PATCH /teleconsultation: no plus user in room");
    const add = await call(addParticipant, { path: `/api/teleconsultation/${roomId}/participants/data`, headers: tenant.headers, params: { roomId }, body: users[1] });
    expect(add.status, add.text).toBe(400);
    expect(add.json.error).toBe(`Failed POST /teleconsultation/${roomId}/participants/data: no plus user in room`);
  });

  it("refuses a room shorter than 5 minutes, and both end_date and duration_in_seconds", async () => {
    const short = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10), duration_in_seconds: 299 });
    expect(short.status, short.text).toBe(400);
    expect(short.json.details).toEqual([expect.objectContaining({ field: "duration_in_seconds", code: "too_short" })]);
    const endTooSoon = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10), end_date: minutes(14) });
    expect(endTooSoon.status).toBe(400);
    expect(endTooSoon.json.details[0].field).toBe("end_date");
    const fiveMinutes = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10), duration_in_seconds: 300 });
    expect(fiveMinutes.status, fiveMinutes.text).toBe(201);
    const both = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10), end_date: minutes(40), duration_in_seconds: 1800 });
    expect(both.status).toBe(400);
    const neither = await createRoom(tenant, { participants: ["user1_external_id", "user3_external_id"], start_date: minutes(10) });
    expect(neither.status).toBe(400);
    expect(neither.json.details[0].field).toBe("end_date");
  });

  it("refuses malformed bodies with the field at fault, never a 5xx", async () => {
    const cases: [unknown, string][] = [
      [{ participants: ["only-one"], start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
      [{ participants: { number: 26, data: [] }, start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
      [{ participants: { number: 2, data: NEW_USERS("x") }, start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
      [{ participants: ["a", "a"], start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
      [{ participants: ["a", "b"], start_date: "tomorrow", duration_in_seconds: 600 }, "start_date"],
      [{ participants: ["a", "b"], start_date: minutes(10), duration_in_seconds: "600" }, "duration_in_seconds"],
      [{ participants: { number: 2, data: [{ userExternalId: "a", groups: ["Doctor!"], fullName: "A" }] }, start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
      [{ participants: ["a", "b"], start_date: minutes(10), duration_in_seconds: 600, call_type: "hologram" }, "call_type"],
      [{ participants: ["a", "b"], start_date: minutes(10), duration_in_seconds: 600, surprise: 1 }, ""],
      [{ participants: { number: 2, data: [{ userExternalId: "a\u0000", groups: ["doctor"], fullName: "A" }] }, start_date: minutes(10), duration_in_seconds: 600 }, "participants"],
    ];
    for (const [body, field] of cases) {
      const res = await createRoom(tenant, body);
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(400);
      expect(typeof res.json.error).toBe("string");
      expect(res.json.details?.[0]?.field ?? "", res.text).toContain(field);
    }
    const notJson = await createRoom(tenant, "{ participants: ['user1'] ");
    expect(notJson.status).toBe(400);
    expect(notJson.json.code).toBe("invalid_json");
  });

  it("refuses a participant beyond `number`", async () => {
    const room = await createRoom(tenant, { participants: { number: 2, data: NEW_USERS("full").slice(0, 2) }, start_date: minutes(60), duration_in_seconds: 1800 });
    expect(room.status, room.text).toBe(201);
    const roomId = room.json.roomId;
    const extra = await call(addParticipant, { path: "/x", headers: tenant.headers, params: { roomId }, body: NEW_USERS("full")[2] });
    expect(extra.status, extra.text).toBe(409);
    expect(extra.json.code).toBe("room_full_of_participants");
  });
});

describe("who may see a room", () => {
  let tenant: Tenant;
  let other: Tenant;
  let roomId: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    other = await createTenant(test.db);
    const room = await createRoom(tenant, { participants: { number: 3, data: NEW_USERS("w") }, start_date: minutes(-1), duration_in_seconds: 1800 });
    expect(room.status, room.text).toBe(201);
    roomId = room.json.roomId;
  });

  it("gives each participant their own short-lived link once the room is ready, with language and background carried", async () => {
    const doctor = await call(read, { path: `/api/teleconsultation/${roomId}?language=es&useBackground=true`, headers: asUser(tenant, "w-doctor"), params: { roomId } });
    expect(doctor.status, doctor.text).toBe(200);
    const link = new URL(doctor.json.accessLinkURL);
    expect(link.origin).toBe("https://portal.test");
    expect(link.pathname).toMatch(/^\/join\/rl_[A-Za-z0-9_-]{51}$/);
    expect(link.searchParams.get("language")).toBe("es");
    expect(link.searchParams.get("useBackground")).toBe("true");
    expect(doctor.json.details.disabled).toBe(false);
    const patient = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: asUser(tenant, "w-patient"), params: { roomId } });
    expect(patient.json.accessLinkURL).not.toBe(doctor.json.accessLinkURL);
    expect(patient.json.bandyerUserId).not.toBe(doctor.json.bandyerUserId);
    expect(patient.json.participantsBandyerCall.map((p: { fullName: string }) => p.fullName).sort()).toEqual(["Ana Ruiz", "Joe Smith"]);
    const badLanguage = await call(read, { path: `/api/teleconsultation/${roomId}?language=fr`, headers: asUser(tenant, "w-patient"), params: { roomId } });
    expect(badLanguage.status).toBe(400);
    expect(badLanguage.json.details[0].field).toBe("language");
  });

  it("answers the contract's 401 to no user, an unknown user and a user not in the room", async () => {
    const outsider = await createRoom(tenant, { participants: { number: 2, data: NEW_USERS("o").slice(0, 2) }, start_date: minutes(60), duration_in_seconds: 1800 });
    expect(outsider.status).toBe(201);
    for (const headers of [tenant.headers, asUser(tenant, "nobody-at-all"), asUser(tenant, "o-doctor")]) {
      const res = await call(read, { path: `/api/teleconsultation/${roomId}`, headers, params: { roomId } });
      expect(res.status, res.text).toBe(401);
      expect(res.json.error).toBe("Unauthorized user");
    }
  });

  it("answers 404 to another organization's room on every route, and changes nothing", async () => {
    const path = `/api/teleconsultation/${roomId}`;
    const answers = [
      await call(read, { path, headers: asUser(other, "w-doctor"), params: { roomId } }),
      await call(update, { method: "PATCH", path, headers: other.headers, params: { roomId }, body: { description: "taken over" } }),
      await call(addParticipant, { path: `${path}/participants/data`, headers: other.headers, params: { roomId }, body: NEW_USERS("z")[0] }),
      await call(remove, { method: "DELETE", path, headers: other.headers, params: { roomId } }),
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBe(404);
      expect(res.json.error).toBe(`Room with id ${roomId} not found on CRUD`);
    }
    const still = await call(read, { path, headers: asUser(tenant, "w-doctor"), params: { roomId } });
    expect(still.status).toBe(200);
    expect(still.json.details.description).toBeNull();
    // Thirty-six dashes look like a uuid to a loose pattern; PostgreSQL's uuid type refuses them.
    for (const bad of ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "-".repeat(36)]) {
      const res = await call(read, { path: `/api/teleconsultation/${bad}`, headers: asUser(tenant, "w-doctor"), params: { roomId: bad } });
      expect(res.status, res.text).toBe(404);
      const patched = await call(update, { method: "PATCH", path: `/api/teleconsultation/${bad}`, headers: tenant.headers, params: { roomId: bad }, body: { description: "x" } });
      expect(patched.status, patched.text).toBe(404);
    }
  });

  it("a user token reads its own rooms only, expires, and dies with its credential", async () => {
    const minted = await call(credentials, { path: "/api/credentials", headers: asUser(tenant, "w-patient"), body: { expiresIn: 600 } });
    expect(minted.status, minted.text).toBe(201);
    expect(Object.keys(minted.json).sort()).toEqual(["accessToken", "bandyerUserId", "expiresAt"]);
    expect(Date.parse(minted.json.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    const bearer = { authorization: `Bearer ${minted.json.accessToken}` };

    const own = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: bearer, params: { roomId } });
    expect(own.status, own.text).toBe(200);
    expect(own.json.bandyerUserId).toBe(minted.json.bandyerUserId);
    // X-User-Id cannot widen a user token to someone else.
    const spoofed = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: { ...bearer, "x-user-id": "w-doctor" }, params: { roomId } });
    expect(spoofed.json.bandyerUserId).toBe(minted.json.bandyerUserId);

    const elsewhere = await createRoom(tenant, { participants: { number: 2, data: NEW_USERS("e").slice(0, 2) }, start_date: minutes(-1), duration_in_seconds: 1800 });
    const foreign = await call(read, { path: `/api/teleconsultation/${elsewhere.json.roomId}`, headers: bearer, params: { roomId: elsewhere.json.roomId } });
    expect(foreign.status, foreign.text).toBe(401);

    const writes = [
      await call(create, { path: "/api/teleconsultation", headers: bearer, body: { participants: ["w-doctor", "w-patient"], start_date: minutes(5), duration_in_seconds: 600 } }),
      await call(remove, { method: "DELETE", path: `/api/teleconsultation/${roomId}`, headers: bearer, params: { roomId } }),
      await call(credentials, { path: "/api/credentials", headers: bearer, body: {} }),
    ];
    for (const res of writes) expect(res.status, res.text).toBe(403);

    // An expired token (minted an hour ago for a minute) is the contract's 401.
    const [user] = await test.db.execute<{ id: string }>(`select id from room_users where external_id = 'w-patient'` as never);
    const old = await mintUserToken(process.env.APP_SECRET!, { roomUserId: user!.id, organizationId: tenant.organization.id, apiKeyId: tenant.credential.id }, new Date(Date.now() - 3600_000), 60);
    const expired = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: { authorization: `Bearer ${old.accessToken}` }, params: { roomId } });
    expect(expired.status).toBe(401);
    expect(expired.json.error).toBe("Unauthorized user");
    const tampered = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: { authorization: `Bearer ${minted.json.accessToken.slice(0, -2)}xx` }, params: { roomId } });
    expect(tampered.status).toBe(401);

    // Another organization's credential cannot use this organization's user, even by the same external id.
    const otherUser = await call(credentials, { path: "/api/credentials", headers: asUser(other, "w-patient"), body: {} });
    expect(otherUser.status).toBe(401);

    await revokeApiCredential(test.db, tenant.organization.id, tenant.credential.keyId);
    const afterRevoke = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: bearer, params: { roomId } });
    expect(afterRevoke.status).toBe(401);
  });

  it("POST /api/credentials needs a known user, and checks expiresIn", async () => {
    const fresh = await createTenant(test.db);
    await createRoom(fresh, { participants: { number: 2, data: NEW_USERS("c").slice(0, 2) }, start_date: minutes(30), duration_in_seconds: 1800 });
    const none = await call(credentials, { path: "/api/credentials", headers: fresh.headers, body: {} });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: "Unauthorized user" });
    const noBody = await call(credentials, { path: "/api/credentials", headers: asUser(fresh, "c-doctor") });
    expect(noBody.status, noBody.text).toBe(201);
    expect(Math.round((Date.parse(noBody.json.expiresAt) - Date.now()) / 1000)).toBeGreaterThan(3590);
    for (const expiresIn of [0, 59, 86401, "3600", 1.5]) {
      const res = await call(credentials, { path: "/api/credentials", headers: asUser(fresh, "c-doctor"), body: { expiresIn } });
      expect(res.status, res.text).toBe(400);
      expect(res.json.details[0].field).toBe("expiresIn");
    }
  });
});

describe("DELETE /api/teleconsultation/{roomId}", () => {
  it("sends the room to TRASH: 204, then 404 everywhere, its rows kept", async () => {
    const tenant = await createTenant(test.db);
    const room = await createRoom(tenant, { participants: { number: 2, data: NEW_USERS("d").slice(0, 2) }, start_date: minutes(-1), duration_in_seconds: 1800 });
    const roomId = room.json.roomId;
    const before = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: asUser(tenant, "d-doctor"), params: { roomId } });
    expect(before.json.accessLinkURL).toMatch(/\/join\/rl_/);
    const deleted = await call(remove, { method: "DELETE", path: `/api/teleconsultation/${roomId}`, headers: tenant.headers, params: { roomId } });
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe("");
    const after = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: asUser(tenant, "d-doctor"), params: { roomId } });
    expect(after.status).toBe(404);
    const again = await call(remove, { method: "DELETE", path: `/api/teleconsultation/${roomId}`, headers: tenant.headers, params: { roomId } });
    expect(again.status).toBe(404);
    const [kept] = await test.db.execute<{ trashed: boolean; participants: number }>(
      `select trashed_at is not null as trashed, (select count(*)::int from room_participants where room_id = '${roomId}') as participants from rooms where id = '${roomId}'` as never,
    );
    expect(kept).toEqual({ trashed: true, participants: 2 });
  });
});
