import { and, asc, count, eq, ilike, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { consultations, medicalSpecialties, professionalTypes, providers } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { byName, likeLiteral } from "@/lib/search";
import { storable } from "@/lib/validation/text";
import type { ProviderView } from ".";
import { providerViewColumns, providerViewOf } from "./view";
import { checkProvider, type ProviderInput } from "./rules";

/**
 * The dashboard's provider management: add, edit, deactivate and reactivate, every call scoped to
 * one organization. A record follows the API's provider rules (see rules.ts), so a provider added
 * here is one the API would accept, and the other way round.
 */

export type ProviderRecord = ProviderView & { updatedAt: Date };

/** The fields of the provider form, as the API names them. */
export const PROVIDER_FIELDS = [
  "name",
  "documentType",
  "documentNumber",
  "professionalType",
  "medicalSpecialtyCode",
  "phone",
  "email",
  "professionalLicense",
] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];

/**
 * A submitted form as the API's provider block: an empty field is a missing one, as it would be
 * in JSON (so a blank required field "is required", and a blank licence or specialty is none).
 */
export function providerBodyFromForm(form: Partial<Record<ProviderField, string>>): Record<string, string> {
  const body: Record<string, string> = {};
  for (const field of PROVIDER_FIELDS) {
    const value = form[field];
    if (value !== undefined && value.trim() !== "") body[field] = value;
  }
  return body;
}

async function readProvider(db: Db, organizationId: string, providerId: string): Promise<ProviderRecord | undefined> {
  const [row] = await db
    .select({ ...providerViewColumns, updatedAt: providers.updatedAt })
    .from(providers)
    .innerJoin(professionalTypes, eq(professionalTypes.code, providers.professionalType))
    .leftJoin(medicalSpecialties, eq(medicalSpecialties.id, providers.medicalSpecialtyId))
    .where(and(eq(providers.id, providerId), eq(providers.organizationId, organizationId)));
  if (!row) return undefined;
  const { updatedAt, ...view } = row;
  return { ...providerViewOf(view), updatedAt };
}

/** One provider of the organization; undefined for another organization's id or one that is not an id. */
export async function getProvider(db: Db, organizationId: string, providerId: string): Promise<ProviderRecord | undefined> {
  return isUuid(providerId) ? readProvider(db, organizationId, providerId) : undefined;
}

async function mustGetProvider(db: Db, organizationId: string, providerId: string): Promise<ProviderRecord> {
  const provider = await getProvider(db, organizationId, providerId);
  if (!provider) throw AppError.notFound("Provider");
  return provider;
}

function documentTaken(holder?: { name: string; active: boolean }): AppError {
  const who = holder ? ` by ${holder.name}${holder.active ? "" : " (deactivated)"}` : " by another provider";
  return AppError.conflict("provider_document_taken", "Another provider of the organization has this document.", [
    { field: "documentNumber", code: "document_taken", message: `is already used${who}`, ...(holder ? { params: { holder: holder.name, active: String(holder.active) } } : {}) },
  ]);
}

/**
 * The table's unique key (organization, document type, number) is the API's way to recognise a
 * provider, so two records may not share it. Checked first to name the holder; the constraint
 * still decides when two saves race.
 */
async function refuseTakenDocument(db: Db, organizationId: string, input: ProviderInput, exceptId?: string): Promise<void> {
  const [holder] = await db
    .select({ name: providers.name, active: providers.active })
    .from(providers)
    .where(
      and(
        eq(providers.organizationId, organizationId),
        eq(providers.documentType, input.documentType),
        eq(providers.documentNumber, input.documentNumber),
        exceptId ? ne(providers.id, exceptId) : undefined,
      ),
    );
  if (holder) throw documentTaken(holder);
}

function duplicateOf(error: unknown): AppError | undefined {
  return postgresErrorOf(error)?.constraint_name === "providers_document_key" ? documentTaken() : undefined;
}

async function checked(db: Db, body: unknown) {
  return checkProvider(body, await loadCatalogs(db));
}

/** Adds a provider to the organization, active. */
export async function createProvider(db: Db, organizationId: string, body: unknown): Promise<ProviderRecord> {
  const { input, specialtyId } = await checked(db, body);
  await refuseTakenDocument(db, organizationId, input);
  try {
    const [row] = await db
      .insert(providers)
      .values({
        organizationId,
        name: input.name,
        documentType: input.documentType,
        documentNumber: input.documentNumber,
        professionalType: input.professionalType,
        medicalSpecialtyId: specialtyId,
        phone: input.phone,
        email: input.email,
        professionalLicense: input.professionalLicense ?? null,
      })
      .returning({ id: providers.id });
    return mustGetProvider(db, organizationId, row!.id);
  } catch (error) {
    throw duplicateOf(error) ?? error;
  }
}

/**
 * Replaces a provider's record with the form's (a blank licence clears it). Returns which fields
 * changed, for the audit log; another organization's provider is "not found".
 */
export async function updateProvider(
  db: Db,
  organizationId: string,
  providerId: string,
  body: unknown,
): Promise<{ provider: ProviderRecord; changed: ProviderField[] }> {
  const before = await mustGetProvider(db, organizationId, providerId);
  const { input, specialtyId } = await checked(db, body);
  await refuseTakenDocument(db, organizationId, input, providerId);
  const after = {
    name: input.name,
    documentType: input.documentType,
    documentNumber: input.documentNumber,
    professionalType: input.professionalType,
    medicalSpecialtyCode: specialtyId ? (input.medicalSpecialtyCode ?? null) : null,
    phone: input.phone,
    email: input.email,
    professionalLicense: input.professionalLicense ?? null,
  };
  const stored: Record<ProviderField, string | null> = { ...before, medicalSpecialtyCode: before.specialty?.specialtyCode ?? null };
  const changed = PROVIDER_FIELDS.filter((field) => (after[field]?.trim() ?? null) !== stored[field]);
  try {
    await db
      .update(providers)
      .set({
        name: after.name,
        documentType: after.documentType,
        documentNumber: after.documentNumber,
        professionalType: after.professionalType,
        medicalSpecialtyId: specialtyId,
        phone: after.phone,
        email: after.email,
        professionalLicense: after.professionalLicense,
        // Always moved, so the edit page's form starts afresh after every save.
        updatedAt: sql`now()`,
      })
      .where(and(eq(providers.id, providerId), eq(providers.organizationId, organizationId)));
  } catch (error) {
    throw duplicateOf(error) ?? error;
  }
  return { provider: await mustGetProvider(db, organizationId, providerId), changed };
}

/**
 * Deactivates or reactivates a provider. A deactivated provider is not offered for new
 * consultations (the dashboard form leaves them out, the API answers 409 provider_inactive); the
 * consultations they already have are kept. `changed` is false when it already was so.
 */
export async function setProviderActive(
  db: Db,
  organizationId: string,
  providerId: string,
  active: boolean,
): Promise<{ provider: ProviderRecord; changed: boolean }> {
  if (!isUuid(providerId)) throw AppError.notFound("Provider");
  const updated = await db
    .update(providers)
    .set({ active, updatedAt: sql`now()` })
    .where(and(eq(providers.id, providerId), eq(providers.organizationId, organizationId), ne(providers.active, active)))
    .returning({ id: providers.id });
  return { provider: await mustGetProvider(db, organizationId, providerId), changed: updated.length > 0 };
}

/** Consultations of this provider still waiting to happen: what a deactivation leaves in place. */
export async function pendingConsultationsOf(db: Db, organizationId: string, providerId: string): Promise<number> {
  if (!isUuid(providerId)) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(consultations)
    .where(and(eq(consultations.organizationId, organizationId), eq(consultations.providerId, providerId), eq(consultations.status, "Pending")));
  return row?.n ?? 0;
}

// The providers table of the dashboard, as its URL says it.

export const PROVIDER_TABLE_SIZE = 25;

const tableParams = {
  /** Part of the name (any case), or the start of the document number. */
  q: storable(z.string().trim().max(100, "must be at most 100 characters")).optional(),
  /** `inactive=1` lists deactivated providers too. */
  inactive: z
    .enum(["1", "true", "on", "0", "false", "off"], { error: "must be 1 or 0" })
    .transform((v) => v === "1" || v === "true" || v === "on")
    .default(false),
  page: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(100_000, "must be at most 100000").default(1),
};

export type ProviderTableQuery = { q?: string; inactive: boolean; page: number };
type TableParam = keyof typeof tableParams;

/** The table's query from a page's search params: a bad param falls back to its default and is reported. */
export function parseProviderTableQuery(searchParams: Record<string, string | string[] | undefined>): {
  query: ProviderTableQuery;
  invalid: { param: TableParam; message: string }[];
} {
  const invalid: { param: TableParam; message: string }[] = [];
  const query: Record<string, unknown> = {};
  for (const param of Object.keys(tableParams) as TableParam[]) {
    let raw = searchParams[param];
    if (Array.isArray(raw)) raw = raw[0];
    if (raw !== undefined && raw.trim() === "") raw = undefined;
    const schema: z.ZodType = tableParams[param];
    const parsed = schema.safeParse(raw);
    if (parsed.success) query[param] = parsed.data;
    else {
      invalid.push({ param, message: parsed.error.issues[0]?.message ?? "is not valid" });
      query[param] = schema.parse(undefined);
    }
  }
  return { query: query as ProviderTableQuery, invalid };
}

/** The URL search string for a table query (without `?`), defaults left out. */
export function providerTableSearch(query: Partial<ProviderTableQuery>): string {
  const search = new URLSearchParams();
  if (query.q) search.set("q", query.q);
  if (query.inactive) search.set("inactive", "1");
  if (query.page && query.page > 1) search.set("page", String(query.page));
  return search.toString();
}

/** One page of the organization's providers, by name as people read it, with the total for the pager. */
export async function listProviderTable(
  db: Db,
  organizationId: string,
  query: ProviderTableQuery,
  size = PROVIDER_TABLE_SIZE,
): Promise<{ rows: ProviderView[]; total: number; page: number; pageCount: number; size: number }> {
  const where: (SQL | undefined)[] = [eq(providers.organizationId, organizationId)];
  if (!query.inactive) where.push(eq(providers.active, true));
  if (query.q) {
    const q = likeLiteral(query.q);
    where.push(or(ilike(providers.name, `%${q}%`), ilike(providers.documentNumber, `${q}%`)));
  }
  const [rows, [total]] = await Promise.all([
    db
      .select(providerViewColumns)
      .from(providers)
      .innerJoin(professionalTypes, eq(professionalTypes.code, providers.professionalType))
      .leftJoin(medicalSpecialties, eq(medicalSpecialties.id, providers.medicalSpecialtyId))
      .where(and(...where))
      .orderBy(asc(byName(providers.name)), asc(providers.id))
      .limit(size)
      .offset((query.page - 1) * size),
    db
      .select({ n: count() })
      .from(providers)
      .where(and(...where)),
  ]);
  const n = total?.n ?? 0;
  return { rows: rows.map(providerViewOf), total: n, page: query.page, size, pageCount: Math.max(1, Math.ceil(n / size)) };
}
