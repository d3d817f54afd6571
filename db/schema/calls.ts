import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => roomParticipants.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
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
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** Who sent it; null for the server's own events (room ended). */
    senderId: uuid("sender_id").references(() => roomParticipants.id, { onDelete: "cascade" }),
    /** Who it is for; null for everyone in the room. */
    recipientId: uuid("recipient_id").references(() => roomParticipants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
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
    participantId: uuid("participant_id")
      .notNull()
      .references(() => roomParticipants.id, { onDelete: "cascade" }),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
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
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => roomParticipants.id, { onDelete: "cascade" }),
    address: text("address"),
    outcome: pinAttemptOutcome("outcome").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("pin_attempts_participant_idx").on(t.participantId, t.attemptedAt),
    index("pin_attempts_address_idx").on(t.address, t.attemptedAt),
  ],
);
