import type { Database } from "@/db/client";
import { OUTBOX_CHANNEL } from "@/lib/webhooks/dispatch";

type Wake = () => void;

/**
 * "Something changed in this organization's consultations", for the dashboards open in this
 * process. Every state change already writes an outbox event whose NOTIFY at commit names its
 * organization (migration 0008), so one LISTEN serves every open page and none reads the
 * database until it has news. The page then renders again, with its own filters and scope.
 */
class ConsultationFeed {
  private readonly organizations = new Map<string, Set<Wake>>();
  private listening: Promise<unknown> | undefined;

  constructor(private readonly db: Database) {}

  async subscribe(organizationId: string, wake: Wake): Promise<() => void> {
    let set = this.organizations.get(organizationId);
    if (!set) this.organizations.set(organizationId, (set = new Set()));
    set.add(wake);
    let listenedBefore = false;
    this.listening ??= this.db.$client
      // After the listening connection comes back everyone is woken: notifications sent meanwhile are lost.
      .listen(
        OUTBOX_CHANNEL,
        (payload) => this.wake(payload),
        () => {
          if (listenedBefore) this.wake("");
          listenedBefore = true;
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
      if (set.size === 0 && this.organizations.get(organizationId) === set) this.organizations.delete(organizationId);
    };
  }

  private wake(payload: string): void {
    const named = payload ? payload.split(",") : [...this.organizations.keys()];
    for (const organizationId of named) for (const wake of this.organizations.get(organizationId) ?? []) wake();
  }
}

const feeds = new WeakMap<Database, ConsultationFeed>();

export function consultationFeed(db: Database): ConsultationFeed {
  let feed = feeds.get(db);
  if (!feed) feeds.set(db, (feed = new ConsultationFeed(db)));
  return feed;
}
