"use server";

import type { ChatActionResult } from "@/components/chat/staff-transport";
import type { ChatSessionChange } from "@/components/chat/types";
import { listSessionMessages, sendSessionMessage } from "@/lib/chat-sessions/messages";
import { sendSessionMessageSchema } from "@/lib/chat-sessions/message-schema";
import { parseChatInput, updateChatSessionSchema } from "@/lib/chat-sessions/schema";
import { getChatSession, patchChatSession } from "@/lib/chat-sessions/sessions";
import { appSecret, appUrl, env, roomSettings } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { roomForUser } from "@/lib/teleconsultation/rooms";
import type { ChatSession } from "@/lib/chat-sessions/schema";
import type { ChatSessionMessage } from "@/lib/chat-sessions/message-schema";
import { refusalOf, staffChat } from "./staff-chat";

/*
 * The dashboard's chat actions: each acts as the signed-in staff member's directory user, with
 * the same rules as the API (only participants write and direct; plus users accept and reject).
 * Refusals come back as values (an action's thrown error reaches the browser without its words).
 */

async function attempt<T>(work: () => Promise<T>): Promise<ChatActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return refusalOf(error);
  }
}

export async function readChatSession(chatSessionId: string): Promise<ChatActionResult<ChatSession>> {
  const { db, actor } = await staffChat();
  return attempt(() => getChatSession(db, actor, chatSessionId));
}

export async function readChatMessages(chatSessionId: string, after: number): Promise<ChatActionResult<ChatSessionMessage[]>> {
  const { db, actor } = await staffChat();
  return attempt(() => listSessionMessages(db, actor, chatSessionId, { after: Number.isSafeInteger(after) && after >= 0 ? after : 0, limit: 500 }));
}

export async function sendChatMessage(
  chatSessionId: string,
  message: { text?: string; fileId?: string; clientId: string },
): Promise<ChatActionResult<ChatSessionMessage>> {
  const { db, actor } = await staffChat();
  return attempt(async () => {
    const input = parseChatInput(sendSessionMessageSchema, message);
    return (await sendSessionMessage(db, actor, chatSessionId, input, new Date())).message;
  });
}

export async function changeChatSession(chatSessionId: string, change: ChatSessionChange): Promise<ChatActionResult<ChatSession>> {
  const { db, actor } = await staffChat();
  return attempt(() =>
    patchChatSession(db, actor, { now: new Date(), settings: roomSettings() }, chatSessionId, parseChatInput(updateChatSessionSchema, change)),
  );
}

/** The staff member's own link into the session's call (they take part in its room, as every participant of the session does). */
export async function openChatCall(chatSessionId: string): Promise<ChatActionResult<string>> {
  const { db, actor, staff } = await staffChat();
  return attempt(async () => {
    const session = await getChatSession(db, actor, chatSessionId);
    if (!session.room) throw new AppError("chat_session_state", "This chat has no video call yet: start one first.");
    const now = new Date();
    const room = await roomForUser(
      db,
      {
        organizationId: staff.organizationId,
        now,
        settings: roomSettings(),
        appUrl: appUrl(),
        appSecret: appSecret(),
        opensMinutesBefore: env().JOIN_OPENS_MINUTES_BEFORE,
      },
      session.room,
      actor.user,
      {},
    );
    if (!room.accessLinkURL) throw new AppError("chat_session_state", "The video call cannot be opened now: it may be over.");
    return room.accessLinkURL;
  });
}
