import { isValidPhoneNumber, parsePhoneNumberWithError } from "libphonenumber-js";
import { z } from "zod";
import { CONSULTATION_DURATIONS, noShow } from "@/db/schema";
import { plainName, storable } from "@/lib/validation/text";

/** One zod schema per contract: the handler, the dashboard form and the OpenAPI document use these. */

export const DOCUMENT_TYPES = ["CC", "TI", "CE", "RC", "PAS"] as const;
export const CONSULTATION_STATUSES = ["Pending", "InProgress", "Completed", "Expired"] as const;
export const MINIMUM_NOTICE_MINUTES = 15;
/** How far ahead a consultation may be scheduled: two years (730 days), time enough for a yearly check-up's next one. */
export const MAXIMUM_SCHEDULE_DAYS = 730;

/** One line of visible text, such as a person's name (no control or invisible characters). */
const text = (min: number, max: number, what = "characters") =>
  plainName(
    z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
      .trim()
      .min(min, `must be at least ${min} ${what}`)
      .max(max, `must be at most ${max} ${what}`),
  );

export const documentTypeSchema = z.enum(DOCUMENT_TYPES, {
  error: (issue) => (issue.input === undefined ? "is required" : `must be one of ${DOCUMENT_TYPES.join(", ")}`),
});

export const documentNumberSchema = text(8, 20).regex(/^[A-Za-z0-9]+$/, "must contain only letters and digits");

/** A phone in international format (+ and country code), stored as E.164. */
export const phoneSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .trim()
  .refine((value) => value.startsWith("+") && isValidPhoneNumber(value), {
    message: "must be a valid phone number in international format, e.g. +573001234567",
  })
  .transform((value) => parsePhoneNumberWithError(value).number as string);

export const emailSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .trim()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ message: "must be a valid email address" }));

const codeSchema = (what: string) =>
  plainName(
    z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
      .trim()
      .min(1, `must name a ${what}`)
      .max(60),
  );

export const providerInputSchema = z
  .object({
    name: text(10, 50),
    documentType: documentTypeSchema,
    documentNumber: documentNumberSchema,
    professionalType: codeSchema("professional type from the catalog"),
    medicalSpecialtyCode: codeSchema("medical specialty from the catalog").nullish(),
    phone: phoneSchema,
    email: emailSchema,
    professionalLicense: text(1, 50).nullish(),
  })
  .meta({ id: "ProviderInput" });

export const patientInputSchema = z
  .object({
    documentType: documentTypeSchema,
    documentNumber: documentNumberSchema,
    name: text(3, 100),
    phone: phoneSchema,
    email: emailSchema,
  })
  .meta({ id: "PatientInput" });

export const durationSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "is required" : "must be a number of minutes") })
  .refine((value) => (CONSULTATION_DURATIONS as readonly number[]).includes(value), {
    message: `must be one of ${CONSULTATION_DURATIONS.join(", ")}`,
  });

export const localDateTimeSchema = z
  .string({ error: "must be a string in yyyy-MM-dd HH:mm format" })
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, "must be in yyyy-MM-dd HH:mm format");

/** The body of `POST /api/consultations`, field by field as the seed documents it. */
export const createConsultationSchema = z
  .object({
    provider: providerInputSchema,
    patient: patientInputSchema,
    consultationType: codeSchema("consultation type from the catalog"),
    durationMinutes: durationSchema,
    scheduledAt: localDateTimeSchema
      .nullish()
      .describe(
        `yyyy-MM-dd HH:mm in the organization's timezone, at least ${MINIMUM_NOTICE_MINUTES} minutes and at most ${MAXIMUM_SCHEDULE_DAYS} days (two years) ahead; an impossible date or time (2026-02-30 10:00, 24:00) is refused. Omit for an immediate consultation.`,
      ),
  })
  .meta({ id: "CreateConsultationRequest" });

export type CreateConsultationInput = z.infer<typeof createConsultationSchema>;

/** Who did not come, as the API and the webhooks say it (lib/rooms/no-show.ts decides). */
export const NO_SHOWS = noShow.enumValues;

/** The rule, once, for the OpenAPI document (consultations and their webhooks). */
export const NO_SHOW_DESCRIPTION =
  "Who never joined the call, recorded when the consultation ends: `patient` (the provider joined, the patient never did), `provider` (the patient joined, the provider never did), `both` (neither did: it expired with nobody in it, or only a guest joined). Null while the consultation is `Pending` or `InProgress`, when both joined (however briefly), and when the clinic cancelled it (`expirationReason: cancelled`: the clinic's decision, not a no-show). Guests (companions, interpreters) count for neither side.";

export const noShowSchema = z.enum(NO_SHOWS).nullable().describe(NO_SHOW_DESCRIPTION);

const specialtyFields = {
  specialtyId: z.uuid().optional(),
  specialtyCode: z.string().optional(),
  specialtyName: z.string().optional(),
};

export const consultationSchema = z
  .object({
    consultationId: z.uuid(),
    accessPin: z.string().regex(/^\d{6}$/),
    participantAccess: z.object({ patientUrl: z.url(), providerUrl: z.url() }),
    expiredAt: z.string().describe("Start plus duration, yyyy-MM-dd HH:mm in the organization's timezone."),
    provider: z.object({ name: z.string(), professionalType: z.string().describe("Display name of the professional type."), ...specialtyFields }),
    patient: z.object({ documentType: z.enum(DOCUMENT_TYPES), documentNumber: z.string(), name: z.string() }),
    consultationType: z.string(),
    scheduledAt: z.string().describe("Start time; for an immediate consultation, the time it was created."),
    immediate: z.boolean(),
    durationMinutes: z.number(),
    status: z.enum(CONSULTATION_STATUSES),
    createdAt: z.string(),
    noShow: noShowSchema,
  })
  .meta({ id: "Consultation" });

export type ConsultationView = z.infer<typeof consultationSchema>;

export const consultationSummarySchema = consultationSchema
  .omit({ accessPin: true, participantAccess: true })
  .meta({ id: "ConsultationSummary" });

export type ConsultationSummary = z.infer<typeof consultationSummarySchema>;

const optionalQuery = storable(z.string().trim().min(1)).optional();

export const listConsultationsQuerySchema = z
  .object({
    status: z.enum(CONSULTATION_STATUSES).optional(),
    providerDocumentNumber: optionalQuery,
    providerId: z.uuid().optional(),
    patientDocumentType: z.enum(DOCUMENT_TYPES).optional(),
    patientDocumentNumber: optionalQuery,
    from: optionalQuery.describe(
      "Start of the range (inclusive): yyyy-MM-dd or yyyy-MM-dd HH:mm, organization timezone, a real date between 2000-01-01 and 2100-12-31.",
    ),
    to: optionalQuery.describe("End of the range (exclusive; a date alone means the end of that day), as `from`."),
    noShow: z.enum(NO_SHOWS).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: optionalQuery,
  })
  .meta({ id: "ListConsultationsQuery" });

export type ListConsultationsQuery = z.infer<typeof listConsultationsQuerySchema>;
