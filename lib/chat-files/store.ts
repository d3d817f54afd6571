import { sql } from "drizzle-orm";
import type { Database, Db, Transaction } from "@/db/client";
import { AppError } from "@/lib/errors";
import { CHAT_FILES_PER_HOUR } from "@/lib/limits";
import { keepThenRecord, type FileStorage } from "@/lib/storage";
import type { AcceptedFile } from "./accept";
import type { ChatFileRow } from "./url";

/** Whose file it is: a chat session's participant (a room user), or a call's participant. */
export type ChatFileOwner = { organizationId: string; chatSessionId: string; uploadedByUserId: string } | { organizationId: string; roomId: string; uploadedByParticipantId: string };

export type StoredChatFile = ChatFileRow & { storageKey: string; createdAt: Date };

/**
 * Keeps an accepted file (keepThenRecord): its bytes go to the storage under a new random key,
 * then its row is written in a transaction that `check` opens first (the session or call may
 * have closed while the bytes were on their way); a refused row takes its bytes with it.
 */
export async function keepChatFile(db: Database, storage: FileStorage, accepted: AcceptedFile, owner: ChatFileOwner, now: Date, check: (tx: Transaction) => Promise<void>): Promise<StoredChatFile> {
  return keepThenRecord(storage, { prefix: "chat-files", bytes: accepted.bytes, contentType: accepted.contentType, log: "chat-files" }, (storageKey) =>
    db.transaction(async (tx) => {
      await check(tx);
      return insertChatFile(tx, owner, accepted, storageKey, now);
    }),
  );
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

/**
 * An uploader may add at most CHAT_FILES_PER_HOUR files an hour to one session or call (checked
 * before the body is read): the storage is the clinic's, and a file costs up to 10 MB of it.
 */
export async function requireUploadAllowance(db: Db, owner: ChatFileOwner, now: Date): Promise<void> {
  const since = new Date(now.getTime() - 3600_000).toISOString();
  // By the session or room too (a participant belongs to one room): the indexed way to the uploader's files.
  const who =
    "uploadedByUserId" in owner
      ? sql`chat_session_id = ${owner.chatSessionId} and uploaded_by_user_id = ${owner.uploadedByUserId}`
      : sql`room_id = ${owner.roomId} and uploaded_by_participant_id = ${owner.uploadedByParticipantId}`;
  const [row] = await db.execute<{ n: number; oldest: Date | string | null }>(sql`
    select count(*)::int as n, min(created_at) as oldest from chat_files
    where organization_id = ${owner.organizationId} and ${who} and created_at > ${since}`);
  if ((row?.n ?? 0) < CHAT_FILES_PER_HOUR) return;
  const retryAfter = row?.oldest ? Math.max(1, Math.ceil((new Date(row.oldest).getTime() + 3600_000 - now.getTime()) / 1000)) : 3600;
  throw new AppError("chat_files_rate_limited", `At most ${CHAT_FILES_PER_HOUR} files an hour. Wait a while before sending more.`, [], { "Retry-After": String(retryAfter) });
}
