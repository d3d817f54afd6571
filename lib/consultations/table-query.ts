import { z } from "zod";
import { CONSULTATION_STATUSES, NO_SHOWS } from "@/lib/consultations/schema";
import { isInCalendar, isLocalDate, OUTSIDE_CALENDAR_MESSAGE } from "@/lib/time";
import { storable } from "@/lib/validation/text";

/** The dashboard's consultations table, as its URL says it: one schema for the page, its links and the data layer. */

export const CONSULTATION_TABLE_SIZES = [10, 25, 50, 100] as const;
export const CONSULTATION_TABLE_SORTS = ["startsAt", "status", "provider", "patient", "type", "duration", "createdAt"] as const;
export const SORT_DIRECTIONS = ["asc", "desc"] as const;

/** The no-show filter: any side, or exactly who did not come (lib/rooms/no-show.ts). */
export const NO_SHOW_FILTERS = ["any", ...NO_SHOWS] as const;

export type ConsultationTableSort = (typeof CONSULTATION_TABLE_SORTS)[number];
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

const localDate = z
  .string()
  .trim()
  .refine(isLocalDate, { message: "must be a date written yyyy-MM-dd", abort: true })
  .refine(isInCalendar, OUTSIDE_CALENDAR_MESSAGE);

/** Each search param on its own, so one bad value drops only itself (see parseConsultationTableQuery). */
const fields = {
  page: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(1_000_000, "must be at most 1000000").default(1),
  size: z.coerce
    .number({ error: "must be a number" })
    .pipe(z.literal(CONSULTATION_TABLE_SIZES, { error: `must be one of ${CONSULTATION_TABLE_SIZES.join(", ")}` }))
    .default(25),
  sort: z.enum(CONSULTATION_TABLE_SORTS, { error: `must be one of ${CONSULTATION_TABLE_SORTS.join(", ")}` }).default("startsAt"),
  dir: z.enum(SORT_DIRECTIONS, { error: "must be asc or desc" }).default("desc"),
  /** Repeated (`status=Pending&status=Expired`) or comma-separated (`status=Pending,Expired`). */
  status: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => [
      ...new Set(
        [value]
          .flat()
          .flatMap((part) => part.split(","))
          .map((part) => part.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(CONSULTATION_STATUSES, { error: `must be among ${CONSULTATION_STATUSES.join(", ")}` })))
    .default(() => []),
  /** The first day shown, in the organization's timezone. */
  from: localDate.optional(),
  /** The last day shown (all of it), in the organization's timezone. */
  to: localDate.optional(),
  provider: z
    .guid("must be a provider id")
    .transform((id) => id.toLowerCase())
    .optional(),
  noShow: z.enum(NO_SHOW_FILTERS, { error: `must be one of ${NO_SHOW_FILTERS.join(", ")}` }).optional(),
  /** A patient: part of the name (any case), or the start of the document number. */
  q: storable(z.string().trim().min(2, "must be at least 2 characters").max(100, "must be at most 100 characters")).optional(),
};

export type ConsultationTableParam = keyof typeof fields;
const PARAMS = Object.keys(fields) as ConsultationTableParam[];

/** The strict form: throws on any bad param. Pages use parseConsultationTableQuery, which never throws. */
export const consultationTableQuerySchema = z
  .object(fields)
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: "must not be before from", path: ["to"] });

export type ConsultationTableQuery = z.output<typeof consultationTableQuerySchema>;

export type SearchParams = Record<string, string | string[] | undefined>;

export type InvalidParam = { param: ConsultationTableParam; message: string };

/**
 * The table's query from a page's `searchParams`: each invalid param is dropped to its default
 * and reported, so a hand-edited or stale URL still shows a table (with a notice). Empty values
 * (`?q=&from=`, as a GET form sends them) count as absent, not invalid. A param given twice
 * takes its first value, except `status`, which collects them all. A `to` before `from` is
 * reported and dropped.
 */
export function parseConsultationTableQuery(searchParams: SearchParams): { query: ConsultationTableQuery; invalid: InvalidParam[] } {
  const invalid: InvalidParam[] = [];
  const query: Record<string, unknown> = {};
  for (const param of PARAMS) {
    let raw: string | string[] | undefined = searchParams[param];
    if (Array.isArray(raw)) raw = param === "status" ? raw : raw[0];
    if (Array.isArray(raw)) raw = raw.filter((value) => value.trim() !== "");
    if (raw === undefined || (typeof raw === "string" ? raw.trim() === "" : raw.length === 0)) raw = undefined;
    const schema: z.ZodType = fields[param];
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      query[param] = parsed.data;
    } else {
      invalid.push({ param, message: parsed.error.issues[0]?.message ?? "is not valid" });
      query[param] = schema.parse(undefined);
    }
  }
  const result = query as ConsultationTableQuery;
  if (result.from && result.to && result.to < result.from) {
    invalid.push({ param: "to", message: "must not be before from" });
    result.to = undefined;
  }
  return { query: result, invalid };
}

/** The URL search string for `query` (without `?`), leaving defaults out: what links to another page or sort use. */
export function consultationTableSearch(query: Partial<ConsultationTableQuery>): string {
  const defaults = consultationTableQuerySchema.parse({});
  const search = new URLSearchParams();
  for (const param of PARAMS) {
    const value = query[param];
    if (value === undefined) continue;
    if (param === "status") {
      const statuses = value as ConsultationStatus[];
      if (statuses.length > 0) search.set("status", statuses.join(","));
    } else if (value !== defaults[param]) {
      search.set(param, String(value));
    }
  }
  return search.toString();
}
