import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
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
};

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: Number(row.id),
    clientId: row.client_id,
    senderId: row.sender_id,
    role: row.sender_role,
    displayName: row.sender_name,
    text: row.body,
    sentAt: new Date(row.sent_at).toISOString(),
  };
}

/**
 * Stores a message from a participant who is in the call and relays it to the room, in one
 * transaction, so what the others see is what the transcript holds. A send repeated with the
 * same `clientId` (its answer was lost) returns the stored message and relays nothing again.
 */
export async function sendChatMessage(db: Database, session: ParticipantSession, input: SendChatMessage, now: Date): Promise<{ message: ChatMessage; created: boolean }> {
  return db.transaction(async (tx) => {
    // One writer per room at a time: message ids are then committed in order, so reading
    // `after` the newest id a browser has never skips one that was still being written.
    await lockRoom(tx, session.roomId);
    const [state] = await tx.execute<{ status: string; in_call: boolean; display_name: string; role: ChatMessage["role"]; recent: number }>(sql`
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

    if (input.clientId) {
      const [existing] = await tx.execute<MessageRow>(sql`
        select id, client_id, sender_id, sender_role, sender_name, body, sent_at from chat_messages
        where sender_id = ${session.participantId} and client_id = ${input.clientId}`);
      if (existing) return { message: toMessage(existing), created: false };
    }
    if (state.status === "Completed" || state.status === "Expired") {
      throw new AppError("chat_closed", `The ${session.consultationId ? "consultation" : "call"} is over, so its chat is closed. The messages stay with the clinic.`);
    }
    if (!state.in_call) throw new AppError("not_in_call", "Join the call before sending messages.");
    if (state.recent >= CHAT_MESSAGES_PER_MINUTE) {
      throw new AppError("chat_rate_limited", `At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute. Wait a moment and send again.`, [], { "Retry-After": "60" });
    }

    const chatSessionId = await chatSessionOf(tx, session);
    const [row] = await tx.execute<MessageRow>(sql`
      insert into chat_messages (organization_id, chat_session_id, room_id, sender_id, sender_role, sender_name, body, client_id, sent_at)
      values (${session.organizationId}, ${chatSessionId}, ${session.roomId}, ${session.participantId}, ${state.role}, ${state.display_name}, ${input.text}, ${input.clientId ?? null}, ${now.toISOString()})
      returning id, client_id, sender_id, sender_role, sender_name, body, sent_at`);
    const message = toMessage(row!);
    // The chat session's own streams (a chat consultation's page) show the call's messages too.
    await notifyChatSession(tx, chatSessionId);
    await publishRoomEvent(tx, {
      organizationId: session.organizationId,
      roomId: session.roomId,
      kind: "chat",
      senderId: session.participantId,
      payload: message,
    });
    return { message, created: true };
  });
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
 * reloaded chat shows, and the consultation's transcript for the clinic.
 */
export async function listChatMessages(
  db: Db,
  scope: { organizationId: string; roomId: string },
  options: { after?: number; limit?: number } = {},
): Promise<ChatMessage[]> {
  const limit = Math.min(Math.max(options.limit ?? CHAT_PAGE_LIMIT, 1), CHAT_PAGE_LIMIT);
  const rows = await db.execute<MessageRow>(sql`
    select id, client_id, sender_id, sender_role, sender_name, body, sent_at from chat_messages
    where organization_id = ${scope.organizationId} and room_id = ${scope.roomId} and id > ${options.after ?? 0}
    order by id limit ${limit}`);
  return rows.map(toMessage);
}

/** The transcript of a consultation, for the clinic's dashboard. */
export async function consultationTranscript(db: Db, organizationId: string, consultationId: string): Promise<ChatMessage[]> {
  const [room] = await db.execute<{ id: string }>(sql`
    select id from rooms where organization_id = ${organizationId} and consultation_id = ${consultationId}`);
  return room ? listChatMessages(db, { organizationId, roomId: room.id }) : [];
}
