import { sql } from "drizzle-orm";
import { index, pgTable, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, updatedAt, uuidKey } from "./columns";
import { organizations } from "./organizations";
import { users } from "./staff";

/**
 * The integrator's own users, as the teleconsultation contract names them (`userExternalId`),
 * one directory per organization: created the first time a room names them, reused by every
 * later room. Their id is the contract's `bandyerUserId`.
 */
export const roomUsers = pgTable(
  "room_users",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    externalId: text("external_id").notNull(),
    fullName: text("full_name").notNull(),
    groups: text("groups").array().notNull(),
    /** it, en or es; null: the organization's language. */
    language: text("language"),
    /** The clinic's staff member who acts as this user on the dashboard (chat sessions), if any. */
    staffUserId: uuid("staff_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("room_users_external_id_key").on(t.organizationId, t.externalId), index("room_users_org_name_idx").on(t.organizationId, t.fullName),
    uniqueIndex("room_users_staff_user_idx").on(t.organizationId, t.staffUserId).where(sql`staff_user_id is not null`),
  ],
);
