import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { accounts, providers, users } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { changeRole, createStaffMember, inviteStaffMember, listStaff, resumeStaffSession, setStaffActive, startStaffSession } from ".";

const ctx = setupTestDatabase();
const PASSWORD = "correct horse battery";
const here = { ip: "203.0.113.7", userAgent: "vitest" };
const IDLE = 900;

let seq = 0;
async function setup() {
  const { organization } = await createTenant(ctx.db);
  const n = ++seq;
  const admin = await createStaffMember(ctx.db, organization.id, { email: `admin${n}@clinic.example`, name: `Admin ${n}`, role: "admin", password: PASSWORD });
  const scheduler = await createStaffMember(ctx.db, organization.id, { email: `sched${n}@clinic.example`, name: `Scheduler ${n}`, role: "scheduler", password: PASSWORD });
  const [provider] = await ctx.db
    .insert(providers)
    .values({ organizationId: organization.id, name: `Dra. Uno ${n}`, documentType: "CC", documentNumber: `8000${n}`, professionalType: "MedicoGeneral", phone: "+573001112233", email: `p${n}@x.example` })
    .returning();
  return { organization, admin, scheduler, provider: provider! };
}

describe("the staff list", () => {
  test("shows each person's role, provider and whether they are active, invited or deactivated", async () => {
    const { organization, admin, scheduler, provider } = await setup();
    const doctor = await createStaffMember(ctx.db, organization.id, { email: "doc@list.example", name: "Doc", role: "provider", providerId: provider.id, password: PASSWORD });
    const invited = await inviteStaffMember(ctx.db, { organizationId: organization.id, appUrl: "https://x.example", mailer: () => {} }, { email: "new@list.example", name: "New", role: "scheduler" });
    const sso = await createStaffMember(ctx.db, organization.id, { email: "sso@list.example", name: "Sso", role: "scheduler" });
    await ctx.db.insert(accounts).values({ userId: sso.userId, type: "oidc", provider: "oidc", providerAccountId: "sub-1" });
    await setStaffActive(ctx.db, admin, scheduler.userId, false);
    const other = await setup(); // another organization's people are not listed

    const rows = await listStaff(ctx.db, organization.id);
    const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
    expect(Object.keys(byEmail).sort()).toEqual([admin.email, "doc@list.example", "new@list.example", scheduler.email, "sso@list.example"].sort());
    expect(byEmail[admin.email]).toMatchObject({ role: "admin", status: "active", providerName: null });
    expect(byEmail[doctor.email]).toMatchObject({ role: "provider", providerId: provider.id, providerName: provider.name, status: "active" });
    expect(byEmail[scheduler.email]).toMatchObject({ status: "deactivated" });
    expect(byEmail["new@list.example"]).toMatchObject({ status: "invited", invitationExpiresAt: invited.expiresAt });
    // Once the link expires the person is still invited, with no link that works.
    const later = await listStaff(ctx.db, organization.id, invited.expiresAt);
    expect(later.find((r) => r.email === "new@list.example")).toMatchObject({ status: "invited", invitationExpiresAt: null });
    expect(byEmail["sso@list.example"]).toMatchObject({ status: "active", invitationExpiresAt: null });
    expect(rows.some((r) => r.email === other.admin.email)).toBe(false);
  });
});

describe("changing a role", () => {
  test("to provider needs one of the organization's providers; away from provider forgets it", async () => {
    const { admin, scheduler, provider } = await setup();
    const other = await setup();
    const missing = await refusal(changeRole(ctx.db, admin, scheduler.userId, { role: "provider" }));
    expect(missing.details).toEqual([expect.objectContaining({ field: "providerId", message: "is required for the provider role" })]);
    const foreign = await refusal(changeRole(ctx.db, admin, scheduler.userId, { role: "provider", providerId: other.provider.id }));
    expect([foreign.code, foreign.details[0]?.field]).toEqual(["unknown_provider", "providerId"]);

    const toProvider = await changeRole(ctx.db, admin, scheduler.userId, { role: "provider", providerId: provider.id });
    expect(toProvider).toMatchObject({ changed: true, from: { role: "scheduler", providerId: null }, member: { role: "provider", providerId: provider.id } });
    const back = await changeRole(ctx.db, admin, scheduler.userId, { role: "scheduler", providerId: provider.id });
    expect(back).toMatchObject({ changed: true, from: { role: "provider", providerId: provider.id }, member: { role: "scheduler", providerId: null } });
    expect(await changeRole(ctx.db, admin, scheduler.userId, { role: "scheduler" })).toMatchObject({ changed: false });
  });

  test("an admin cannot change their own role, and the organization keeps an active admin", async () => {
    const { organization, admin, scheduler } = await setup();
    const own = await refusal(changeRole(ctx.db, admin, admin.userId, { role: "scheduler" }));
    expect([own.status, own.code]).toEqual([409, "own_account"]);

    // A second admin, demoted while they are not the last one: fine.
    const second = await createStaffMember(ctx.db, organization.id, { email: `second-${organization.slug}@clinic.example`, name: "Second", role: "admin", password: PASSWORD });
    await changeRole(ctx.db, second, scheduler.userId, { role: "admin" });
    await changeRole(ctx.db, admin, second.userId, { role: "scheduler" });
    // Now the two admins are `admin` and `scheduler` (promoted); deactivate one, the other is the last.
    await setStaffActive(ctx.db, admin, scheduler.userId, false);
    const last = await refusal(changeRole(ctx.db, { organizationId: organization.id, userId: second.userId }, admin.userId, { role: "scheduler" }));
    expect([last.status, last.code]).toEqual([409, "last_admin"]);
    expect(last.message).toContain("only active admin");
    const [row] = await ctx.db.select().from(users).where(eq(users.id, admin.userId));
    expect(row!.role).toBe("admin");
  });

  test("another organization's staff member is not found, and nothing changes", async () => {
    const mine = await setup();
    const theirs = await setup();
    const refused = await refusal(changeRole(ctx.db, mine.admin, theirs.scheduler.userId, { role: "admin" }));
    expect([refused.status, refused.code]).toEqual([404, "not_found"]);
    expect((await refusal(setStaffActive(ctx.db, mine.admin, theirs.scheduler.userId, false))).status).toBe(404);
    const [row] = await ctx.db.select().from(users).where(eq(users.id, theirs.scheduler.userId));
    expect([row!.role, row!.active]).toEqual(["scheduler", true]);
  });
});

describe("deactivating", () => {
  test("ends every session of the person at once, and reactivating lets them sign in again", async () => {
    const { admin, scheduler } = await setup();
    const phone = await startStaffSession(ctx.db, scheduler.userId, IDLE, here);
    const laptop = await startStaffSession(ctx.db, scheduler.userId, IDLE, here);
    const adminSession = await startStaffSession(ctx.db, admin.userId, IDLE, here);
    expect(await resumeStaffSession(ctx.db, phone, IDLE)).toMatchObject({ userId: scheduler.userId });

    expect(await setStaffActive(ctx.db, admin, scheduler.userId, false)).toMatchObject({ changed: true });
    expect(await resumeStaffSession(ctx.db, phone, IDLE)).toBeNull();
    expect(await resumeStaffSession(ctx.db, laptop, IDLE)).toBeNull();
    expect(await resumeStaffSession(ctx.db, adminSession, IDLE)).toMatchObject({ userId: admin.userId });

    expect(await setStaffActive(ctx.db, admin, scheduler.userId, true)).toMatchObject({ changed: true, member: { userId: scheduler.userId } });
    expect(await resumeStaffSession(ctx.db, phone, IDLE)).toBeNull(); // the old sessions stay ended
    const fresh = await startStaffSession(ctx.db, scheduler.userId, IDLE, here);
    expect(await resumeStaffSession(ctx.db, fresh, IDLE)).toMatchObject({ userId: scheduler.userId });
  });

  test("an admin cannot deactivate themselves, nor the organization's last active admin", async () => {
    const { organization, admin } = await setup();
    const own = await refusal(setStaffActive(ctx.db, admin, admin.userId, false));
    expect(own.code).toBe("own_account");
    // Someone else acting (e.g. a second admin since deactivated, whose request was in flight).
    const ghost = { organizationId: organization.id, userId: "00000000-0000-4000-8000-000000000000" };
    const last = await refusal(setStaffActive(ctx.db, ghost, admin.userId, false));
    expect(last.code).toBe("last_admin");
    const second = await createStaffMember(ctx.db, organization.id, { email: `two-${organization.slug}@clinic.example`, name: "Two", role: "admin", password: PASSWORD });
    expect(await setStaffActive(ctx.db, admin, second.userId, false)).toMatchObject({ changed: true });
    expect(await setStaffActive(ctx.db, admin, second.userId, false)).toMatchObject({ changed: false });
  });

  test("two admins deactivating each other at once leave one active admin", async () => {
    const { organization, admin } = await setup();
    const second = await createStaffMember(ctx.db, organization.id, { email: `pair-${organization.slug}@clinic.example`, name: "Pair", role: "admin", password: PASSWORD });
    const results = await Promise.allSettled([setStaffActive(ctx.db, admin, second.userId, false), setStaffActive(ctx.db, second, admin.userId, false)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const admins = await ctx.db.select().from(users).where(eq(users.organizationId, organization.id));
    expect(admins.filter((u) => u.role === "admin" && u.active)).toHaveLength(1);
  });
});
