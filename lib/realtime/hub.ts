import type { Database } from "@/db/client";
import { ROOM_EVENTS_CHANNEL } from "./events";

type Wake = () => void;

/**
 * One LISTEN connection per process and database: NOTIFY says which room has news, and each
 * open stream of that room reads its own events. After the listening connection reconnects,
 * every stream is woken, since notifications sent meanwhile are lost.
 */
class RoomHub {
  private readonly rooms = new Map<string, Set<Wake>>();
  private listening: Promise<unknown> | undefined;

  constructor(private readonly db: Database) {}

  async subscribe(roomId: string, wake: Wake): Promise<() => void> {
    let set = this.rooms.get(roomId);
    if (!set) this.rooms.set(roomId, (set = new Set()));
    set.add(wake);
    this.listening ??= this.db.$client
      .listen(ROOM_EVENTS_CHANNEL, (roomIdNotified) => this.wake(roomIdNotified), () => this.wakeAll())
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
      if (set.size === 0 && this.rooms.get(roomId) === set) this.rooms.delete(roomId);
    };
  }

  private wake(roomId: string): void {
    for (const wake of this.rooms.get(roomId) ?? []) wake();
  }

  private wakeAll(): void {
    for (const set of this.rooms.values()) for (const wake of set) wake();
  }
}

const hubs = new WeakMap<Database, RoomHub>();

export function roomHub(db: Database): RoomHub {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new RoomHub(db)));
  return hub;
}
