import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, like, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { organizations, users, verificationTokens } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { logMailer, type StaffMailer } from "./mailer";
import { createStaffMember, toMember, type NewStaffMember, type StaffMember } from "./members";
import { assertAcceptablePassword, hashPassword, passwordSchema } from "./passwords";

/** How long a set-password link works. */
export const INVITATION_HOURS = 72;

// Set-password tokens share the Auth.js verification_tokens table; the prefix keeps them apart
// from any sign-in link Auth.js might store there under the bare email.
export const INVITATION_IDENTIFIER_PREFIX = "set-password:";
const identifierOf = (email: string) => `${INVITATION_IDENTIFIER_PREFIX}${email.trim().toLowerCase()}`;

/** Only a hash of a link's token is stored: a copy of the table opens no account. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type InvitationContext = {
  organizationId: string;
  appUrl: string;
  mailer?: StaffMailer;
  now?: Date;
};

/** A set-password link as the inviting admin sees it, once. */
export type Invitation = { member: StaffMember; link: string; expiresAt: Date };

export type InviteInput = Omit<NewStaffMember, "password">;

/** Replaces a person's set-password links with a new one. */
async function issueLink(db: Db, email: string, ctx: InvitationContext): Promise<{ link: string; expiresAt: Date }> {
  const now = ctx.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
  const identifier = identifierOf(email);
  await db.delete(verificationTokens).where(eq(verificationTokens.identifier, identifier));
  await db.insert(verificationTokens).values({ identifier, token: hashInvitationToken(token), expires: expiresAt });
  return { link: `${ctx.appUrl}/signin/set-password?token=${token}`, expiresAt };
}

/** Sends (or logs) the set-password link; called once the invitation is committed. */
export async function deliverInvitation(ctx: InvitationContext, invitation: Invitation): Promise<void> {
  await (ctx.mailer ?? logMailer)({
    staffMemberId: invitation.member.userId,
    to: invitation.member.email,
    name: invitation.member.name,
    subject: "Set your password for the clinic dashboard",
    link: invitation.link,
    expiresAt: invitation.expiresAt,
  });
}

/**
 * Adds a staff member without a password and gives them a one-time link to set one. The link is
 * delivered (logged) after the account is committed, and returned for the admin to pass on.
 * A caller running this inside a larger transaction (an audited action) passes
 * `{ deliver: false }` and calls deliverInvitation after its own commit.
 */
export async function inviteStaffMember(db: Db, ctx: InvitationContext, input: InviteInput, options: { deliver?: boolean } = {}): Promise<Invitation> {
  const invitation = await db.transaction(async (tx) => {
    const member = await createStaffMember(tx, ctx.organizationId, { ...input, password: undefined });
    return { member, ...(await issueLink(tx, member.email, ctx)) };
  });
  if (options.deliver !== false) await deliverInvitation(ctx, invitation);
  return invitation;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A staff member of the organization, or 404: another organization's people do not exist here. */
export async function staffRowOf(db: Db, organizationId: string, userId: string, options: { lock?: boolean } = {}) {
  if (!UUID.test(userId)) throw AppError.notFound("Staff member");
  const query = db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw AppError.notFound("Staff member");
  return row;
}

/** A new link for someone invited who has not set a password yet; their older links stop working. */
export async function resendInvitation(db: Db, ctx: InvitationContext, userId: string, options: { deliver?: boolean } = {}): Promise<Invitation> {
  const invitation = await db.transaction(async (tx) => {
    const row = await staffRowOf(tx, ctx.organizationId, userId, { lock: true });
    const who = row.name ?? row.email;
    if (!row.active) throw AppError.conflict("staff_inactive", `${who} is deactivated. Reactivate them before sending a new invitation.`);
    if (row.passwordHash) throw AppError.conflict("password_already_set", `${who} has already set a password and can sign in.`);
    return { member: toMember(row), ...(await issueLink(tx, row.email, ctx)) };
  });
  if (options.deliver !== false) await deliverInvitation(ctx, invitation);
  return invitation;
}

/** Who a set-password link is for, while it works (not used, not expired, the account active). */
export async function findInvitation(db: Db, token: string, now = new Date()): Promise<{ email: string; name: string | null } | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ email: users.email, name: users.name })
    .from(verificationTokens)
    .innerJoin(users, sql`${INVITATION_IDENTIFIER_PREFIX} || lower(${users.email}) = ${verificationTokens.identifier}`)
    .where(and(eq(verificationTokens.token, hashInvitationToken(token)), gt(verificationTokens.expires, now), eq(users.active, true)));
  return row ?? null;
}

/** The set-password form's contract. */
export const setPasswordSchema = z
  .object({
    token: z.string({ error: "is required" }).min(1, "is required").max(200),
    password: passwordSchema,
    confirmation: z.string({ error: "is required" }).min(1, "is required"),
  })
  .refine((v) => v.password === v.confirmation, { path: ["confirmation"], message: "does not match the password" });

export type SetPasswordInput = z.input<typeof setPasswordSchema>;

/** The link is unknown, used, replaced by a newer one, expired, or its account was deactivated. */
export const invalidInvitationLink = () =>
  new AppError("invitation_link_invalid", "This link no longer works. Ask your clinic's admin for a new one.");

/**
 * Sets a password from a set-password link and uses the link up: it works once, until it
 * expires. Also marks the email verified (the person received the link sent to them).
 */
export async function setPasswordWithToken(db: Db, input: SetPasswordInput, now = new Date()): Promise<StaffMember> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(fieldErrorsOf(parsed.error));
  }
  const { token, password } = parsed.data;
  // Checked before the (deliberately slow) hashing, so a dead link costs nothing.
  const invitation = await findInvitation(db, token, now);
  if (!invitation) throw invalidInvitationLink();
  const [organization] = await db
    .select({ name: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(sql`lower(${users.email}) = ${invitation.email.toLowerCase()}`);
  await assertAcceptablePassword(password, { email: invitation.email, organizationName: organization?.name });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Deleting is the use: of two tries at once, only one gets the row.
    const [used] = await tx
      .delete(verificationTokens)
      .where(and(eq(verificationTokens.token, hashInvitationToken(token)), like(verificationTokens.identifier, `${INVITATION_IDENTIFIER_PREFIX}%`)))
      .returning();
    if (!used || used.expires.getTime() <= now.getTime()) throw invalidInvitationLink();
    const email = used.identifier.slice(INVITATION_IDENTIFIER_PREFIX.length);
    const [row] = await tx
      .update(users)
      .set({ passwordHash, emailVerified: now })
      .where(and(sql`lower(${users.email}) = ${email}`, eq(users.active, true)))
      .returning();
    if (!row) throw invalidInvitationLink();
    await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, used.identifier));
    return toMember(row);
  });
}
