import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Db } from "@/db/client";
import { consultations, patients, providers, roomParticipants, rooms } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import type { Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { parseLocal } from "@/lib/time";
import { consultationSummary, consultationView } from "./present";
import type { ConsultationSummary, ConsultationView, ListConsultationsQuery } from "./schema";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
};

// Read on every GET: built once per database handle and prepared on each connection.
const byIdStatements = new WeakMap<object, ReturnType<typeof prepareGetById>>();

function prepareGetById(db: Database) {
  const patientAccess = alias(roomParticipants, "patient_access");
  const providerAccess = alias(roomParticipants, "provider_access");
  return db
    .select({
      ...recordColumns,
      pinSealed: consultations.accessPinSealed,
      patientToken: patientAccess.accessTokenSealed,
      providerToken: providerAccess.accessTokenSealed,
    })
    .from(consultations)
    .innerJoin(providers, eq(providers.id, consultations.providerId))
    .innerJoin(patients, eq(patients.id, consultations.patientId))
    .innerJoin(rooms, eq(rooms.consultationId, consultations.id))
    .innerJoin(patientAccess, and(eq(patientAccess.roomId, rooms.id), eq(patientAccess.role, "patient")))
    .innerJoin(providerAccess, and(eq(providerAccess.roomId, rooms.id), eq(providerAccess.role, "provider")))
    .where(and(eq(consultations.id, sql.placeholder("id")), eq(consultations.organizationId, sql.placeholder("organizationId"))))
    .limit(1)
    .prepare("get_consultation_by_id");
}

/** One consultation of the organization, with its PIN and links; another organization's id is not found. */
export async function getConsultation(
  db: Database,
  ctx: { organizationId: string; timeZone: string; appUrl: string; sealer: Sealer },
  consultationId: string,
): Promise<ConsultationView> {
  if (!UUID.test(consultationId)) throw AppError.notFound("Consultation");
  let statement = byIdStatements.get(db);
  if (!statement) byIdStatements.set(db, (statement = prepareGetById(db)));
  const [row] = await statement.execute({ id: consultationId, organizationId: ctx.organizationId });
  if (!row) throw AppError.notFound("Consultation");
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
  if (query.cursor) {
    const [startsAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(startsAt!);
    if (Number.isNaN(at.getTime()) || !UUID.test(id!)) throw AppError.badRequest("invalid_cursor", "The cursor is not valid.", "cursor");
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
  let local = value;
  if (field === "to" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // A bare date as the end of a range means "through that day": up to the next midnight.
    const next = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(next.getTime())) local = new Date(next.getTime() + 86_400_000).toISOString().slice(0, 10);
  }
  const parsed = parseLocal(local, timeZone, { allowDateOnly: true });
  if (!parsed.ok) throw AppError.badRequest("invalid_date", "must be yyyy-MM-dd or yyyy-MM-dd HH:mm", field);
  return parsed.instant;
}
