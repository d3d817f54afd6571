import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consultations, outboxEvents } from "@/db/schema";
import { isUuid } from "@/lib/validation/uuid";

export type TimelineEntry = {
  at: Date;
  event: "consultation.created" | "session_started" | "session_ended" | "consultation.completed" | "consultation.expired" | "consultation.access_reissued";
  role?: "patient" | "provider";
  /** Why a stay ended (`left`, `connection_lost`, `ended_for_everyone`, …) or the consultation completed. */
  reason?: string;
  /** The first join, which started the session (Pending → InProgress). */
  firstJoin?: boolean;
  /** A reissue that replaced the links too. */
  newLinks?: boolean;
};

/**
 * Which consultation a staff member may open: one of their organization's, and for the
 * provider role one of their own. Anything else reads as not found, never as forbidden, so
 * ids of other clinics give nothing away.
 */
export async function consultationInScope(db: Db, scope: { organizationId: string; providerId?: string }, consultationId: string): Promise<boolean> {
  if (!isUuid(consultationId)) return false;
  const [row] = await db
    .select({ providerId: consultations.providerId })
    .from(consultations)
    .where(and(eq(consultations.id, consultationId), eq(consultations.organizationId, scope.organizationId)));
  return Boolean(row) && (!scope.providerId || row!.providerId === scope.providerId);
}

/** What happened to a consultation, in order: the events it sent (or would send) as webhooks. */
export async function consultationTimeline(db: Db, organizationId: string, consultationId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .select({ event: outboxEvents.event, at: outboxEvents.occurredAt, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(
      and(
        eq(outboxEvents.aggregateId, consultationId),
        eq(outboxEvents.organizationId, organizationId),
        eq(outboxEvents.aggregateType, "consultation"),
        // The patient's join already says it: a wait adds no line of its own.
        ne(outboxEvents.event, "participant.waiting"),
      ),
    )
    .orderBy(asc(outboxEvents.sequence));
  return rows.map(({ event, at, payload }) => {
    const participant = payload.participant as { role?: TimelineEntry["role"] } | undefined;
    const reason = (payload.reason ?? payload.completionReason) as string | undefined;
    return {
      at,
      event: event as TimelineEntry["event"],
      ...(participant?.role ? { role: participant.role } : {}),
      ...(reason ? { reason } : {}),
      ...(payload.firstJoin ? { firstJoin: true } : {}),
      ...((payload.reissued as { links?: boolean } | undefined)?.links ? { newLinks: true } : {}),
    };
  });
}
