import { sql } from "drizzle-orm";
import { providers } from "./people";
import { type AnyPgColumn, boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, timestamptz, updatedAt, uuidKey } from "./columns";

export const organizations = pgTable("organizations", {
  id: uuidKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  timezone: text("timezone").notNull().default("America/Bogota"),
  language: text("language").notNull().default("es"),
  logoUrl: text("logo_url"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const staffRole = pgEnum("staff_role", ["admin", "scheduler", "provider"]);

/** Clinic staff who sign in to the dashboard (sign-in itself comes with the dashboard). */
export const users = pgTable(
  "users",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    email: text("email").notNull(),
    name: text("name"),
    role: staffRole("role").notNull(),
    /** argon2id; null until the person sets one (an invitation) or for single sign-on only. */
    passwordHash: text("password_hash"),
    /** The provider this person is, for the `provider` role: what "their own consultations" means. */
    providerId: uuid("provider_id").references((): AnyPgColumn => providers.id),
    active: boolean("active").notNull().default(true),
    /** Auth.js adapter fields (single sign-on fills them). */
    emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
    image: text("image"),
    lastSignInAt: timestamptz("last_sign_in_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    index("users_organization_idx").on(t.organizationId),
    check("users_provider_role_check", sql`${t.role} <> 'provider' or ${t.providerId} is not null`),
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
