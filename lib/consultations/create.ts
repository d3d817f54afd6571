import { driverOf, type Db } from "@/db/client";
import { loadCatalogs, type CatalogIndex } from "@/lib/catalogs";
import { randomPin, randomToken, sha256, type Sealer } from "@/lib/crypto";
import { AppError, postgresErrorOf, type FieldError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { recordEvent } from "@/lib/outbox";
import { providerCatalogErrors } from "@/lib/providers/rules";
import { formatLocal, parseLocal } from "@/lib/time";
import { consultationView } from "./present";
import { createConsultationSchema, MAXIMUM_SCHEDULE_DAYS, MINIMUM_NOTICE_MINUTES, type ConsultationView, type CreateConsultationInput } from "./schema";

export type OrganizationContext = {
  organizationId: string;
  timeZone: string;
  appUrl: string;
  sealer: Sealer;
  now?: Date;
  /** Catalogs already loaded (inside a transaction they are not cached). */
  catalogs?: CatalogIndex;
};

type Checked = { input: CreateConsultationInput; startsAt: Date; immediate: boolean; specialtyId: string | null };

/**
 * Checks a create-consultation body against the contract and the catalogs, reporting every
 * bad field at once.
 */
export function checkCreateConsultation(body: unknown, catalogs: CatalogIndex, timeZone: string, now: Date): Checked {
  const parsed = createConsultationSchema.safeParse(body);
  const errors: FieldError[] = parsed.success ? [] : fieldErrorsOf(parsed.error);
  const failed = (field: string) => errors.some((e) => e.field === field);
  const add = (field: string, code: string, message: string, params?: FieldError["params"]) => errors.push({ field, code, message, ...(params ? { params } : {}) });

  const raw = (body ?? {}) as { provider?: unknown; consultationType?: unknown; scheduledAt?: unknown };
  // The provider block's catalog rules are shared with the dashboard's provider form.
  const providerCheck = providerCatalogErrors(raw.provider, catalogs, errors, "provider");
  errors.push(...providerCheck.errors);
  const specialtyId = providerCheck.specialtyId;

  const consultationCode = typeof raw.consultationType === "string" ? raw.consultationType.trim() : undefined;
  if (consultationCode && !catalogs.consultationType.has(consultationCode) && !failed("consultationType")) {
    add("consultationType", "unknown_consultation_type", `must be one of ${[...catalogs.consultationType.keys()].join(", ")}`);
  }

  let startsAt = now;
  const immediate = raw.scheduledAt === undefined || raw.scheduledAt === null;
  if (!immediate && typeof raw.scheduledAt === "string" && !failed("scheduledAt")) {
    const local = parseLocal(raw.scheduledAt, timeZone);
    const latest = new Date(now.getTime() + MAXIMUM_SCHEDULE_DAYS * 86_400_000);
    const tooEarly = () =>
      add(
        "scheduledAt",
        "insufficient_notice",
        `must be at least ${MINIMUM_NOTICE_MINUTES} minutes in the future (it is now ${formatLocal(now, timeZone)} in ${timeZone})`,
        { minutes: MINIMUM_NOTICE_MINUTES },
      );
    const tooLate = () =>
      add(
        "scheduledAt",
        "too_far_ahead",
        `must be at most ${MAXIMUM_SCHEDULE_DAYS} days ahead (no later than ${formatLocal(latest, timeZone)} in ${timeZone})`,
        { days: MAXIMUM_SCHEDULE_DAYS },
      );
    if (!local.ok && local.reason === "range") {
      // A real date outside the calendar is far in the past or far in the future.
      if (raw.scheduledAt > formatLocal(now, timeZone)) tooLate();
      else tooEarly();
    } else if (!local.ok) {
      add(
        "scheduledAt",
        "invalid_date",
        local.reason === "nonexistent" ? `does not exist in ${timeZone} (a daylight-saving gap)` : "is not a real date and time",
        { reason: local.reason === "nonexistent" ? "nonexistent" : "not_a_date", timeZone },
      );
    } else if (local.instant.getTime() < now.getTime() + MINIMUM_NOTICE_MINUTES * 60_000) {
      tooEarly();
    } else if (local.instant.getTime() > latest.getTime()) {
      tooLate();
    } else {
      startsAt = local.instant;
    }
  }

  if (errors.length > 0 || !parsed.success) throw AppError.validation(errors);
  return { input: parsed.data, startsAt, immediate, specialtyId };
}

// Statements below are named (`.prepare`) so postgres.js keeps their plans per connection.

/** Creates a consultation with its room and both join links, and records `consultation.created`. */
export async function createConsultation(db: Db, ctx: OrganizationContext, body: unknown): Promise<ConsultationView> {
  const now = ctx.now ?? new Date();
  const catalogs = ctx.catalogs ?? (await loadCatalogs(db));
  const { input, startsAt, immediate, specialtyId } = checkCreateConsultation(body, catalogs, ctx.timeZone, now);
  const endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
  const pin = randomPin();
  const patientToken = randomToken(32);
  const providerToken = randomToken(32);

  try {
    return await db.transaction(async (tx) => {
      // The statements as postgres.js templates, not drizzle's builders: this is the API's
      // busiest write, and building them cost more CPU than running them (bench/api).
      const sql = driverOf(tx);
      const at = now.toISOString();
      const organizationId = ctx.organizationId;
      const p = input.provider;
      const [provider] = await sql<{ id: string; active: boolean }[]>`
        insert into providers (organization_id, name, document_type, document_number, professional_type, medical_specialty_id,
                               phone, email, professional_license)
        values (${organizationId}, ${p.name}, ${p.documentType}, ${p.documentNumber}, ${p.professionalType}, ${specialtyId},
                ${p.phone}, ${p.email}, ${p.professionalLicense ?? null})
        on conflict (organization_id, document_type, document_number) do update set
          name = excluded.name, professional_type = excluded.professional_type, medical_specialty_id = excluded.medical_specialty_id,
          phone = excluded.phone, email = excluded.email,
          professional_license = coalesce(excluded.professional_license, providers.professional_license), updated_at = ${at}
        returning id, active`;
      if (!provider!.active) {
        throw AppError.conflict("provider_inactive", "This provider is deactivated in the organization and cannot take consultations.", [
          { field: "provider.documentNumber", code: "provider_inactive", message: "belongs to a deactivated provider" },
        ]);
      }

      const q = input.patient;
      const [patient] = await sql<{ id: string }[]>`
        insert into patients (organization_id, name, document_type, document_number, phone, email)
        values (${organizationId}, ${q.name}, ${q.documentType}, ${q.documentNumber}, ${q.phone}, ${q.email})
        on conflict (organization_id, document_type, document_number) do update set
          name = excluded.name, phone = excluded.phone, email = excluded.email, updated_at = ${at}
        returning id`;

      const [consultation] = await sql<{ id: string; status: ConsultationView["status"] }[]>`
        insert into consultations (organization_id, provider_id, patient_id, consultation_type, medical_specialty_id, immediate,
                                   starts_at, ends_at, duration_minutes, access_pin_sealed, created_at, updated_at)
        values (${organizationId}, ${provider!.id}, ${patient!.id}, ${input.consultationType}, ${specialtyId}, ${immediate},
                ${startsAt.toISOString()}, ${endsAt.toISOString()}, ${input.durationMinutes}, ${ctx.sealer.seal(pin)}, ${at}, ${at})
        returning id, status`;

      const [room] = await sql<{ id: string }[]>`
        insert into rooms (organization_id, consultation_id) values (${organizationId}, ${consultation!.id}) returning id`;
      // The patient takes the column's default privilege (basic); the provider hosts (plus).
      await sql`
        insert into room_participants (organization_id, room_id, role, privilege, display_name, patient_id, provider_id,
                                       access_token_hash, access_token_sealed)
        values (${organizationId}, ${room!.id}, 'patient', default, ${q.name}, ${patient!.id}, null,
                ${sha256(patientToken)}, ${ctx.sealer.seal(patientToken)}),
               (${organizationId}, ${room!.id}, 'provider', 'plus', ${p.name}, null, ${provider!.id},
                ${sha256(providerToken)}, ${ctx.sealer.seal(providerToken)})`;

      await recordEvent(tx, {
        organizationId: ctx.organizationId,
        event: "consultation.created",
        aggregateType: "consultation",
        aggregateId: consultation!.id,
        occurredAt: now,
        payload: {
          consultationId: consultation!.id,
          status: consultation!.status,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          immediate,
          providerId: provider!.id,
          patientId: patient!.id,
        },
      });

      return consultationView(
        {
          id: consultation!.id,
          status: consultation!.status,
          immediate,
          startsAt,
          endsAt,
          durationMinutes: input.durationMinutes,
          consultationType: input.consultationType,
          medicalSpecialtyId: specialtyId,
          createdAt: now,
          providerName: p.name,
          providerProfessionalType: p.professionalType,
          patientName: q.name,
          patientDocumentType: q.documentType,
          patientDocumentNumber: q.documentNumber,
        },
        { pin, patientToken, providerToken, appUrl: ctx.appUrl },
        catalogs,
        ctx.timeZone,
      );
    });
  } catch (error) {
    throw scheduleConflictOf(error) ?? error;
  }
}

/** The exclusion constraints' refusals, as the contract's 409. */
function scheduleConflictOf(error: unknown): AppError | undefined {
  const pg = postgresErrorOf(error);
  if (pg?.code !== "23P01") return undefined;
  const who = pg.constraint_name === "consultations_patient_no_overlap" ? "patient" : "provider";
  return AppError.conflict(
    "schedule_conflict",
    `The ${who} already has a consultation at that time.`,
    [{ field: who, code: "schedule_conflict", message: `already has a live consultation overlapping this time` }],
  );
}
