import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { AppError } from "@/lib/errors";
import { randomStorageKey, storageErrorCode, type FileStorage } from "@/lib/storage";
import type { AcceptedFile } from "./accept";
import type { ChatFileRow } from "./url";

/** Whose file it is: a chat session's participant (a room user), or a call's participant. */
export type ChatFileOwner = { organizationId: string; chatSessionId: string; uploadedByUserId: string } | { organizationId: string; roomId: string; uploadedByParticipantId: string };

export type StoredChatFile = ChatFileRow & { storageKey: string; createdAt: Date };

/**
 * Keeps an accepted file: its bytes go to the storage under a new random key, then its row is
 * written in a transaction that `check` opens first (the session or call may have closed while
 * the bytes were on their way). If the row is not written the bytes are removed again, so a
 * refused upload leaves nothing behind. (A crash between the two leaves only unreachable bytes
 * under a random key, never a row without its file.)
 */
export async function keepChatFile(db: Database, storage: FileStorage, accepted: AcceptedFile, owner: ChatFileOwner, now: Date, check: (tx: Transaction) => Promise<void>): Promise<StoredChatFile> {
  const storageKey = randomStorageKey("chat-files");
  try {
    await storage.put(storageKey, accepted.bytes, accepted.contentType);
  } catch (error) {
    console.error(`[chat-files] storing a file failed: ${storageErrorCode(error)}`);
    throw new AppError("storage_unavailable", "The file could not be stored just now. Please try again in a moment.");
  }
  try {
    return await db.transaction(async (tx) => {
      await check(tx);
      return insertChatFile(tx, owner, accepted, storageKey, now);
    });
  } catch (error) {
    await storage.delete(storageKey).catch((cleanup: unknown) => console.error(`[chat-files] removing an unrecorded file failed: ${storageErrorCode(cleanup)}`));
    throw error;
  }
}

async function insertChatFile(tx: Transaction, owner: ChatFileOwner, accepted: AcceptedFile, storageKey: string, now: Date): Promise<StoredChatFile> {
  const session = "chatSessionId" in owner ? owner : undefined;
  const call = "roomId" in owner ? owner : undefined;
  const [row] = await tx.execute<{ id: string; created_at: Date | string }>(sql`
    insert into chat_files (organization_id, chat_session_id, room_id, uploaded_by_user_id, uploaded_by_participant_id, storage_key, content_type, byte_size, file_name, created_at)
    values (${owner.organizationId}, ${session?.chatSessionId ?? null}, ${call?.roomId ?? null}, ${session?.uploadedByUserId ?? null}, ${call?.uploadedByParticipantId ?? null},
      ${storageKey}, ${accepted.contentType}, ${accepted.bytes.byteLength}, ${accepted.fileName}, ${now.toISOString()})
    returning id, created_at`);
  return {
    id: row!.id,
    fileName: accepted.fileName,
    contentType: accepted.contentType,
    byteSize: accepted.bytes.byteLength,
    deletedAt: null,
    storageKey,
    createdAt: new Date(row!.created_at),
  };
}
