import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { consultations, patients, providers } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import type { Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/pagination/cursor";
import { isInCalendar, isLocalDate, nextDate, OUTSIDE_CALENDAR_MESSAGE, parseLocal, startOfLocalDay } from "@/lib/time";
import { consultationSummary, consultationView, type ConsultationRecord } from "./present";
import type { ConsultationSummary, ConsultationView, ListConsultationsQuery } from "./schema";
import { isUuid } from "@/lib/validation/uuid";


const recordColumns = {
  id: consultations.id,
  status: consultations.status,
  immediate: consultations.immediate,
  startsAt: consultations.startsAt,
  endsAt: consultations.endsAt,
  durationMinutes: consultations.durationMinutes,
  consultationType: consultations.consultationType,
  medicalSpecialtyId: consultations.medicalSpecialtyId,
  createdAt: consultations.createdAt,
  providerName: providers.name,
  providerProfessionalType: providers.professionalType,
  patientName: patients.name,
  patientDocumentType: patients.documentType,
  patientDocumentNumber: patients.documentNumber,
  noShow: consultations.noShow,
};

type ConsultationRow = {
  id: string;
  status: ConsultationRecord["status"];
  immediate: boolean;
  starts_at_ms: number;
  ends_at_ms: number;
  created_at_ms: number;
  duration_minutes: number;
  consultation_type: string;
  medical_specialty_id: string | null;
  provider_name: string;
  provider_professional_type: string;
  patient_name: string;
  patient_document_type: ConsultationRecord["patientDocumentType"];
  patient_document_number: string;
  no_show: ConsultationRecord["noShow"];
  pin_sealed: string;
  patient_token: string;
  provider_token: string;
};

/** One consultation of the organization, with its PIN and links; another organization's id is not found. */
export async function getConsultation(
  db: Database,
  ctx: { organizationId: string; timeZone: string; appUrl: string; sealer: Sealer },
  consultationId: string,
): Promise<ConsultationView> {
  if (!isUuid(consultationId)) throw AppError.notFound("Consultation");
  // The API's hottest read: plain postgres.js, which prepares it once per connection (drizzle's
  // query building and row mapping cost more than the query itself here). Times come back as
  // epoch milliseconds because drizzle leaves timestamp parsing off on this client.
  const [found] = await db.$client<ConsultationRow[]>`
    select c.id, c.status, c.immediate, c.duration_minutes, c.consultation_type, c.medical_specialty_id, c.no_show,
      extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms,
      extract(epoch from c.created_at)::float8 * 1000 as created_at_ms,
      c.access_pin_sealed as pin_sealed,
      p.name as provider_name, p.professional_type as provider_professional_type,
      pa.name as patient_name, pa.document_type as patient_document_type, pa.document_number as patient_document_number,
      pt.access_token_sealed as patient_token, pr.access_token_sealed as provider_token
    from consultations c
    join providers p on p.id = c.provider_id
    join patients pa on pa.id = c.patient_id
    join rooms r on r.consultation_id = c.id
    join room_participants pt on pt.room_id = r.id and pt.role = 'patient'
    join room_participants pr on pr.room_id = r.id and pr.role = 'provider'
    where c.id = ${consultationId} and c.organization_id = ${ctx.organizationId}
    limit 1`;
  if (!found) throw AppError.notFound("Consultation");
  const row = {
    id: found.id,
    status: found.status,
    immediate: found.immediate,
    startsAt: new Date(found.starts_at_ms),
    endsAt: new Date(found.ends_at_ms),
    createdAt: new Date(found.created_at_ms),
    durationMinutes: found.duration_minutes,
    consultationType: found.consultation_type,
    medicalSpecialtyId: found.medical_specialty_id,
    providerName: found.provider_name,
    providerProfessionalType: found.provider_professional_type,
    patientName: found.patient_name,
    patientDocumentType: found.patient_document_type,
    patientDocumentNumber: found.patient_document_number,
    noShow: found.no_show,
    pinSealed: found.pin_sealed,
    patientToken: found.patient_token,
    providerToken: found.provider_token,
  };
  const catalogs = await loadCatalogs(db);
  return consultationView(
    row,
    {
      pin: ctx.sealer.open(row.pinSealed),
      patientToken: ctx.sealer.open(row.patientToken),
      providerToken: ctx.sealer.open(row.providerToken),
      appUrl: ctx.appUrl,
    },
    catalogs,
    ctx.timeZone,
  );
}

/** The organization's consultations, newest start first, with keyset (cursor) pagination. */
export async function listConsultations(
  db: Db,
  ctx: { organizationId: string; timeZone: string },
  query: ListConsultationsQuery,
): Promise<{ items: ConsultationSummary[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(consultations.organizationId, ctx.organizationId)];
  if (query.status) where.push(eq(consultations.status, query.status));
  if (query.providerId) where.push(eq(consultations.providerId, query.providerId));
  if (query.providerDocumentNumber) where.push(eq(providers.documentNumber, query.providerDocumentNumber));
  if (query.patientDocumentType) where.push(eq(patients.documentType, query.patientDocumentType));
  if (query.patientDocumentNumber) where.push(eq(patients.documentNumber, query.patientDocumentNumber));
  if (query.from) where.push(gte(consultations.startsAt, rangeBound(query.from, "from", ctx.timeZone)));
  if (query.to) where.push(lt(consultations.startsAt, rangeBound(query.to, "to", ctx.timeZone)));
  if (query.noShow) where.push(eq(consultations.noShow, query.noShow));
  if (query.cursor) {
    const [startsAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(startsAt!);
    if (Number.isNaN(at.getTime()) || !isUuid(id)) throw AppError.badRequest("invalid_cursor", "The cursor is not valid.", "cursor");
    where.push(or(lt(consultations.startsAt, at), and(eq(consultations.startsAt, at), lt(consultations.id, id!))));
  }
  const rows = await db
    .select(recordColumns)
    .from(consultations)
    .innerJoin(providers, eq(providers.id, consultations.providerId))
    .innerJoin(patients, eq(patients.id, consultations.patientId))
    .where(and(...where))
    .orderBy(desc(consultations.startsAt), desc(consultations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const catalogs = await loadCatalogs(db);
  return {
    items: page.map((row) => consultationSummary(row, catalogs, ctx.timeZone)),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.startsAt.toISOString(), last.id]) : null,
  };
}

function rangeBound(value: string, field: "from" | "to", timeZone: string): Date {
  const refuse = (message: string) => AppError.badRequest("invalid_date", message, field);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isLocalDate(value)) throw refuse("is not a real date");
    if (!isInCalendar(value)) throw refuse(OUTSIDE_CALENDAR_MESSAGE);
    // A bare date as the end of a range means "through that day": up to the next day's start.
    const instant = startOfLocalDay(field === "to" ? nextDate(value)! : value, timeZone);
    if (!instant) throw refuse("is not a real date");
    return instant;
  }
  const parsed = parseLocal(value, timeZone);
  if (parsed.ok) return parsed.instant;
  if (parsed.reason === "range") throw refuse(OUTSIDE_CALENDAR_MESSAGE);
  if (parsed.reason === "format") throw refuse("must be yyyy-MM-dd or yyyy-MM-dd HH:mm");
  throw refuse(parsed.reason === "nonexistent" ? `does not exist in ${timeZone} (a daylight-saving gap)` : "is not a real date and time");
}
