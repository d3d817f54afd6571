import { eq, lt, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { parseAddress } from "@/lib/security/client-address";
import { recordAudit } from "./audit";
import { newDeviceId, type KnownDevice } from "./device";
import { findStaffByEmail, toMember, type StaffMember } from "./members";
import { verifyPassword } from "./passwords";

/**
 * Guessing limits. Nothing locks an account: past the free failures each further try must wait
 * (30 s, doubling, at most 15 minutes), counted three ways that do not share a budget:
 * - per account, for tries from browsers it does not know (reset by a right password from one);
 * - per address, across accounts, over the last hour;
 * - per known browser (device cookie) of that account, so the owner at their desk is never
 *   slowed by a guesser elsewhere.
 */
export const SIGN_IN_LIMITS = {
  freeFailures: 5,
  addressFreeFailures: 30,
  addressWindowMinutes: 60,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  /** Failures older than this count toward no limit. */
  windowHours: 24,
};

/** The wait after `failures` counted failures, once `free` of them are used up (0 before). */
export function signInDelaySeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(SIGN_IN_LIMITS.maxDelaySeconds, SIGN_IN_LIMITS.firstDelaySeconds * 2 ** (failures - free));
}

/** Failed sign-ins for an account since its previous sign-in, shown to its owner. */
export type FailedSignIns = { count: number; lastAt: string; lastIp: string | null };

export type SignInResult =
  | { ok: true; member: StaffMember; device: KnownDevice; failedSinceLastSignIn: FailedSignIns | null }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

type Context = { ip: string | null; userAgent: string | null; now?: Date; device?: KnownDevice | null };

// Advisory-lock classes (the first of two int4 keys); pin.ts uses 7_340_031.
const EMAIL_LOCK = 7_340_041;
const ADDRESS_LOCK = 7_340_042;
const DEVICE_LOCK = 7_340_043;

/** Outcomes that count as a failure; `pending` does until its check says otherwise. */
const FAILED = sql.raw(`outcome in ('pending', 'wrong_password', 'unknown_email', 'inactive')`);

type Window = { failures: number; last_ms: number | null };

/** Seconds until the next try is allowed, given a bucket's failures and the last one's time. */
function waitOf(window: Window, free: number, now: Date): number {
  const delay = signInDelaySeconds(window.failures, free);
  if (delay === 0 || window.last_ms === null) return 0;
  return Math.max(0, (Number(window.last_ms) + delay * 1000 - now.getTime()) / 1000);
}

async function windowOf(tx: Db, bucket: ReturnType<typeof sql>, since: Date, resetByOk: boolean): Promise<Window> {
  const sinceIso = since.toISOString();
  const [row] = (await tx.execute(sql`
    with recent as (select outcome, attempted_at from sign_in_attempts where ${bucket} and attempted_at > ${sinceIso}),
    last_ok as (select max(attempted_at) as at from recent where outcome = 'ok' and ${sql.raw(resetByOk ? "true" : "false")})
    select
      count(*) filter (where ${FAILED} and attempted_at > coalesce((select at from last_ok), '-infinity'))::int as failures,
      extract(epoch from max(attempted_at) filter (where ${FAILED}))::float8 * 1000 as last_ms
    from recent`)) as unknown as [Window];
  return row!;
}

/**
 * Checks an email and password. The answer never says whether the email exists. Tries for one
 * account (or one known browser) and from one address are serialized, and each is written as
 * `pending` before its password is checked: parallel guesses cannot slip past a limit, and the
 * slow check (argon2) runs with no transaction open.
 */
export async function signInWithPassword(db: Database, email: string, password: string, given: Context): Promise<SignInResult> {
  // Only an address (or none) is compared with and written to the `inet` column: text that is not one would fail the count.
  const ctx = { ...given, ip: given.ip ? parseAddress(given.ip) : null };
  const now = ctx.now ?? new Date();
  const normalized = email.trim().toLowerCase();
  const user = await findStaffByEmail(db, normalized);
  // A device cookie counts only for the account it was issued to.
  const device = user && ctx.device?.userId === user.id ? ctx.device.deviceId : null;
  const dayAgo = new Date(now.getTime() - SIGN_IN_LIMITS.windowHours * 3600_000);

  const auditFailure = async (tx: Db, reason: string) => {
    if (!user) return;
    await recordAudit(tx, {
      organizationId: user.organizationId,
      action: "staff.sign_in_failed",
      actor: { userId: user.id, label: user.email },
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      detail: { reason, ...(device ? { knownDevice: true } : {}) },
    });
  };

  const reserved = await db.transaction(async (tx) => {
    let wait: number;
    if (device) {
      await tx.execute(sql`select pg_advisory_xact_lock(${DEVICE_LOCK}, hashtext(${device}))`);
      wait = waitOf(await windowOf(tx, sql`device = ${device}`, dayAgo, true), SIGN_IN_LIMITS.freeFailures, now);
    } else {
      // Always the email first, then the address: one order, so two tries never deadlock.
      await tx.execute(sql`select pg_advisory_xact_lock(${EMAIL_LOCK}, hashtext(${normalized}))`);
      if (ctx.ip) await tx.execute(sql`select pg_advisory_xact_lock(${ADDRESS_LOCK}, hashtext(${ctx.ip}))`);
      wait = waitOf(await windowOf(tx, sql`lower(email) = ${normalized} and device is null`, dayAgo, true), SIGN_IN_LIMITS.freeFailures, now);
      if (ctx.ip) {
        const hourAgo = new Date(now.getTime() - SIGN_IN_LIMITS.addressWindowMinutes * 60_000);
        wait = Math.max(wait, waitOf(await windowOf(tx, sql`ip = ${ctx.ip} and device is null`, hourAgo, false), SIGN_IN_LIMITS.addressFreeFailures, now));
      }
    }
    const outcome = wait > 0 ? ("rate_limited" as const) : ("pending" as const);
    const [row] = await tx.insert(signInAttempts).values({ email: normalized, ip: ctx.ip, device, outcome, attemptedAt: now }).returning({ id: signInAttempts.id });
    if (wait > 0) await auditFailure(tx, "rate_limited");
    return { id: row!.id, wait };
  });
  if (reserved.wait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(reserved.wait)) };

  const matches = await verifyPassword(user?.passwordHash ?? null, password);
  const outcome = !user ? "unknown_email" : !matches ? "wrong_password" : !user.active ? "inactive" : "ok";
  return db.transaction(async (tx): Promise<SignInResult> => {
    await tx.update(signInAttempts).set({ outcome }).where(eq(signInAttempts.id, reserved.id));
    if (outcome !== "ok" || !user) {
      await auditFailure(tx, outcome);
      return { ok: false, reason: "invalid" };
    }
    const failedSinceLastSignIn = await recordSignIn(tx, user.id, now);
    return { ok: true, member: toMember(user), device: { userId: user.id, deviceId: device ?? newDeviceId() }, failedSinceLastSignIn };
  });
}

/**
 * Marks a sign-in (password or single sign-on) and tells what the owner should know: the
 * failed sign-ins for their account since their previous one, from the audit log.
 */
export async function recordSignIn(db: Db, userId: string, now = new Date()): Promise<FailedSignIns | null> {
  const [previous] = await db.select({ at: users.lastSignInAt }).from(users).where(eq(users.id, userId));
  const since = previous?.at ? previous.at.toISOString() : null;
  const [failed] = (await db.execute(sql`
    select count(*)::int as count, max(at) as last_at, (array_agg(host(ip) order by at desc, id desc))[1] as last_ip
    from audit_log
    where actor_user_id = ${userId} and action = 'staff.sign_in_failed' and at > coalesce(${since}::timestamptz, '-infinity')`)) as unknown as [
    { count: number; last_at: string | Date | null; last_ip: string | null },
  ];
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, userId));
  if (!failed || failed.count === 0 || !failed.last_at) return null;
  return { count: failed.count, lastAt: new Date(failed.last_at).toISOString(), lastIp: failed.last_ip };
}

/** Housekeeping: attempts older than a day count toward no limit (the audit log keeps failures). */
export async function purgeSignInAttempts(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(signInAttempts).where(lt(signInAttempts.attemptedAt, new Date(now.getTime() - 86_400_000))).returning({ id: signInAttempts.id });
  return gone.length;
}
