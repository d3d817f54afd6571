import { bigint, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";

// The columns most tables share, written once.

/** A random UUID as the row's key. */
export const uuidKey = () => uuid("id").primaryKey().defaultRandom();

/** An ever-growing number as the row's key, for rows written in order (logs, messages, attempts). */
export const sequenceKey = () => bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();

/** A point in time, always stored with its time zone. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** When the row was written. */
export const createdAt = () => timestamptz("created_at").notNull().defaultNow();

/** When the row last changed. */
export const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();

/** The row this one belongs to (its organization, room, endpoint…): required, and deleted with it. */
export const belongsTo = (name: string, parent: () => AnyPgColumn) => uuid(name).notNull().references(parent, { onDelete: "cascade" });
