import { sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { chatFileUrl } from "@/lib/chat-files/url";
import { appSecret } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { recordEvent } from "@/lib/outbox";
import { CHAT_MESSAGES_PER_MINUTE } from "@/lib/limits";
import { actingParticipant, findChatSession, type ChatActor, type ChatSessionRef } from "./access";
import { CHAT_SESSION_PAGE_DEFAULT, CHAT_SESSION_PAGE_LIMIT, type ChatSessionMessage, type SendSessionMessage } from "./message-schema";
import { notifyChatSession } from "./notify";

/** Makes a file's short-lived download URL for the reader of a message (lib/chat-files/url.ts). */
export type MintFileUrl = (fileId: string) => string;

/** File URLs minted with the app secret at `now`. */
export function fileUrlMinter(now: Date): MintFileUrl {
  const secret = appSecret();
  return (fileId) => chatFileUrl(secret, fileId, now);
}

/** States in which a session takes messages; after a rejection or its end it is read-only. */
const OPEN_STATES = new Set<ChatSessionRef["state"]>(["created", "started", "accepted"]);

type MessageRow = {
  id: string | number;
  chat_session_id: string;
  client_id: string | null;
  sender: string | null;
  sender_role: ChatSessionMessage["role"];
  sender_name: string;
  body: string;
  sent_at: Date | string;
  file_id: string | null;
  file_name: string | null;
  content_type: string | null;
  byte_size: number | null;
  file_deleted_at: Date | string | null;
};

/**
 * A message with who sent it and its file. A call's participant (sender_id) is named by the
 * directory user behind them, if any: a consultation's patient or provider has none.
 */
function selectMessages(organizationId: string, where: SQL, limit = 1): SQL {
  return sql`
    select m.id, m.chat_session_id, m.client_id, coalesce(su.external_id, pu.external_id) as sender,
      m.sender_role, m.sender_name, m.body, m.sent_at,
      f.id as file_id, f.file_name, f.content_type, f.byte_size, f.deleted_at as file_deleted_at
    from chat_messages m
    left join room_users su on su.id = m.sender_user_id
    left join room_participants p on p.id = m.sender_id
    left join room_users pu on pu.id = p.room_user_id
    left join chat_files f on f.id = m.file_id
    where m.organization_id = ${organizationId} and ${where}
    order by m.id limit ${limit}`;
}

function toMessage(row: MessageRow, mintFileUrl: MintFileUrl): ChatSessionMessage {
  return {
    id: Number(row.id),
    chatSessionId: row.chat_session_id,
    clientId: row.client_id,
    sender: row.sender,
    senderName: row.sender_name,
    role: row.sender_role,
    text: row.body,
    file: row.file_id
      ? {
          id: row.file_id,
          name: row.file_name!,
          contentType: row.content_type!,
          size: row.byte_size!,
          url: row.file_deleted_at ? null : mintFileUrl(row.file_id),
        }
      : null,
    sentAt: new Date(row.sent_at).getTime(),
  };
}

/**
 * The chat session `id` for a reader: findChatSession's rule (the organization's sessions; a
 * user token only its user's), and an integrator reading for a user (`X-User-Id`) sees what
 * that user sees. Writing is refused later, by actingParticipant, with 403.
 */
export async function readableChatSession(db: Db, actor: ChatActor, id: string): Promise<ChatSessionRef> {
  const session = await findChatSession(db, actor, id);
  if (actor.kind === "integrator" && actor.user && !session.participants.some((p) => p.roomUserId === actor.user!.roomUserId)) {
    throw AppError.notFound("The chat session");
  }
  return session;
}

/**
 * The session's messages stored after the message id `after`, oldest first: those written in
 * the session and in the call linked to it (one transcript). For readers already checked.
 */
export async function sessionMessagesAfter(db: Db, organizationId: string, chatSessionId: string, after: number, limit: number, mintFileUrl: MintFileUrl): Promise<ChatSessionMessage[]> {
  const rows = await db.execute<MessageRow>(selectMessages(organizationId, sql`m.chat_session_id = ${chatSessionId} and m.id > ${after}`, limit));
  return rows.map((row) => toMessage(row, mintFileUrl));
}

/** `GET /api/chat-sessions/{id}/messages`: a page of the transcript, after a message id. */
export async function listSessionMessages(
  db: Db,
  actor: ChatActor,
  chatSessionId: string,
  query: { after?: number; limit?: number } = {},
  options: { now?: Date; mintFileUrl?: MintFileUrl } = {},
): Promise<ChatSessionMessage[]> {
  const session = await readableChatSession(db, actor, chatSessionId);
  const limit = Math.min(Math.max(query.limit ?? CHAT_SESSION_PAGE_DEFAULT, 1), CHAT_SESSION_PAGE_LIMIT);
  return sessionMessagesAfter(db, session.organizationId, session.id, query.after ?? 0, limit, options.mintFileUrl ?? fileUrlMinter(options.now ?? new Date()));
}

/**
 * `POST /api/chat-sessions/{id}/messages`: stores a participant's message and wakes the
 * session's streams, in one transaction. The session's row is locked first, so its messages are
 * committed in the order of their ids: a reader resuming after the newest id it has never skips
 * one still being written. A send repeated with the same `clientId` (its answer was lost)
 * returns the stored message (`created: false`), whatever the session's state since.
 */
export async function sendSessionMessage(
  db: Database,
  actor: ChatActor,
  chatSessionId: string,
  input: SendSessionMessage,
  now: Date,
  options: { mintFileUrl?: MintFileUrl } = {},
): Promise<{ message: ChatSessionMessage; created: boolean }> {
  const mintFileUrl = options.mintFileUrl ?? fileUrlMinter(now);
  return db.transaction(async (tx) => {
    const session = await findChatSession(tx, actor, chatSessionId, { lock: true });
    const sender = actingParticipant(session, actor);
    const stored = async (clientId: string) => {
      const [row] = await tx.execute<MessageRow>(
        selectMessages(session.organizationId, sql`m.chat_session_id = ${session.id} and m.sender_user_id = ${sender.roomUserId} and m.client_id = ${clientId}`),
      );
      return row && { message: toMessage(row, mintFileUrl), created: false };
    };
    if (input.clientId) {
      const again = await stored(input.clientId);
      if (again) return again;
    }
    if (!OPEN_STATES.has(session.state)) {
      throw new AppError("chat_session_closed", `This chat session is ${session.state}, so it takes no more messages. Its messages stay readable.`);
    }
    await checkRate(tx, session.id, sender.roomUserId, now);
    if (input.fileId) await checkFile(tx, session, sender.roomUserId, input.fileId);

    // The row and the message as readers see it, in one round trip. A same-clientId twin has
    // committed before us under the session's lock, so inserting nothing is for safety only.
    const [row] = await tx.execute<MessageRow>(sql`
      with inserted as (
        insert into chat_messages (organization_id, chat_session_id, room_id, sender_user_id, sender_role, sender_name, body, file_id, client_id, sent_at)
        values (${session.organizationId}, ${session.id}, ${session.roomId}, ${sender.roomUserId}, 'member', ${sender.fullName},
          ${input.text ?? ""}, ${input.fileId ?? null}, ${input.clientId ?? null}, ${now.toISOString()})
        on conflict (chat_session_id, sender_user_id, client_id) where client_id is not null and sender_user_id is not null do nothing
        returning *
      )
      select m.id, m.chat_session_id, m.client_id, ${sender.externalId}::text as sender, m.sender_role, m.sender_name, m.body, m.sent_at,
        f.id as file_id, f.file_name, f.content_type, f.byte_size, f.deleted_at as file_deleted_at
      from inserted m left join chat_files f on f.id = m.file_id`);
    if (!row) return (await stored(input.clientId!))!;
    const message = toMessage(row, mintFileUrl);
    await notifyChatSession(tx, session.id);
    await recordMessageEvent(tx, { organizationId: session.organizationId, chatSessionId: session.id, messageId: message.id, sender: sender.externalId, hasFile: Boolean(input.fileId), now });
    return { message, created: true };
  });
}

/** At most CHAT_MESSAGES_PER_MINUTE messages from one sender in a session over the last minute, as in the call's chat. */
async function checkRate(tx: Db, chatSessionId: string, roomUserId: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - 60_000);
  const [recent] = await tx.execute<{ count: number; oldest: Date | string | null }>(sql`
    select count(*)::int as count, min(sent_at) as oldest from chat_messages
    where chat_session_id = ${chatSessionId} and sender_user_id = ${roomUserId} and sent_at > ${since.toISOString()}`);
  if (recent && recent.count >= CHAT_MESSAGES_PER_MINUTE) {
    // When the oldest of them leaves the minute, one more may go.
    const wait = Math.max(1, Math.ceil((new Date(recent.oldest!).getTime() + 60_000 - now.getTime()) / 1000));
    throw new AppError("chat_rate_limited", `At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute. Wait ${wait} seconds and send again.`, [], { "Retry-After": String(wait) });
  }
}

/**
 * A message's file must be one the sender uploaded to this session, still there, and not sent
 * yet (one message per upload). Anything else is the same 400 at `fileId`: another session's or
 * another person's file is not told apart from one that does not exist.
 */
async function checkFile(tx: Db, session: ChatSessionRef, roomUserId: string, fileId: string): Promise<void> {
  const [file] = await tx.execute<{ deleted: boolean; sent_in: string | number | null }>(sql`
    select f.deleted_at is not null as deleted,
      (select m.id from chat_messages m where m.chat_session_id = ${session.id} and m.file_id = f.id limit 1) as sent_in
    from chat_files f
    where f.id = ${fileId} and f.organization_id = ${session.organizationId} and f.chat_session_id = ${session.id} and f.uploaded_by_user_id = ${roomUserId}`);
  const refuse = (code: string, message: string) => {
    throw AppError.validation([{ field: "fileId", code, message }], `fileId: ${message}`);
  };
  if (!file) refuse("unknown_file", "must be the id of a file you uploaded to this chat session");
  else if (file.deleted) refuse("file_deleted", "the file was deleted; upload it again");
  else if (file.sent_in !== null) refuse("file_already_sent", `the file is already in message ${Number(file.sent_in)}; upload it again to send it once more`);
}

/** The `chat_message.created` webhook event: ids and who, never the text or the file's name. */
async function recordMessageEvent(
  tx: Db,
  event: { organizationId: string; chatSessionId: string; messageId: number; sender: string; hasFile: boolean; now: Date },
): Promise<void> {
  await recordEvent(tx, {
    organizationId: event.organizationId,
    event: "chat_message.created",
    aggregateType: "chat_session",
    aggregateId: event.chatSessionId,
    payload: { messageId: event.messageId, sender: event.sender, hasFile: event.hasFile },
    occurredAt: event.now,
  });
}
