import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { belongsTo, timestamptz, uuidKey } from "./columns";
import { organizations } from "./organizations";

/** Domain events, written in the same transaction as the change they describe. */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuidKey(),
    /** Commit order within the outbox: events of one transaction share `occurred_at`. */
    sequence: bigint("sequence", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    event: text("event").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: uuid("aggregate_id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamptz("occurred_at").notNull().defaultNow(),
    dispatchedAt: timestamptz("dispatched_at"),
  },
  (t) => [
    index("outbox_events_undispatched_idx").on(t.sequence).where(sql`dispatched_at is null`),
    index("outbox_events_aggregate_idx").on(t.aggregateId),
  ],
);
