import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, users } from "@/db/schema";

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
  | "export.consultations";

export type AuditEntry = {
  organizationId: string;
  action: AuditAction;
  actor: { userId?: string | null; label: string };
  target?: { type: string; id: string };
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
};

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    organizationId: entry.organizationId,
    action: entry.action,
    actorUserId: entry.actor.userId ?? null,
    actorLabel: entry.actor.label,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent?.slice(0, 500) ?? null,
    detail: entry.detail ?? null,
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
