import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { insertStandaloneRoom } from "@/test/standalone-rooms";
import { findRoomJoinLink, openRoomLinkSession } from "./room-join-link";
import { mintRoomLink } from "./room-link";
import { verifyParticipantSession } from "./session";

const test = setupTestDatabase();
const SECRET = "room-link-test-secret-at-least-32-characters";
const LIMITS = { ttlSeconds: 600, opensMinutesBefore: 15 };

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db, { name: "Clínica Norte" });
  other = await createTenant(test.db);
});

const open = (token: string, now = new Date()) => openRoomLinkSession(test.db, { appSecret: SECRET, token, now, limits: LIMITS });

describe("findRoomJoinLink", () => {
  it("finds the participant a room link names, with the room, the organization and the others' names and groups", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const [doctor, patient] = room.participants;
    const found = await findRoomJoinLink(test.db, SECRET, mintRoomLink(SECRET, patient!.participantId, new Date()));
    expect(found).toMatchObject({
      participantId: patient!.participantId,
      roomId: room.roomId,
      organizationId: tenant.organization.id,
      organizationName: "Clínica Norte",
      timeZone: "America/Bogota",
      displayName: "Luis Pérez",
      privilege: "basic",
      group: "patient",
      status: "Pending",
      trashed: false,
      others: [{ name: doctor!.fullName, group: "doctor" }],
    });
    expect(found!.endsAt!.getTime() - found!.startsAt.getTime()).toBe(31 * 60_000);
  });

  it("finds nothing for a tampered token, another secret's token, or a participant who is not in a standalone room", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const token = mintRoomLink(SECRET, room.participants[0]!.participantId, new Date());
    // One character of the signed body changed (the last character carries padding bits, so not that one).
    const tampered = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
    expect(await findRoomJoinLink(test.db, SECRET, tampered)).toBeUndefined();
    // and the token as minted is found, so the checks above can fail.
    expect(await findRoomJoinLink(test.db, SECRET, token)).toBeDefined();
    expect(await findRoomJoinLink(test.db, "another-secret-at-least-32-characters-long", token)).toBeUndefined();
    expect(await findRoomJoinLink(test.db, SECRET, mintRoomLink(SECRET, "8d7c3a0e-4b1f-4c2d-9e8f-112233445566", new Date()))).toBeUndefined();
    expect(await findRoomJoinLink(test.db, SECRET, "not-a-room-link-token-at-all")).toBeUndefined();
  });

  it("does not reach across organizations: a participant row of another organization in this room is not found", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const [stray] = await test.db.execute<{ id: string }>(sql`
      insert into room_participants (organization_id, room_id, role, privilege, display_name, group_name)
      values (${other.organization.id}, ${room.roomId}, 'member', 'plus', 'Intruder', 'doctor') returning id`);
    expect(await findRoomJoinLink(test.db, SECRET, mintRoomLink(SECRET, stray!.id, new Date()))).toBeUndefined();
    expect((await refusal(open(mintRoomLink(SECRET, stray!.id, new Date())))).code).toBe("link_not_found");
    // Nor is it listed among the room's people.
    const found = await findRoomJoinLink(test.db, SECRET, mintRoomLink(SECRET, room.participants[0]!.participantId, new Date()));
    expect(found!.others.map((o) => o.name)).toEqual(["Luis Pérez"]);
  });
});

describe("openRoomLinkSession", () => {
  it("gives a valid link the member's session for its room, no PIN", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const host = room.participants[0]!;
    const accepted = await open(mintRoomLink(SECRET, host.participantId, new Date(Date.now() - 5_000)));
    expect(accepted.session).toEqual({
      participantId: host.participantId,
      roomId: room.roomId,
      consultationId: null,
      organizationId: tenant.organization.id,
      role: "member",
    });
    expect(accepted.found.endsAt).not.toBeNull();
  });

  it("opens a room with no time limit (ends_at null)", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id, { endsAt: null });
    const accepted = await open(mintRoomLink(SECRET, room.participants[1]!.participantId, new Date()));
    expect(accepted.found.endsAt).toBeNull();
    expect(accepted.session.roomId).toBe(room.roomId);
  });

  it("refuses a tampered token and a participant no longer in the room with 404 link_not_found", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const token = mintRoomLink(SECRET, room.participants[0]!.participantId, new Date());
    const tampered = await refusal(open(token.slice(0, 10) + (token[10] === "x" ? "y" : "x") + token.slice(11)));
    expect([tampered.code, tampered.status]).toEqual(["link_not_found", 404]);

    const removed = room.participants[1]!;
    const removedToken = mintRoomLink(SECRET, removed.participantId, new Date());
    await test.db.execute(sql`delete from room_participants where id = ${removed.participantId}`);
    expect((await refusal(open(removedToken))).code).toBe("link_not_found");
  });

  it("refuses a link older than the TTL with 410 room_link_expired", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const now = new Date();
    const old = mintRoomLink(SECRET, room.participants[0]!.participantId, new Date(now.getTime() - 601_000));
    const error = await refusal(open(old, now));
    expect([error.code, error.status]).toEqual(["room_link_expired", 410]);
    // Just inside the TTL it still opens.
    await expect(open(mintRoomLink(SECRET, room.participants[0]!.participantId, new Date(now.getTime() - 590_000)), now)).resolves.toBeDefined();
  });

  it("refuses a link minted before the room's links_valid_from (the room changed since)", async () => {
    const now = new Date();
    const room = await insertStandaloneRoom(test.db, tenant.organization.id, { now, linksValidFrom: new Date(now.getTime() - 10_000) });
    const before = mintRoomLink(SECRET, room.participants[0]!.participantId, new Date(now.getTime() - 20_000));
    expect((await refusal(open(before, now))).code).toBe("room_link_expired");
    const after = mintRoomLink(SECRET, room.participants[0]!.participantId, new Date(now.getTime() - 5_000));
    await expect(open(after, now)).resolves.toBeDefined();
  });

  it("refuses a deleted (trashed) room with 410 room_deleted, even for a fresh link", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    await test.db.execute(sql`update rooms set trashed_at = now() where id = ${room.roomId}`);
    const error = await refusal(open(mintRoomLink(SECRET, room.participants[0]!.participantId, new Date())));
    expect([error.code, error.status]).toEqual(["room_deleted", 410]);
  });

  it("refuses a completed room and an expired one with 410", async () => {
    const completed = await insertStandaloneRoom(test.db, tenant.organization.id);
    await test.db.execute(sql`update rooms set status = 'Completed', completed_at = now(), completion_reason = 'ended_by_host' where id = ${completed.roomId}`);
    const done = await refusal(open(mintRoomLink(SECRET, completed.participants[0]!.participantId, new Date())));
    expect([done.code, done.status]).toEqual(["consultation_completed", 410]);

    // Pending past its end: expired even before the expiry job runs.
    const now = new Date();
    const past = await insertStandaloneRoom(test.db, tenant.organization.id, { now: new Date(now.getTime() - 3600_000) });
    const expired = await refusal(open(mintRoomLink(SECRET, past.participants[0]!.participantId, now), now));
    expect([expired.code, expired.status]).toEqual(["consultation_expired", 410]);
  });

  it("gives a room that opens later its session now (the call itself waits for its window)", async () => {
    const now = new Date();
    const room = await insertStandaloneRoom(test.db, tenant.organization.id, { now: new Date(now.getTime() + 3600_000) });
    const accepted = await open(mintRoomLink(SECRET, room.participants[0]!.participantId, now), now);
    expect(accepted.session.roomId).toBe(room.roomId);
  });

  it("signs a session the cookie check accepts", async () => {
    const { signParticipantSession } = await import("./session");
    const room = await insertStandaloneRoom(test.db, tenant.organization.id, { endsAt: null });
    const now = new Date();
    const accepted = await open(mintRoomLink(SECRET, room.participants[0]!.participantId, now), now);
    const { token } = await signParticipantSession(SECRET, accepted.session, accepted.found.endsAt, now);
    expect(await verifyParticipantSession(SECRET, token, now)).toEqual(accepted.session);
  });
});
