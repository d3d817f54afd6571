/**
 * What a browser needs to show a chat file (no secrets here: this runs in the call's page and the
 * dashboard alike): its size and kind (the page says them in words), and whether its signed download
 * URL is still good.
 */
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { CHAT_FILE_TYPES, type ChatFileType } from "./schema";

/** What the file picker offers: the types a chat takes (the server still judges by content). */
export const CHAT_FILE_ACCEPT = CHAT_FILE_TYPES.join(",");

/** A URL this close to its expiry is renewed before it is used: a download takes a moment to start. */
export const CHAT_FILE_LINK_MARGIN_MS = 30_000;

/** A size in the units the 10 MB limit is stated in (1 MB = 1024 KB): 820 bytes, 12 KB, 1.4 MB (a page says it in the reader's language). */
export type FileSize = { unit: "bytes" | "kb" | "mb"; value: number };

export function fileSizeOf(bytes: number): FileSize {
  if (bytes < 1024) return { unit: "bytes", value: bytes };
  if (bytes < 1024 * 1024) return { unit: "kb", value: Math.round(bytes / 1024) };
  const mb = bytes / (1024 * 1024);
  return { unit: "mb", value: mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb) };
}

/** When a download URL (`…?expires=<ms>&signature=…`) stops working, in epoch ms; null when it names none. */
export function chatFileLinkExpiresAt(url: string): number | null {
  const query = url.indexOf("?");
  if (query < 0) return null;
  const expires = new URLSearchParams(url.slice(query + 1)).get("expires");
  return expires && /^\d{1,15}$/.test(expires) ? Number(expires) : null;
}

/** Whether a download URL still works at `now` with room to spare (a URL with no expiry is taken as it is). */
export function chatFileLinkFresh(url: string, now: number, marginMs = CHAT_FILE_LINK_MARGIN_MS): boolean {
  const expires = chatFileLinkExpiresAt(url);
  return expires === null || expires - marginMs > now;
}

/** A file's kind, as a person says it (a page puts it in words). */
export type FileKind = "pdf" | "image" | "file";

export function fileKindOf(contentType: string): FileKind {
  return contentType === "application/pdf" ? "pdf" : contentType.startsWith("image/") ? "image" : "file";
}

export const isChatImage = (contentType: string): contentType is Exclude<ChatFileType, "application/pdf"> => contentType.startsWith("image/");

/**
 * Why a file picked in the browser will not be taken, before it is sent: too large, or a type the
 * chat does not take (as the browser names it; an empty type is left to the server, which reads
 * the bytes). Null when it may go. A code, as the server's refusals are: the page says it in words.
 */
export function precheckChatFile(file: { size: number; type: string }): "file_too_large" | "file_type_not_allowed" | "empty" | null {
  if (file.size === 0) return "empty";
  if (file.size > CHAT_FILE_MAX_BYTES) return "file_too_large";
  if (file.type && !(CHAT_FILE_TYPES as readonly string[]).includes(file.type)) return "file_type_not_allowed";
  return null;
}
