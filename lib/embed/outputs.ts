/**
 * What the video room tells the page it is embedded in: the seed's SDK outputs
 * (video-appointment-screen), posted with `window.parent.postMessage` to an allowed origin only.
 */
import type { ParticipantRole } from "@/lib/rooms/session";
export const EMBED_MESSAGE_SOURCE = "telemed-portal";
export const EMBED_MESSAGE_VERSION = 1;

export type EmbedState = "waiting" | "active" | "reconnecting" | "ended" | "timeout" | "waiting_permissions";

export type EmbedOutput =
  | { output: "session"; value: "started" }
  | { output: "audio"; value: "updated"; detail: { enabled: boolean } }
  | { output: "video"; value: "updated"; detail: { enabled: boolean } }
  | { output: "camera"; value: "updated" | "unsupported" }
  | { output: "chat"; value: "opened" }
  | { output: "state"; value: EmbedState }
  | { output: "error"; value: string };

export type EmbedMessage = EmbedOutput & {
  source: typeof EMBED_MESSAGE_SOURCE;
  version: typeof EMBED_MESSAGE_VERSION;
  /** Who is in the frame: a consultation's patient, provider or guest, or a room's `member` (consultationId null). */
  role: ParticipantRole;
  consultationId: string | null;
  sentAt: string;
};

/**
 * The embedding page's origin when it is one of `allowed`, else null (nothing is posted).
 * `ancestorOrigin` is what the browser says framed us (location.ancestorOrigins, or the
 * referrer's origin where that list does not exist).
 */
export function allowedParentOrigin(allowed: readonly string[], ancestorOrigin: string | null | undefined): string | null {
  if (!ancestorOrigin || ancestorOrigin === "null") return null;
  return allowed.includes(ancestorOrigin) ? ancestorOrigin : null;
}

/** The Content-Security-Policy `frame-ancestors` value for the join pages. */
export function frameAncestors(allowed: readonly string[]): string {
  return ["'self'", ...allowed].join(" ");
}
