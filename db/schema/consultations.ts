import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { belongsTo, createdAt, timestamptz, updatedAt, uuidKey } from "./columns";
import { consultationTypes, medicalSpecialties } from "./catalogs";
import { organizations } from "./organizations";
import { patients, providers } from "./people";
import { roomUsers } from "./room-users";

export const consultationStatus = pgEnum("consultation_status", ["Pending", "InProgress", "Completed", "Expired"]);

/** Which side never joined a consultation that ended (lib/rooms/no-show.ts): the patient, the provider, or both. */
export const noShow = pgEnum("no_show", ["patient", "provider", "both"]);

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
    /** Who never joined, recorded when it completed or expired; null while live, when both came, or when the clinic cancelled it. */
    noShow: noShow("no_show"),
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
    // The dashboard's no-show filter, newest first; few consultations are no-shows.
    index("consultations_org_no_show_starts_idx").on(t.organizationId, t.noShow, t.startsAt, t.id).where(sql`no_show is not null`),
    index("consultations_provider_idx").on(t.providerId, t.startsAt),
    index("consultations_patient_idx").on(t.patientId, t.startsAt),
    // The lifecycle sweep: live consultations by their end.
    index("consultations_live_ends_idx").on(t.endsAt).where(sql`status in ('Pending', 'InProgress')`),
  ],
);

export const roomTransport = pgEnum("room_transport", ["p2p", "livekit"]);

/** How a room's call begins (the teleconsultation contract's `details.callType`). */
export const callType = pgEnum("call_type", ["audio_video", "audio_upgradable", "audio_only"]);

/**
 * Where a call happens. Every consultation has exactly one, whose schedule and state are the
 * consultation's. A room may also stand alone (made through the teleconsultation API, 2 to 25
 * participants): then the room itself carries the schedule and the state, in the columns
 * below that a consultation's room leaves empty.
 */
export const rooms = pgTable(
  "rooms",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    consultationId: uuid("consultation_id")
      .unique()
      .references(() => consultations.id, { onDelete: "cascade" }),
    transport: roomTransport("transport").notNull().default("p2p"),
    /** How many take part: a consultation's two (more with guests), or a standalone room's expected `number`. */
    maxParticipants: integer("max_participants").notNull().default(2),
    // A standalone room's own schedule and state (null on a consultation's room).
    status: consultationStatus("status"),
    startsAt: timestamptz("starts_at"),
    /** Null: no end (`UNLIMITED_TELECONSULTATION`). */
    endsAt: timestamptz("ends_at"),
    startedAt: timestamptz("started_at"),
    completedAt: timestamptz("completed_at"),
    completionReason: text("completion_reason"),
    callType: callType("call_type").notNull().default("audio_video"),
    /** The call ends when someone leaves and fewer than two remain (`LIVE_TELECONSULTATION` when it was made). */
    live: boolean("live").notNull().default(true),
    description: text("description"),
    /** Links handed out before this no longer open the call (a change of who or when). */
    linksValidFrom: timestamptz("links_valid_from"),
    /** When its links began to exist (and `room.ready` was recorded). */
    readyAt: timestamptz("ready_at"),
    /** Deleted (the contract's TRASH): out of every list, links dead, data kept for the clinic. */
    trashedAt: timestamptz("trashed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("rooms_organization_idx").on(t.organizationId),
    index("rooms_org_standalone_starts_idx").on(t.organizationId, t.startsAt, t.id).where(sql`consultation_id is null and trashed_at is null`),
    index("rooms_standalone_live_idx").on(t.startsAt).where(sql`consultation_id is null and trashed_at is null and status in ('Pending', 'InProgress')`),
    check("rooms_standalone_schedule", sql`consultation_id is not null or (status is not null and starts_at is not null)`),
  ],
);

/** A consultation's patient and provider, a guest on it, or a room user (`member`) in a standalone room. */
export const participantRole = pgEnum("participant_role", ["patient", "provider", "guest", "member"]);

/** A plus participant hosts: ends the call for everyone. Every room has at least one. */
export const participantPrivilege = pgEnum("participant_privilege", ["plus", "basic"]);

/** A person invited to a room, holding their own join link. */
export const roomParticipants = pgTable(
  "room_participants",
  {
    id: uuidKey(),
    organizationId: belongsTo("organization_id", () => organizations.id),
    roomId: belongsTo("room_id", () => rooms.id),
    role: participantRole("role").notNull(),
    privilege: participantPrivilege("privilege").notNull().default("basic"),
    displayName: text("display_name").notNull(),
    providerId: uuid("provider_id").references(() => providers.id),
    patientId: uuid("patient_id").references(() => patients.id),
    /** A standalone room's participant: who in the organization's room-user directory. */
    roomUserId: uuid("room_user_id").references(() => roomUsers.id),
    /** The group that gave the privilege (`doctor`, `patient`, `interpreter`…), or a guest's kind. */
    groupName: text("group_name"),
    /** The language the call screen speaks to this participant (it, en, es); null: the organization's. */
    language: text("language"),
    /**
     * SHA-256 of a permanent link token (consultations: the link plus a PIN). A room user has
     * none: their links are minted per request (lib/rooms/room-link.ts).
     */
    accessTokenHash: text("access_token_hash").unique(),
    /** The token itself, encrypted, so the link can be shown again. */
    accessTokenSealed: text("access_token_sealed"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("room_participants_room_idx").on(t.roomId),
    uniqueIndex("room_participants_room_user_idx").on(t.roomId, t.roomUserId).where(sql`room_user_id is not null`),
  ],
);
