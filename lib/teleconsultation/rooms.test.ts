import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { joinCall } from "@/lib/rooms/join";
import { leaveCall } from "@/lib/rooms/completion";
import { readRoomLink } from "@/lib/rooms/room-link";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { markRoomsReady } from "./ready";
import { addParticipant, createRoom, deleteRoom, roomForUser, updateRoom, type RoomContext, type RoomSettings } from "./rooms";
import { findRoomUser } from "./users";

const test = setupTestDatabase();
const SECRET = process.env.APP_SECRET!;
const T0 = new Date("2030-03-04T10:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DEFAULTS: RoomSettings = { unlimited: false, live: true, immutableMs: 0 };

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

function ctx(now: Date, settings: Partial<RoomSettings> = {}): RoomContext {
  return { organizationId: tenant.organization.id, now, settings: { ...DEFAULTS, ...settings } };
}

function reader(now: Date, settings: Partial<RoomSettings> = {}) {
  return { ...ctx(now, settings), appUrl: "https://portal.test", appSecret: SECRET, opensMinutesBefore: 15 };
}

const people = (prefix: string) => [
  { userExternalId: `${prefix}-doc`, groups: ["doctor"], fullName: "Dr. Ana Martínez" },
  { userExternalId: `${prefix}-pat`, groups: ["patient"], fullName: "Jane Doe" },
  { userExternalId: `${prefix}-int`, groups: ["customer", "doctor"], fullName: "Ana Ruiz" },
];

async function userRef(externalId: string) {
  return (await findRoomUser(test.db, tenant.organization.id, externalId))!;
}

async function room(roomId: string) {
  const [row] = await test.db.execute<{ status: string; ready: boolean; links_valid_from: string | null; ends_at: string | null; trashed: boolean; max: number }>(sql`
    select status, ready_at is not null as ready, links_valid_from, ends_at, trashed_at is not null as trashed, max_participants as max from rooms where id = ${roomId}`);
  return row!;
}

async function sessionFor(roomId: string, externalId: string) {
  const [p] = await test.db.execute<{ id: string }>(sql`
    select p.id from room_participants p join room_users u on u.id = p.room_user_id where p.room_id = ${roomId} and u.external_id = ${externalId}`);
  return { participantId: p!.id, roomId, consultationId: null, organizationId: tenant.organization.id, role: "member" as const };
}

describe("the immutable period", () => {
  it("lets a fully known room change until IMMUTABLE_PERIOD_MS before its start, then refuses; links exist from then", async () => {
    const settings = { immutableMs: 30 * 60_000 };
    const { roomId } = await createRoom(test.db, ctx(at(0), settings), { participants: { number: 2, data: people("im").slice(0, 2) }, start_date: at(60).toISOString(), duration_in_seconds: 1800 });
    // 31 minutes before the start: it can change, and has no link yet.
    const early = await roomForUser(test.db, reader(at(29), settings), roomId, await userRef("im-doc"), {});
    expect(early.accessLinkURL).toBeNull();
    await updateRoom(test.db, ctx(at(29), settings), roomId, { description: "moved once" });
    // 30 minutes before: refused, and the link exists.
    const refused = await refusal(updateRoom(test.db, ctx(at(30), settings), roomId, { description: "too late" }));
    expect(refused.code).toBe("room_immutable");
    expect(refused.status).toBe(409);
    const ready = await roomForUser(test.db, reader(at(30), settings), roomId, await userRef("im-doc"), {});
    expect(ready.accessLinkURL).toMatch(/\/join\/rl_/);
    expect(ready.details.description).toBe("moved once");
  });

  it("lets a room with someone missing change even after its start (nobody can join it yet)", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 3, data: people("miss").slice(0, 2) }, start_date: at(10).toISOString(), duration_in_seconds: 3600 });
    await updateRoom(test.db, ctx(at(20)), roomId, { description: "still open" });
    const view = await roomForUser(test.db, reader(at(20)), roomId, await userRef("miss-doc"), {});
    expect(view.accessLinkURL).toBeNull();
    await addParticipant(test.db, ctx(at(21)), roomId, people("miss")[2]!);
    const complete = await roomForUser(test.db, reader(at(22)), roomId, await userRef("miss-doc"), {});
    expect(complete.accessLinkURL).toMatch(/\/join\/rl_/);
    expect((await refusal(updateRoom(test.db, ctx(at(22)), roomId, { description: "now fixed" }))).code).toBe("room_immutable");
  });

  it("invalidates links handed out before a change of who or when", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: people("inv").slice(0, 2) }, start_date: at(60).toISOString(), duration_in_seconds: 1800 });
    const before = await room(roomId);
    expect(before.links_valid_from).toBeNull();
    await updateRoom(test.db, ctx(at(5)), roomId, { start_date: at(90).toISOString() });
    const after = await room(roomId);
    expect(new Date(after.links_valid_from!).getTime()).toBe(at(5).getTime());
    // The duration was kept: the end moved with the start.
    expect(new Date(after.ends_at!).getTime()).toBe(at(120).getTime());
    // A description alone changes neither.
    await updateRoom(test.db, ctx(at(6)), roomId, { description: "note" });
    expect(new Date((await room(roomId)).links_valid_from!).getTime()).toBe(at(5).getTime());
  });
});

describe("durations", () => {
  it("UNLIMITED_TELECONSULTATION: no end, no minimum, the duration ignored", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0), { unlimited: true }), { participants: { number: 2, data: people("u").slice(0, 2) }, start_date: at(0).toISOString(), duration_in_seconds: 60 });
    expect((await room(roomId)).ends_at).toBeNull();
    const view = await roomForUser(test.db, reader(at(600), { unlimited: true }), roomId, await userRef("u-doc"), {});
    expect(view.details.durationInSeconds).toBeNull();
    expect(view.accessLinkURL).not.toBeNull();
    // Without the setting the same request is refused at its field.
    const refused = await refusal(createRoom(test.db, ctx(at(0)), { participants: ["u-doc", "u-pat"], start_date: at(0).toISOString(), duration_in_seconds: 60 }));
    expect(refused.details[0]).toMatchObject({ field: "duration_in_seconds", code: "too_short" });
  });

  it("counts durationUsedInSeconds from the real stays, overlaps once", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 3, data: people("used") }, start_date: at(0).toISOString(), duration_in_seconds: 3600 });
    const [doc, pat] = [await sessionFor(roomId, "used-doc"), await sessionFor(roomId, "used-pat")];
    const join = (s: typeof doc, now: Date) => joinCall(test.db, s, { now, opensMinutesBefore: 15, livekitConfigured: false });
    await join(doc, at(1));
    await join(pat, at(2));
    const running = await roomForUser(test.db, reader(at(3)), roomId, await userRef("used-int"), {});
    expect(running.details.status).toBe("RUNNING");
    expect(running.details.durationUsedInSeconds).toBe(120);
    // The patient leaves at 5 (two remain? no: one remains, so a live room ends for everyone).
    const left = await leaveCall(test.db, pat, at(5));
    expect(left).toEqual({ left: true, ended: true });
    const over = await roomForUser(test.db, reader(at(6)), roomId, await userRef("used-int"), {});
    expect(over.details).toMatchObject({ status: "ENDED", durationUsedInSeconds: 240, disabled: true });
    expect(over.accessLinkURL).toBeNull();
  });

  it("a room made with LIVE_TELECONSULTATION off keeps its call when people leave", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0), { live: false }), { participants: { number: 2, data: people("nl").slice(0, 2) }, start_date: at(0).toISOString(), duration_in_seconds: 3600 });
    const [doc, pat] = [await sessionFor(roomId, "nl-doc"), await sessionFor(roomId, "nl-pat")];
    await joinCall(test.db, doc, { now: at(1), opensMinutesBefore: 15, livekitConfigured: false });
    await joinCall(test.db, pat, { now: at(2), opensMinutesBefore: 15, livekitConfigured: false });
    expect(await leaveCall(test.db, pat, at(3))).toEqual({ left: true, ended: false });
    expect((await room(roomId)).status).toBe("InProgress");
  });
});

describe("plus users and groups", () => {
  it("gives a user with several groups the highest, and refuses a group the organization has not configured", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: [people("g")[1]!, people("g")[2]!] }, start_date: at(0).toISOString(), duration_in_seconds: 600 });
    const [row] = await test.db.execute<{ privilege: string; group_name: string }>(sql`
      select p.privilege, p.group_name from room_participants p join room_users u on u.id = p.room_user_id where p.room_id = ${roomId} and u.external_id = 'g-int'`);
    expect(row).toEqual({ privilege: "plus", group_name: "doctor" });
    const refused = await refusal(
      createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: [people("g2")[0]!, { userExternalId: "nurse", groups: ["nurse"], fullName: "N" }] }, start_date: at(0).toISOString(), duration_in_seconds: 600 }),
    );
    expect(refused.code).toBe("unknown_group");
    expect(refused.details[0]!.field).toBe("participants.data[1].groups");
    // Once the organization configures the group, the same request works.
    await test.db.execute(sql`update organizations set room_groups = ${JSON.stringify({ plus: ["doctor"], basic: ["patient", "nurse"] })}::jsonb where id = ${tenant.organization.id}`);
    await createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: [people("g2")[0]!, { userExternalId: "nurse", groups: ["nurse"], fullName: "N" }] }, start_date: at(0).toISOString(), duration_in_seconds: 600 });
    await test.db.execute(sql`update organizations set room_groups = null where id = ${tenant.organization.id}`);
  });

  it("PATCH participants replaces the list; a known user's data is updated in the directory", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 3, data: people("r").slice(0, 2) }, start_date: at(60).toISOString(), duration_in_seconds: 600 });
    await updateRoom(test.db, ctx(at(1)), roomId, {
      participants: { number: 2, data: [{ userExternalId: "r-doc", fullName: "Dr. Ana M. Martínez", groups: ["doctor"] }, people("r")[2]!] },
    });
    const names = await test.db.execute<{ display_name: string }>(sql`select display_name from room_participants where room_id = ${roomId} order by display_name`);
    expect(names.map((n) => n.display_name)).toEqual(["Ana Ruiz", "Dr. Ana M. Martínez"]);
    expect((await room(roomId)).max).toBe(2);
  });
});

describe("more than a mesh carries", () => {
  it("a room of 5 is made, but its call needs LiveKit: without it, joining is refused with the clear error", async () => {
    const five = [...people("big"), { userExternalId: "big-4", groups: ["patient"], fullName: "Four" }, { userExternalId: "big-5", groups: ["customer"], fullName: "Five" }];
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 5, data: five }, start_date: at(0).toISOString(), duration_in_seconds: 1800 });
    const refused = await refusal(joinCall(test.db, await sessionFor(roomId, "big-doc"), { now: at(1), opensMinutesBefore: 15, livekitConfigured: false }));
    expect(refused.code).toBe("livekit_required");
    expect(refused.message).toContain("LIVEKIT_URL");
    const joined = await joinCall(test.db, await sessionFor(roomId, "big-doc"), { now: at(1), opensMinutesBefore: 15, livekitConfigured: true });
    expect(joined.transport).toBe("livekit");
  });
});

describe("ready and TRASH", () => {
  it("marks a room ready once, when its links begin to exist", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: people("rd").slice(0, 2) }, start_date: at(30).toISOString(), duration_in_seconds: 600 });
    expect((await room(roomId)).ready).toBe(false);
    expect(await markRoomsReady(test.db, at(29), 0)).toBe(0);
    expect(await markRoomsReady(test.db, at(30), 0)).toBeGreaterThanOrEqual(1);
    expect((await room(roomId)).ready).toBe(true);
    expect(await markRoomsReady(test.db, at(31), 0)).toBe(0);
    // `room.ready` is in the outbox once, naming the participants by ids and group, never by name.
    const events = await test.db.execute<{ payload: Record<string, unknown> }>(sql`select payload from outbox_events where event = 'room.ready' and aggregate_id = ${roomId}`);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ roomId, startsAt: at(30).toISOString(), endsAt: at(40).toISOString(), readyAt: at(30).toISOString() });
    // Participants written in one transaction share a creation time: their order is not part of the event.
    const named = (events[0]!.payload.participants as { userExternalId: string }[]).toSorted((x, y) => x.userExternalId.localeCompare(y.userExternalId));
    expect(named).toEqual([
      { bandyerUserId: expect.any(String), userExternalId: "rd-doc", group: "doctor" },
      { bandyerUserId: expect.any(String), userExternalId: "rd-pat", group: "patient" },
    ]);
    expect(JSON.stringify(events[0]!.payload)).not.toContain("Jane Doe");
  });

  it("a room created ready announces itself at once; a change of who or when makes it ready again", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 3, data: people("now").slice(0, 2) }, start_date: at(0).toISOString(), duration_in_seconds: 600 });
    const count = async () => (await test.db.execute(sql`select 1 from outbox_events where event = 'room.ready' and aggregate_id = ${roomId}`)).length;
    expect(await count()).toBe(0);
    await addParticipant(test.db, ctx(at(1)), roomId, people("now")[2]!);
    expect(await count()).toBe(1);
  });

  it("a deleted room's call ends at once for whoever is in it, and its link is refused", async () => {
    const { roomId } = await createRoom(test.db, ctx(at(0)), { participants: { number: 2, data: people("t").slice(0, 2) }, start_date: at(0).toISOString(), duration_in_seconds: 3600 });
    const doc = await sessionFor(roomId, "t-doc");
    const view = await roomForUser(test.db, reader(at(1)), roomId, await userRef("t-doc"), {});
    const link = readRoomLink(SECRET, new URL(view.accessLinkURL!).pathname.split("/").pop()!);
    expect(link?.participantId).toBe(doc.participantId);
    await joinCall(test.db, doc, { now: at(1), opensMinutesBefore: 15, livekitConfigured: false });
    await deleteRoom(test.db, ctx(at(2)), roomId);
    const [stay] = await test.db.execute<{ end_reason: string }>(sql`select end_reason from room_attendances where room_id = ${roomId}`);
    expect(stay!.end_reason).toBe("ended");
    expect(await room(roomId)).toMatchObject({ trashed: true, status: "Completed" });
    const again = await refusal(joinCall(test.db, doc, { now: at(3), opensMinutesBefore: 15, livekitConfigured: false }));
    expect(again.code).toBe("room_deleted");
    expect((await refusal(roomForUser(test.db, reader(at(3)), roomId, await userRef("t-doc"), {}))).code).toBe("room_not_found");
  });
});
