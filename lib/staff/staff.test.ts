import { eq } from "drizzle-orm";
import argon2 from "argon2";
import { describe, expect, test, vi } from "vitest";
import { auditLog, providers, sessions, signInAttempts, users } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { createStaffMember, endSessionsOf, endStaffSession, readDeviceCookie, resumeStaffSession, SIGN_IN_LIMITS, signDeviceCookie, signInWithPassword, startStaffSession } from ".";

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

  test("item 5: 20 parallel wrong passwords for one email check at most the free failures; the rest are refused without a check", { timeout: 60_000 }, async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "raced@clinic.example", name: "R", role: "admin", password: PASSWORD });
    const verify = vi.spyOn(argon2, "verify");
    try {
      // From one address, and from 20 different ones: the per-account limit holds either way.
      for (const [email, ipOf] of [
        ["raced@clinic.example", () => "198.51.100.50"],
        ["RACED@clinic.example", (i: number) => `203.0.113.${100 + i}`],
      ] as const) {
        verify.mockClear();
        await ctx.db.delete(signInAttempts);
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => signInWithPassword(ctx.db, email, `wrong guess ${i}`, { ...here, ip: ipOf(i) })),
        );
        expect(verify).toHaveBeenCalledTimes(SIGN_IN_LIMITS.freeFailures);
        expect(answers.filter((a) => !a.ok && a.reason === "invalid")).toHaveLength(SIGN_IN_LIMITS.freeFailures);
        expect(answers.filter((a) => !a.ok && a.reason === "rate_limited")).toHaveLength(20 - SIGN_IN_LIMITS.freeFailures);
        const stored = await ctx.db.select({ outcome: signInAttempts.outcome }).from(signInAttempts);
        expect(stored.filter((r) => r.outcome === "wrong_password")).toHaveLength(SIGN_IN_LIMITS.freeFailures);
        expect(stored.filter((r) => r.outcome === "rate_limited")).toHaveLength(20 - SIGN_IN_LIMITS.freeFailures);
      }
    } finally {
      verify.mockRestore();
    }
  });

  test("item 5: a try is counted before its password is checked, so one that never finishes still counts", async () => {
    const start = new Date("2026-11-21T09:00:00Z");
    // Five checks that died mid-way (the process was killed during argon2) left their reservations.
    await ctx.db.insert(signInAttempts).values(Array.from({ length: SIGN_IN_LIMITS.freeFailures }, () => ({ email: "crashed@clinic.example", ip: "198.51.100.60", outcome: "pending" as const, attemptedAt: start })));
    const next = await signInWithPassword(ctx.db, "crashed@clinic.example", "another guess", { ...here, ip: "198.51.100.61", now: new Date(start.getTime() + 1000) });
    expect(next).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: SIGN_IN_LIMITS.firstDelaySeconds - 1 });
  });

  test(`item 8: after ${SIGN_IN_LIMITS.freeFailures} failures each try from an unknown browser waits longer (30 s, 60 s, 2 min, …, at most 15 min), but the account is never locked`, { timeout: 60_000 }, async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "target@clinic.example", name: "T", role: "admin", password: PASSWORD });
    const start = new Date("2026-11-21T10:00:00Z");
    let t = start.getTime();
    const at = (ip = "198.51.100.7") => ({ ...here, ip, now: new Date(t) });
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures; i++) {
      expect(await signInWithPassword(ctx.db, "target@clinic.example", `guess number ${i}`, at(`198.51.100.${i}`))).toEqual({ ok: false, reason: "invalid" });
    }
    // Growing waits, whichever address the guesser moves to; a refused try does not move the wait.
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      t += 1000;
      const refused = await signInWithPassword(ctx.db, "target@clinic.example", "guess while waiting", at(`192.0.2.${i}`));
      if (refused.ok || refused.reason !== "rate_limited") throw new Error(`expected a wait, got ${JSON.stringify(refused)}`);
      waits.push(refused.retryAfterSeconds + 1);
      t += refused.retryAfterSeconds * 1000;
      expect(await signInWithPassword(ctx.db, "target@clinic.example", `later guess ${i}`, at(`192.0.2.${i}`))).toEqual({ ok: false, reason: "invalid" });
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900]);
    t += 1000;
    const capped = await signInWithPassword(ctx.db, "target@clinic.example", "one more", at());
    expect(capped).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: SIGN_IN_LIMITS.maxDelaySeconds - 1 });

    // The owner from a new browser waits like anyone else, then gets in: slowed, never locked out.
    t += SIGN_IN_LIMITS.maxDelaySeconds * 1000;
    expect(await signInWithPassword(ctx.db, "target@clinic.example", PASSWORD, at())).toMatchObject({ ok: true });
  });

  test("item 8: the owner signing in from a known browser (device cookie) is not slowed by a guesser, and its cookie does nothing for another account", { timeout: 60_000 }, async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "owner@clinic.example", name: "O", role: "admin", password: PASSWORD });
    const other = await createStaffMember(ctx.db, organization.id, { email: "other@clinic.example", name: "X", role: "admin", password: PASSWORD });
    const start = new Date("2026-11-21T11:00:00Z");
    const first = await signInWithPassword(ctx.db, "owner@clinic.example", PASSWORD, { ...here, now: start });
    if (!first.ok) throw new Error("the owner's first sign-in failed");
    // The cookie the browser keeps: signed, naming the person and this browser.
    const secret = "a test app secret, at least 32 characters long";
    const cookie = await signDeviceCookie(secret, first.device, start);
    expect(await readDeviceCookie(secret, cookie, start)).toEqual(first.device);
    expect(await readDeviceCookie("another secret of at least 32 characters!", cookie, start)).toBeNull();
    expect(await readDeviceCookie(secret, `${cookie.slice(0, -2)}xx`, start)).toBeNull();
    const device = (await readDeviceCookie(secret, cookie, start))!;

    const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures + 1; i++) await signInWithPassword(ctx.db, "owner@clinic.example", `guess ${i}`, { ...here, ip: "198.51.100.66", now: later(60) });
    const guesser = await signInWithPassword(ctx.db, "owner@clinic.example", PASSWORD, { ...here, ip: "198.51.100.66", now: later(61) });
    expect(guesser).toMatchObject({ ok: false, reason: "rate_limited" });
    // Same network, same moment, but the browser the owner signed in from before: straight in.
    const owner = await signInWithPassword(ctx.db, "owner@clinic.example", PASSWORD, { ...here, ip: "198.51.100.66", now: later(62), device });
    expect(owner).toMatchObject({ ok: true, device });
    // A cookie for one account does nothing for another.
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures; i++) await signInWithPassword(ctx.db, "other@clinic.example", `guess ${i}`, { ...here, ip: "198.51.100.67", now: later(70) });
    expect(await signInWithPassword(ctx.db, "other@clinic.example", PASSWORD, { ...here, ip: "198.51.100.67", now: later(71), device })).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(other.userId).not.toBe(device.userId);
  });

  test("item 8: after signing in, the owner is told of the failed attempts since their last sign-in, once", { timeout: 60_000 }, async () => {
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "told@clinic.example", name: "T", role: "admin", password: PASSWORD });
    expect(await signInWithPassword(ctx.db, "told@clinic.example", PASSWORD, here)).toMatchObject({ ok: true, failedSinceLastSignIn: null });
    await signInWithPassword(ctx.db, "told@clinic.example", "guess one", { ...here, ip: "198.51.100.80" });
    await signInWithPassword(ctx.db, "told@clinic.example", "guess two", { ...here, ip: "198.51.100.81" });
    await signInWithPassword(ctx.db, "told@clinic.example", "guess three", { ...here, ip: "198.51.100.82" });
    const signedIn = await signInWithPassword(ctx.db, "told@clinic.example", PASSWORD, here);
    if (!signedIn.ok) throw new Error("sign-in failed");
    expect(signedIn.failedSinceLastSignIn).toMatchObject({ count: 3, lastIp: "198.51.100.82" });
    expect(Date.now() - new Date(signedIn.failedSinceLastSignIn!.lastAt).getTime()).toBeLessThan(30_000);
    expect(await signInWithPassword(ctx.db, "told@clinic.example", PASSWORD, here)).toMatchObject({ ok: true, failedSinceLastSignIn: null });
  });

  test(`item 8: one address is slowed after ${SIGN_IN_LIMITS.addressFreeFailures} failures across many emails`, { timeout: 90_000 }, async () => {
    const start = new Date("2026-11-21T12:00:00Z");
    const sprayer = { ...here, ip: "192.0.2.99", now: start };
    for (let i = 0; i < SIGN_IN_LIMITS.addressFreeFailures; i++) await signInWithPassword(ctx.db, `user${i}@clinic.example`, "Password123456", sprayer);
    const { organization } = await createTenant(ctx.db);
    await createStaffMember(ctx.db, organization.id, { email: "real@clinic.example", name: "R", role: "admin", password: PASSWORD });
    expect(await signInWithPassword(ctx.db, "real@clinic.example", PASSWORD, sprayer)).toMatchObject({ reason: "rate_limited", retryAfterSeconds: SIGN_IN_LIMITS.firstDelaySeconds });
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
