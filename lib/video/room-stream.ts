/**
 * Our room's Server-Sent Events stream, as every transport reads it: it resumes after the last
 * event it saw, and says when the server no longer counts us in the call (a `rejoin` event, or
 * the stream refused) so the transport joins again. Chat and the end of the consultation come
 * this way whatever carries the media. Runs in the browser only.
 */
import type { VideoRoom } from "@/lib/rooms/schema";

/** Handlers by event name; each gets the event's JSON data. */
export type RoomStreamHandlers = Record<string, (data: never) => void | Promise<void>>;

export type RoomStreamHooks = {
  /** The stream opened or dropped: `connected` changed. */
  onStatus(): void;
  /** The server no longer counts us in the call: join again (PUT video-room) and open a new stream. */
  onLost(): void;
};

export class RoomStream {
  private source: EventSource | undefined;
  private cursor: number;
  private closed = false;
  /** The stream is open (EventSource retries by itself while it is not). */
  connected = false;

  constructor(
    private readonly signaling: VideoRoom["signaling"],
    private readonly handlers: RoomStreamHandlers,
    private readonly hooks: RoomStreamHooks,
  ) {
    this.cursor = signaling.lastEventId;
  }

  /** Opens the stream, or opens it again after the last event seen. */
  open(): void {
    this.source?.close();
    const source = new EventSource(`${this.signaling.events}&after=${this.cursor}`);
    this.source = source;
    source.onopen = () => {
      this.connected = true;
      this.hooks.onStatus();
    };
    source.onerror = () => {
      this.connected = false;
      this.hooks.onStatus();
      // EventSource retries by itself while CONNECTING; CLOSED means the server refused us.
      if (source.readyState === EventSource.CLOSED && !this.closed) {
        setTimeout(() => {
          if (!this.closed && this.source === source) this.hooks.onLost();
        }, 2_000);
      }
    };
    for (const [event, handler] of Object.entries(this.handlers)) {
      source.addEventListener(event, (message: MessageEvent<string>) => {
        this.connected = true; // an event only comes over an open stream
        if (message.lastEventId) this.cursor = Math.max(this.cursor, Number(message.lastEventId));
        void Promise.resolve(handler(JSON.parse(message.data) as never)).catch((error: unknown) => console.warn("room event failed", error));
      });
    }
    source.addEventListener("rejoin", () => this.hooks.onLost());
  }

  /** Not opened yet, or given up by the browser (it no longer retries by itself). */
  get stopped(): boolean {
    return !this.source || this.source.readyState === EventSource.CLOSED;
  }

  close(): void {
    this.closed = true;
    this.connected = false;
    this.source?.close();
  }
}
