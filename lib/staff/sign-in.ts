import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { parseAddress } from "@/lib/http/client-address";
import { recordAudit } from "./audit";
import { findStaffByEmail, toMember, type StaffMember } from "./members";
import { verifyPassword } from "./passwords";

/** Guessing limits: failures per email, and per address, in the last 15 minutes. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perEmail: 5, perAddress: 30 };

export type SignInResult =
  | { ok: true; member: StaffMember }
  | { ok: false; reason: "invalid" | "rate_limited"; retryAfterMinutes?: number };

type Context = { ip: string | null; userAgent: string | null; now?: Date };

/**
 * Checks an email and password. The answer never says whether the email exists; too many
 * failures for an email or from an address refuse further tries for a while, right or wrong.
 */
export async function signInWithPassword(db: Db, email: string, password: string, given: Context): Promise<SignInResult> {
  // Only an address (or none) is compared with and written to the `inet` column: text that is not one would fail the count.
  const ctx = { ...given, ip: given.ip ? parseAddress(given.ip) : null };
  const now = ctx.now ?? new Date();
  const normalized = email.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const failed = sql`${signInAttempts.outcome} <> 'ok'`;
  const [[byEmail], [byAddress]] = await Promise.all([
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(signInAttempts)
      .where(and(sql`lower(${signInAttempts.email}) = ${normalized}`, gt(signInAttempts.attemptedAt, since), failed)),
    ctx.ip
      ? db
          .select({ n: sql<number>`count(*)::int` })
          .from(signInAttempts)
          .where(and(eq(signInAttempts.ip, ctx.ip), gt(signInAttempts.attemptedAt, since), failed))
      : Promise.resolve([{ n: 0 }]),
  ]);
  const user = await findStaffByEmail(db, normalized);

  const record = async (outcome: (typeof signInAttempts.$inferInsert)["outcome"]) => {
    await db.insert(signInAttempts).values({ email: normalized, ip: ctx.ip, outcome, attemptedAt: now });
    if (user && outcome !== "ok") {
      await recordAudit(db, {
        organizationId: user.organizationId,
        action: "staff.sign_in_failed",
        actor: { userId: user.id, label: user.email },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        detail: { reason: outcome },
      });
    }
  };

  if ((byEmail?.n ?? 0) >= SIGN_IN_LIMITS.perEmail || (byAddress?.n ?? 0) >= SIGN_IN_LIMITS.perAddress) {
    await record("rate_limited");
    return { ok: false, reason: "rate_limited", retryAfterMinutes: SIGN_IN_LIMITS.windowMinutes };
  }
  const matches = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user) {
    await record("unknown_email");
    return { ok: false, reason: "invalid" };
  }
  if (!matches) {
    await record("wrong_password");
    return { ok: false, reason: "invalid" };
  }
  if (!user.active) {
    await record("inactive");
    return { ok: false, reason: "invalid" };
  }
  await record("ok");
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { ok: true, member: toMember(user) };
}

/** Housekeeping: attempts older than a day count toward no limit (the audit log keeps failures). */
export async function purgeSignInAttempts(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(signInAttempts).where(lt(signInAttempts.attemptedAt, new Date(now.getTime() - 86_400_000))).returning({ id: signInAttempts.id });
  return gone.length;
}
