import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, sequenceKey, timestamptz, updatedAt, uuidKey } from "./columns";
import { consultations, participantRole, roomParticipants, rooms } from "./consultations";
import { organizations } from "./organizations";
import { roomUsers } from "./room-users";

/** Where a chat session came from: the chat-sessions API (a chat consultation) or a call's own chat, made with its first message. */
export const chatSessionOrigin = pgEnum("chat_session_origin", ["api", "call"]);

/**
 * The chat-sessions contract's state machine: created → started → accepted | rejected;
 * accepted → finished. A call's own chat (origin `call`) stays `created`: it has no directives.
 */
export const chatSessionState = pgEnum("chat_session_state", ["created", "started", "accepted", "rejected", "finished"]);

/**
 * A chat session (the chat-sessions contract, `type` telemed): a text consultation between
 * room users of the directory, which may turn into a call (`room`). A call's own chat is a
 * session too (origin `call`, one per room), so a chat that became a call keeps one transcript:
 * the call's chat writes into the session linked to its room.
 */
export const chatSessions = pgTable(
  "chat_sessions",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    origin: chatSessionOrigin("origin").notNull().default("api"),
    /** The call it is linked to (a standalone room or a consultation's), if any. */
    roomId: uuid("room_id").references(() => rooms.id, { onDelete: "cascade" }),
    type: text("type").notNull().default("telemed"),
    title: text("title"),
    state: chatSessionState("state").notNull().default("created"),
    createdBy: uuid("created_by").references(() => roomUsers.id),
    startedAt: timestamptz("started_at"),
    startedBy: uuid("started_by").references(() => roomUsers.id),
    acceptedAt: timestamptz("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => roomUsers.id),
    rejectedAt: timestamptz("rejected_at"),
    rejectedBy: uuid("rejected_by").references(() => roomUsers.id),
    rejectReason: text("reject_reason"),
    finishedAt: timestamptz("finished_at"),
    finishedBy: uuid("finished_by").references(() => roomUsers.id),
    finishReason: text("finish_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("chat_sessions_call_room_idx").on(t.roomId).where(sql`origin = 'call'`),
    index("chat_sessions_linked_room_idx").on(t.roomId).where(sql`origin = 'api' and room_id is not null`),
    index("chat_sessions_org_created_idx").on(t.organizationId, t.createdAt, t.id).where(sql`origin = 'api'`),
    check("chat_sessions_call_has_room", sql`origin = 'api' or room_id is not null`),
  ],
);

/** Who takes part in a chat session (room users of the directory), in order, with how far each has read. */
export const chatSessionParticipants = pgTable(
  "chat_session_participants",
  {
    chatSessionId: belongsTo("chat_session_id", () => chatSessions.id),
    roomUserId: belongsTo("room_user_id", () => roomUsers.id),
    organizationId: belongsTo("organization_id", () => organizations.id),
    position: integer("position").notNull(),
    /** The newest message id this participant has seen (`PATCH {"seen": true}`); unread is what came after, from others. */
    lastSeenMessageId: bigint("last_seen_message_id", { mode: "number" }).notNull().default(0),
    seenAt: timestamptz("seen_at"),
  },
  (t) => [primaryKey({ columns: [t.chatSessionId, t.roomUserId] }), index("chat_session_participants_user_idx").on(t.roomUserId, t.chatSessionId)],
);

/**
 * A file shared in a chat session or a call's chat: an image (re-encoded, metadata dropped) or
 * a PDF, at most 10 MB, its bytes in the storage (lib/storage) under `storageKey`. Deleting the
 * bytes (`DELETE …/uploads`) keeps the row with `deletedAt`, so the transcript says a file was there.
 */
export const chatFiles = pgTable(
  "chat_files",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    chatSessionId: uuid("chat_session_id").references(() => chatSessions.id, { onDelete: "cascade" }),
    roomId: uuid("room_id").references(() => rooms.id, { onDelete: "cascade" }),
    /** Who uploaded it: a room user (chat session) or a room participant (call chat). */
    uploadedByUserId: uuid("uploaded_by_user_id").references(() => roomUsers.id),
    uploadedByParticipantId: uuid("uploaded_by_participant_id").references(() => roomParticipants.id),
    storageKey: text("storage_key").notNull().unique(),
    /** Checked from the bytes, never from the name: image/jpeg, image/png, image/webp or application/pdf. */
    contentType: text("content_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    /** The name it was uploaded with, cleaned for a Content-Disposition header. */
    fileName: text("file_name").notNull(),
    createdAt: createdAt(),
    deletedAt: timestamptz("deleted_at"),
  },
  (t) => [
    index("chat_files_session_idx").on(t.chatSessionId),
    index("chat_files_room_idx").on(t.roomId),
    check("chat_files_belongs", sql`chat_session_id is not null or room_id is not null`),
    check("chat_files_uploader", sql`uploaded_by_user_id is not null or uploaded_by_participant_id is not null`),
  ],
);

/**
 * One message, as written: plain text and/or a file, with who sent it — a room participant in a
 * call's chat, or a room user in a chat session — and in which role (names are kept as they were then).
 */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: sequenceKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    chatSessionId: belongsTo("chat_session_id", () => chatSessions.id),
    /** The call it was written in; null for a chat session's message written outside a call. */
    roomId: uuid("room_id").references(() => rooms.id, { onDelete: "cascade" }),
    senderId: uuid("sender_id").references(() => roomParticipants.id, { onDelete: "cascade" }),
    senderUserId: uuid("sender_user_id").references(() => roomUsers.id, { onDelete: "cascade" }),
    senderRole: participantRole("sender_role").notNull(),
    senderName: text("sender_name").notNull(),
    body: text("body").notNull().default(""),
    fileId: uuid("file_id").references(() => chatFiles.id),
    /** The sender's own id for the message, so a send retried after a lost answer is stored once. */
    clientId: uuid("client_id"),
    sentAt: timestamptz("sent_at").notNull(),
  },
  (t) => [
    index("chat_messages_room_idx").on(t.roomId, t.id),
    index("chat_messages_session_idx").on(t.chatSessionId, t.id),
    uniqueIndex("chat_messages_client_idx").on(t.senderId, t.clientId).where(sql`client_id is not null and sender_id is not null`),
    uniqueIndex("chat_messages_user_client_idx").on(t.chatSessionId, t.senderUserId, t.clientId).where(sql`client_id is not null and sender_user_id is not null`),
    check("chat_messages_body_length", sql`char_length(${t.body}) <= 1000 and (char_length(${t.body}) >= 1 or ${t.fileId} is not null)`),
    check("chat_messages_sender", sql`${t.senderId} is not null or ${t.senderUserId} is not null`),
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
