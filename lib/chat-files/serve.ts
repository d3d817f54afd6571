import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { storageErrorCode, type FileStorage, type StoredObject } from "@/lib/storage";
import { isUuid } from "@/lib/validation/uuid";

const notFound = () => AppError.notFound("The file");

/**
 * A file's bytes for a download URL that verified: a deleted file (or bytes the storage no
 * longer has) is the same 404 as one that never existed.
 */
export async function openChatFile(db: Db, storage: FileStorage, fileId: string): Promise<{ fileName: string; contentType: string; object: StoredObject }> {
  if (!isUuid(fileId)) throw notFound();
  const [row] = await db.execute<{ storage_key: string; file_name: string; content_type: string }>(sql`
    select storage_key, file_name, content_type from chat_files where id = ${fileId} and deleted_at is null`);
  if (!row) throw notFound();
  const object = await storage.get(row.storage_key).catch((error: unknown) => {
    console.error(`[chat-files] reading file ${fileId} failed: ${storageErrorCode(error)}`);
    throw new AppError("storage_unavailable", "The file cannot be read just now. Please try again in a moment.");
  });
  if (!object) {
    console.error(`[chat-files] file ${fileId} has a row but no bytes in the storage`);
    throw notFound();
  }
  return { fileName: row.file_name, contentType: row.content_type, object };
}

/** RFC 5987's attr-char: what may stand unescaped in `filename*`. */
const encodeAttr = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment` always (a browser downloads, never renders), with the name for old clients in
 * plain ASCII and for everyone else in UTF-8 (`filename*`).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize("NFKD")
      .replace(/[^\x20-\x7E]/g, "")
      .replace(/["\\%;]/g, "_")
      .trim() || "file";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeAttr(fileName)}`;
}

/** The download's headers: the stored type, as an attachment, never sniffed, never cached. */
export function downloadHeaders(file: { fileName: string; contentType: string; object: StoredObject }): Record<string, string> {
  return {
    "Content-Type": file.contentType,
    "Content-Length": String(file.object.size),
    "Content-Disposition": attachmentDisposition(file.fileName),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    // Opened directly all the same, it runs nothing; the signed URL leaks through no Referer.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Referrer-Policy": "no-referrer",
  };
}
