import { eq, like } from "drizzle-orm";
import { describe, expect, test, vi } from "vitest";
import { users, verificationTokens } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import {
  createStaffMember,
  findInvitation,
  hashInvitationToken,
  INVITATION_HOURS,
  inviteStaffMember,
  resendInvitation,
  setPasswordWithToken,
  signInWithPassword,
  setStaffActive,
  type StaffMessage,
} from ".";

const ctx = setupTestDatabase();
const APP = "https://portal.example";
const PASSWORD = "a brand new password";
const here = { ip: "203.0.113.9", userAgent: "vitest" };

/** An organization, its admin, and a mailer that keeps what it was given. */
async function setup() {
  const { organization } = await createTenant(ctx.db);
  const admin = await createStaffMember(ctx.db, organization.id, { email: `admin-${organization.slug}@clinic.example`, name: "Admin", role: "admin", password: PASSWORD });
  const sent: StaffMessage[] = [];
  const invitations = { organizationId: organization.id, appUrl: APP, mailer: (m: StaffMessage) => void sent.push(m) };
  return { organization, admin, sent, invitations };
}

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe("inviting a staff member", () => {
  test("creates them without a password and stores only a hash of a 32-byte one-time token that lasts 72 hours", async () => {
    const { organization, sent, invitations } = await setup();
    const now = new Date("2026-05-04T15:00:00Z");
    const invitation = await inviteStaffMember(ctx.db, { ...invitations, now }, { email: "Nueva@Clinic.Example", name: "Nueva", role: "scheduler" });

    expect(invitation.member).toMatchObject({ email: "nueva@clinic.example", role: "scheduler", organizationId: organization.id });
    expect(invitation.link).toMatch(new RegExp(`^${APP}/signin/set-password\\?token=[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(invitation.link);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(invitation.expiresAt).toEqual(new Date(now.getTime() + INVITATION_HOURS * 3_600_000));

    const [user] = await ctx.db.select().from(users).where(eq(users.id, invitation.member.userId));
    expect([user!.passwordHash, user!.emailVerified, user!.active]).toEqual([null, null, true]);
    const stored = await ctx.db.select().from(verificationTokens).where(like(verificationTokens.identifier, "%nueva@clinic.example"));
    expect(stored).toEqual([{ identifier: "set-password:nueva@clinic.example", token: hashInvitationToken(token), expires: invitation.expiresAt }]);
    expect(stored[0]!.token).not.toContain(token);

    // Delivered (logged) once, with the same link the admin is shown.
    expect(sent).toEqual([expect.objectContaining({ to: "nueva@clinic.example", link: invitation.link, expiresAt: invitation.expiresAt })]);
  });

  test("the default delivery is one line in the server log, naming the member by id, without the link or the address (issue 13, item 4)", async () => {
    const { invitations } = await setup();
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      const invitation = await inviteStaffMember(ctx.db, { ...invitations, mailer: undefined }, { email: "logged@clinic.example", name: "Logged", role: "admin" });
      expect(info).toHaveBeenCalledTimes(1);
      const line = String(info.mock.calls[0]![0]);
      // The link is a one-time credential: the admin is shown it, the log is not.
      expect(line).not.toContain(new URL(invitation.link).searchParams.get("token")!);
      expect(line).not.toContain("logged@clinic.example");
      expect(line).toContain(invitation.member.userId);
      expect(line).not.toContain("\n");
    } finally {
      info.mockRestore();
    }
  });

  test("refuses a taken email (409 on the email field) and a provider role without a provider, creating nothing", async () => {
    const { admin, sent, invitations } = await setup();
    const taken = await refusal(inviteStaffMember(ctx.db, invitations, { email: admin.email.toUpperCase(), name: "Again", role: "scheduler" }));
    expect([taken.status, taken.code, taken.details[0]?.field]).toEqual([409, "email_taken", "email"]);
    const noProvider = await refusal(inviteStaffMember(ctx.db, invitations, { email: "doc@clinic.example", name: "Doc", role: "provider" }));
    expect(noProvider.details.map((d) => d.field)).toEqual(["providerId"]);
    expect(await ctx.db.select().from(users).where(eq(users.email, "doc@clinic.example"))).toEqual([]);
    expect(await ctx.db.select().from(verificationTokens).where(like(verificationTokens.identifier, "%doc@clinic.example"))).toEqual([]);
    expect(sent).toEqual([]);
  });
});

describe("setting a password from the link", () => {
  test("works once: sets the password and the verified email, then the link is dead", async () => {
    const { invitations } = await setup();
    const invitation = await inviteStaffMember(ctx.db, invitations, { email: "rosa@clinic.example", name: "Rosa", role: "scheduler" });
    const token = tokenOf(invitation.link);
    expect(await findInvitation(ctx.db, token)).toEqual({ email: "rosa@clinic.example", name: "Rosa" });

    const member = await setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: PASSWORD });
    expect(member.userId).toBe(invitation.member.userId);
    const [user] = await ctx.db.select().from(users).where(eq(users.id, member.userId));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user!.emailVerified).toBeInstanceOf(Date);
    expect(await signInWithPassword(ctx.db, "rosa@clinic.example", PASSWORD, here)).toMatchObject({ ok: true });

    expect(await findInvitation(ctx.db, token)).toBeNull();
    const again = await refusal(setPasswordWithToken(ctx.db, { token, password: "someone else's password", confirmation: "someone else's password" }));
    expect([again.status, again.code]).toEqual([410, "invitation_link_invalid"]);
    expect(await signInWithPassword(ctx.db, "rosa@clinic.example", PASSWORD, here)).toMatchObject({ ok: true });
  });

  test("an expired link, an unknown one and the raw hash do not work", async () => {
    const { invitations } = await setup();
    const issued = new Date("2026-05-01T10:00:00Z");
    const invitation = await inviteStaffMember(ctx.db, { ...invitations, now: issued }, { email: "late@clinic.example", name: "Late", role: "scheduler" });
    const token = tokenOf(invitation.link);
    const justBefore = new Date(invitation.expiresAt.getTime() - 1000);
    expect(await findInvitation(ctx.db, token, justBefore)).not.toBeNull();
    expect(await findInvitation(ctx.db, token, invitation.expiresAt)).toBeNull();
    const expired = await refusal(setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: PASSWORD }, invitation.expiresAt));
    expect(expired.code).toBe("invitation_link_invalid");

    // Someone who read the table has only the hash: it is not a token.
    const hash = hashInvitationToken(token);
    expect(await findInvitation(ctx.db, hash, justBefore)).toBeNull();
    expect((await refusal(setPasswordWithToken(ctx.db, { token: hash, password: PASSWORD, confirmation: PASSWORD }, justBefore))).code).toBe("invitation_link_invalid");
    expect((await refusal(setPasswordWithToken(ctx.db, { token: "made-up", password: PASSWORD, confirmation: PASSWORD }))).code).toBe("invitation_link_invalid");
    const [user] = await ctx.db.select().from(users).where(eq(users.id, invitation.member.userId));
    expect(user!.passwordHash).toBeNull();
  });

  test("a too-short or unconfirmed password is refused by field, and the link still works afterwards", async () => {
    const { invitations } = await setup();
    const invitation = await inviteStaffMember(ctx.db, invitations, { email: "short@clinic.example", name: "Short", role: "scheduler" });
    const token = tokenOf(invitation.link);
    const short = await refusal(setPasswordWithToken(ctx.db, { token, password: "short", confirmation: "short" }));
    expect(short.details).toEqual([expect.objectContaining({ field: "password", message: "must be at least 12 characters" })]);
    const mismatch = await refusal(setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: `${PASSWORD}!` }));
    expect(mismatch.details).toEqual([expect.objectContaining({ field: "confirmation", message: "does not match the password" })]);
    expect(await findInvitation(ctx.db, token)).not.toBeNull();
    await setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: PASSWORD });
  });

  test("item 13: a common password or one containing the email is refused by field, and the link still works", async () => {
    const { invitations } = await setup();
    const invitation = await inviteStaffMember(ctx.db, invitations, { email: "marisol@clinic.example", name: "Marisol", role: "scheduler" });
    const token = tokenOf(invitation.link);
    for (const password of ["aaaaaaaaaaaa", "password1234", "Marisol is my name"]) {
      const weak = await refusal(setPasswordWithToken(ctx.db, { token, password, confirmation: password }));
      expect([weak.status, weak.details.map((d) => [d.field, d.code])], password).toEqual([400, [["password", "weak_password"]]]);
    }
    expect(await findInvitation(ctx.db, token)).not.toBeNull();
    await setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: PASSWORD });
  });

  test("two uses at once: exactly one sets the password", async () => {
    const { invitations } = await setup();
    const invitation = await inviteStaffMember(ctx.db, invitations, { email: "race@clinic.example", name: "Race", role: "scheduler" });
    const token = tokenOf(invitation.link);
    const results = await Promise.allSettled([
      setPasswordWithToken(ctx.db, { token, password: "first password here", confirmation: "first password here" }),
      setPasswordWithToken(ctx.db, { token, password: "second password here", confirmation: "second password here" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  test("a deactivated person's link does not work", async () => {
    const { admin, invitations } = await setup();
    const invitation = await inviteStaffMember(ctx.db, invitations, { email: "off@clinic.example", name: "Off", role: "scheduler" });
    await setStaffActive(ctx.db, admin, invitation.member.userId, false);
    const token = tokenOf(invitation.link);
    expect(await findInvitation(ctx.db, token)).toBeNull();
    expect((await refusal(setPasswordWithToken(ctx.db, { token, password: PASSWORD, confirmation: PASSWORD }))).code).toBe("invitation_link_invalid");
  });
});

describe("re-sending an invitation", () => {
  test("issues a new link and the older ones stop working", async () => {
    const { sent, invitations } = await setup();
    const first = await inviteStaffMember(ctx.db, invitations, { email: "again@clinic.example", name: "Again", role: "scheduler" });
    const second = await resendInvitation(ctx.db, invitations, first.member.userId);
    expect(second.link).not.toBe(first.link);
    expect(sent.map((m) => m.link)).toEqual([first.link, second.link]);
    expect(await findInvitation(ctx.db, tokenOf(first.link))).toBeNull();
    expect(await ctx.db.select().from(verificationTokens).where(eq(verificationTokens.identifier, "set-password:again@clinic.example"))).toHaveLength(1);
    await setPasswordWithToken(ctx.db, { token: tokenOf(second.link), password: PASSWORD, confirmation: PASSWORD });
  });

  test("is refused once they set a password, when deactivated, and for another organization's people", async () => {
    const { admin, invitations } = await setup();
    const done = await inviteStaffMember(ctx.db, invitations, { email: "done@clinic.example", name: "Done", role: "scheduler" });
    await setPasswordWithToken(ctx.db, { token: tokenOf(done.link), password: PASSWORD, confirmation: PASSWORD });
    expect((await refusal(resendInvitation(ctx.db, invitations, done.member.userId))).code).toBe("password_already_set");

    const off = await inviteStaffMember(ctx.db, invitations, { email: "off2@clinic.example", name: "Off", role: "scheduler" });
    await setStaffActive(ctx.db, admin, off.member.userId, false);
    expect((await refusal(resendInvitation(ctx.db, invitations, off.member.userId))).code).toBe("staff_inactive");

    const other = await setup();
    const theirs = await inviteStaffMember(ctx.db, other.invitations, { email: "theirs@clinic.example", name: "Theirs", role: "scheduler" });
    const refused = await refusal(resendInvitation(ctx.db, invitations, theirs.member.userId));
    expect([refused.status, refused.code]).toEqual([404, "not_found"]);
    expect(await findInvitation(ctx.db, tokenOf(theirs.link))).not.toBeNull(); // untouched
    expect((await refusal(resendInvitation(ctx.db, invitations, "not-a-uuid"))).status).toBe(404);
  });
});
