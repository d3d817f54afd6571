import { sql } from "drizzle-orm";
import { check, index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, sequenceKey, timestamptz, uuidKey } from "./columns";
import { consultations, participantRole, roomParticipants, rooms } from "./consultations";
import { organizations } from "./organizations";

/**
 * A room's chat: one per room, made with its first message. `type` is the seed's chat-session
 * type; the transcript belongs to the consultation through the room.
 */
export const chatSessions = pgTable("chat_sessions", {
  id: uuidKey(),
  organizationId: belongsTo("organization_id", () => organizations.id),
  roomId: belongsTo("room_id", () => rooms.id).unique(),
  type: text("type").notNull().default("telemed"),
  createdAt: createdAt(),
});

/** One message, as written: plain text, with who sent it and in which role (names are kept as they were then). */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: sequenceKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    chatSessionId: belongsTo("chat_session_id", () => chatSessions.id),
    roomId: belongsTo("room_id", () => rooms.id),
    senderId: belongsTo("sender_id", () => roomParticipants.id),
    senderRole: participantRole("sender_role").notNull(),
    senderName: text("sender_name").notNull(),
    body: text("body").notNull(),
    /** The sender's own id for the message, so a send retried after a lost answer is stored once. */
    clientId: uuid("client_id"),
    sentAt: timestamptz("sent_at").notNull(),
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
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    /** The consultation whose call it was; null in a standalone room. */
    consultationId: uuid("consultation_id").references(() => consultations.id, { onDelete: "cascade" }),
    roomId: belongsTo("room_id", () => rooms.id),
    participantId: belongsTo("participant_id", () => roomParticipants.id),
    reporterRole: participantRole("reporter_role").notNull(),
    category: issueCategory("category").notNull(),
    description: text("description").notNull().default(""),
    /** The browser as its user agent names it, and the raw user agent for support. */
    browser: text("browser"),
    userAgent: text("user_agent"),
    /** ConnectionStats (lib/video/transport.ts) as the reporter's browser measured it. */
    connectionStats: jsonb("connection_stats").$type<Record<string, unknown>>(),
    reportedAt: timestamptz("reported_at").notNull(),
  },
  (t) => [index("issue_reports_consultation_idx").on(t.consultationId, t.reportedAt), index("issue_reports_organization_idx").on(t.organizationId, t.reportedAt)],
);
