import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { organizations, providers, users } from "@/db/schema";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { plainName } from "@/lib/validation/text";
import { assertAcceptablePassword, hashPassword, passwordSchema } from "./passwords";
import { STAFF_ROLES, type StaffRole } from "./roles";

/** A signed-in person as every page and action sees them. */
export type StaffMember = {
  userId: string;
  organizationId: string;
  email: string;
  name: string | null;
  role: StaffRole;
  /** Set for the provider role: the provider whose consultations are theirs. */
  providerId: string | null;
};

export const staffEmailSchema = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "must be an email address like name@clinic.example" }).max(254));

export const newStaffMemberSchema = z
  .object({
    email: staffEmailSchema,
    name: plainName(z.string().trim().min(1, "is required").max(120, "must be at most 120 characters")),
    role: z.enum(STAFF_ROLES, { error: "must be admin, scheduler or provider" }),
    providerId: z.uuid({ error: "must be one of the organization's providers" }).optional(),
    password: passwordSchema.optional(),
  })
  .refine((v) => v.role !== "provider" || v.providerId, { path: ["providerId"], message: "is required for the provider role" });

export type NewStaffMember = z.input<typeof newStaffMemberSchema>;

/** Adds a staff member to an organization; without a password they set one from an invitation. */
export async function createStaffMember(db: Db, organizationId: string, input: NewStaffMember): Promise<StaffMember> {
  const parsed = newStaffMemberSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(fieldErrorsOf(parsed.error));
  }
  const member = parsed.data;
  const providerId = member.role === "provider" ? member.providerId! : null;
  if (providerId) {
    const [provider] = await db
      .select({ id: providers.id })
      .from(providers)
      .where(and(eq(providers.id, providerId), eq(providers.organizationId, organizationId)));
    if (!provider) throw AppError.badRequest("unknown_provider", "must be one of the organization's providers", "providerId");
  }
  if (member.password) {
    const [organization] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId));
    await assertAcceptablePassword(member.password, { email: member.email, organizationName: organization?.name });
  }
  try {
    const [row] = await db
      .insert(users)
      .values({
        organizationId,
        email: member.email,
        name: member.name,
        role: member.role,
        providerId,
        passwordHash: member.password ? await hashPassword(member.password) : null,
      })
      .returning();
    return toMember(row!);
  } catch (error) {
    if (postgresErrorOf(error)?.constraint_name === "users_email_key") {
      throw AppError.conflict("email_taken", "A staff account with this email already exists.", [
        { field: "email", message: "is already used by a staff account", code: "email_taken" },
      ]);
    }
    throw error;
  }
}

export async function findStaffByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return row;
}

export function toMember(row: typeof users.$inferSelect): StaffMember {
  return { userId: row.id, organizationId: row.organizationId, email: row.email, name: row.name, role: row.role, providerId: row.providerId };
}
