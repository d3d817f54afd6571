import { asc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { CONSULTATION_DURATIONS, consultationTypes, medicalSpecialties, professionalTypes } from "@/db/schema";

export type Catalogs = {
  professionalTypes: { code: string; name: string; requiresSpecialty: boolean }[];
  consultationTypes: { code: string; name: string }[];
  medicalSpecialties: { id: string; code: string; name: string }[];
  durations: readonly number[];
};

export type CatalogIndex = Catalogs & {
  professionalType: Map<string, Catalogs["professionalTypes"][number]>;
  consultationType: Map<string, Catalogs["consultationTypes"][number]>;
  specialtyByCode: Map<string, Catalogs["medicalSpecialties"][number]>;
  specialtyById: Map<string, Catalogs["medicalSpecialties"][number]>;
};

// Catalogs change only with a migration: keep them per database handle for a minute.
const cache = new WeakMap<object, { at: number; value: Promise<CatalogIndex> }>();
const TTL_MS = 60_000;

export function loadCatalogs(db: Db): Promise<CatalogIndex> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = readCatalogs(db);
  cache.set(db, { at: Date.now(), value });
  value.catch(() => cache.delete(db));
  return value;
}

async function readCatalogs(db: Db): Promise<CatalogIndex> {
  const [professional, consultation, specialties] = await Promise.all([
    db
      .select({ code: professionalTypes.code, name: professionalTypes.name, requiresSpecialty: professionalTypes.requiresSpecialty })
      .from(professionalTypes)
      .orderBy(asc(professionalTypes.sortOrder)),
    db.select({ code: consultationTypes.code, name: consultationTypes.name }).from(consultationTypes).orderBy(asc(consultationTypes.sortOrder)),
    db.select({ id: medicalSpecialties.id, code: medicalSpecialties.code, name: medicalSpecialties.name }).from(medicalSpecialties).orderBy(asc(medicalSpecialties.code)),
  ]);
  return {
    professionalTypes: professional,
    consultationTypes: consultation,
    medicalSpecialties: specialties,
    durations: CONSULTATION_DURATIONS,
    professionalType: new Map(professional.map((p) => [p.code, p])),
    consultationType: new Map(consultation.map((c) => [c.code, c])),
    specialtyByCode: new Map(specialties.map((s) => [s.code, s])),
    specialtyById: new Map(specialties.map((s) => [s.id, s])),
  };
}

/** The catalogs as the API shows them. */
export function publicCatalogs(index: CatalogIndex): Catalogs {
  const { professionalTypes, consultationTypes, medicalSpecialties, durations } = index;
  return { professionalTypes, consultationTypes, medicalSpecialties, durations };
}
