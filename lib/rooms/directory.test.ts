import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { roomAttendances, roomParticipants, rooms } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { newConsultation } from "@/test/rooms";
import { encodeCursor } from "@/lib/pagination/cursor";
import { listStandaloneRooms, standaloneRoom } from "./directory";
import { spokenDuration } from "./duration";

const ctx = setupTestDatabase();

const at = (iso: string) => new Date(iso);

type RoomSpec = {
  startsAt: string;
  endsAt?: string | null;
  status?: "Pending" | "InProgress" | "Completed" | "Expired";
  max?: number;
  trashed?: boolean;
  callType?: "audio_video" | "audio_upgradable" | "audio_only";
  people?: { name: string; group: string; privilege: "plus" | "basic" }[];
};

/** A standalone room as the teleconsultation API leaves it, written straight into the tables. */
async function standalone(organizationId: string, spec: RoomSpec) {
  const [room] = await ctx.db
    .insert(rooms)
    .values({
      organizationId,
      status: spec.status ?? "Pending",
      startsAt: at(spec.startsAt),
      endsAt: spec.endsAt === null ? null : at(spec.endsAt ?? new Date(at(spec.startsAt).getTime() + 30 * 60_000).toISOString()),
      maxParticipants: spec.max ?? spec.people?.length ?? 2,
      callType: spec.callType ?? "audio_video",
      trashedAt: spec.trashed ? at("2026-01-01T00:00:00Z") : null,
    })
    .returning();
  const people = [];
  for (const person of spec.people ?? []) {
    const [participant] = await ctx.db
      .insert(roomParticipants)
      .values({ organizationId, roomId: room!.id, role: "member", privilege: person.privilege, displayName: person.name, groupName: person.group })
      .returning();
    people.push(participant!);
  }
  return { room: room!, people };
}

async function stay(organizationId: string, roomId: string, participantId: string, joined: string, left: string | null, lastSeen?: string) {
  await ctx.db.insert(roomAttendances).values({
    organizationId,
    roomId,
    participantId,
    joinedAt: at(joined),
    lastSeenAt: at(lastSeen ?? left ?? joined),
    leftAt: left ? at(left) : null,
    endReason: left ? "left" : null,
  });
}

const doctorAndPatient = [
  { name: "Dra. Ana Ruiz", group: "doctor", privilege: "plus" as const },
  { name: "Luis Pérez", group: "patient", privilege: "basic" as const },
];

describe("the rooms list", () => {
  test("shows this organization's standalone rooms only, newest start first, never another's, a trashed one or a consultation's", async () => {
    const mine = await createTenant(ctx.db, { timezone: "America/Bogota" });
    const theirs = await createTenant(ctx.db);
    const older = await standalone(mine.organization.id, { startsAt: "2026-03-01T14:00:00Z", people: doctorAndPatient });
    const newer = await standalone(mine.organization.id, { startsAt: "2026-03-02T14:00:00Z", endsAt: null, callType: "audio_only", people: doctorAndPatient });
    await standalone(mine.organization.id, { startsAt: "2026-03-03T14:00:00Z", trashed: true, people: doctorAndPatient });
    const foreign = await standalone(theirs.organization.id, { startsAt: "2026-03-04T14:00:00Z", people: doctorAndPatient });
    await newConsultation(mine); // its room has a consultation: not in this list

    const page = await listStandaloneRooms(ctx.db, { organizationId: mine.organization.id, timeZone: "America/Bogota" });
    expect(page.rows.map((row) => row.roomId)).toEqual([newer.room.id, older.room.id]);
    expect(page.nextCursor).toBeNull();
    expect(page.rows[0]).toMatchObject({ startsAtLocal: "2026-03-02 09:00", durationMinutes: null, callType: "audio_only", status: "Pending", waitingForParticipants: false });
    expect(page.rows[1]).toMatchObject({ startsAtLocal: "2026-03-01 09:00", durationMinutes: 30, callType: "audio_video" });
    expect(page.rows[1]!.participants.map((p) => [p.name, p.group, p.privilege])).toEqual([
      ["Dra. Ana Ruiz", "doctor", "plus"],
      ["Luis Pérez", "patient", "basic"],
    ]);

    // The other organization sees its own only; the detail of a room is only its organization's.
    const other = await listStandaloneRooms(ctx.db, { organizationId: theirs.organization.id, timeZone: "UTC" });
    expect(other.rows.map((row) => row.roomId)).toEqual([foreign.room.id]);
    expect(await standaloneRoom(ctx.db, { organizationId: mine.organization.id, timeZone: "UTC" }, foreign.room.id)).toBeNull();
    expect(await standaloneRoom(ctx.db, { organizationId: theirs.organization.id, timeZone: "UTC" }, older.room.id)).toBeNull();
    expect(await standaloneRoom(ctx.db, { organizationId: mine.organization.id, timeZone: "UTC" }, "not-a-uuid")).toBeNull();
  });

  test("a trashed room leaves the list and its detail", async () => {
    const { organization } = await createTenant(ctx.db);
    const { room } = await standalone(organization.id, { startsAt: "2026-03-01T14:00:00Z", people: doctorAndPatient });
    const scope = { organizationId: organization.id, timeZone: "UTC" };
    expect((await listStandaloneRooms(ctx.db, scope)).rows).toHaveLength(1);
    expect(await standaloneRoom(ctx.db, scope, room.id)).not.toBeNull();
    await ctx.db.update(rooms).set({ trashedAt: new Date() }).where(eq(rooms.id, room.id));
    expect((await listStandaloneRooms(ctx.db, scope)).rows).toEqual([]);
    expect(await standaloneRoom(ctx.db, scope, room.id)).toBeNull();
  });

  test("says a room is waiting for participants while fewer are known than it expects", async () => {
    const { organization } = await createTenant(ctx.db);
    await standalone(organization.id, { startsAt: "2026-03-01T14:00:00Z", max: 3, people: doctorAndPatient });
    const [row] = (await listStandaloneRooms(ctx.db, { organizationId: organization.id, timeZone: "UTC" })).rows;
    expect(row).toMatchObject({ waitingForParticipants: true, expectedParticipants: 3 });
    expect(row!.participants).toHaveLength(2);
  });

  test("pages with a cursor, rooms at the same start included, and refuses a forged cursor", async () => {
    const { organization } = await createTenant(ctx.db);
    const scope = { organizationId: organization.id, timeZone: "UTC" };
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await standalone(organization.id, { startsAt: `2026-04-0${1 + (i % 3)}T10:00:00Z` })).room);
    const expected = [...made].sort((a, b) => b.startsAt!.getTime() - a.startsAt!.getTime() || (a.id < b.id ? 1 : -1)).map((room) => room.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listStandaloneRooms(ctx.db, scope, { cursor, limit: 2 });
      seen.push(...page.rows.map((row) => row.roomId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);

    for (const forged of ["nope", encodeCursor(["2026-04-01T10:00:00Z"]), encodeCursor(["yesterday", made[0]!.id]), encodeCursor(["2026-04-01T10:00:00Z", "x"])]) {
      const refused = await refusal(listStandaloneRooms(ctx.db, scope, { cursor: forged }));
      expect([refused.status, refused.code]).toEqual([400, "invalid_cursor"]);
    }
  });

  test("adds up each participant's stays: closed ones to their end, an open one to its last sign of life", async () => {
    const { organization } = await createTenant(ctx.db);
    const theirs = await createTenant(ctx.db);
    const { room, people } = await standalone(organization.id, {
      startsAt: "2026-05-01T15:00:00Z",
      status: "InProgress",
      people: [...doctorAndPatient, { name: "Marta Gil", group: "interpreter", privilege: "basic" }],
    });
    const [doctor, patient, interpreter] = people;
    // The doctor: 10 min, then back for 5 min 30 s. The patient: 12 min and still in the call. The interpreter never came.
    await stay(organization.id, room.id, doctor!.id, "2026-05-01T15:00:00Z", "2026-05-01T15:10:00Z");
    await stay(organization.id, room.id, doctor!.id, "2026-05-01T15:12:00Z", "2026-05-01T15:17:30Z");
    await stay(organization.id, room.id, patient!.id, "2026-05-01T15:01:00Z", null, "2026-05-01T15:13:00Z");
    // Another organization's row naming this room (it cannot happen through the app) is not counted.
    await ctx.db.insert(roomAttendances).values({
      organizationId: theirs.organization.id,
      roomId: room.id,
      participantId: interpreter!.id,
      joinedAt: at("2026-05-01T15:00:00Z"),
      lastSeenAt: at("2026-05-01T16:00:00Z"),
      leftAt: at("2026-05-01T16:00:00Z"),
    });

    const scope = { organizationId: organization.id, timeZone: "Europe/Rome" };
    const [row] = (await listStandaloneRooms(ctx.db, scope)).rows;
    expect(row!.participants.map((p) => [p.name, p.attendedSeconds, p.stays, p.present])).toEqual([
      ["Dra. Ana Ruiz", 930, 2, false],
      ["Luis Pérez", 720, 1, true],
      ["Marta Gil", 0, 0, false],
    ]);

    const detail = await standaloneRoom(ctx.db, scope, room.id);
    expect(detail).toMatchObject({ roomId: room.id, status: "InProgress", startsAtLocal: "2026-05-01 17:00" });
    expect(detail!.participants[0]!.staysDetail).toEqual([
      expect.objectContaining({ joinedAtLocal: "2026-05-01 17:00", leftAtLocal: "2026-05-01 17:10", seconds: 600, endReason: "left" }),
      expect.objectContaining({ joinedAtLocal: "2026-05-01 17:12", leftAtLocal: "2026-05-01 17:17", seconds: 330, endReason: "left" }),
    ]);
    expect(detail!.participants[1]!.staysDetail).toEqual([expect.objectContaining({ leftAt: null, leftAtLocal: null, seconds: 720, endReason: null })]);
    expect(detail!.participants[2]!.staysDetail).toEqual([]);
  });

  test("says durations as people read them", () => {
    expect([0, 45, 60, 725, 3600, 3780, 7322].map(spokenDuration)).toEqual(["0 s", "45 s", "1 min", "12 min 5 s", "1 h", "1 h 3 min", "2 h 2 min"]);
  });
});
