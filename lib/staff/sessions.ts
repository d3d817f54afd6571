import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { parseAddress } from "@/lib/security/client-address";
import { toMember, type StaffMember } from "./members";

// Extending the expiry on every request would write on every page view; every 30 s is
// precise enough for a limit counted in minutes (the browser pings as often while in use).
const TOUCH_EVERY_MS = 30_000;

export type SessionContext = { ip: string | null; userAgent: string | null; now?: Date };

/** Opens a server-side session for a signed-in person; the token goes into their (signed) cookie. */
export async function startStaffSession(db: Db, userId: string, idleSeconds: number, ctx: SessionContext): Promise<string> {
  const now = ctx.now ?? new Date();
  const sessionToken = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    sessionToken,
    userId,
    expires: new Date(now.getTime() + idleSeconds * 1000),
    createdAt: now,
    // An `inet` column: text that is not an address is kept as none, never a failed sign-in.
    ip: ctx.ip ? parseAddress(ctx.ip) : null,
    userAgent: ctx.userAgent?.slice(0, 500) ?? null,
  });
  return sessionToken;
}

/**
 * The person behind a session token, or null when the session ended, went idle past its limit,
 * or the account was deactivated. Activity moves the idle limit forward.
 */
export async function resumeStaffSession(
  db: Db,
  sessionToken: string,
  idleSeconds: number,
  options: { now?: Date; activity?: boolean } = {},
): Promise<StaffMember | null> {
  const now = options.now ?? new Date();
  const [row] = await db
    .select({ user: users, expires: sessions.expires })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sessionToken), gt(sessions.expires, now)));
  if (!row || !row.user.active) return null;
  const extended = new Date(now.getTime() + idleSeconds * 1000);
  if (options.activity !== false && extended.getTime() - row.expires.getTime() >= TOUCH_EVERY_MS) {
    await db.update(sessions).set({ expires: extended }).where(eq(sessions.sessionToken, sessionToken));
  }
  return toMember(row.user);
}

/** Ends one session; false when it had already ended. */
export async function endStaffSession(db: Db, sessionToken: string): Promise<boolean> {
  const gone = await db.delete(sessions).where(eq(sessions.sessionToken, sessionToken)).returning({ t: sessions.sessionToken });
  return gone.length > 0;
}

/** Signs a person out everywhere (deactivation, a role change, "sign out of all devices"). */
export async function endSessionsOf(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Housekeeping: sessions past their limit. */
export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(sessions).where(lt(sessions.expires, now)).returning({ t: sessions.sessionToken });
  return gone.length;
}
