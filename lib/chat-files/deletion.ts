import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/staff/audit";
import { storageErrorCode, type FileStorage } from "@/lib/storage";
import { isUuid } from "@/lib/validation/uuid";
import type { DeletedUploads } from "./schema";

/**
 * The teleconsultation room whose uploads are asked for: a room of the organization made
 * through the teleconsultation API, also once deleted (TRASH keeps its files until this is
 * asked; deleting the room first and its uploads after is a natural order). Anything else is
 * the contract's 404.
 */
export async function requireUploadsRoom(db: Db, organizationId: string, roomId: string): Promise<void> {
  const missing = () => new AppError("room_not_found", `Room with id ${roomId} not found on CRUD`);
  if (!isUuid(roomId)) throw missing();
  const [room] = await db.execute<{ id: string }>(sql`
    select id from rooms where id = ${roomId} and organization_id = ${organizationId} and consultation_id is null`);
  if (!room) throw missing();
}

export type UploadsDeletionActor = { apiKeyId: string; ip: string | null; userAgent: string | null };

/**
 * `DELETE /api/teleconsultation/{roomId}/uploads` with deleting switched on: every file of the
 * room still there — shared in its call's chat, or in a chat session linked to it — is removed
 * from the storage and its row marked deleted (the transcript keeps that a file was there).
 *
 * `total` is how many files were still there when the request came, `deleted` how many of
 * them this request removed. One that fails stays as it was and is counted, never hidden: the
 * same request later (a retry) finds exactly those left and finishes them. Each file is marked
 * as soon as its bytes are gone, so a request cut short loses no progress. The request is
 * audited with its counts and the ids that failed.
 */
export async function deleteRoomUploads(db: Db, storage: FileStorage, organizationId: string, roomId: string, actor: UploadsDeletionActor, now: Date): Promise<DeletedUploads> {
  await requireUploadsRoom(db, organizationId, roomId);
  const files = await db.execute<{ id: string; storage_key: string }>(sql`
    select f.id, f.storage_key from chat_files f
    where f.organization_id = ${organizationId} and f.deleted_at is null
      and (f.room_id = ${roomId}
        or f.chat_session_id in (select s.id from chat_sessions s where s.room_id = ${roomId} and s.organization_id = ${organizationId}))
    order by f.created_at, f.id`);
  const failed: string[] = [];
  let deleted = 0;
  for (const file of files) {
    try {
      await storage.delete(file.storage_key);
    } catch (error) {
      failed.push(file.id);
      console.error(`[chat-files] deleting file ${file.id} of room ${roomId} failed: ${storageErrorCode(error)}`);
      continue;
    }
    await db.execute(sql`update chat_files set deleted_at = ${now.toISOString()} where id = ${file.id} and deleted_at is null`);
    deleted++;
  }
  const [key] = await db.execute<{ key_id: string }>(sql`select key_id from api_keys where id = ${actor.apiKeyId} and organization_id = ${organizationId}`);
  await recordAudit(db, {
    organizationId,
    action: "teleconsultation.uploads_deleted",
    actor: { label: key ? `API credential ${key.key_id}` : "API credential" },
    target: { type: "room", id: roomId },
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { total: files.length, deleted, failedFileIds: failed },
  });
  return { total: files.length, deleted };
}
