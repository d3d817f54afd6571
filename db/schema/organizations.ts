import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
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
  /** The backdrop a call offers first (the teleconsultation contract's company `default_background`); none when null. */
  defaultBackgroundId: uuid("default_background_id").references((): AnyPgColumn => organizationBackgrounds.id, { onDelete: "set null" }),
  /** Where a participant's browser goes when the call ends (https), after `endCallRedirectTimeoutMs`; none when null. */
  endCallRedirectUrl: text("end_call_redirect_url"),
  endCallRedirectTimeoutMs: integer("end_call_redirect_timeout_ms").notNull().default(5000),
  /** The clinic's https endpoint for a room user's display name and language: stored and documented, not called yet. */
  userDetailsProviderUrl: text("user_details_provider_url"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [check("organizations_end_call_redirect_timeout", sql`${t.endCallRedirectTimeoutMs} between 0 and 60000`)]);

/**
 * An image a clinic uploaded as a call's virtual background. `alias` is the name the API and its
 * public URL (`/api/backgrounds/{alias}`) use: 128 random bits in hex, so it cannot be guessed.
 * The bytes are in the file storage under `storage_key`, re-encoded without metadata.
 */
export const organizationBackgrounds = pgTable(
  "organization_backgrounds",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    alias: text("alias").notNull().unique(),
    storageKey: text("storage_key").notNull().unique(),
    /** Checked from the bytes: image/jpeg, image/png or image/webp. */
    contentType: text("content_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("organization_backgrounds_org_created_idx").on(t.organizationId, t.createdAt),
    check("organization_backgrounds_alias", sql`${t.alias} ~ '^[0-9a-f]{32}$'`),
  ],
);

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
