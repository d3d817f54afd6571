import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { chatFileUrl, chatFileViewFor, fileView } from "@/lib/chat-files/url";
import { notifyChatSession } from "@/lib/chat-sessions/notify";
import { AppError } from "@/lib/errors";
import { lockRoom, publishRoomEvent } from "@/lib/realtime/events";
import type { ParticipantSession } from "@/lib/rooms/session";
import type { ChatMessage, SendChatMessage } from "./schema";

import { CHAT_MESSAGES_PER_MINUTE } from "@/lib/limits";

export { CHAT_MESSAGES_PER_MINUTE };
/** Most messages one read returns; a transcript longer than this is read in pages with `after`. */
export const CHAT_PAGE_LIMIT = 500;

type MessageRow = {
  id: string | number;
  client_id: string | null;
  sender_id: string;
  sender_role: ChatMessage["role"];
  sender_name: string;
  body: string;
  sent_at: Date | string;
  file_id: string | null;
  file_name: string | null;
  file_content_type: string | null;
  file_byte_size: number | null;
  file_deleted_at: Date | string | null;
};

/** A message's columns with its file's, from `chat_messages m left join chat_files f`. */
const MESSAGE_COLUMNS = sql`m.id, m.client_id, m.sender_id, m.sender_role, m.sender_name, m.body, m.sent_at,
  m.file_id, f.file_name, f.content_type as file_content_type, f.byte_size as file_byte_size, f.deleted_at as file_deleted_at`;

/** What a reader's file URLs are minted with; without it a message's file has no URL (`url: null`). */
export type ChatFileLinks = { appSecret: string; now: Date };

function toMessage(row: MessageRow, links: ChatFileLinks | undefined): ChatMessage {
  const file = row.file_id
    ? { id: row.file_id, fileName: row.file_name!, contentType: row.file_content_type!, byteSize: Number(row.file_byte_size), deletedAt: row.file_deleted_at }
    : null;
  return {
    id: Number(row.id),
    clientId: row.client_id,
    senderId: row.sender_id,
    role: row.sender_role,
    displayName: row.sender_name,
    text: row.body,
    file: file && (links ? chatFileViewFor(file, links.appSecret, links.now) : fileView(file, null)),
    sentAt: new Date(row.sent_at).toISOString(),
  };
}

async function messageById(tx: Db, id: number | string, links: ChatFileLinks | undefined): Promise<ChatMessage> {
  const [row] = await tx.execute<MessageRow>(sql`
    select ${MESSAGE_COLUMNS} from chat_messages m left join chat_files f on f.id = m.file_id where m.id = ${id}`);
  return toMessage(row!, links);
}

/** Where a participant's call stands for its chat: over or not, whether they are in it, who they are, how much they just sent. */
export type CallChatState = { status: string; in_call: boolean; display_name: string; role: ChatMessage["role"]; recent: number };

export async function callChatState(tx: Db, session: ParticipantSession, now: Date): Promise<CallChatState> {
  const [state] = await tx.execute<CallChatState>(sql`
    -- A consultation's call state, or a standalone room's (a deleted room's chat is closed).
    select case when r.trashed_at is not null then 'Completed' else coalesce(c.status, r.status)::text end as status,
      exists (select 1 from room_attendances a where a.participant_id = p.id and a.left_at is null) as in_call,
      p.display_name, p.role,
      (select count(*)::int from chat_messages m where m.sender_id = p.id and m.sent_at > ${new Date(now.getTime() - 60_000).toISOString()}) as recent
    from room_participants p
    join rooms r on r.id = p.room_id
    left join consultations c on c.id = r.consultation_id
    where p.id = ${session.participantId} and p.room_id = ${session.roomId} and p.organization_id = ${session.organizationId}`);
  if (!state) throw AppError.notFound("The room");
  return state;
}

/** The call's chat takes messages and files only while the call is on, from someone in it. */
export function requireOpenCallChat(state: CallChatState, session: ParticipantSession, what = "messages"): void {
  if (state.status === "Completed" || state.status === "Expired") {
    throw new AppError("chat_closed", `The ${session.consultationId ? "consultation" : "call"} is over, so its chat is closed. The messages stay with the clinic.`);
  }
  if (!state.in_call) throw new AppError("not_in_call", `Join the call before sending ${what}.`);
}

/**
 * Stores a message from a participant who is in the call and relays it to the room, in one
 * transaction, so what the others see is what the transcript holds. A send repeated with the
 * same `clientId` (its answer was lost) returns the stored message and relays nothing again.
 * A `fileId` must be a file this participant uploaded to this call and has not sent yet; the
 * relayed event carries the file without a URL (each reader's stream mints its own).
 */
export async function sendChatMessage(
  db: Database,
  session: ParticipantSession,
  input: SendChatMessage,
  now: Date,
  appSecret?: string,
): Promise<{ message: ChatMessage; created: boolean }> {
  const links = appSecret ? { appSecret, now } : undefined;
  return db.transaction(async (tx) => {
    // One writer per room at a time: message ids are then committed in order, so reading
    // `after` the newest id a browser has never skips one that was still being written.
    await lockRoom(tx, session.roomId);
    const state = await callChatState(tx, session, now);

    if (input.clientId) {
      const [existing] = await tx.execute<{ id: string }>(sql`
        select id from chat_messages where sender_id = ${session.participantId} and client_id = ${input.clientId}`);
      if (existing) return { message: await messageById(tx, existing.id, links), created: false };
    }
    requireOpenCallChat(state, session);
    if (state.recent >= CHAT_MESSAGES_PER_MINUTE) {
      throw new AppError("chat_rate_limited", `At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute. Wait a moment and send again.`, [], { "Retry-After": "60" });
    }
    if (input.fileId) await requireUnsentFile(tx, session, input.fileId);

    const chatSessionId = await chatSessionOf(tx, session);
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into chat_messages (organization_id, chat_session_id, room_id, sender_id, sender_role, sender_name, body, file_id, client_id, sent_at)
      values (${session.organizationId}, ${chatSessionId}, ${session.roomId}, ${session.participantId}, ${state.role}, ${state.display_name}, ${input.text ?? ""},
        ${input.fileId ?? null}, ${input.clientId ?? null}, ${now.toISOString()})
      returning id`);
    const stored = await messageById(tx, row!.id, undefined);
    // The chat session's own streams (a chat consultation's page) show the call's messages too.
    await notifyChatSession(tx, chatSessionId);
    await publishRoomEvent(tx, {
      organizationId: session.organizationId,
      roomId: session.roomId,
      kind: "chat",
      senderId: session.participantId,
      payload: stored,
    });
    return { message: links ? await messageById(tx, row!.id, links) : stored, created: true };
  });
}

/** A file goes out in one message, from the participant who uploaded it to this call. */
async function requireUnsentFile(tx: Db, session: ParticipantSession, fileId: string): Promise<void> {
  const [file] = await tx.execute<{ id: string }>(sql`
    select f.id from chat_files f
    where f.id = ${fileId} and f.organization_id = ${session.organizationId} and f.room_id = ${session.roomId}
      and f.uploaded_by_participant_id = ${session.participantId} and f.deleted_at is null
      and not exists (select 1 from chat_messages m where m.file_id = f.id)`);
  if (!file) {
    throw AppError.validation([
      { field: "fileId", code: "unknown_file", message: "must be a file you uploaded to this call's chat (POST …/chat/files) and have not sent yet" },
    ]);
  }
}

/**
 * A stored `chat` event as one reader's stream delivers it: a file gets a download URL minted
 * for that reader now (the event log itself keeps none), or none once the file was deleted (a
 * stream replayed after the room's uploads were deleted says so, as a reload would).
 */
export async function chatEventForReader(db: Db, organizationId: string, payload: Record<string, unknown>, appSecret: string, now: Date): Promise<Record<string, unknown>> {
  const file = payload.file as { id?: unknown } | null | undefined;
  if (!file || typeof file.id !== "string") return payload;
  const [kept] = await db.execute<{ id: string }>(sql`
    select id from chat_files where id = ${file.id} and organization_id = ${organizationId} and deleted_at is null`);
  return { ...payload, file: { ...file, url: kept ? chatFileUrl(appSecret, file.id, now) : null } };
}

/**
 * The chat session a call's message belongs to: the chat consultation linked to the room (the
 * chat that turned into this call keeps one transcript), else the room's own, made with its
 * first message. Its row is locked, as the session's own messages lock it: the session's
 * message ids then commit in order, whichever side writes.
 */
async function chatSessionOf(tx: Db, session: ParticipantSession): Promise<string> {
  const current = () =>
    tx.execute<{ id: string }>(sql`
      select id from chat_sessions where room_id = ${session.roomId} and organization_id = ${session.organizationId}
      order by (origin = 'api') desc, created_at desc limit 1
      for update`);
  const [found] = await current();
  if (found) return found.id;
  await tx.execute(sql`
    insert into chat_sessions (organization_id, room_id, origin) values (${session.organizationId}, ${session.roomId}, 'call')
    on conflict (room_id) where origin = 'call' do nothing`);
  const [made] = await current();
  return made!.id;
}

/**
 * A room's messages in the order they were stored, after `after` (a message id): what a
 * reloaded chat shows, and the consultation's transcript for the clinic. With `links`, each
 * file carries a download URL minted for this reader.
 */
export async function listChatMessages(
  db: Db,
  scope: { organizationId: string; roomId: string },
  options: { after?: number; limit?: number; links?: ChatFileLinks } = {},
): Promise<ChatMessage[]> {
  const limit = Math.min(Math.max(options.limit ?? CHAT_PAGE_LIMIT, 1), CHAT_PAGE_LIMIT);
  const rows = await db.execute<MessageRow>(sql`
    select ${MESSAGE_COLUMNS} from chat_messages m left join chat_files f on f.id = m.file_id
    where m.organization_id = ${scope.organizationId} and m.room_id = ${scope.roomId} and m.id > ${options.after ?? 0}
    order by m.id limit ${limit}`);
  return rows.map((row) => toMessage(row, options.links));
}

/** The transcript of a consultation, for the clinic's dashboard (with `links`, files the staff member can download). */
export async function consultationTranscript(db: Db, organizationId: string, consultationId: string, links?: ChatFileLinks): Promise<ChatMessage[]> {
  const [room] = await db.execute<{ id: string }>(sql`
    select id from rooms where organization_id = ${organizationId} and consultation_id = ${consultationId}`);
  return room ? listChatMessages(db, { organizationId, roomId: room.id }, { links }) : [];
}
