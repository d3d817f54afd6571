import type { Database } from "@/db/client";
import { roomEventsFor, type RoomEvent } from "./events";
import { roomHub } from "./hub";

export type RoomStreamOptions = {
  roomId: string;
  participantId: string;
  /** Resume after this event id (Last-Event-ID, or the cursor the join returned). */
  after: number;
  /** The first message: who is in the room now. Null means the participant is no longer in the call. */
  hello: () => Promise<Record<string, unknown> | null>;
  /** Called on every heartbeat; false when the participant is no longer in the call. */
  heartbeat: () => Promise<boolean>;
  heartbeatMs?: number;
  signal?: AbortSignal;
  /** An event's data as this reader gets it (a chat file's URL is minted per reader); the stored payload by default. */
  present?: (event: RoomEvent) => Record<string, unknown> | Promise<Record<string, unknown>>;
};

const encoder = new TextEncoder();

/** Every Server-Sent Events answer's headers (the room's stream and the dashboard's). */
export const EVENT_STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  // Keeps Next's gzip (and nginx's buffering) from holding events back.
  "Content-Encoding": "none",
  "X-Accel-Buffering": "no",
} as const;

/** One Server-Sent Events frame: its `id:` (for Last-Event-ID) when given, the event's name, its data as JSON. */
export function frame(event: string, data: unknown, id?: number): Uint8Array {
  return encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A room's events as Server-Sent Events for one participant: a `hello`, then every stored
 * event after the cursor, then new ones as NOTIFY announces them. Event ids are the log's, so
 * the browser's automatic reconnect (Last-Event-ID) resumes with nothing lost or repeated.
 * A comment every heartbeat keeps proxies from closing the stream and marks the participant
 * as still there. If the participant is no longer in the call (closed after a long absence),
 * the stream says `rejoin` and ends: the client joins again.
 */
export function roomEventStream(db: Database, options: RoomStreamOptions): ReadableStream<Uint8Array> {
  let cursor = options.after;
  let closed = false;
  let pumping = false;
  let pending = false;
  let unsubscribe: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (heartbeat) clearInterval(heartbeat);
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

  const pump = async () => {
    if (pumping) {
      pending = true;
      return;
    }
    pumping = true;
    try {
      let batch: RoomEvent[];
      do {
        pending = false;
        batch = await roomEventsFor(db, options.roomId, options.participantId, cursor);
        for (const event of batch) {
          const data = options.present ? await options.present(event) : event.payload;
          write(frame(event.kind, { ...data, senderId: event.senderId }, event.id));
          cursor = event.id;
          if (event.kind === "room-ended") {
            close();
            return;
          }
        }
      } while (!closed && (pending || batch.length > 0));
    } catch {
      close(); // the browser reconnects and resumes from the last id it got
    } finally {
      pumping = false;
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      options.signal?.addEventListener("abort", close);
      write(encoder.encode("retry: 1500\n\n"));
      const hello = await options.hello();
      // The client may have gone away while we waited: then start nothing that outlives it
      // (a heartbeat would keep marking the participant as present).
      if (closed) return;
      if (!hello) {
        write(frame("rejoin", { reason: "not_in_call" }));
        close();
        return;
      }
      write(frame("hello", hello));
      const subscribed = await roomHub(db).subscribe(options.roomId, () => void pump());
      if (closed) {
        subscribed();
        return;
      }
      unsubscribe = subscribed;
      heartbeat = setInterval(() => {
        write(encoder.encode(": ping\n\n"));
        options.heartbeat().then(
          (stillIn) => {
            if (!stillIn) {
              write(frame("rejoin", { reason: "not_in_call" }));
              close();
            }
          },
          () => {},
        );
      }, options.heartbeatMs ?? 10_000);
      void pump();
    },
    cancel() {
      close();
    },
  });
}
