import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { roomAttendances, roomParticipants, rooms } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/pagination/cursor";
import { formatLocal } from "@/lib/time";
import { isUuid } from "@/lib/validation/uuid";

/**
 * The dashboard's list of an organization's standalone rooms (those made through the
 * teleconsultation API: no consultation), with who takes part and who came, for how long.
 * Trashed rooms are out of it. Every query is scoped by the organization.
 */

export type RoomStatus = "Pending" | "InProgress" | "Completed" | "Expired";
export type RoomCallType = (typeof rooms.$inferSelect)["callType"];

export type RoomDirectoryContext = {
  organizationId: string;
  /** The organization's IANA timezone: what the `…Local` times are in. */
  timeZone: string;
};

export type RoomParticipantSummary = {
  participantId: string;
  name: string;
  /** The group that gave the privilege (`doctor`, `patient`…), if known. */
  group: string | null;
  /** plus: a host (ends the call for everyone). */
  privilege: "plus" | "basic";
  /** Seconds in the call over all stays; an open stay counts up to its last sign of life. */
  attendedSeconds: number;
  stays: number;
  /** In the call now (a stay without an end). */
  present: boolean;
};

export type RoomDirectoryRow = {
  roomId: string;
  status: RoomStatus;
  /** Fewer participants known than the room expects (`max_participants`): its links do not exist yet. */
  waitingForParticipants: boolean;
  expectedParticipants: number;
  startsAt: Date;
  /** `yyyy-MM-dd HH:mm` in the organization's timezone. */
  startsAtLocal: string;
  endsAt: Date | null;
  /** Minutes from start to end; null: no limit. */
  durationMinutes: number | null;
  callType: RoomCallType;
  description: string | null;
  /** Hosts first, then by when they were added. */
  participants: RoomParticipantSummary[];
};

export type RoomDirectoryPage = { rows: RoomDirectoryRow[]; nextCursor: string | null };

export const ROOM_DIRECTORY_SIZE = 25;

/** Rooms of the dashboard's list: this organization's, standalone, not trashed. */
function listed(organizationId: string): SQL {
  return and(eq(rooms.organizationId, organizationId), isNull(rooms.consultationId), isNull(rooms.trashedAt))!;
}

const roomColumns = {
  id: rooms.id,
  status: rooms.status,
  maxParticipants: rooms.maxParticipants,
  startsAt: rooms.startsAt,
  endsAt: rooms.endsAt,
  callType: rooms.callType,
  description: rooms.description,
};

type RoomRecord = { id: string; status: RoomStatus | null; maxParticipants: number; startsAt: Date | null; endsAt: Date | null; callType: RoomCallType; description: string | null };

/** Seconds of one stay: to its end, or (still open) to its last sign of life; never negative. */
const staySeconds = sql<number>`greatest(0, extract(epoch from (coalesce(${roomAttendances.leftAt}, ${roomAttendances.lastSeenAt}) - ${roomAttendances.joinedAt})))`;

/**
 * The organization's standalone rooms, newest start first, `limit` at a time with an opaque
 * cursor (the last row's start and id), as lib/consultations/read.ts pages the API's list.
 */
export async function listStandaloneRooms(db: Db, ctx: RoomDirectoryContext, query: { cursor?: string; limit?: number } = {}): Promise<RoomDirectoryPage> {
  const limit = query.limit ?? ROOM_DIRECTORY_SIZE;
  const where: SQL[] = [listed(ctx.organizationId)];
  if (query.cursor) {
    const [startsAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(startsAt!);
    if (Number.isNaN(at.getTime()) || !isUuid(id)) throw AppError.badRequest("invalid_cursor", "The cursor is not valid.", "cursor");
    where.push(or(lt(rooms.startsAt, at), and(eq(rooms.startsAt, at), lt(rooms.id, id!)))!);
  }
  const records = (await db
    .select(roomColumns)
    .from(rooms)
    .where(and(...where))
    .orderBy(desc(rooms.startsAt), desc(rooms.id))
    .limit(limit + 1)) as RoomRecord[];
  const page = records.slice(0, limit);
  const participants = await participantsOf(
    db,
    ctx.organizationId,
    page.map((room) => room.id),
  );
  const last = page.at(-1);
  return {
    rows: page.map((room) => directoryRow(room, participants.get(room.id) ?? [], ctx.timeZone)),
    nextCursor: records.length > limit && last ? encodeCursor([last.startsAt!.toISOString(), last.id]) : null,
  };
}

function directoryRow(room: RoomRecord, participants: RoomParticipantSummary[], timeZone: string): RoomDirectoryRow {
  // A standalone room always has both (the rooms_standalone_schedule check).
  const startsAt = room.startsAt!;
  return {
    roomId: room.id,
    status: room.status!,
    waitingForParticipants: participants.length < room.maxParticipants,
    expectedParticipants: room.maxParticipants,
    startsAt,
    startsAtLocal: formatLocal(startsAt, timeZone),
    endsAt: room.endsAt,
    durationMinutes: room.endsAt ? Math.round((room.endsAt.getTime() - startsAt.getTime()) / 60_000) : null,
    callType: room.callType,
    description: room.description,
    participants,
  };
}

/** Each room's participants with their attendance totals, hosts first. */
async function participantsOf(db: Db, organizationId: string, roomIds: string[]): Promise<Map<string, RoomParticipantSummary[]>> {
  const byRoom = new Map<string, RoomParticipantSummary[]>();
  if (roomIds.length === 0) return byRoom;
  const attendance = db
    .select({
      participantId: roomAttendances.participantId,
      seconds: sql<number>`sum(${staySeconds})`.as("seconds"),
      stays: sql<number>`count(*)`.as("stays"),
      open: sql<boolean>`bool_or(${roomAttendances.leftAt} is null)`.as("open"),
    })
    .from(roomAttendances)
    .where(and(eq(roomAttendances.organizationId, organizationId), inArray(roomAttendances.roomId, roomIds)))
    .groupBy(roomAttendances.participantId)
    .as("attendance");
  const rows = await db
    .select({
      roomId: roomParticipants.roomId,
      participantId: roomParticipants.id,
      name: roomParticipants.displayName,
      group: roomParticipants.groupName,
      privilege: roomParticipants.privilege,
      seconds: attendance.seconds,
      stays: attendance.stays,
      open: attendance.open,
    })
    .from(roomParticipants)
    .leftJoin(attendance, eq(attendance.participantId, roomParticipants.id))
    .where(and(eq(roomParticipants.organizationId, organizationId), inArray(roomParticipants.roomId, roomIds)))
    .orderBy(asc(roomParticipants.roomId), sql`${roomParticipants.privilege} = 'plus' desc`, asc(roomParticipants.createdAt), asc(roomParticipants.id));
  for (const row of rows) {
    const list = byRoom.get(row.roomId) ?? [];
    list.push({
      participantId: row.participantId,
      name: row.name,
      group: row.group,
      privilege: row.privilege,
      attendedSeconds: Math.round(Number(row.seconds ?? 0)),
      stays: Number(row.stays ?? 0),
      present: row.open === true,
    });
    byRoom.set(row.roomId, list);
  }
  return byRoom;
}

export type AttendanceStay = {
  joinedAt: Date;
  joinedAtLocal: string;
  /** Null while the stay is open. */
  leftAt: Date | null;
  leftAtLocal: string | null;
  seconds: number;
  /** Why it ended: left, ended (the call closed), timeout, disconnected; null while open. */
  endReason: (typeof roomAttendances.$inferSelect)["endReason"];
};

export type StandaloneRoomDetail = Omit<RoomDirectoryRow, "participants"> & {
  startedAt: Date | null;
  startedAtLocal: string | null;
  completedAt: Date | null;
  completedAtLocal: string | null;
  completionReason: string | null;
  createdAt: Date;
  createdAtLocal: string;
  participants: (RoomParticipantSummary & { staysDetail: AttendanceStay[] })[];
};

/** One standalone room of the organization with every participant's stays, oldest first; null when it is not in the list (another organization's, a consultation's, trashed, unknown). */
export async function standaloneRoom(db: Db, ctx: RoomDirectoryContext, roomId: string): Promise<StandaloneRoomDetail | null> {
  if (!isUuid(roomId)) return null;
  const [room] = await db
    .select({ ...roomColumns, startedAt: rooms.startedAt, completedAt: rooms.completedAt, completionReason: rooms.completionReason, createdAt: rooms.createdAt })
    .from(rooms)
    .where(and(listed(ctx.organizationId), eq(rooms.id, roomId)));
  if (!room) return null;
  const [participants, stays] = await Promise.all([
    participantsOf(db, ctx.organizationId, [room.id]),
    db
      .select({
        participantId: roomAttendances.participantId,
        joinedAt: roomAttendances.joinedAt,
        leftAt: roomAttendances.leftAt,
        endReason: roomAttendances.endReason,
        seconds: staySeconds,
      })
      .from(roomAttendances)
      .where(and(eq(roomAttendances.organizationId, ctx.organizationId), eq(roomAttendances.roomId, room.id)))
      .orderBy(asc(roomAttendances.joinedAt), asc(roomAttendances.id)),
  ]);
  const row = directoryRow(room as RoomRecord, participants.get(room.id) ?? [], ctx.timeZone);
  const local = (at: Date | null) => (at ? formatLocal(at, ctx.timeZone) : null);
  return {
    ...row,
    startedAt: room.startedAt,
    startedAtLocal: local(room.startedAt),
    completedAt: room.completedAt,
    completedAtLocal: local(room.completedAt),
    completionReason: room.completionReason,
    createdAt: room.createdAt,
    createdAtLocal: formatLocal(room.createdAt, ctx.timeZone),
    participants: row.participants.map((participant) => ({
      ...participant,
      staysDetail: stays
        .filter((stay) => stay.participantId === participant.participantId)
        .map((stay) => ({
          joinedAt: stay.joinedAt,
          joinedAtLocal: formatLocal(stay.joinedAt, ctx.timeZone),
          leftAt: stay.leftAt,
          leftAtLocal: local(stay.leftAt),
          seconds: Math.round(Number(stay.seconds)),
          endReason: stay.endReason,
        })),
    })),
  };
}
