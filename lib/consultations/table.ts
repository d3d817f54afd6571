import { and, asc, count, desc, eq, gte, ilike, inArray, isNotNull, lt, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consultations, consultationTypes, patients, providers } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import { waitingSince, waitingSinceMs } from "@/lib/rooms/waiting";
import { accentInsensitive, byName, likeLiteral } from "@/lib/search";
import type { NoShow } from "@/lib/rooms/no-show";
import { formatLocal, nextDate, startOfLocalDay } from "@/lib/time";
import type { ConsultationStatus, ConsultationTableQuery } from "./table-query";

/** Whose table it is: every query is scoped to the organization; a provider (staff role) sees only their own. */
export type ConsultationTableContext = {
  organizationId: string;
  /** The organization's IANA timezone: what `from`, `to` and `startsAtLocal` are in. */
  timeZone: string;
  /** Set for the "provider" staff role: only this provider's consultations, whatever the query asks. */
  providerId?: string;
};

export type ConsultationTableRow = {
  consultationId: string;
  status: ConsultationStatus;
  startsAt: Date;
  /** `yyyy-MM-dd HH:mm` in the organization's timezone. */
  startsAtLocal: string;
  durationMinutes: number;
  immediate: boolean;
  provider: { id: string; name: string };
  patient: { name: string; documentType: (typeof patients.$inferSelect)["documentType"]; documentNumber: string };
  consultationType: { code: string; name: string };
  createdAt: Date;
  /** Who never joined, once it ended (lib/rooms/no-show.ts). */
  noShow: NoShow | null;
  /** Since when the patient (or a guest) has been in the call without the provider; null when nobody waits. */
  waitingSince: Date | null;
};

export type ConsultationTablePage = {
  rows: ConsultationTableRow[];
  /** Consultations matching the filters, over all pages. */
  total: number;
  page: number;
  size: number;
  /** At least 1, so "page 1 of 1" reads right on an empty table. */
  pageCount: number;
};

/**
 * Sorting by a name (provider, patient, consultation type) walks the names in order and reads
 * each one's consultations through its index, stopping once the page is full, when more than
 * this many consultations match; fewer are joined and sorted outright. See pageIdsQuery.
 */
export const WALK_ABOVE = 10_000;

type Direction = typeof asc;

/** More names than any organization has: see the walk in pageIdsQuery. */
const NAMES_LIMIT = 2_147_483_647;

/** What a name sort orders by: a small table of names, each naming some consultations. */
type NameDimension = {
  /** The table's key, and the consultations' column that refers to it. */
  key: AnyColumn;
  refersTo: AnyColumn;
  name: AnyColumn;
  /** Which of its rows can appear (the organization's own; the search's patients). */
  where: SQL | undefined;
  table: typeof providers | typeof patients | typeof consultationTypes;
};

function nameDimension(ctx: ConsultationTableContext, query: ConsultationTableQuery): NameDimension | undefined {
  switch (query.sort) {
    case "provider":
      return {
        table: providers,
        key: providers.id,
        refersTo: consultations.providerId,
        name: providers.name,
        where: and(
          eq(providers.organizationId, ctx.organizationId),
          ctx.providerId ? eq(providers.id, ctx.providerId) : undefined,
          query.provider ? eq(providers.id, query.provider) : undefined,
        ),
      };
    case "patient":
      return {
        table: patients,
        key: patients.id,
        refersTo: consultations.patientId,
        name: patients.name,
        where: and(eq(patients.organizationId, ctx.organizationId), query.q ? patientMatches(query.q) : undefined),
      };
    case "type":
      // A catalog shared by all organizations.
      return { table: consultationTypes, key: consultationTypes.code, refersTo: consultations.consultationType, name: consultationTypes.name, where: undefined };
    default:
      return undefined;
  }
}

/** Columns of consultations themselves, each sorted through an index that starts (organization_id, column). */
const columnKeys = {
  startsAt: [consultations.startsAt],
  status: [consultations.status, consultations.startsAt],
  duration: [consultations.durationMinutes, consultations.startsAt],
  createdAt: [consultations.createdAt],
} as const;

/** A patient row whose name contains `q` (any case, any accents) or whose document number starts with it. */
function patientMatches(q: string): SQL {
  return or(sql`${patients.name} ~* ${accentInsensitive(q)}`, ilike(patients.documentNumber, `${likeLiteral(q)}%`))!;
}

/** The filters on consultations: the count and the page use the same; the patient search is a semi-join, so no join is needed. */
function filtersOf(db: Db, ctx: ConsultationTableContext, query: ConsultationTableQuery, options: { patientSearch?: boolean } = {}): SQL {
  const where: (SQL | undefined)[] = [eq(consultations.organizationId, ctx.organizationId)];
  if (ctx.providerId) where.push(eq(consultations.providerId, ctx.providerId));
  if (query.provider) where.push(eq(consultations.providerId, query.provider));
  if (query.status.length > 0) where.push(inArray(consultations.status, query.status));
  if (query.from) where.push(gte(consultations.startsAt, dayStart(query.from, ctx.timeZone)));
  if (query.to) where.push(lt(consultations.startsAt, dayStart(nextDate(query.to), ctx.timeZone)));
  if (query.noShow) where.push(query.noShow === "any" ? isNotNull(consultations.noShow) : eq(consultations.noShow, query.noShow));
  if (query.q && options.patientSearch !== false) {
    const matching = db
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.organizationId, ctx.organizationId), patientMatches(query.q)));
    where.push(inArray(consultations.patientId, matching));
  }
  return and(...where)!;
}

function dayStart(date: string | undefined, timeZone: string): Date {
  const instant = date === undefined ? undefined : startOfLocalDay(date, timeZone);
  // The query schema lets only real days through.
  if (!instant) throw new Error(`not a day: ${date}`);
  return instant;
}

/** How many consultations match the filters. */
export function countQuery(db: Db, ctx: ConsultationTableContext, query: ConsultationTableQuery) {
  return db.select({ total: count() }).from(consultations).where(filtersOf(db, ctx, query));
}

export type PageStrategy = "column" | "walk" | "join";

/**
 * The ids of the page's consultations, in the table's order: the sorted value, then the start,
 * then the id (for a name: the name, then whose name it is, then the start, then the id), all in
 * the chosen direction, so equal values keep one order from page to page. Status sorts in
 * lifecycle order (Pending, InProgress, Completed, Expired), as its enum is declared.
 *
 * - `column`: a column of consultations, read in order from an index on (organization_id, column, ...).
 * - `walk`: a name, when `total` is large: the names in order (from their index for patients), and
 *   for each, its consultations from the index that starts with its key (provider_id, patient_id,
 *   (organization_id, consultation_type)), until the page is full. The work is the page's depth,
 *   not the number of matching consultations.
 * - `join`: a name, when few consultations match: join and sort them all.
 */
export function pageIdsQuery(db: Db, ctx: ConsultationTableContext, query: ConsultationTableQuery, total: number, options: { walkAbove?: number } = {}) {
  const direction: Direction = query.dir === "asc" ? asc : desc;
  const offset = (query.page - 1) * query.size;
  const dimension = nameDimension(ctx, query);

  if (!dimension) {
    const keys = [...columnKeys[query.sort as keyof typeof columnKeys], consultations.id];
    const built = db
      .select({ id: consultations.id })
      .from(consultations)
      .where(filtersOf(db, ctx, query))
      .orderBy(...keys.map((key) => direction(key)))
      .limit(query.size)
      .offset(offset);
    return { strategy: "column" as PageStrategy, built };
  }

  if (total <= (options.walkAbove ?? WALK_ABOVE)) {
    const built = db
      .select({ id: consultations.id })
      .from(consultations)
      .innerJoin(dimension.table, eq(dimension.key, dimension.refersTo))
      .where(and(filtersOf(db, ctx, query, { patientSearch: query.sort !== "patient" }), dimension.where))
      .orderBy(direction(byName(dimension.name)), direction(dimension.key), direction(consultations.startsAt), direction(consultations.id))
      .limit(query.size)
      .offset(offset);
    return { strategy: "join" as PageStrategy, built };
  }

  // The names in order. The LIMIT (never reached) keeps the subquery and its order as written:
  // flattened, PostgreSQL would walk every name before sorting what it found.
  const names = db
    .select({ key: sql`${dimension.key}`.as("key"), name: sql`${byName(dimension.name)}`.as("name") })
    .from(dimension.table)
    .where(dimension.where)
    .orderBy(direction(byName(dimension.name)), direction(dimension.key))
    .limit(NAMES_LIMIT)
    .as("names");
  // The patient search is already on the names; the rest of the filters go on each one's consultations.
  const theirs = db
    .select({ id: consultations.id, startsAt: consultations.startsAt })
    .from(consultations)
    .where(and(eq(dimension.refersTo, names.key), filtersOf(db, ctx, query, { patientSearch: query.sort !== "patient" })))
    .orderBy(direction(consultations.startsAt), direction(consultations.id))
    .limit(offset + query.size)
    .as("theirs");
  const built = db
    .select({ id: theirs.id })
    .from(names)
    .crossJoinLateral(theirs)
    .orderBy(direction(names.name), direction(names.key), direction(theirs.startsAt), direction(theirs.id))
    .limit(query.size)
    .offset(offset);
  return { strategy: "walk" as PageStrategy, built };
}

/** What a row of the table shows, for the page's ids. */
function rowsQuery(db: Db, ctx: ConsultationTableContext, ids: string[]) {
  return db
    .select({
      consultationId: consultations.id,
      status: consultations.status,
      startsAt: consultations.startsAt,
      durationMinutes: consultations.durationMinutes,
      immediate: consultations.immediate,
      consultationType: consultations.consultationType,
      createdAt: consultations.createdAt,
      noShow: consultations.noShow,
      providerId: providers.id,
      providerName: providers.name,
      patientName: patients.name,
      patientDocumentType: patients.documentType,
      patientDocumentNumber: patients.documentNumber,
      waitingSinceMs: waitingSinceMs(consultations.id),
    })
    .from(consultations)
    .innerJoin(providers, eq(providers.id, consultations.providerId))
    .innerJoin(patients, eq(patients.id, consultations.patientId))
    .where(and(eq(consultations.organizationId, ctx.organizationId), inArray(consultations.id, ids)));
}

/**
 * One page of the clinic dashboard's consultations table, with the total over all pages.
 * Offset pagination: a page past the last one is empty (its `pageCount` says where the end is).
 * `options.walkAbove` is for tests: the count above which a name sort walks (see pageIdsQuery).
 */
export async function listConsultationTable(
  db: Db,
  ctx: ConsultationTableContext,
  query: ConsultationTableQuery,
  options: { walkAbove?: number } = {},
): Promise<ConsultationTablePage> {
  const counting = countQuery(db, ctx, query).then(([row]) => row?.total ?? 0);
  let total: number;
  let ids: string[];
  if (nameDimension(ctx, query)) {
    // A name sort picks its way by how many match, so it counts first.
    total = await counting;
    ids = (query.page - 1) * query.size >= total ? [] : (await pageIdsQuery(db, ctx, query, total, options).built).map((row) => row.id);
  } else {
    let found: { id: string }[];
    [total, found] = await Promise.all([counting, pageIdsQuery(db, ctx, query, 0).built]);
    ids = found.map((row) => row.id);
  }
  const [found, catalogs] = await Promise.all([ids.length > 0 ? rowsQuery(db, ctx, ids) : [], loadCatalogs(db)]);
  const byId = new Map(found.map((row) => [row.consultationId, row]));
  return {
    rows: ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return []; // deleted between the two reads
      return [
        {
          consultationId: row.consultationId,
          status: row.status,
          startsAt: row.startsAt,
          startsAtLocal: formatLocal(row.startsAt, ctx.timeZone),
          durationMinutes: row.durationMinutes,
          immediate: row.immediate,
          provider: { id: row.providerId, name: row.providerName },
          patient: { name: row.patientName, documentType: row.patientDocumentType, documentNumber: row.patientDocumentNumber },
          consultationType: { code: row.consultationType, name: catalogs.consultationType.get(row.consultationType)?.name ?? row.consultationType },
          createdAt: row.createdAt,
          noShow: row.noShow,
          waitingSince: waitingSince(row.waitingSinceMs),
        },
      ];
    }),
    total,
    page: query.page,
    size: query.size,
    pageCount: Math.max(1, Math.ceil(total / query.size)),
  };
}
