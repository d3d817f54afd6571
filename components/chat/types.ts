/**
 * What the chat page works with, as the chat-sessions API answers it (ChatSession,
 * ChatSessionMessage), and the one interface it talks through: the patient's page calls the API
 * with their user token, the dashboard calls its own staff routes and actions.
 */

export type ChatSessionState = "created" | "started" | "accepted" | "rejected" | "finished";

export type ChatSessionView = {
  id: string;
  createdAt: number;
  createdBy: string | null;
  type: string;
  title: string | null;
  state: ChatSessionState;
  room: string | null;
  startedAt: number | null;
  startedBy: string | null;
  acceptedAt: number | null;
  acceptedBy: string | null;
  rejectedAt: number | null;
  rejectedBy: string | null;
  rejectReason: string | null;
  finishedAt: number | null;
  finishedBy: string | null;
  finishReason?: string | null;
  participants: string[];
  unread?: number;
};

/** `url`: a short-lived signed download link (minted with every read); null once the file was deleted. */
export type ChatFileView = { id: string; name: string; contentType: string; size: number; url: string | null };

export type ChatMessageView = {
  id: number;
  chatSessionId: string;
  clientId: string | null;
  /** The sender's userExternalId; null for a call participant without a directory user. */
  sender: string | null;
  senderName: string;
  role: string;
  text: string;
  file: ChatFileView | null;
  sentAt: number;
};

/** A change the page asks for (`PATCH /api/chat-sessions/{id}`). */
export type ChatSessionChange = { start: true } | { accept: true } | { reject: true | string } | { finish: true | string } | { room: "new" } | { seen: true };

/** A refusal the server answered with (status and code set), or a network failure (no status: try again). */
export class ChatRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ChatRequestError";
  }
  get network(): boolean {
    return this.status === undefined;
  }
}

export type ChatTransport = {
  session(): Promise<ChatSessionView>;
  /** Messages stored after `after` (a message id; 0 for the whole transcript), in order. */
  messages(after: number): Promise<ChatMessageView[]>;
  send(message: { text?: string; fileId?: string; clientId: string }): Promise<ChatMessageView>;
  upload(file: File): Promise<ChatFileView>;
  change(change: ChatSessionChange): Promise<ChatSessionView>;
  /** The live stream's answer (Server-Sent Events: `hello`, `message` with its id, `session`), resuming after `lastEventId`. */
  events(lastEventId: string | null, signal: AbortSignal): Promise<Response>;
  /** Where this person joins the session's video call: their personal room link, minted now. */
  callLink(roomId: string): Promise<string>;
};

/** Who is looking: a participant (who may act, by privilege) or the clinic's staff reading along. */
export type ChatViewer = { externalId: string; fullName: string; privilege: "plus" | "basic" } | { externalId: null; fullName: string; privilege: null };

/** Names for the participants' ids, as the page's server knew them. */
export type ChatPeople = Record<string, string>;

/** What the server takes (it checks the bytes again): images and PDFs up to 10 MB, text up to 1,000 characters. */
export { CHAT_FILE_TYPES } from "@/lib/chat-files/schema";
export { CHAT_FILE_MAX_BYTES, CHAT_MESSAGE_MAX_LENGTH } from "@/lib/limits";
