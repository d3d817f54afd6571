import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * A chat file's URL: a short-lived signed capability, minted for whoever may see the message
 * that carries the file. Nothing is stored: the URL names the file and when it stops working,
 * signed with a key derived from the app secret, so a forged or stretched one does not verify.
 *
 * `/api/chat-files/{fileId}?expires=<epoch ms>&signature=<base64url HMAC-SHA-256 of "fileId.expires">`
 */
export const CHAT_FILE_URL_TTL_MS = 10 * 60_000;

const keys = new Map<string, Buffer>();
function keyFor(appSecret: string): Buffer {
  let key = keys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "telemed-portal", "chat-file-url", 32));
    keys.set(appSecret, key);
  }
  return key;
}

function signatureOf(appSecret: string, fileId: string, expires: number): string {
  return createHmac("sha256", keyFor(appSecret)).update(`${fileId}.${expires}`).digest("base64url");
}

export function chatFileUrl(appSecret: string, fileId: string, now: Date): string {
  const expires = now.getTime() + CHAT_FILE_URL_TTL_MS;
  return `/api/chat-files/${fileId}?expires=${expires}&signature=${signatureOf(appSecret, fileId, expires)}`;
}

/** Whether `signature` is ours for this file and `expires`, and `expires` is still ahead of `now`. */
export function verifyChatFileUrl(appSecret: string, fileId: string, expires: string | number, signature: string, now: Date): boolean {
  const at = typeof expires === "number" ? expires : /^\d{1,15}$/.test(expires) ? Number(expires) : NaN;
  if (!Number.isSafeInteger(at) || at <= now.getTime()) return false;
  return safeEqual(signatureOf(appSecret, fileId, at), signature);
}
