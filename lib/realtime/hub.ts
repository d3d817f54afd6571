import type { Database } from "@/db/client";
import { ROOM_EVENTS_CHANNEL } from "./events";

type Wake = () => void;

/**
 * One LISTEN connection per process, database and channel, fanned out by key: a NOTIFY names
 * the keys with news (`keysOf` of its payload; null means every key), and only their
 * subscribers are woken. After the listening connection reconnects, every subscriber is woken,
 * since notifications sent meanwhile are lost.
 */
class ListenHub {
  private readonly subscribers = new Map<string, Set<Wake>>();
  private listening: Promise<unknown> | undefined;
  private listenedBefore = false;

  constructor(
    private readonly db: Database,
    private readonly channel: string,
    private readonly keysOf: (payload: string) => string[] | null,
  ) {}

  async subscribe(key: string, wake: Wake): Promise<() => void> {
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    set.add(wake);
    this.listening ??= this.db.$client
      .listen(
        this.channel,
        (payload) => this.wake(this.keysOf(payload)),
        () => {
          if (this.listenedBefore) this.wake(null);
          this.listenedBefore = true;
        },
      )
      .catch((error: unknown) => {
        this.listening = undefined;
        throw error;
      });
    try {
      await this.listening;
    } catch (error) {
      set.delete(wake);
      throw error;
    }
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.subscribers.get(key) === set) this.subscribers.delete(key);
    };
  }

  private wake(keys: string[] | null): void {
    for (const key of keys ?? [...this.subscribers.keys()]) for (const wake of this.subscribers.get(key) ?? []) wake();
  }
}

export type { ListenHub };

const hubs = new WeakMap<Database, Map<string, ListenHub>>();

/** The process's hub for `channel` on `db` (made on first use; `keysOf` is the first caller's). */
export function listenHub(db: Database, channel: string, keysOf: (payload: string) => string[] | null): ListenHub {
  let byChannel = hubs.get(db);
  if (!byChannel) hubs.set(db, (byChannel = new Map()));
  let hub = byChannel.get(channel);
  if (!hub) byChannel.set(channel, (hub = new ListenHub(db, channel, keysOf)));
  return hub;
}

/** Each room's streams: the room events' NOTIFY carries the room id. */
export function roomHub(db: Database): ListenHub {
  return listenHub(db, ROOM_EVENTS_CHANNEL, (roomId) => [roomId]);
}
