import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { organizations } from "@/db/schema";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/locales";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf, firstPerField } from "@/lib/validation/field-errors";
import { storable } from "@/lib/validation/text";
import { newOrganizationSchema, type OrganizationRow } from ".";

/** The languages the product speaks to patients and staff; an organization picks one. */
export const ORGANIZATION_LANGUAGES = LOCALES.map((code) => ({ code, label: LOCALE_NAMES[code] }));

/**
 * An https address of at most 500 characters, or none: "" (an emptied field) reads as null. The
 * organization's logo and its call settings' addresses keep this one rule; `what` ends the
 * message ("of an image, such as https://clinic.example/logo.png").
 */
export function httpsAddressSchema(what: string) {
  // storable: z.url checks the address but keeps it as sent, and a NUL would reach PostgreSQL.
  return storable(z.string().trim().max(500, "must be at most 500 characters"))
    .transform((value) => value || null)
    .pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: `must be an https:// address ${what}` }).nullable());
}

/**
 * What an admin may change on the Organization settings page. Name and timezone keep the rules
 * an organization is created with; the logo is an https address (the app stores no files), and
 * an empty one removes it.
 */
export const organizationProfileUpdateSchema = z.object({
  name: newOrganizationSchema.shape.name,
  timezone: newOrganizationSchema.shape.timezone.removeDefault(),
  language: z.enum(LOCALES, { error: `must be one of ${ORGANIZATION_LANGUAGES.map((l) => `${l.label} (${l.code})`).join(", ")}` }),
  logoUrl: httpsAddressSchema("of an image, such as https://clinic.example/logo.png"),
});

/** As a form sends it: any text, checked here. */
export type OrganizationProfileUpdate = { name: string; timezone: string; language: string; logoUrl?: string | null };
export type OrganizationProfileField = keyof z.input<typeof organizationProfileUpdateSchema>;

/** What changed, field by field, for the audit log. */
export type ProfileChanges = Partial<Record<OrganizationProfileField, { from: string | null; to: string | null }>>;

/**
 * Saves the organization's profile. `organizationId` is always the signed-in member's own, so an
 * admin can only ever change their organization. Returns the saved row and what changed.
 */
export async function updateOrganizationProfile(
  db: Db,
  organizationId: string,
  input: OrganizationProfileUpdate,
): Promise<{ organization: OrganizationRow; changes: ProfileChanges }> {
  const parsed = organizationProfileUpdateSchema.safeParse({ ...input, logoUrl: input.logoUrl ?? "" });
  if (!parsed.success) {
    throw AppError.validation(firstPerField(fieldErrorsOf(parsed.error)));
  }
  const next = parsed.data;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
    if (!current) throw AppError.notFound("Organization");
    const changes: ProfileChanges = {};
    for (const field of ["name", "timezone", "language", "logoUrl"] as const) {
      if (current[field] !== next[field]) changes[field] = { from: current[field], to: next[field] };
    }
    if (Object.keys(changes).length === 0) return { organization: current, changes };
    const [saved] = await tx
      .update(organizations)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(organizations.id, organizationId))
      .returning();
    return { organization: saved!, changes };
  });
}

/** Every timezone a clinic can pick, the current one included even when the runtime does not list it. */
export function timeZoneChoices(current?: string): string[] {
  const zones = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  if (current) zones.add(current);
  return [...zones].sort();
}
