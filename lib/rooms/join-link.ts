import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sha256 } from "@/lib/crypto";

export type JoinLink = {
  participantId: string;
  /** A consultation's patient or provider, or a guest (a companion, an interpreter) with their own link and the same PIN. */
  role: "patient" | "provider" | "guest";
  displayName: string;
  roomId: string;
  organizationId: string;
  organizationName: string;
  timeZone: string;
  /** The organization's default language (its profile), for the pages this link opens. */
  organizationLanguage: string;
  consultationId: string;
  status: "Pending" | "InProgress" | "Completed" | "Expired";
  /** Why it closed (`cancelled` for a consultation the clinic called off), or null. */
  closedReason: string | null;
  immediate: boolean;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  providerName: string;
  providerProfessionalType: string;
  patientName: string;
  pinSealed: string;
};

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The link a participant holds, found by the hash of its token; nothing for an unknown token. */
export async function findJoinLink(db: Db, token: string): Promise<JoinLink | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const rows = await db.execute<{
    participant_id: string;
    role: JoinLink["role"];
    display_name: string;
    room_id: string;
    organization_id: string;
    organization_name: string;
    time_zone: string;
    organization_language: string;
    consultation_id: string;
    status: JoinLink["status"];
    completion_reason: string | null;
    immediate: boolean;
    starts_at_ms: number;
    ends_at_ms: number;
    duration_minutes: number;
    provider_name: string;
    provider_professional_type: string;
    patient_name: string;
    pin_sealed: string;
  }>(sql`
    select rp.id as participant_id, rp.role, rp.display_name, rp.room_id, rp.organization_id,
      o.name as organization_name, o.timezone as time_zone, o.language as organization_language,
      c.id as consultation_id, c.status, c.completion_reason, c.immediate, c.duration_minutes, c.access_pin_sealed as pin_sealed,
      extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms,
      p.name as provider_name, p.professional_type as provider_professional_type, pa.name as patient_name
    from room_participants rp
    join rooms r on r.id = rp.room_id
    join consultations c on c.id = r.consultation_id and c.organization_id = rp.organization_id
    join organizations o on o.id = rp.organization_id
    join providers p on p.id = c.provider_id
    join patients pa on pa.id = c.patient_id
    where rp.access_token_hash = ${sha256(token)}`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    participantId: r.participant_id,
    role: r.role,
    displayName: r.display_name,
    roomId: r.room_id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    timeZone: r.time_zone,
    organizationLanguage: r.organization_language,
    consultationId: r.consultation_id,
    status: r.status,
    closedReason: r.completion_reason,
    immediate: r.immediate,
    startsAt: new Date(Number(r.starts_at_ms)),
    endsAt: new Date(Number(r.ends_at_ms)),
    durationMinutes: r.duration_minutes,
    providerName: r.provider_name,
    providerProfessionalType: r.provider_professional_type,
    patientName: r.patient_name,
    pinSealed: r.pin_sealed,
  };
}

/** "María José Pérez" → "M. J. P.": enough for a provider to recognise whom the link is for before the PIN. */
export function nameInitials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part[0]!.toLocaleUpperCase()}.`)
    .join(" ");
}
