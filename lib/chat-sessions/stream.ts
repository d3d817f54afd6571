import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { chatFileUrl } from "@/lib/chat-files/url";
import { appSecret } from "@/lib/config";
import { listenHub, type ListenHub } from "@/lib/realtime/hub";
import { frame } from "@/lib/realtime/stream";
import type { ChatActor, ChatSessionState } from "./access";
import { CHAT_SESSION_PAGE_LIMIT } from "./message-schema";
import { readableChatSession, sessionMessagesAfter, type MintFileUrl } from "./messages";
import { CHAT_SESSION_CHANNEL } from "./notify";

/** What a stream says of the session: its state, its call and when each step happened (epoch ms, or null). */
export type ChatSessionSnapshot = {
  id: string;
  state: ChatSessionState;
  room: string | null;
  createdAt: number;
  startedAt: number | null;
  acceptedAt: number | null;
  rejectedAt: number | null;
  finishedAt: number | null;
  rejectReason: string | null;
  finishReason: string | null;
};

export type ChatSessionStreamOptions = {
  actor: ChatActor;
  chatSessionId: string;
  /** Resume after this message id (Last-Event-ID, or the newest id the page already shows). */
  after: number;
  signal?: AbortSignal;
  /** Download URLs for the messages' files; by default minted with the app secret when each message is sent down the stream. */
  mintFileUrl?: MintFileUrl;
  heartbeatMs?: number;
  /** The stream ends after this long (the client reconnects with Last-Event-ID): a revoked credential or an expired token stops reading within it. */
  maxMs?: number;
};

/** A comment this often keeps proxies from closing an idle stream. */
export const CHAT_STREAM_HEARTBEAT_MS = 15_000;
/** How long one stream lasts before the client must reconnect (and be authenticated again). */
export const CHAT_STREAM_MAX_MS = 10 * 60_000;

const encoder = new TextEncoder();

/** Each chat session's streams: notifyChatSession's payload is the session id. */
export function chatSessionHub(db: Database): ListenHub {
  return listenHub(db, CHAT_SESSION_CHANNEL, (chatSessionId) => [chatSessionId]);
}

type SnapshotRow = {
  id: string;
  state: ChatSessionState;
  room_id: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  accepted_at: Date | string | null;
  rejected_at: Date | string | null;
  finished_at: Date | string | null;
  reject_reason: string | null;
  finish_reason: string | null;
};

const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

async function sessionSnapshot(db: Db, organizationId: string, id: string): Promise<ChatSessionSnapshot | undefined> {
  const [row] = await db.execute<SnapshotRow>(sql`
    select id, state, room_id, created_at, started_at, accepted_at, rejected_at, finished_at, reject_reason, finish_reason
    from chat_sessions where id = ${id} and organization_id = ${organizationId}`);
  if (!row) return undefined;
  return {
    id: row.id,
    state: row.state,
    room: row.room_id,
    createdAt: ms(row.created_at)!,
    startedAt: ms(row.started_at),
    acceptedAt: ms(row.accepted_at),
    rejectedAt: ms(row.rejected_at),
    finishedAt: ms(row.finished_at),
    rejectReason: row.reject_reason,
    finishReason: row.finish_reason,
  };
}

/**
 * A chat session's news as Server-Sent Events, for a participant's page (through
 * `GET /api/chat-sessions/{id}/events`) or the clinic's dashboard (a staff actor): a `hello`
 * with the session as it is, then every message after the cursor (`event: message`, `id:` the
 * message id, so a reconnect with Last-Event-ID resumes with nothing lost or repeated), and a
 * `session` event whenever its state or call changes. Woken by notifyChatSession's NOTIFY
 * (any app instance), with a comment every heartbeat.
 *
 * Access is checked before the stream exists: an AppError (404, 401) is thrown for the caller
 * to answer with, never written into a stream.
 */
export async function chatSessionEventStream(db: Database, options: ChatSessionStreamOptions): Promise<ReadableStream<Uint8Array>> {
  const session = await readableChatSession(db, options.actor, options.chatSessionId);
  const { organizationId, id } = session;
  const first = await sessionSnapshot(db, organizationId, id);
  if (!first) throw new Error("the chat session vanished while the stream opened");
  const mintFileUrl: MintFileUrl = options.mintFileUrl ?? ((fileId) => chatFileUrl(appSecret(), fileId, new Date()));

  let cursor = options.after;
  let lastSession = JSON.stringify(first);
  let closed = false;
  let pumping = false;
  let pending = false;
  let unsubscribe: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (heartbeat) clearInterval(heartbeat);
    if (deadline) clearTimeout(deadline);
    try {
      controller.close();
    } catch {
      // already closed by the client going away
    }
  };

  const write = (chunk: Uint8Array) => {
    if (closed) return;
    try {
      controller.enqueue(chunk);
    } catch {
      close();
    }
  };

  // One reader at a time; a wake-up meanwhile makes it read once more, so nothing waits for the next NOTIFY.
  const pump = async () => {
    if (pumping) {
      pending = true;
      return;
    }
    pumping = true;
    try {
      let full: boolean;
      do {
        pending = false;
        const snapshot = await sessionSnapshot(db, organizationId, id);
        if (!snapshot) {
          close();
          return;
        }
        const json = JSON.stringify(snapshot);
        if (json !== lastSession) {
          write(frame("session", snapshot));
          lastSession = json;
        }
        const batch = await sessionMessagesAfter(db, organizationId, id, cursor, CHAT_SESSION_PAGE_LIMIT, mintFileUrl);
        for (const message of batch) {
          write(frame("message", message, message.id));
          cursor = message.id;
        }
        full = batch.length === CHAT_SESSION_PAGE_LIMIT;
      } while (!closed && (pending || full));
    } catch {
      close(); // the client reconnects and resumes from the last id it got
    } finally {
      pumping = false;
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (options.signal?.aborted) return close();
      options.signal?.addEventListener("abort", close);
      write(encoder.encode("retry: 1500\n\n"));
      write(frame("hello", first));
      try {
        const subscribed = await chatSessionHub(db).subscribe(id, () => void pump());
        if (closed) return subscribed();
        unsubscribe = subscribed;
      } catch {
        return close();
      }
      heartbeat = setInterval(() => write(encoder.encode(": ping\n\n")), options.heartbeatMs ?? CHAT_STREAM_HEARTBEAT_MS);
      deadline = setTimeout(close, options.maxMs ?? CHAT_STREAM_MAX_MS);
      void pump();
    },
    cancel() {
      close();
    },
  });
}
