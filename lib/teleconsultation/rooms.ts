import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { publishRoomEvent } from "@/lib/realtime/events";
import { closeAttendances } from "@/lib/rooms/attendance";
import { roomGroupsOf } from "@/lib/rooms/groups";
import { lockCall } from "@/lib/rooms/locked-call";
import { mintRoomLink } from "@/lib/rooms/room-link";
import { callWindow } from "@/lib/rooms/window";
import { isUuid } from "@/lib/validation/uuid";
import { resolveParticipant, resolveParticipants, type Member, type RoomUserRef } from "./users";
import {
  MAX_ROOM_SECONDS,
  MIN_ROOM_SECONDS,
  type CreateRoomInput,
  type ParticipantData,
  type RoomView,
  type UpdateRoomInput,
} from "./schema";
import { markRoomReadyIfDue } from "./ready";

/** The teleconsultation settings a request works under (lib/config reads them from the environment). */
export type RoomSettings = {
  /** UNLIMITED_TELECONSULTATION: rooms have no end; a duration given is ignored. */
  unlimited: boolean;
  /** LIVE_TELECONSULTATION: new rooms end when someone leaves and fewer than two remain. */
  live: boolean;
  /** IMMUTABLE_PERIOD_MS: a room whose participants are all known cannot change from this long before its start. */
  immutableMs: number;
};

export type RoomContext = { organizationId: string; now: Date; settings: RoomSettings };

type LockedRoom = {
  id: string;
  status: "Pending" | "InProgress" | "Completed" | "Expired";
  startsAt: Date;
  endsAt: Date | null;
  expected: number;
  known: number;
};

/** The contract's error messages name its own paths, without our `/api` prefix. */
const failed = (operation: string, what: string) => `Failed ${operation}: ${what}`;

function roomNotFound(roomId: string): AppError {
  return new AppError("room_not_found", `Room with id ${roomId} not found on CRUD`);
}

/**
 * A standalone room of the organization, locked for a change; deleted (TRASH) and other
 * organizations' rooms are not found. FOR NO KEY UPDATE, as lockCall: FOR UPDATE would deadlock
 * with a signal that holds the room's event log and inserts an event row (its foreign key).
 */
async function lockRoomRow(tx: Db, organizationId: string, roomId: string): Promise<LockedRoom> {
  if (!isUuid(roomId)) throw roomNotFound(roomId);
  const [row] = await tx.execute<{ id: string; status: LockedRoom["status"]; starts_ms: number; ends_ms: number | null; expected: number }>(sql`
    select id, status, max_participants as expected,
      extract(epoch from starts_at)::float8 * 1000 as starts_ms, extract(epoch from ends_at)::float8 * 1000 as ends_ms
    from rooms
    where id = ${roomId} and organization_id = ${organizationId} and consultation_id is null and trashed_at is null
    for no key update`);
  if (!row) throw roomNotFound(roomId);
  const [{ known }] = (await tx.execute<{ known: number }>(sql`
    select count(*)::int as known from room_participants where room_id = ${roomId}`)) as unknown as [{ known: number }];
  return {
    id: row.id,
    status: row.status,
    startsAt: new Date(Number(row.starts_ms)),
    endsAt: row.ends_ms === null ? null : new Date(Number(row.ends_ms)),
    expected: row.expected,
    known,
  };
}

/** The room's end from the request: `end_date` or `duration_in_seconds`, at least five minutes, at most a day; none when unlimited. */
function endFrom(
  startsAt: Date,
  input: { end_date?: string; duration_in_seconds?: number },
  current: { seconds: number | null } | undefined,
  ctx: RoomContext,
): Date | null {
  if (ctx.settings.unlimited) return null;
  const field = input.end_date !== undefined ? "end_date" : "duration_in_seconds";
  const seconds =
    input.end_date !== undefined
      ? (Date.parse(input.end_date) - startsAt.getTime()) / 1000
      : (input.duration_in_seconds ?? current?.seconds ?? null);
  if (seconds === null) {
    throw AppError.validation([{ field: "end_date", code: "required", message: "give end_date or duration_in_seconds (the room's duration)" }]);
  }
  if (seconds < MIN_ROOM_SECONDS) {
    throw AppError.validation([{ field, code: "too_short", message: `the room must last at least ${MIN_ROOM_SECONDS / 60} minutes (got ${Math.round(seconds)} seconds)` }]);
  }
  if (seconds > MAX_ROOM_SECONDS) {
    throw AppError.validation([{ field, code: "too_long", message: `the room may last at most ${MAX_ROOM_SECONDS / 3600} hours` }]);
  }
  const endsAt = new Date(startsAt.getTime() + Math.round(seconds) * 1000);
  if (endsAt.getTime() <= ctx.now.getTime()) {
    throw AppError.validation([{ field, code: "in_the_past", message: `the room would already be over (it ends at ${endsAt.toISOString()})` }]);
  }
  return endsAt;
}

function requirePlus(members: Member[], expected: number, operation: string): void {
  if (members.length === expected && !members.some((m) => m.privilege === "plus")) {
    throw new AppError("no_plus_user", failed(operation, "no plus user in room"));
  }
}

async function insertMembers(tx: Db, organizationId: string, roomId: string, members: Member[]): Promise<void> {
  for (const m of members) {
    await tx.execute(sql`
      insert into room_participants (organization_id, room_id, role, privilege, display_name, room_user_id, group_name, language)
      values (${organizationId}, ${roomId}, 'member', ${m.privilege}, ${m.fullName}, ${m.roomUserId}, ${m.group}, ${m.language})
      on conflict (room_id, room_user_id) where room_user_id is not null do update
        set privilege = excluded.privilege, display_name = excluded.display_name, group_name = excluded.group_name, language = excluded.language`);
  }
}

/** `POST /api/teleconsultation`: a room for 2 to 25 people, ready (links can exist) once all are known. */
export async function createRoom(db: Database, ctx: RoomContext, input: CreateRoomInput): Promise<{ roomId: string }> {
  const startsAt = new Date(input.start_date);
  const endsAt = endFrom(startsAt, input, undefined, ctx);
  return db.transaction((tx) => insertRoom(tx, ctx, input, { startsAt, endsAt }));
}

/**
 * The same room, made inside the caller's transaction (a chat session's `"room": "new"` makes
 * its call with the session). The times are checked as `POST /api/teleconsultation` checks them.
 */
export async function createRoomIn(tx: Db, ctx: RoomContext, input: CreateRoomInput): Promise<{ roomId: string }> {
  const startsAt = new Date(input.start_date);
  return insertRoom(tx, ctx, input, { startsAt, endsAt: endFrom(startsAt, input, undefined, ctx) });
}

async function insertRoom(tx: Db, ctx: RoomContext, input: CreateRoomInput, times: { startsAt: Date; endsAt: Date | null }): Promise<{ roomId: string }> {
  const { startsAt, endsAt } = times;
  const groups = await roomGroupsOf(tx, ctx.organizationId);
  const { expected, members } = await resolveParticipants(tx, ctx.organizationId, input.participants, groups);
  requirePlus(members, expected, "POST /teleconsultation");
  const [room] = await tx.execute<{ id: string }>(sql`
    insert into rooms (organization_id, max_participants, status, starts_at, ends_at, call_type, live, description, created_at, updated_at)
    values (${ctx.organizationId}, ${expected}, 'Pending', ${startsAt.toISOString()}, ${endsAt?.toISOString() ?? null},
      ${input.call_type ?? "audio_video"}, ${ctx.settings.live}, ${input.description ?? null}, ${ctx.now.toISOString()}, ${ctx.now.toISOString()})
    returning id`);
  await insertMembers(tx, ctx.organizationId, room!.id, members);
  await markRoomReadyIfDue(tx, ctx.organizationId, room!.id, ctx.now, ctx.settings.immutableMs);
  return { roomId: room!.id };
}

/** A room can change until its participants are all known and its start is `IMMUTABLE_PERIOD_MS` away; never once its call began. */
function requireChangeable(room: LockedRoom, ctx: RoomContext, operation: string): void {
  if (room.status !== "Pending") {
    throw new AppError("room_immutable", failed(operation, `the room can no longer change (its call is ${room.status === "InProgress" ? "in progress" : room.status === "Completed" ? "over" : "expired"})`));
  }
  if (room.known === room.expected && ctx.now.getTime() >= room.startsAt.getTime() - ctx.settings.immutableMs) {
    throw new AppError("room_immutable", failed(operation, `the room can no longer change (its participants are all known and it starts at ${room.startsAt.toISOString()})`));
  }
}

/**
 * `PATCH /api/teleconsultation/{roomId}`: any part of the room. `participants` replaces the list.
 * A change of who or when makes earlier links stop opening the call (`links_valid_from`) and
 * the room ready again only when its links can exist anew.
 */
export async function updateRoom(db: Database, ctx: RoomContext, roomId: string, input: UpdateRoomInput): Promise<void> {
  await db.transaction(async (tx) => {
    const room = await lockRoomRow(tx, ctx.organizationId, roomId);
    requireChangeable(room, ctx, `PATCH /teleconsultation/${roomId}`);
    const groups = await roomGroupsOf(tx, ctx.organizationId);
    let expected = room.expected;
    let members: Member[] | undefined;
    if (input.participants !== undefined) {
      ({ expected, members } = await resolveParticipants(tx, ctx.organizationId, input.participants, groups));
    } else {
      members = await membersOf(tx, roomId);
    }
    requirePlus(members, expected, "PATCH /teleconsultation");

    const timesChanged = input.start_date !== undefined || input.end_date !== undefined || input.duration_in_seconds !== undefined;
    const startsAt = input.start_date !== undefined ? new Date(input.start_date) : room.startsAt;
    const currentSeconds = room.endsAt ? (room.endsAt.getTime() - room.startsAt.getTime()) / 1000 : null;
    const endsAt = timesChanged ? endFrom(startsAt, input, { seconds: currentSeconds }, ctx) : room.endsAt;

    if (input.participants !== undefined) {
      const keep = members.map((m) => m.roomUserId);
      await tx.execute(sql`
        delete from room_participants p where p.room_id = ${roomId}
          and not (p.room_user_id = any(${`{${keep.join(",")}}`}::uuid[]))
          -- A participant with a stay on record stays on record (a room cannot have had one while changeable; kept safe anyway).
          and not exists (select 1 from room_attendances a where a.participant_id = p.id)`);
      await insertMembers(tx, ctx.organizationId, roomId, members);
    }
    const whoOrWhen = input.participants !== undefined || timesChanged;
    await tx.execute(sql`
      update rooms set
        max_participants = ${expected},
        starts_at = ${startsAt.toISOString()},
        ends_at = ${endsAt?.toISOString() ?? null},
        call_type = coalesce(${input.call_type ?? null}::call_type, call_type),
        description = ${input.description !== undefined ? sql`${input.description}` : sql`description`},
        links_valid_from = ${whoOrWhen ? sql`${ctx.now.toISOString()}::timestamptz` : sql`links_valid_from`},
        ready_at = ${whoOrWhen ? sql`null` : sql`ready_at`},
        updated_at = ${ctx.now.toISOString()}
      where id = ${roomId}`);
    await markRoomReadyIfDue(tx, ctx.organizationId, roomId, ctx.now, ctx.settings.immutableMs);
  });
}

async function membersOf(tx: Db, roomId: string): Promise<Member[]> {
  const rows = await tx.execute<{ room_user_id: string; external_id: string; display_name: string; privilege: "plus" | "basic"; group_name: string; language: string | null }>(sql`
    select p.room_user_id, u.external_id, p.display_name, p.privilege, p.group_name, p.language
    from room_participants p join room_users u on u.id = p.room_user_id where p.room_id = ${roomId}`);
  return rows.map((r) => ({ roomUserId: r.room_user_id, externalId: r.external_id, fullName: r.display_name, privilege: r.privilege, group: r.group_name, language: r.language }));
}

/** `POST /api/teleconsultation/{roomId}/participants/data`: one more participant, up to the room's `number`. */
export async function addParticipant(db: Database, ctx: RoomContext, roomId: string, data: ParticipantData): Promise<void> {
  const operation = `POST /teleconsultation/${roomId}/participants/data`;
  await db.transaction(async (tx) => {
    const room = await lockRoomRow(tx, ctx.organizationId, roomId);
    if (room.status === "Pending" && room.known >= room.expected) {
      throw new AppError("room_full_of_participants", failed(operation, `the room already has its ${room.expected} participants`));
    }
    requireChangeable(room, ctx, operation);
    const groups = await roomGroupsOf(tx, ctx.organizationId);
    const member = await resolveParticipant(tx, ctx.organizationId, data, groups);
    const members = await membersOf(tx, roomId);
    if (members.some((m) => m.roomUserId === member.roomUserId)) {
      throw AppError.validation([{ field: "userExternalId", code: "duplicate", message: `${JSON.stringify(data.userExternalId)} is already a participant of this room` }]);
    }
    requirePlus([...members, member], room.expected, operation);
    await insertMembers(tx, ctx.organizationId, roomId, [member]);
    await tx.execute(sql`update rooms set links_valid_from = ${ctx.now.toISOString()}, updated_at = ${ctx.now.toISOString()} where id = ${roomId}`);
    await markRoomReadyIfDue(tx, ctx.organizationId, roomId, ctx.now, ctx.settings.immutableMs);
  });
}

/**
 * `DELETE /api/teleconsultation/{roomId}`: the room goes to TRASH. Its links stop opening the
 * call at once; whoever is in the call is told and their stays close; the room leaves every
 * list; its rows stay for the clinic's records.
 */
export async function deleteRoom(db: Database, ctx: RoomContext, roomId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockRoomRow(tx, ctx.organizationId, roomId);
    const call = await lockCall(tx, ctx.organizationId, roomId);
    await closeAttendances(tx, call, ctx.now, "ended", {});
    await tx.execute(sql`
      update rooms set trashed_at = ${ctx.now.toISOString()}, updated_at = ${ctx.now.toISOString()},
        status = case when status = 'InProgress' then 'Completed'::consultation_status else status end,
        completed_at = case when status = 'InProgress' then ${ctx.now.toISOString()}::timestamptz else completed_at end,
        completion_reason = case when status = 'InProgress' then 'deleted' else completion_reason end
      where id = ${roomId}`);
    await publishRoomEvent(tx, { organizationId: ctx.organizationId, roomId, kind: "room-ended", payload: { reason: "deleted" } });
  });
}

const STATUS_WORD = { Pending: "NOT_RUNNING", InProgress: "RUNNING", Completed: "ENDED", Expired: "EXPIRED" } as const;

/**
 * `GET /api/teleconsultation/{roomId}` for one of its participants: their link (minted now, when
 * links exist), the others, and the room's details. A user who is not a participant gets the
 * contract's 401; a room of another organization, or deleted, its 404.
 */
export async function roomForUser(
  db: Database,
  ctx: RoomContext & { appUrl: string; appSecret: string; opensMinutesBefore: number },
  roomId: string,
  user: RoomUserRef | undefined,
  query: { language?: string; useBackground?: string },
): Promise<RoomView> {
  if (!isUuid(roomId)) throw roomNotFound(roomId);
  const [room] = await db.execute<{
    status: LockedRoom["status"];
    starts_ms: number;
    ends_ms: number | null;
    expected: number;
    call_type: RoomView["details"]["callType"];
    live: boolean;
    description: string | null;
    created_at: string;
    used_seconds: number;
  }>(sql`
    select r.status, r.max_participants as expected, r.call_type, r.live, r.description, r.created_at,
      extract(epoch from r.starts_at)::float8 * 1000 as starts_ms, extract(epoch from r.ends_at)::float8 * 1000 as ends_ms,
      -- How long anyone was in the call: the union of the stays (an open one until now).
      coalesce((select extract(epoch from sum(upper(u) - lower(u)))::int
        from unnest((select range_agg(tstzrange(a.joined_at, coalesce(a.left_at, greatest(a.joined_at, ${ctx.now.toISOString()}::timestamptz))))
                     from room_attendances a where a.room_id = r.id)) u), 0) as used_seconds
    from rooms r
    where r.id = ${roomId} and r.organization_id = ${ctx.organizationId} and r.consultation_id is null and r.trashed_at is null`);
  if (!room) throw roomNotFound(roomId);
  const unauthorized = new AppError("unauthorized_user", "Unauthorized user");
  if (!user) throw unauthorized;
  const participants = await db.execute<{ id: string; room_user_id: string; display_name: string }>(sql`
    select id, room_user_id, display_name from room_participants where room_id = ${roomId} order by created_at, id`);
  const me = participants.find((p) => p.room_user_id === user.roomUserId);
  if (!me) throw unauthorized;

  const startsAt = new Date(Number(room.starts_ms));
  const endsAt = room.ends_ms === null ? null : new Date(Number(room.ends_ms));
  const window = callWindow({ status: room.status, immediate: false, startsAt, endsAt }, ctx.now, ctx.opensMinutesBefore);
  const allKnown = participants.length === room.expected;
  const linksExist =
    allKnown && ctx.now.getTime() >= startsAt.getTime() - ctx.settings.immutableMs && window.state !== "completed" && window.state !== "expired";
  let accessLinkURL: string | null = null;
  if (linksExist) {
    const url = new URL(`/join/${mintRoomLink(ctx.appSecret, me.id, ctx.now)}`, ctx.appUrl);
    if (query.language) url.searchParams.set("language", query.language);
    if (query.useBackground === "true") url.searchParams.set("useBackground", "true");
    accessLinkURL = url.toString();
  }
  const status =
    window.state === "expired" ? "EXPIRED" : window.state === "completed" && room.status !== "Pending" ? "ENDED" : STATUS_WORD[room.status];
  return {
    bandyerUserId: user.roomUserId,
    accessLinkURL,
    participantsBandyerCall: participants.filter((p) => p !== me).map((p) => ({ bandyerUserId: p.room_user_id, fullName: p.display_name })),
    details: {
      recording: "none",
      recordingStatus: "stopped",
      callType: room.call_type,
      description: room.description,
      status,
      disabled: !linksExist || window.state !== "open",
      creationDate: new Date(room.created_at).toISOString(),
      durationInSeconds: endsAt ? Math.round((endsAt.getTime() - startsAt.getTime()) / 1000) : null,
      durationUsedInSeconds: Number(room.used_seconds),
      live: room.live,
    },
  };
}
