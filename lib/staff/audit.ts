import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Db, Transaction } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { parseAddress, type RequestContext } from "@/lib/security/client-address";

export type AuditAction =
  | "staff.signed_in"
  | "staff.sign_in_failed"
  | "staff.signed_out"
  | "staff.idle_signed_out"
  | "staff.invited"
  | "staff.password_set"
  | "staff.role_changed"
  | "staff.deactivated"
  | "staff.reactivated"
  | "organization.updated"
  | "organization.room_groups_updated"
  | "organization.call_settings_updated"
  | "organization.background_added"
  | "organization.background_deleted"
  | "consultation.guest_added"
  | "provider.created"
  | "provider.updated"
  | "provider.deactivated"
  | "provider.reactivated"
  | "consultation.cancelled"
  | "consultation.ended"
  | "consultation.access_reissued"
  | "pin.viewed"
  | "api_credential.created"
  | "api_credential.revoked"
  | "webhook_endpoint.created"
  | "webhook_endpoint.updated"
  | "webhook_endpoint.deleted"
  | "webhook_endpoint.secret_rotated"
  | "webhook_delivery.redelivered"
  | "pin.failed"
  | "export.consultations"
  | "teleconsultation.uploads_deleted";

export type AuditEntry = {
  organizationId: string;
  action: AuditAction;
  actor: { userId?: string | null; label: string };
  target?: { type: string; id: string };
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
};

/**
 * Writes one audit row. The address is checked again here, as every writer of an `inet` column
 * must: a string that is not an address is stored as none rather than failing the write (and
 * with it whatever the audit row was written with).
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    organizationId: entry.organizationId,
    action: entry.action,
    actorUserId: entry.actor.userId ?? null,
    actorLabel: entry.actor.label,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.ip ? parseAddress(entry.ip) : null,
    userAgent: entry.userAgent?.slice(0, 500) ?? null,
    detail: entry.detail ?? null,
  });
}

/** The staff member an audited action is done by. */
export type StaffActor = { organizationId: string; userId: string; email: string };

/** What an audited staff action records: the action, what it was done to, and a few facts. */
export type StaffAudit = { action: AuditAction; target?: AuditEntry["target"]; detail?: Record<string, unknown> };

/** The audit entry for something a staff member did in a request, with where the request came from. */
export function staffAuditEntry(who: StaffActor, ctx: RequestContext, audit: StaffAudit): AuditEntry {
  return {
    organizationId: who.organizationId,
    action: audit.action,
    actor: { userId: who.userId, label: who.email },
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    target: audit.target,
    detail: audit.detail,
  };
}

/**
 * Runs a staff action and writes its audit row in one transaction: the change and the row
 * commit together or not at all, so no change escapes the log and no row tells of a change that
 * was rolled back. `work` does its writes with the transaction it is given (a domain function
 * that opens its own transaction nests as a savepoint); `audit` sees the result and says what
 * to record, or null when nothing happened (an "already so"). The result is returned only after
 * the commit, so an action that only reads a secret (a PIN, an export) hands nothing out
 * unless its showing is on record. `who` may be taken from the result (setting a password
 * names the person only once the token is used).
 */
export async function runAudited<T>(
  db: Database,
  ctx: RequestContext,
  who: StaffActor | ((result: NoInfer<T>) => StaffActor),
  work: (tx: Transaction) => Promise<T>,
  audit: (result: NoInfer<T>) => StaffAudit | null,
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await work(tx);
    const what = audit(result);
    if (what) await recordAudit(tx, staffAuditEntry(typeof who === "function" ? who(result) : who, ctx, what));
    return result;
  });
}

export type AuditRow = {
  id: number;
  at: Date;
  action: string;
  actorLabel: string;
  actorName: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
};

/** One page of an organization's audit log, newest first. */
export async function listAudit(
  db: Db,
  organizationId: string,
  options: { page: number; size: number; action?: string },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = and(eq(auditLog.organizationId, organizationId), options.action ? eq(auditLog.action, options.action) : undefined);
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        action: auditLog.action,
        actorLabel: auditLog.actorLabel,
        actorName: users.name,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        ip: auditLog.ip,
        userAgent: auditLog.userAgent,
        detail: auditLog.detail,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(options.size)
      .offset((options.page - 1) * options.size),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}
