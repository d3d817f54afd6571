import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, sequenceKey, timestamptz, updatedAt, uuidKey } from "./columns";
import { organizations } from "./organizations";
import { outboxEvents } from "./outbox";

/** Why an endpoint stopped receiving: by the clinic, by its own 410, or after three days of failures. */
export const webhookDisabledReason = pgEnum("webhook_disabled_reason", ["manual", "gone", "failing"]);

/**
 * A URL of an organization's own system that receives the events it subscribed to. The
 * signing secret is stored sealed (AES-256-GCM under APP_SECRET): signing needs it back.
 * After a rotation the previous secret keeps signing alongside the new one until
 * `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: webhookDisabledReason("disabled_reason"),
    disabledAt: timestamptz("disabled_at"),
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: timestamptz("previous_secret_expires_at"),
    /** The first failed attempt since the last success; three days of that disables the endpoint. */
    failingSince: timestamptz("failing_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_organization_idx").on(t.organizationId, t.createdAt)],
);

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "delivered", "failed"]);

/**
 * One event for one endpoint. Its id is the message id the receiver sees (`webhook-id`,
 * `X-Telehealth-Delivery`) on every attempt, so a retry or a redelivery can be recognised.
 * The body is frozen at fan-out: every attempt sends the same bytes.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    endpointId: belongsTo("endpoint_id", () => webhookEndpoints.id),
    /** The outbox event it delivers; null for a test event. */
    eventId: uuid("event_id").references(() => outboxEvents.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    /** The consultation it is about, for the consultation's delivery log. */
    consultationId: uuid("consultation_id"),
    /** The JSON body, sealed with the app secret (it carries the join links); see lib/webhooks/sealing.ts. */
    body: text("body").notNull(),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    /** A manual redelivery starts a new round; jobs left from an earlier round find themselves stale. */
    round: integer("round").notNull().default(1),
    /** Attempts made in the current round. */
    attemptCount: integer("attempt_count").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at"),
    lastAttemptAt: timestamptz("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamptz("delivered_at"),
    test: boolean("test").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // Fan-out on several instances can never make two messages of one event for one endpoint.
    uniqueIndex("webhook_deliveries_event_endpoint_idx").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_consultation_idx").on(t.consultationId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/** Every attempt at a delivery, as the receiver answered it. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: sequenceKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    deliveryId: belongsTo("delivery_id", () => webhookDeliveries.id),
    attemptedAt: timestamptz("attempted_at").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    /** `scheduled` (first try and retries), `manual` (redelivery) or `test`. */
    trigger: text("trigger").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);
