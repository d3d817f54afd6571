import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { providers } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import { createConsultation, type OrganizationContext } from "@/lib/consultations/create";
import type { ConsultationView } from "@/lib/consultations/schema";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";

/** What the dashboard's form sends: the API's body, with the provider picked by id. */
export type NewConsultationForm = {
  providerId: string;
  medicalSpecialtyCode?: string;
  patient: { documentType: string; documentNumber: string; name: string; phone: string; email: string };
  consultationType: string;
  durationMinutes: string;
  /** `now` or `scheduled`. */
  when: string;
  /** `yyyy-MM-ddTHH:mm` from a datetime-local field, in the organization's timezone. */
  scheduledAt?: string;
};

/**
 * Schedules a consultation from the dashboard through the API's own rules (same schema, same
 * checks, same 409 on a double booking): the form's provider becomes the API's provider block
 * from the stored record, and field errors keep the API's names (`patient.phone`).
 */
export async function scheduleConsultation(db: Database, ctx: OrganizationContext, form: NewConsultationForm): Promise<ConsultationView> {
  const provider = isUuid(form.providerId)
    ? (await db.select().from(providers).where(and(eq(providers.id, form.providerId), eq(providers.organizationId, ctx.organizationId))))[0]
    : undefined;
  if (!provider || !provider.active) throw AppError.validation([{ field: "providerId", code: "required", message: "choose one of the clinic's active providers" }]);
  if (form.when === "scheduled" && !form.scheduledAt?.trim()) {
    throw AppError.validation([{ field: "scheduledAt", code: "required", message: "is required for a scheduled consultation" }]);
  }
  const catalogs = await loadCatalogs(db);
  // An empty field is a missing one ("is required"), as it would be in the API's JSON.
  const given = (value: string) => (value.trim() === "" ? undefined : value);
  const requiresSpecialty = catalogs.professionalType.get(provider.professionalType)?.requiresSpecialty ?? false;
  const body = {
    provider: {
      name: provider.name,
      documentType: provider.documentType,
      documentNumber: provider.documentNumber,
      professionalType: provider.professionalType,
      phone: provider.phone,
      email: provider.email,
      professionalLicense: provider.professionalLicense,
      ...(requiresSpecialty ? { medicalSpecialtyCode: form.medicalSpecialtyCode?.trim() ? form.medicalSpecialtyCode : undefined } : {}),
    },
    patient: Object.fromEntries(Object.entries(form.patient).map(([key, value]) => [key, given(value)])),
    consultationType: given(form.consultationType),
    durationMinutes: form.durationMinutes.trim() === "" ? undefined : Number(form.durationMinutes),
    scheduledAt: form.when === "scheduled" ? form.scheduledAt!.trim().replace("T", " ") : undefined,
  };
  try {
    return await createConsultation(db, { ...ctx, catalogs }, body);
  } catch (error) {
    if (error instanceof AppError && error.code === "validation_error") {
      // The provider's stored record is not the form's to fix: say so on the provider field.
      const details = error.details.map((d) =>
        d.field.startsWith("provider.") && d.field !== "provider.medicalSpecialtyCode"
          ? { field: "providerId", code: "provider_record", message: `this provider's record needs fixing in Providers (${d.field.slice(9)} ${d.message})`, params: { field: d.field.slice(9) } }
          : d,
      );
      throw AppError.validation(details, error.message);
    }
    throw error;
  }
}
