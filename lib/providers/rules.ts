import type { z } from "zod";
import type { CatalogIndex } from "@/lib/catalogs";
import { providerInputSchema } from "@/lib/consultations/schema";
import { AppError, type FieldError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";

export type ProviderInput = z.infer<typeof providerInputSchema>;

/**
 * The provider rules the schema cannot know: a professional type from the catalog, and a catalog
 * specialty exactly when that type requires one. The API's consultation body (`provider.` prefix)
 * and the dashboard's provider form (no prefix) both check them here. `schemaErrors` are the
 * schema's own refusals, so a field already at fault is not reported twice.
 */
export function providerCatalogErrors(
  raw: unknown,
  catalogs: CatalogIndex,
  schemaErrors: FieldError[],
  prefix = "",
): { errors: FieldError[]; specialtyId: string | null } {
  const name = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const failed = (field: string) => schemaErrors.some((e) => e.field === name(field));
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) => errors.push({ field: name(field), code, message });

  const provider = typeof raw === "object" && raw ? (raw as Record<string, unknown>) : {};
  const professionalCode = typeof provider.professionalType === "string" ? provider.professionalType.trim() : undefined;
  const professional = professionalCode ? catalogs.professionalType.get(professionalCode) : undefined;
  if (professionalCode && !professional && !failed("professionalType")) {
    add("professionalType", "unknown_professional_type", `must be one of ${[...catalogs.professionalType.keys()].join(", ")}`);
  }

  const specialtyRaw = provider.medicalSpecialtyCode;
  const specialtySent = specialtyRaw !== undefined && specialtyRaw !== null;
  let specialtyId: string | null = null;
  if (professional?.requiresSpecialty) {
    if (!specialtySent) {
      add("medicalSpecialtyCode", "specialty_required", `is required when professionalType is ${professional.code}`);
    } else if (typeof specialtyRaw === "string" && !failed("medicalSpecialtyCode")) {
      const specialty = catalogs.specialtyByCode.get(specialtyRaw.trim());
      if (specialty) specialtyId = specialty.id;
      else add("medicalSpecialtyCode", "unknown_specialty", "is not a medical specialty in the catalog (see GET /api/catalogs)");
    }
  } else if (professional && specialtySent && !failed("medicalSpecialtyCode")) {
    add("medicalSpecialtyCode", "specialty_not_allowed", `must not be sent when professionalType is ${professional.code}`);
  }
  return { errors, specialtyId };
}

/** A provider record as the API's provider block defines it, every bad field reported at once. */
export function checkProvider(body: unknown, catalogs: CatalogIndex): { input: ProviderInput; specialtyId: string | null } {
  const parsed = providerInputSchema.safeParse(body);
  const schemaErrors = parsed.success ? [] : fieldErrorsOf(parsed.error);
  const { errors, specialtyId } = providerCatalogErrors(body, catalogs, schemaErrors);
  const all = [...schemaErrors, ...errors];
  if (!parsed.success || all.length > 0) throw AppError.validation(all);
  return { input: parsed.data, specialtyId };
}
