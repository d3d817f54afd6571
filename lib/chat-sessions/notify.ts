import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** The channel that says "this chat session has news" (a message, a directive): its payload is the session id. */
export const CHAT_SESSION_CHANNEL = "chat_sessions";

/** Wakes every open stream of the session, in every app process, when the caller's transaction commits. */
export async function notifyChatSession(tx: Db, chatSessionId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHAT_SESSION_CHANNEL}, ${chatSessionId})`);
}
