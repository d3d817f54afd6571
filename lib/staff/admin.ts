import { and, asc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { accounts, providers, users, verificationTokens } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { INVITATION_IDENTIFIER_PREFIX, staffRowOf } from "./invitations";
import { newStaffMemberSchema, toMember, type StaffMember } from "./members";
import type { StaffRole } from "./roles";
import { endSessionsOf } from "./sessions";

/** Active: can sign in. Invited: has not set a password (nor signed in by single sign-on) yet. */
export type StaffStatus = "active" | "invited" | "deactivated";

export type StaffRow = {
  userId: string;
  email: string;
  name: string | null;
  role: StaffRole;
  providerId: string | null;
  providerName: string | null;
  status: StaffStatus;
  lastSignInAt: Date | null;
  /** Until when their set-password link works; null when there is none that still works. */
  invitationExpiresAt: Date | null;
};

/** The organization's staff, by name (a clinic has dozens, so one page). */
export async function listStaff(db: Db, organizationId: string, now = new Date()): Promise<StaffRow[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      providerId: users.providerId,
      providerName: providers.name,
      active: users.active,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      hasSso: sql<boolean>`exists (select 1 from ${accounts} where ${accounts.userId} = ${users.id})`,
      lastSignInAt: users.lastSignInAt,
      invitationExpiresAt: sql<Date | null>`(select max(${verificationTokens.expires}) from ${verificationTokens} where ${verificationTokens.identifier} = ${INVITATION_IDENTIFIER_PREFIX} || lower(${users.email}) and ${verificationTokens.expires} > ${now.toISOString()}::timestamptz)`.mapWith(
        (v: string | Date | null) => (v === null ? null : new Date(v)),
      ),
    })
    .from(users)
    .leftJoin(providers, eq(providers.id, users.providerId))
    .where(eq(users.organizationId, organizationId))
    .orderBy(asc(sql`lower(coalesce(${users.name}, ${users.email}))`), asc(users.email));
  return rows.map(({ active, hasPassword, hasSso, ...row }) => ({
    ...row,
    status: !active ? "deactivated" : !hasPassword && !hasSso && !row.lastSignInAt ? "invited" : "active",
  }));
}

/** The role-change form's contract: the same role and provider rules as adding someone. */
export const staffRoleChangeSchema = z
  .object({ role: newStaffMemberSchema.shape.role, providerId: newStaffMemberSchema.shape.providerId })
  .refine((v) => v.role !== "provider" || v.providerId, { path: ["providerId"], message: "is required for the provider role" });

export type StaffRoleChange = z.input<typeof staffRoleChangeSchema>;

// Changes to who administers an organization are made one at a time, so two admins demoting each
// other at once cannot leave it with none.
async function lockStaffOf(tx: Db, organizationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`staff:${organizationId}`}, 0))`);
}

async function ensureAnotherActiveAdmin(tx: Db, organizationId: string, row: typeof users.$inferSelect): Promise<void> {
  if (row.role !== "admin" || !row.active) return;
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.role, "admin"), eq(users.active, true), ne(users.id, row.id)))
    .limit(1);
  if (!other) {
    throw AppError.conflict(
      "last_admin",
      `${row.name ?? row.email} is the organization's only active admin. Make someone else an admin first, so the organization always has one.`,
    );
  }
}

export type StaffChange = { member: StaffMember; changed: boolean };

/** Gives a staff member of the actor's organization another role (a provider role names the provider). */
export async function changeRole(
  db: Db,
  actor: Pick<StaffMember, "organizationId" | "userId">,
  userId: string,
  input: StaffRoleChange,
): Promise<StaffChange & { from: { role: StaffRole; providerId: string | null } }> {
  const parsed = staffRoleChangeSchema.safeParse({ ...input, providerId: input.providerId || undefined });
  if (!parsed.success) {
    throw AppError.validation(fieldErrorsOf(parsed.error));
  }
  const role = parsed.data.role;
  const providerId = role === "provider" ? parsed.data.providerId! : null;
  return db.transaction(async (tx) => {
    await lockStaffOf(tx, actor.organizationId);
    const row = await staffRowOf(tx, actor.organizationId, userId, { lock: true });
    const from = { role: row.role, providerId: row.providerId };
    if (row.role === role && row.providerId === providerId) return { member: toMember(row), changed: false, from };
    if (row.id === actor.userId) {
      throw AppError.conflict("own_account", "You cannot change your own role. Another admin can, if it needs to change.");
    }
    if (providerId) {
      const [provider] = await tx
        .select({ id: providers.id })
        .from(providers)
        .where(and(eq(providers.id, providerId), eq(providers.organizationId, actor.organizationId)));
      if (!provider) throw AppError.badRequest("unknown_provider", "must be one of the organization's providers", "providerId");
    }
    if (role !== "admin") await ensureAnotherActiveAdmin(tx, actor.organizationId, row);
    const [saved] = await tx.update(users).set({ role, providerId }).where(eq(users.id, row.id)).returning();
    return { member: toMember(saved!), changed: true, from };
  });
}

/**
 * Deactivates (signing them out everywhere at once) or reactivates a staff member of the actor's
 * organization. Nobody deactivates themselves, and the last active admin stays.
 */
export async function setStaffActive(db: Db, actor: Pick<StaffMember, "organizationId" | "userId">, userId: string, active: boolean): Promise<StaffChange> {
  return db.transaction(async (tx) => {
    await lockStaffOf(tx, actor.organizationId);
    const row = await staffRowOf(tx, actor.organizationId, userId, { lock: true });
    if (row.active === active) return { member: toMember(row), changed: false };
    if (!active) {
      if (row.id === actor.userId) throw AppError.conflict("own_account", "You cannot deactivate your own account. Another admin can.");
      await ensureAnotherActiveAdmin(tx, actor.organizationId, row);
    }
    const [saved] = await tx.update(users).set({ active }).where(eq(users.id, row.id)).returning();
    if (!active) await endSessionsOf(tx, row.id);
    return { member: toMember(saved!), changed: true };
  });
}
