import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigserial, boolean, check, index, inet, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, timestamptz, uuidKey } from "./columns";
import { organizations } from "./organizations";
import { providers } from "./people";

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

// The Auth.js (next-auth) tables, in the shape @auth/drizzle-adapter expects, keyed to our
// staff `users`. Single sign-on links its accounts here.

export const accounts = pgTable(
  "accounts",
  {
    userId: belongsTo("user_id", () => users.id),
    type: text("type").$type<"oauth" | "oidc" | "email" | "webauthn">().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

/**
 * A signed-in staff session. The browser holds a signed token naming `sessionToken`; this row is
 * what makes it valid, so signing out, deactivation and the idle limit take effect at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: belongsTo("user_id", () => users.id),
    /** Last activity plus the idle limit. */
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
    ip: inet("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Auth.js verification tokens; also the one-time set-password links of invitations (hashed). */
export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  // A set-password link is looked up by its token (hashed) alone.
  (t) => [primaryKey({ columns: [t.identifier, t.token] }), uniqueIndex("verification_tokens_token_idx").on(t.token)],
);

/**
 * Password sign-in attempts, for the guessing limits (an unknown email has no organization).
 * An attempt is written as `pending` before its password is checked and counts as a failure
 * until it is marked otherwise, so a crash mid-check cannot hand out a free try.
 */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    ip: inet("ip"),
    outcome: text("outcome").$type<"pending" | "ok" | "wrong_password" | "unknown_email" | "inactive" | "rate_limited">().notNull(),
    /** The known browser (device cookie) the attempt came from, for that account; null when none. */
    device: text("device"),
    attemptedAt: timestamptz("attempted_at").notNull().defaultNow(),
  },
  (t) => [
    index("sign_in_attempts_email_idx").on(sql`lower(${t.email})`, t.attemptedAt),
    index("sign_in_attempts_ip_idx").on(t.ip, t.attemptedAt),
    index("sign_in_attempts_device_idx").on(t.device, t.attemptedAt),
  ],
);

/** Who did what, when, from where: sign-ins, credential and endpoint changes, PIN failures, exports. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    at: timestamptz("at").notNull().defaultNow(),
    /** The staff member, when one did it. */
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** How the actor is shown: an email, "API credential tk_…", "patient link", "system". */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: inet("ip"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_organization_at_idx").on(t.organizationId, t.at.desc(), t.id.desc()), index("audit_log_organization_action_idx").on(t.organizationId, t.action, t.at.desc())],
);
