import { z } from "zod";
import type { Catalogs } from "@/lib/catalogs";
import { API_VERSION } from "@/lib/config";
import type { Health } from "@/lib/health";

/**
 * Shapes the API answers with that have no contract schema of their own elsewhere: the
 * envelopes, the catalogs and the health report. They carry no `.meta({ id })` (the
 * document files them under its own names), so they cannot collide with other ids in
 * zod's global registry.
 */

export const metadataSchema = z.object({
  requestId: z.string().describe("Identifies this request (also in the `X-Request-Id` header). Quote it when asking for support."),
  timestamp: z.iso.datetime().describe("When the response was made: ISO 8601 in UTC, to the second."),
  version: z.literal(API_VERSION).describe("The API version."),
});

export const paginationSchema = z.object({
  limit: z.number().int().describe("The page size that was applied."),
  nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page."),
  hasMore: z.boolean().describe("Whether another page follows."),
});

export const fieldErrorSchema = z.object({
  field: z.string().describe("Dotted path of the offending field (`provider.phone`), or a header name, or `body`."),
  message: z.string().describe("What is wrong, in English, for a developer."),
  code: z.string().describe("Machine-readable reason, e.g. `too_small`, `specialty_required`, `insufficient_notice`."),
});

export const errorBodySchema = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.string().describe("Machine-readable error code; see the error table."),
    message: z.string().describe("Human-readable summary."),
    details: z.array(fieldErrorSchema).optional().describe("One entry per problem, present when the error concerns specific fields."),
  }),
  metadata: metadataSchema,
});

export const catalogsSchema = z.object({
  professionalTypes: z
    .array(
      z.object({
        code: z.string().describe("Value for `provider.professionalType`."),
        name: z.string().describe("Display name."),
        requiresSpecialty: z.boolean().describe("Whether `provider.medicalSpecialtyCode` is required (and otherwise refused)."),
      }),
    )
    .describe("Professional types, in display order."),
  consultationTypes: z
    .array(z.object({ code: z.string().describe("Value for `consultationType`."), name: z.string() }))
    .describe("Consultation types, in display order."),
  medicalSpecialties: z
    .array(z.object({ id: z.uuid(), code: z.string().describe("Value for `provider.medicalSpecialtyCode`."), name: z.string() }))
    .describe("Medical specialties, by code."),
  durations: z.array(z.number().int()).describe("Allowed values of `durationMinutes`."),
});

export const healthSchema = z.object({
  probe: z.enum(["live", "ready"]).describe("Which check ran: `live` (the process answers) or `ready` (the database answers too)."),
  live: z.literal(true),
  ready: z.boolean(),
  checks: z.object({
    database: z.object({
      ok: z.boolean(),
      latencyMs: z.number().optional().describe("Round trip of `select 1`, when it was checked."),
      error: z.string().optional(),
    }),
  }),
});

/** Professional types whose providers must send `medicalSpecialtyCode` (the catalog's `requiresSpecialty`). */
export const SPECIALIST_PROFESSIONAL_TYPES = ["MedicoEspecialista"] as const;

// The local schemas must describe what the code really returns: these fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type CatalogsSchemaMatches = Assert<Same<z.infer<typeof catalogsSchema>, Omit<Catalogs, "durations"> & { durations: number[] }>>;
export type HealthSchemaMatches = Assert<Same<z.infer<typeof healthSchema>, Health>>;
