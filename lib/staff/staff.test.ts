import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, providers, sessions, users } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { createStaffMember, endSessionsOf, endStaffSession, resumeStaffSession, SIGN_IN_LIMITS, signInWithPassword, startStaffSession } from ".";

const ctx = setupTestDatabase();
const PASSWORD = "correct horse battery";
const here = { ip: "203.0.113.7", userAgent: "vitest" };

async function providerOf(organizationId: string, documentNumber: string) {
  const [row] = await ctx.db
    .insert(providers)
    .values({ organizationId, name: "Dra. Test", documentType: "CC", documentNumber, professionalType: "MedicoGeneral", phone: "+573001112233", email: `p${documentNumber}@x.example` })
    .returning();
  return row!;
}

describe("staff members", () => {
  test("are created with a hashed password, and the fields at fault are named", async () => {
    const { organization } = await createTenant(ctx.db);
    const member = await createStaffMember(ctx.db, organization.id, { email: " Rosa@Clinic.Example ", name: "Rosa", role: "scheduler", password: PASSWORD });
    expect(member).toMatchObject({ email: "rosa@clinic.example", role: "scheduler", providerId: null });
    const [row] = await ctx.db.select().from(users).where(eq(users.id, member.userId));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);

    const bad = await refusal(createStaffMember(ctx.db, organization.id, { email: "not-an-email", name: "", role: "provider", password: "short" }));
    expect(bad.details.map((d) => d.field).sort()).toEqual(["email", "name", "password", "providerId"]);
    const noProvider = await refusal(createStaffMember(ctx.db, organization.id, { email: "p@clinic.example", name: "P", role: "provider" }));
    expect(noProvider.details).toEqual([expect.objectContaining({ field: "providerId", message: "is required for the provider role" })]);
    const taken = await refusal(createStaffMember(ctx.db, organization.id, { email: "ROSA@clinic.example", name: "Rosa 2", role: "admin" }));
    expect([taken.status, taken.code, taken.details[0]?.field]).toEqual([409, "email_taken", "email"]);
  });

  test("item 13: a common, trivial or guessable password is refused with the field named, and nothing is created", async () => {
    const { organization } = await createTenant(ctx.db, { name: "Clínica Salud Total" });
    for (const password of ["aaaaaaaaaaaa", "password1234", "lucia.gomez rocks", "Salud Total forever"]) {
      const weak = await refusal(createStaffMember(ctx.db, organization.id, { email: "lucia.gomez@clinic.example", name: "Lucía", role: "admin", password }));
      expect([weak.status, weak.code, weak.details.map((d) => [d.field, d.code])], password).toEqual([400, "validation_error", [["password", "weak_password"]]]);
    }
    expect(await ctx.db.select().from(users).where(eq(users.email, "lucia.gomez@clinic.example"))).toEqual([]);
  });

  test("a provider account can only be tied to a provider of its own organization", async () => {
    const mine = await createTenant(ctx.db);
    const other = await createTenant(ctx.db);
    const theirs = await providerOf(other.organization.id, "70000001");
    const refused = await refusal(createStaffMember(ctx.db, mine.organization.id, { email: "doc@clinic.example", name: "Doc", role: "provider", providerId: theirs.id }));
    expect([refused.code, refused.details[0]?.field]).toEqual(["unknown_provider", "providerId"]);
    const own = await providerOf(mine.organization.id, "70000002");
    const member = await createStaffMember(ctx.db, mine.organization.id, { email: "doc@clinic.example", name: "Doc", role: "provider", providerId: own.id });
    expect(member.providerId).toBe(own.id);
  });
});

describe("password sign-in", () => {
  test("lets the right password in and answers a wrong password and an unknown email alike", async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "ana@clinic.example", name: "Ana", role: "admin", password: PASSWORD });
    const ok = await signInWithPassword(ctx.db, "ANA@clinic.example", PASSWORD, here);
    expect(ok).toMatchObject({ ok: true, member: { email: "ana@clinic.example", role: "admin", organizationId: organization.id } });
    expect(await signInWithPassword(ctx.db, "ana@clinic.example", "wrong password!!", here)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(ctx.db, "nobody@clinic.example", PASSWORD, here)).toEqual({ ok: false, reason: "invalid" });

    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.organizationId, organization.id));
    expect(audit.map((a) => [a.action, a.actorLabel, a.ip, (a.detail as { reason?: string })?.reason])).toEqual([
      ["staff.sign_in_failed", "ana@clinic.example", "203.0.113.7", "wrong_password"],
    ]);
  });

  test("a deactivated account cannot sign in", async () => {
    const { organization } = await createTenant(ctx.db);
    const member = await createStaffMember(ctx.db, organization.id, { email: "gone@clinic.example", name: "Gone", role: "scheduler", password: PASSWORD });
    await ctx.db.update(users).set({ active: false }).where(eq(users.id, member.userId));
    expect(await signInWithPassword(ctx.db, "gone@clinic.example", PASSWORD, here)).toEqual({ ok: false, reason: "invalid" });
  });

  test(`after ${SIGN_IN_LIMITS.perEmail} failures an email is refused for ${SIGN_IN_LIMITS.windowMinutes} minutes, even with the right password`, async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "target@clinic.example", name: "T", role: "admin", password: PASSWORD });
    const start = new Date("2026-11-21T10:00:00Z");
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) {
      const answer = await signInWithPassword(ctx.db, "target@clinic.example", `guess number ${i}`, { ...here, ip: `198.51.100.${i}`, now: start });
      expect(answer.ok).toBe(false);
    }
    const locked = await signInWithPassword(ctx.db, "target@clinic.example", PASSWORD, { ...here, now: new Date(start.getTime() + 60_000) });
    expect(locked).toEqual({ ok: false, reason: "rate_limited", retryAfterMinutes: SIGN_IN_LIMITS.windowMinutes });
    const later = await signInWithPassword(ctx.db, "target@clinic.example", PASSWORD, { ...here, now: new Date(start.getTime() + 16 * 60_000) });
    expect(later.ok).toBe(true);
  });

  test(`one address is refused after ${SIGN_IN_LIMITS.perAddress} failures across many emails`, { timeout: 90_000 }, async () => {
    const start = new Date("2026-11-21T12:00:00Z");
    const sprayer = { ...here, ip: "192.0.2.99", now: start };
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) await signInWithPassword(ctx.db, `user${i}@clinic.example`, "Password123456", sprayer);
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "real@clinic.example", name: "R", role: "admin", password: PASSWORD });
    expect(await signInWithPassword(ctx.db, "real@clinic.example", PASSWORD, sprayer)).toMatchObject({ reason: "rate_limited" });
    expect(await signInWithPassword(ctx.db, "real@clinic.example", PASSWORD, { ...sprayer, ip: "192.0.2.100" })).toMatchObject({ ok: true });
  });
});

describe("sessions", () => {
  test("last while active, end after the idle limit, and end at sign-out or deactivation", async () => {
    const { organization } = await createTenant(ctx.db);
    const member = await createStaffMember(ctx.db, organization.id, { email: "s@clinic.example", name: "S", role: "admin", password: PASSWORD });
    const idle = 15 * 60;
    const t0 = new Date("2026-11-21T09:00:00Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const token = await startStaffSession(ctx.db, member.userId, idle, { ...here, now: t0 });

    // Activity every 10 minutes keeps it going past the idle limit counted from the start.
    expect(await resumeStaffSession(ctx.db, token, idle, { now: at(10) })).toMatchObject({ userId: member.userId });
    expect(await resumeStaffSession(ctx.db, token, idle, { now: at(20) })).toMatchObject({ userId: member.userId });
    // 15 minutes without activity: gone.
    expect(await resumeStaffSession(ctx.db, token, idle, { now: at(35) })).toBeNull();

    const second = await startStaffSession(ctx.db, member.userId, idle, { ...here, now: t0 });
    expect(await endStaffSession(ctx.db, second)).toBe(true);
    expect(await resumeStaffSession(ctx.db, second, idle, { now: at(1) })).toBeNull();
    expect(await endStaffSession(ctx.db, second)).toBe(false);

    const third = await startStaffSession(ctx.db, member.userId, idle, { ...here, now: t0 });
    await ctx.db.update(users).set({ active: false }).where(eq(users.id, member.userId));
    expect(await resumeStaffSession(ctx.db, third, idle, { now: at(1) })).toBeNull();
    await endSessionsOf(ctx.db, member.userId);
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, member.userId))).toEqual([]);
  });
});
