import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { consultations, participantRole, roomParticipants, rooms } from "./consultations";
import { organizations } from "./organizations";

/**
 * A room's chat: one per room, made with its first message. `type` is the seed's chat-session
 * type; the transcript belongs to the consultation through the room.
 */
export const chatSessions = pgTable("chat_sessions", {
  id: uuid("id").primaryKey().defaultRandom(),
  organizationId: uuid("organization_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  roomId: uuid("room_id")
    .notNull()
    .unique()
    .references(() => rooms.id, { onDelete: "cascade" }),
  type: text("type").notNull().default("telemed"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One message, as written: plain text, with who sent it and in which role (names are kept as they were then). */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    chatSessionId: uuid("chat_session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => roomParticipants.id, { onDelete: "cascade" }),
    senderRole: participantRole("sender_role").notNull(),
    senderName: text("sender_name").notNull(),
    body: text("body").notNull(),
    /** The sender's own id for the message, so a send retried after a lost answer is stored once. */
    clientId: uuid("client_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("chat_messages_room_idx").on(t.roomId, t.id),
    uniqueIndex("chat_messages_client_idx").on(t.senderId, t.clientId).where(sql`client_id is not null`),
    check("chat_messages_body_length", sql`char_length(${t.body}) between 1 and 1000`),
  ],
);

export const issueCategory = pgEnum("issue_category", ["audio", "video", "connection", "other"]);

/** A problem reported from the call, with the connection's figures at that moment. */
export const issueReports = pgTable(
  "issue_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id")
      .notNull()
      .references(() => roomParticipants.id, { onDelete: "cascade" }),
    reporterRole: participantRole("reporter_role").notNull(),
    category: issueCategory("category").notNull(),
    description: text("description").notNull().default(""),
    /** The browser as its user agent names it, and the raw user agent for support. */
    browser: text("browser"),
    userAgent: text("user_agent"),
    /** ConnectionStats (lib/video/transport.ts) as the reporter's browser measured it. */
    connectionStats: jsonb("connection_stats").$type<Record<string, unknown>>(),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("issue_reports_consultation_idx").on(t.consultationId, t.reportedAt), index("issue_reports_organization_idx").on(t.organizationId, t.reportedAt)],
);
