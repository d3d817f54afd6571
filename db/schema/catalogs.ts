import { boolean, pgTable, smallint, text } from "drizzle-orm/pg-core";
import { uuidKey } from "./columns";

/** Platform-wide catalogs. Their rows ship in a migration, so every database has them. */
export const professionalTypes = pgTable("professional_types", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  requiresSpecialty: boolean("requires_specialty").notNull().default(false),
  sortOrder: smallint("sort_order").notNull().default(0),
});

export const consultationTypes = pgTable("consultation_types", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  active: boolean("active").notNull().default(true),
  sortOrder: smallint("sort_order").notNull().default(0),
});

export const medicalSpecialties = pgTable("medical_specialties", {
  id: uuidKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  active: boolean("active").notNull().default(true),
});

/** Durations are a fixed list in the contract, not a table. */
export const CONSULTATION_DURATIONS = [10, 15, 20, 25, 30, 35, 40, 45, 50, 60] as const;
