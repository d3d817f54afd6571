import { index, pgTable, text } from "drizzle-orm/pg-core";
import { belongsTo, timestamptz } from "./columns";
import { rooms } from "./consultations";
import { organizations } from "./organizations";

/**
 * LiveKit webhook events already applied, by LiveKit's event id: a delivery repeated by
 * LiveKit (or a proxy) finds its id here and changes nothing. Written in the same transaction
 * as the event's effects, so an event whose effects failed is applied when it comes again.
 * Only events about our rooms that we act on are kept; housekeeping drops old ones.
 */
export const livekitWebhookEvents = pgTable(
  "livekit_webhook_events",
  {
    id: text("id").primaryKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    roomId: belongsTo("room_id", () => rooms.id),
    event: text("event").notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  (t) => [index("livekit_webhook_events_received_idx").on(t.receivedAt)],
);
