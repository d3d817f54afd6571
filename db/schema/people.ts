import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, updatedAt, uuidKey } from "./columns";
import { medicalSpecialties, professionalTypes } from "./catalogs";
import { organizations } from "./organizations";

export const documentType = pgEnum("document_type", ["CC", "TI", "CE", "RC", "PAS"]);

export const providers = pgTable(
  "providers",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    name: text("name").notNull(),
    documentType: documentType("document_type").notNull(),
    documentNumber: text("document_number").notNull(),
    professionalType: text("professional_type")
      .notNull()
      .references(() => professionalTypes.code),
    medicalSpecialtyId: uuid("medical_specialty_id").references(() => medicalSpecialties.id),
    phone: text("phone").notNull(),
    email: text("email").notNull(),
    professionalLicense: text("professional_license"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("providers_document_key").on(t.organizationId, t.documentType, t.documentNumber),
    index("providers_organization_name_idx").on(t.organizationId, t.name),
  ],
);

export const patients = pgTable(
  "patients",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    name: text("name").notNull(),
    documentType: documentType("document_type").notNull(),
    documentNumber: text("document_number").notNull(),
    phone: text("phone").notNull(),
    email: text("email").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("patients_document_key").on(t.organizationId, t.documentType, t.documentNumber),
    // The dashboard's sort by patient, in the order people read names (see lib/consultations/table.ts).
    index("patients_organization_name_sort_idx").on(t.organizationId, sql`(${t.name} collate "und-x-icu")`, t.id),
  ],
);
