import type { Database } from "@/db/client";
import { listenHub, type ListenHub } from "@/lib/realtime/hub";
import { OUTBOX_CHANNEL } from "@/lib/outbox";

/**
 * "Something changed in this organization's consultations", for the dashboards open in this
 * process, keyed by organization id. Every state change already writes an outbox event whose
 * NOTIFY at commit names its organizations (migration 0008; empty means any), so one LISTEN
 * serves every open page and none reads the database until it has news. The page then renders
 * again, with its own filters and scope.
 */
export function consultationFeed(db: Database): ListenHub {
  return listenHub(db, OUTBOX_CHANNEL, (organizations) => (organizations ? organizations.split(",") : null));
}
