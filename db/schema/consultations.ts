import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, timestamptz, updatedAt, uuidKey } from "./columns";
import { consultationTypes, medicalSpecialties } from "./catalogs";
import { organizations } from "./organizations";
import { patients, providers } from "./people";

export const consultationStatus = pgEnum("consultation_status", ["Pending", "InProgress", "Completed", "Expired"]);

/**
 * A consultation between one provider and one patient. Double booking is refused by
 * exclusion constraints over [starts_at, ends_at) added in a hand-written migration.
 */
export const consultations = pgTable(
  "consultations",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    providerId: uuid("provider_id")
      .notNull()
      .references(() => providers.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    consultationType: text("consultation_type")
      .notNull()
      .references(() => consultationTypes.code),
    medicalSpecialtyId: uuid("medical_specialty_id").references(() => medicalSpecialties.id),
    status: consultationStatus("status").notNull().default("Pending"),
    immediate: boolean("immediate").notNull(),
    startsAt: timestamptz("starts_at").notNull(),
    endsAt: timestamptz("ends_at").notNull(),
    durationMinutes: smallint("duration_minutes").notNull(),
    /** The 6-digit PIN, encrypted with the app secret (staff can show it again). */
    accessPinSealed: text("access_pin_sealed").notNull(),
    /** When staff last issued a new PIN; wrong PINs before it no longer count toward a link's limits. Null: the PIN of creation. */
    pinIssuedAt: timestamptz("pin_issued_at"),
    startedAt: timestamptz("started_at"),
    completedAt: timestamptz("completed_at"),
    /** Why it closed: `ended_by_provider`, `ended_by_staff`, `timeout` (Completed), or `cancelled` (Expired by the clinic). */
    completionReason: text("completion_reason"),
    expiredAt: timestamptz("expired_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("consultations_org_starts_idx").on(t.organizationId, t.startsAt, t.id),
    index("consultations_org_status_starts_idx").on(t.organizationId, t.status, t.startsAt),
    // The dashboard table's sorts (bench/dashboard): read in order instead of sorting every row.
    index("consultations_org_type_starts_idx").on(t.organizationId, t.consultationType, t.startsAt, t.id),
    index("consultations_org_duration_starts_idx").on(t.organizationId, t.durationMinutes, t.startsAt, t.id),
    index("consultations_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("consultations_provider_idx").on(t.providerId, t.startsAt),
    index("consultations_patient_idx").on(t.patientId, t.startsAt),
    // The lifecycle sweep: live consultations by their end.
    index("consultations_live_ends_idx").on(t.endsAt).where(sql`status in ('Pending', 'InProgress')`),
  ],
);

export const roomTransport = pgEnum("room_transport", ["p2p", "livekit"]);

/** Where a call happens. Every consultation has exactly one; a room may also stand alone. */
export const rooms = pgTable(
  "rooms",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    consultationId: uuid("consultation_id")
      .unique()
      .references(() => consultations.id, { onDelete: "cascade" }),
    transport: roomTransport("transport").notNull().default("p2p"),
    maxParticipants: integer("max_participants").notNull().default(2),
    createdAt: createdAt(),
  },
  (t) => [index("rooms_organization_idx").on(t.organizationId)],
);

export const participantRole = pgEnum("participant_role", ["patient", "provider"]);

/** A person invited to a room, holding their own join link. */
export const roomParticipants = pgTable(
  "room_participants",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    roomId: belongsTo("room_id", () => rooms.id),
    role: participantRole("role").notNull(),
    displayName: text("display_name").notNull(),
    providerId: uuid("provider_id").references(() => providers.id),
    patientId: uuid("patient_id").references(() => patients.id),
    /** SHA-256 of the link token: how a join link is looked up. */
    accessTokenHash: text("access_token_hash").notNull().unique(),
    /** The token itself, encrypted, so the link can be shown again. */
    accessTokenSealed: text("access_token_sealed").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("room_participants_room_idx").on(t.roomId)],
);
