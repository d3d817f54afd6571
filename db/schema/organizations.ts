import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, timestamptz, updatedAt, uuidKey } from "./columns";

export const organizations = pgTable("organizations", {
  id: uuidKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  timezone: text("timezone").notNull().default("America/Bogota"),
  language: text("language").notNull().default("es"),
  logoUrl: text("logo_url"),
  /** Which room-user groups host (plus) and which only take part (basic); null: doctor plus, patient and customer basic. */
  roomGroups: jsonb("room_groups").$type<{ plus: string[]; basic: string[] }>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** An organization's API credential: a public key id and a secret of which only a hash is kept. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    keyId: text("key_id").notNull().unique(),
    secretHash: text("secret_hash").notNull(),
    name: text("name").notNull(),
    rateLimitPerHour: integer("rate_limit_per_hour"),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_organization_idx").on(t.organizationId)],
);

/** Fixed-window request counters, one row per credential per hour. */
export const apiKeyUsage = pgTable(
  "api_key_usage",
  {
    apiKeyId: belongsTo("api_key_id", () => apiKeys.id),
    windowStart: timestamptz("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);

/** Stored responses for `Idempotency-Key`, so a retried POST returns the first answer. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    organizationId: belongsTo("organization_id", () => organizations.id),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status"),
    /** The answer, sealed with the app secret (a consultation's carries its PIN and links). */
    responseBody: text("response_body"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);
