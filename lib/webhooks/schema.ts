import { z } from "zod";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { plainName, storable } from "@/lib/validation/text";

/** One zod schema per contract: the handlers, the dashboard forms and the OpenAPI document use these. */

import { MAX_ENDPOINTS_PER_ORGANIZATION } from "@/lib/limits";

export { MAX_ENDPOINTS_PER_ORGANIZATION };

export const webhookEventSchema = z.enum(DOMAIN_EVENTS, { error: () => `must be one of ${DOMAIN_EVENTS.join(", ")}` });

const urlField = storable(
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .trim()
    .min(1, "is required")
    .max(2048, "must be at most 2048 characters"),
).describe("Where events are POSTed. https:// is required; the address must be public.");

const eventsField = z
  .array(webhookEventSchema, { error: (issue) => (issue.input === undefined ? "is required" : "must be an array of event names") })
  .min(1, "must name at least one event")
  .transform((events) => [...new Set(events)])
  .describe("The events this endpoint receives.");

// A label of one line, as the dashboard's form takes it: no control or invisible formatting characters.
const descriptionField = plainName(z.string().trim().max(200, "must be at most 200 characters"));

export const createWebhookEndpointSchema = z
  .object({ url: urlField, events: eventsField, description: descriptionField.optional() })
  .meta({ id: "CreateWebhookEndpoint" });

export const updateWebhookEndpointSchema = z
  .object({
    url: urlField.optional(),
    events: eventsField.optional(),
    description: descriptionField.nullable().optional(),
    enabled: z.boolean({ error: "must be true or false" }).optional().describe("false disables the endpoint; true enables it again."),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), { message: "must change at least one of url, events, description, enabled" })
  .meta({ id: "UpdateWebhookEndpoint" });

export const sendTestEventSchema = z
  .object({ event: webhookEventSchema.optional().describe("The event to imitate; the endpoint's first event when absent.") })
  .meta({ id: "SendWebhookTestEvent" });

const instant = z.string().describe("ISO 8601, UTC.");

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(webhookEventSchema),
    enabled: z.boolean(),
    disabledReason: z
      .enum(["manual", "gone", "failing"])
      .nullable()
      .describe("manual: disabled through the API; gone: the receiver answered 410; failing: no delivery succeeded for three days."),
    disabledAt: instant.nullable(),
    previousSecretExpiresAt: instant.nullable().describe("Until then, the secret before the last rotation still signs every request too."),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe("The signing secret (whsec_…). Shown only now: store it.") })
  .meta({ id: "WebhookEndpointWithSecret" });

export const webhookDeliverySchema = z
  .object({
    id: z.uuid().describe("Also the `webhook-id` and `X-Telehealth-Delivery` header of every attempt."),
    endpointId: z.uuid(),
    event: webhookEventSchema,
    consultationId: z.uuid().nullable(),
    status: z.enum(["pending", "delivered", "failed"]),
    test: z.boolean(),
    attemptCount: z.number().int().describe("Attempts in the current round (a redelivery starts a new round)."),
    nextAttemptAt: instant.nullable(),
    lastAttemptAt: instant.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: instant.nullable(),
    createdAt: instant,
  })
  .meta({ id: "WebhookDelivery" });

export const webhookAttemptSchema = z
  .object({
    attemptedAt: instant,
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    responseExcerpt: z.string().nullable().describe("The first 1 KiB of the receiver's answer."),
    error: z.string().nullable(),
    trigger: z.enum(["scheduled", "manual", "test"]),
  })
  .meta({ id: "WebhookAttempt" });

export const webhookDeliveryDetailSchema = webhookDeliverySchema
  .extend({ payload: z.record(z.string(), z.unknown()).describe("The body as sent."), attempts: z.array(webhookAttemptSchema) })
  .meta({ id: "WebhookDeliveryDetail" });

export const listDeliveriesQuerySchema = z
  .object({
    status: z.enum(["pending", "delivered", "failed"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: storable(z.string().trim().min(1)).optional(),
  })
  .meta({ id: "ListWebhookDeliveriesQuery" });

/** What `DELETE /api/webhooks/{endpointId}` answers. */
export const webhookEndpointDeletedSchema = z.object({ id: z.uuid(), deleted: z.literal(true) });

export type CreateWebhookEndpoint = z.infer<typeof createWebhookEndpointSchema>;
export type UpdateWebhookEndpoint = z.infer<typeof updateWebhookEndpointSchema>;
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;
export type WebhookDeliveryDetail = z.infer<typeof webhookDeliveryDetailSchema>;
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;
export type WebhookEndpointDeleted = z.infer<typeof webhookEndpointDeletedSchema>;
