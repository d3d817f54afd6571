import { and, asc, eq, gt, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { medicalSpecialties, professionalTypes, providers } from "@/db/schema";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { decodeCursor, encodeCursor } from "@/lib/pagination/cursor";
import { byName, likeLiteral } from "@/lib/search";
import { storable } from "@/lib/validation/text";
import { tellApart } from "./tell-apart";
import { providerViewColumns, providerViewOf } from "./view";

export const listProvidersQuerySchema = z
  .object({
    professionalType: storable(z.string().trim().min(1)).optional(),
    specialtyCode: storable(z.string().trim().min(1)).optional(),
    name: storable(z.string().trim().min(1).max(100)).optional().describe("Part of the name, case-insensitive."),
    active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: storable(z.string().trim().min(1)).optional(),
  })
  .meta({ id: "ListProvidersQuery" });

export const providerSchema = z
  .object({
    providerId: z.uuid(),
    name: z.string(),
    documentType: z.enum(DOCUMENT_TYPES),
    documentNumber: z.string(),
    professionalType: z.string().describe("Catalog code, e.g. MedicoEspecialista."),
    professionalTypeName: z.string().describe("Display name, e.g. Médico Especialista."),
    specialty: z.object({ specialtyId: z.uuid(), specialtyCode: z.string(), specialtyName: z.string() }).nullable(),
    phone: z.string(),
    email: z.string(),
    professionalLicense: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: "Provider" });

export type ProviderView = z.infer<typeof providerSchema>;

/** The organization's providers, by name, with keyset pagination. */
export async function listProviders(
  db: Db,
  organizationId: string,
  query: z.infer<typeof listProvidersQuerySchema>,
): Promise<{ items: ProviderView[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(providers.organizationId, organizationId)];
  if (query.professionalType) where.push(eq(providers.professionalType, query.professionalType));
  if (query.specialtyCode) where.push(eq(medicalSpecialties.code, query.specialtyCode));
  if (query.name) where.push(ilike(providers.name, `%${likeLiteral(query.name)}%`));
  if (query.active !== undefined) where.push(eq(providers.active, query.active));
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    where.push(or(gt(providers.name, name!), and(eq(providers.name, name!), gt(providers.id, id!))));
  }
  const rows = await db
    .select(providerViewColumns)
    .from(providers)
    .innerJoin(professionalTypes, eq(professionalTypes.code, providers.professionalType))
    .leftJoin(medicalSpecialties, eq(medicalSpecialties.id, providers.medicalSpecialtyId))
    .where(and(...where))
    .orderBy(asc(providers.name), asc(providers.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(providerViewOf),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.providerId]) : null,
  };
}

export type ProviderChoice = { id: string; name: string; active: boolean; tellApart: string | null };

/** Every provider of the organization as a choice for a filter or a form: id, name, active, and what tells same-named ones apart. */
export async function listProviderChoices(db: Db, organizationId: string): Promise<ProviderChoice[]> {
  const rows = await db
    .select({ id: providers.id, name: providers.name, active: providers.active, documentType: providers.documentType, documentNumber: providers.documentNumber })
    .from(providers)
    .where(eq(providers.organizationId, organizationId))
    .orderBy(asc(providers.name), asc(providers.id));
  return tellApart(rows);
}

export type BookableProvider = { id: string; name: string; professionalType: string; professionalTypeName: string; specialtyCode: string | null; tellApart: string | null };

/**
 * Every active provider of the organization, by name: what the New consultation form offers. No
 * limit on purpose (a clinic has hundreds of providers at most); deactivated ones are never offered.
 */
export async function listBookableProviders(db: Db, organizationId: string): Promise<BookableProvider[]> {
  const rows = await db
    .select({
      id: providers.id,
      name: providers.name,
      professionalType: providers.professionalType,
      professionalTypeName: professionalTypes.name,
      specialtyCode: medicalSpecialties.code,
      documentType: providers.documentType,
      documentNumber: providers.documentNumber,
    })
    .from(providers)
    .innerJoin(professionalTypes, eq(professionalTypes.code, providers.professionalType))
    .leftJoin(medicalSpecialties, eq(medicalSpecialties.id, providers.medicalSpecialtyId))
    .where(and(eq(providers.organizationId, organizationId), eq(providers.active, true)))
    // By name as people read it ("Álvaro" beside "Alberto"), as the providers table sorts.
    .orderBy(asc(byName(providers.name)), asc(providers.id));
  return tellApart(rows);
}

export * from "./manage";
export * from "./rules";
export * from "./view";
