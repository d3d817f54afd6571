import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { organizations } from "@/db/schema";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { formatLocal, isValidTimeZone } from "@/lib/time";
import { MINIMUM_NOTICE_MINUTES } from "@/lib/consultations/schema";
import { plainName } from "@/lib/validation/text";
import { ORGANIZATION_NAME_MAX_LENGTH } from "@/lib/limits";

export const newOrganizationSchema = z.object({
  name: plainName(z.string().trim().min(2, "must be at least 2 characters").max(ORGANIZATION_NAME_MAX_LENGTH, `must be at most ${ORGANIZATION_NAME_MAX_LENGTH} characters`)),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase letters, digits and dashes")
    .max(60)
    .optional(),
  timezone: z.string().refine(isValidTimeZone, "must be an IANA timezone such as America/Bogota").default("America/Bogota"),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a language tag such as es or en").default("es"),
});

export const organizationProfileSchema = z
  .object({
    organizationId: z.uuid(),
    name: z.string(),
    slug: z.string(),
    timezone: z.string(),
    language: z.string(),
    logoUrl: z.string().nullable(),
    createdAt: z.string(),
    settings: z.object({
      minimumNoticeMinutes: z.number(),
      rateLimitPerHour: z.number().describe("Requests per hour allowed for the credential making this call."),
    }),
  })
  .meta({ id: "OrganizationProfile" });

export type OrganizationRow = typeof organizations.$inferSelect;

export function slugify(name: string): string {
  const slug = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "organization";
}

export async function createOrganization(db: Db, input: z.input<typeof newOrganizationSchema>): Promise<OrganizationRow> {
  const data = newOrganizationSchema.parse(input);
  try {
    const [row] = await db
      .insert(organizations)
      .values({ name: data.name, slug: data.slug ?? slugify(data.name), timezone: data.timezone, language: data.language })
      .returning();
    return row!;
  } catch (error) {
    if (postgresErrorOf(error)?.code === "23505") {
      throw AppError.conflict("slug_taken", "An organization with that slug already exists.", [
        { field: "slug", code: "slug_taken", message: "is already used by another organization" },
      ]);
    }
    throw error;
  }
}

export async function findOrganization(db: Db, idOrSlug: string): Promise<OrganizationRow | undefined> {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrSlug);
  const [row] = await db
    .select()
    .from(organizations)
    .where(byId ? eq(organizations.id, idOrSlug) : eq(organizations.slug, idOrSlug));
  return row;
}

export async function listOrganizations(db: Db): Promise<OrganizationRow[]> {
  return db.select().from(organizations).orderBy(asc(organizations.createdAt));
}

export async function organizationProfile(db: Db, organizationId: string, rateLimitPerHour: number) {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!row) throw AppError.notFound("Organization");
  return {
    organizationId: row.id,
    name: row.name,
    slug: row.slug,
    timezone: row.timezone,
    language: row.language,
    logoUrl: row.logoUrl,
    createdAt: formatLocal(row.createdAt, row.timezone),
    settings: { minimumNoticeMinutes: MINIMUM_NOTICE_MINUTES, rateLimitPerHour },
  } satisfies z.infer<typeof organizationProfileSchema>;
}
