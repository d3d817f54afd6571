/**
 * What a browser needs to show a chat file (no secrets here: this runs in the call's page and the
 * dashboard alike): its size in words, and whether its signed download URL is still good.
 */
import { CHAT_FILE_MAX_BYTES, CHAT_FILES_PER_HOUR } from "@/lib/limits";
import { CHAT_FILE_TYPES, type ChatFileType } from "./schema";

/** What the file picker offers: the types a chat takes (the server still judges by content). */
export const CHAT_FILE_ACCEPT = CHAT_FILE_TYPES.join(",");

/** A URL this close to its expiry is renewed before it is used: a download takes a moment to start. */
export const CHAT_FILE_LINK_MARGIN_MS = 30_000;

/** "820 bytes", "12 KB", "1.4 MB": the units the 10 MB limit is stated in (1 MB = 1024 KB). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, "") : Math.round(mb)} MB`;
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

/** The word for a file's kind, as a person says it. */
export function fileKindWord(contentType: string): string {
  return contentType === "application/pdf" ? "PDF" : contentType.startsWith("image/") ? "Image" : "File";
}

export const isChatImage = (contentType: string): contentType is Exclude<ChatFileType, "application/pdf"> => contentType.startsWith("image/");

/**
 * Why a file picked in the browser will not be taken, before it is sent: too large, or a type the
 * chat does not take (as the browser names it; an empty type is left to the server, which reads
 * the bytes). Null when it may go.
 */
export function precheckChatFile(file: { size: number; type: string }): "file_too_large" | "file_type_not_allowed" | "empty" | null {
  if (file.size === 0) return "empty";
  if (file.size > CHAT_FILE_MAX_BYTES) return "file_too_large";
  if (file.type && !(CHAT_FILE_TYPES as readonly string[]).includes(file.type)) return "file_type_not_allowed";
  return null;
}

/**
 * Why a file was refused, in words a patient understands, from the error's code (the server's
 * own message where it already says it best: the call being over, not being in it).
 */
export function chatFileRefusal(error: { code?: string; message?: string }, fileName: string): string {
  switch (error.code) {
    case "file_too_large":
      return `“${fileName}” is larger than 10 MB, so it cannot be sent. Send a smaller file.`;
    case "file_type_not_allowed":
      return `“${fileName}” is not a photo or a PDF, so it cannot be sent. Only JPEG, PNG and WebP images and PDF documents can be shared.`;
    case "empty":
      return `“${fileName}” is empty, so there is nothing to send.`;
    case "chat_files_rate_limited":
      return `You have sent ${CHAT_FILES_PER_HOUR} files in the last hour, the most allowed. Wait a while before sending more.`;
    case "network_unavailable":
      return `“${fileName}” was not sent: you seem to be offline. Check your connection and try again.`;
    default:
      return error.message || `“${fileName}” could not be sent. Try again.`;
  }
}
