import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, sequenceKey, timestamptz, uuidKey } from "./columns";
import { roomParticipants, rooms } from "./consultations";
import { organizations } from "./organizations";

export const attendanceEnd = pgEnum("attendance_end", ["left", "ended", "timeout", "disconnected"]);

/**
 * One stay of a participant in a call: from joining to leaving. A participant who leaves and
 * comes back has several. `last_seen_at` is kept fresh by the open realtime connection, so a
 * participant whose browser vanished is closed as `disconnected` after a grace period.
 */
export const roomAttendances = pgTable(
  "room_attendances",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    roomId: belongsTo("room_id", () => rooms.id),
    participantId: belongsTo("participant_id", () => roomParticipants.id),
    joinedAt: timestamptz("joined_at").notNull(),
    lastSeenAt: timestamptz("last_seen_at").notNull(),
    leftAt: timestamptz("left_at"),
    endReason: attendanceEnd("end_reason"),
    /** The browser's user agent at join, for support. */
    userAgent: text("user_agent"),
  },
  (t) => [
    uniqueIndex("room_attendances_one_open_idx").on(t.participantId).where(sql`left_at is null`),
    index("room_attendances_room_idx").on(t.roomId, t.joinedAt),
    index("room_attendances_open_seen_idx").on(t.lastSeenAt).where(sql`left_at is null`),
  ],
);

/**
 * The room's realtime log: signaling messages, presence and media-state changes. Stored so a
 * client that reconnects resumes from `Last-Event-ID`; ids are ordered per room because
 * writers take the room's advisory lock (lib/realtime).
 */
export const roomEvents = pgTable(
  "room_events",
  {
    id: sequenceKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    roomId: belongsTo("room_id", () => rooms.id),
    /** Who sent it; null for the server's own events (room ended). */
    senderId: uuid("sender_id").references(() => roomParticipants.id, { onDelete: "cascade" }),
    /** Who it is for; null for everyone in the room. */
    recipientId: uuid("recipient_id").references(() => roomParticipants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("room_events_room_idx").on(t.roomId, t.id), index("room_events_created_idx").on(t.createdAt)],
);

/**
 * What each participant sent as signals, per 10-second window: the rate and size limits of
 * lib/rooms/signal-limits.ts read it (shared by every app instance). Kept a day, like the events.
 */
export const signalUsage = pgTable(
  "signal_usage",
  {
    participantId: belongsTo("participant_id", () => roomParticipants.id),
    windowStart: timestamptz("window_start").notNull(),
    signals: integer("signals").notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.windowStart] }), index("signal_usage_window_idx").on(t.windowStart)],
);

export const pinAttemptOutcome = pgEnum("pin_attempt_outcome", ["accepted", "rejected", "throttled"]);

/** Every PIN typed at a join link, kept for the limits and for the clinic's audit. */
export const pinAttempts = pgTable(
  "pin_attempts",
  {
    id: sequenceKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    participantId: belongsTo("participant_id", () => roomParticipants.id),
    address: text("address"),
    outcome: pinAttemptOutcome("outcome").notNull(),
    attemptedAt: timestamptz("attempted_at").notNull(),
  },
  (t) => [
    index("pin_attempts_participant_idx").on(t.participantId, t.attemptedAt),
    index("pin_attempts_address_idx").on(t.address, t.attemptedAt),
  ],
);
