import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { isUuid } from "@/lib/validation/uuid";
import type { ChatFile, ChatFileType } from "./schema";

/**
 * A file's download URL is a short-lived capability: whoever may see the message gets one,
 * minted as they read it; nothing is stored. `expires` (epoch ms) and the file id are signed
 * with a key derived from the app secret (HMAC-SHA-256), so neither can be changed.
 */
export const CHAT_FILE_URL_TTL_MS = 10 * 60_000;
/** A URL from a clock this far ahead still verifies; further is not one we minted. */
const CLOCK_SKEW_MS = 60_000;

const keys = new Map<string, Buffer>();
function keyFor(appSecret: string): Buffer {
  let key = keys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "telemed-portal", "chat-file-url", 32));
    keys.set(appSecret, key);
  }
  return key;
}

function sign(appSecret: string, fileId: string, expires: number): string {
  return createHmac("sha256", keyFor(appSecret)).update(`${fileId.toLowerCase()}.${expires}`).digest("base64url");
}

/** `/api/chat-files/{fileId}?expires=<ms>&signature=<hmac>`, valid for 10 minutes from `now`. */
export function chatFileUrl(appSecret: string, fileId: string, now: Date): string {
  const expires = now.getTime() + CHAT_FILE_URL_TTL_MS;
  return `/api/chat-files/${fileId}?expires=${expires}&signature=${sign(appSecret, fileId, expires)}`;
}

/** Whether a download URL's `expires` and `signature` are ours for this file and still good. */
export function verifyChatFileUrl(appSecret: string, fileId: string, expires: string | null, signature: string | null, now: Date): boolean {
  if (!isUuid(fileId) || !expires || !signature || !/^\d{1,15}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
  const at = Number(expires);
  if (at <= now.getTime() || at > now.getTime() + CHAT_FILE_URL_TTL_MS + CLOCK_SKEW_MS) return false;
  return safeEqual(sign(appSecret, fileId, at), signature);
}

/** The columns of a chat_files row a view needs. */
export type ChatFileRow = { id: string; fileName: string; contentType: string; byteSize: number; deletedAt?: Date | string | null };

/** A file as a message shows it, with the URL minted for the reader (null: deleted, or no link here). */
export function fileView(row: ChatFileRow, url: string | null): ChatFile {
  return { id: row.id, name: row.fileName, contentType: row.contentType as ChatFileType, size: Number(row.byteSize), url };
}

/** The view for one reader now: a fresh URL, none once the file was deleted. */
export function chatFileViewFor(row: ChatFileRow, appSecret: string, now: Date): ChatFile {
  return fileView(row, row.deletedAt ? null : chatFileUrl(appSecret, row.id, now));
}
