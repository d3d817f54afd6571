import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database, Db } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { openStored } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/pagination/cursor";
import { enqueueDeliveries } from "./queue";
import type { DomainEvent } from "@/lib/outbox";
import { formatLocal, isoSeconds } from "@/lib/time";
import { attemptDelivery, type DeliveryDeps } from "./deliver";
import { findEndpoint, type WebhookContext } from "./endpoints";
import type { WebhookConsultation } from "./events";
import {
  chatEventData,
  isChatEvent,
  isWaitingEvent,
  roomEventData,
  serializeChatWebhook,
  serializeRoomWebhook,
  serializeWaitingWebhook,
  serializeWebhook,
  waitingEventData,
  type OutboxEvent,
} from "./payload";
import { sendTestEventSchema, type ListDeliveriesQuery, type WebhookDeliveryDetail, type WebhookDeliveryView } from "./schema";
import { isUuid } from "@/lib/validation/uuid";

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const iso = (value: Date | null) => (value ? isoSeconds(value) : null);

function deliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    event: row.event as DomainEvent,
    consultationId: row.consultationId,
    status: row.status,
    test: row.test,
    attemptCount: row.attemptCount,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: iso(row.deliveredAt),
    createdAt: isoSeconds(row.createdAt),
  };
}

/** An endpoint's deliveries, newest first, with keyset pagination. */
export async function listDeliveries(
  db: Db,
  ctx: Pick<WebhookContext, "organizationId">,
  endpointId: string,
  query: ListDeliveriesQuery,
): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
  const endpoint = await findEndpoint(db, ctx, endpointId);
  const where: (SQL | undefined)[] = [eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.organizationId, ctx.organizationId)];
  if (query.status) where.push(eq(webhookDeliveries.status, query.status));
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, 2);
    if (!TIMESTAMP_TEXT.test(createdAt!) || !isUuid(id)) throw AppError.badRequest("invalid_cursor", "The cursor is not valid.", "cursor");
    where.push(sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    // The cursor keeps created_at as PostgreSQL prints it: a JS Date would drop the microseconds
    // that deliveries made in one fan-out share, and skip some of them.
    .select({ row: webhookDeliveries, at: sql<string>`${webhookDeliveries.createdAt}::text` })
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor([last.at, last.row.id]) : null;
  return { items: page.map((r) => deliveryView(r.row)), nextCursor };
}

async function findDelivery(db: Db, ctx: Pick<WebhookContext, "organizationId">, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
  if (!isUuid(deliveryId) || !isUuid(endpointId)) throw AppError.notFound("Webhook delivery");
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.organizationId, ctx.organizationId)));
  if (!row) throw AppError.notFound("Webhook delivery");
  return row;
}

/** One delivery with the body it sends and every attempt, oldest first. */
export async function getDelivery(db: Db, ctx: Pick<WebhookContext, "organizationId" | "sealer">, endpointId: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
  const row = await findDelivery(db, ctx, endpointId, deliveryId);
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.deliveryId, row.id), eq(webhookAttempts.organizationId, ctx.organizationId)))
    .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
  return {
    ...deliveryView(row),
    payload: JSON.parse(openStored(ctx.sealer, row.body)) as Record<string, unknown>,
    attempts: attempts.map((a) => ({
      attemptedAt: isoSeconds(a.attemptedAt),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
      trigger: a.trigger as "scheduled" | "manual" | "test",
    })),
  };
}

/**
 * Sends a delivery again, with the same message id (receivers that keep ids see it is the same
 * event), as a new round with the full retry schedule. A delivery already waiting for a retry
 * is tried now.
 */
export async function redeliver(db: Db, boss: PgBoss, ctx: Pick<WebhookContext, "organizationId">, endpointId: string, deliveryId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, ctx, endpointId, { lock: true });
    if (!endpoint.enabled) throw AppError.conflict("webhook_endpoint_disabled", "This endpoint is disabled; enable it before redelivering.");
    const row = await findDelivery(tx, ctx, endpoint.id, deliveryId);
    if (row.test) throw AppError.conflict("webhook_test_delivery", "A test delivery cannot be redelivered; send a new test event.");
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", round: sql`${webhookDeliveries.round} + 1`, attemptCount: 0, nextAttemptAt: now, deliveredAt: null })
      .where(eq(webhookDeliveries.id, row.id))
      .returning();
    await enqueueDeliveries(boss, tx, [{ deliveryId: row.id, round: updated!.round, attempt: 1, trigger: "manual" }]);
    return deliveryView(updated!);
  });
}

/**
 * Sends an example of one event to the endpoint now, once, and answers with what happened.
 * The example's `data.test` is true and its consultation id (`room.ready`: its room id; a chat
 * event: its chat session id; `participant.waiting`: its room's and participant's too) is all zeros, so a receiver can tell it from a real event. `session_started` / `session_ended` are
 * imitated as a consultation's.
 */
export async function sendTestEvent(
  db: Database,
  ctx: WebhookContext & { timeZone: string; appUrl: string },
  endpointId: string,
  body: unknown,
  deps: Omit<DeliveryDeps, "boss" | "sealer">,
): Promise<WebhookDeliveryDetail> {
  const input = sendTestEventSchema.parse(body ?? {});
  const endpoint = await findEndpoint(db, ctx, endpointId);
  if (!endpoint.enabled) throw AppError.conflict("webhook_endpoint_disabled", "This endpoint is disabled; enable it before sending a test event.");
  const event = input.event ?? (endpoint.events[0] as DomainEvent);
  const now = deps.now?.() ?? new Date();
  const example = exampleEvent(event, ctx.organizationId, now);
  const payload = isChatEvent(example)
    ? serializeChatWebhook(example, { ...chatEventData(example), test: true }, ctx.timeZone)
    : isWaitingEvent(example)
      ? serializeWaitingWebhook(example, { ...waitingEventData(example, ctx.timeZone), test: true }, ctx.timeZone)
      : example.event === "room.ready"
        ? serializeRoomWebhook(example, { ...roomEventData({ ...example, event: "room.ready" }, null, ctx.timeZone), test: true }, ctx.timeZone)
        : serializeWebhook(example, exampleConsultation(now, ctx), ctx.timeZone);
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ organizationId: ctx.organizationId, endpointId: endpoint.id, event, body: ctx.sealer.seal(payload), test: true, nextAttemptAt: now })
    .returning({ id: webhookDeliveries.id });
  await attemptDelivery(db, { deliveryId: row!.id, round: 1, attempt: 1, trigger: "test" }, { ...deps, sealer: ctx.sealer });
  return getDelivery(db, ctx, endpoint.id, row!.id);
}

const TEST_CONSULTATION_ID = "00000000-0000-0000-0000-000000000000";

/** An event as the outbox would hold it, so the example gets each event's own fields the way real ones do. */
function exampleEvent(event: DomainEvent, organizationId: string, now: Date): OutboxEvent {
  const at = now.toISOString();
  if (isChatEvent({ event })) {
    // A chat session between a host and a patient known only by ids; the patient started it, the host acts after.
    return {
      id: TEST_CONSULTATION_ID,
      organizationId,
      event,
      aggregateType: "chat_session",
      aggregateId: TEST_CONSULTATION_ID,
      occurredAt: now,
      payload: {
        room: null,
        participants: ["test-doctor", "test-patient"],
        actor: event === "chat_session.started" ? "test-patient" : "test-doctor",
        at: now.getTime(),
        ...(event === "chat_session.rejected" || event === "chat_session.finished" ? { reason: "A test event" } : {}),
        messageId: 1,
        sender: "test-patient",
        hasFile: false,
      },
    };
  }
  return {
    id: TEST_CONSULTATION_ID,
    organizationId,
    event,
    aggregateId: TEST_CONSULTATION_ID,
    occurredAt: now,
    payload: {
      // participant.waiting's: the patient, known by an id of zeros, waiting since now.
      participant: { role: "patient", participantId: TEST_CONSULTATION_ID },
      roomId: TEST_CONSULTATION_ID,
      waitingSince: at,
      joinedAt: at,
      leftAt: at,
      completedAt: at,
      expiredAt: at,
      reason: event === "consultation.completed" ? "ended_by_provider" : "left",
      // The provider waited and ended it; an expiry is nobody's visit.
      noShow: event === "consultation.completed" ? "patient" : "both",
      // room.ready's: a room starting in an hour, with a host and a patient known only by ids.
      startsAt: new Date(now.getTime() + 3600_000).toISOString(),
      endsAt: new Date(now.getTime() + 2 * 3600_000).toISOString(),
      readyAt: at,
      participants: [
        { bandyerUserId: "00000000-0000-4000-8000-000000000001", userExternalId: "test-doctor", group: "doctor" },
        { bandyerUserId: "00000000-0000-4000-8000-000000000002", userExternalId: "test-patient", group: "patient" },
      ],
    },
  };
}

function exampleConsultation(now: Date, ctx: { timeZone: string; appUrl: string }): WebhookConsultation {
  const local = formatLocal(now, ctx.timeZone);
  return {
    test: true,
    consultationId: TEST_CONSULTATION_ID,
    participantAccess: { patientUrl: `${ctx.appUrl}/join/test?type=patient`, providerUrl: `${ctx.appUrl}/join/test?type=provider` },
    expiredAt: local,
    provider: { name: "Test Provider", professionalType: "General practitioner" },
    patient: { documentType: "CC", documentLastDigits: "0000", nameInitials: "T. P." },
    consultationType: "general",
    scheduledAt: local,
    immediate: true,
    durationMinutes: 30,
    status: "Pending", // holds the key's place; serializeWebhook puts the event's status
    createdAt: local,
  };
}

/** Deliveries a consultation caused, for its timeline. */
export async function deliveriesOfConsultation(db: Db, ctx: Pick<WebhookContext, "organizationId">, consultationId: string): Promise<WebhookDeliveryView[]> {
  if (!isUuid(consultationId)) return [];
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.consultationId, consultationId), eq(webhookDeliveries.organizationId, ctx.organizationId)))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id));
  return rows.map(deliveryView);
}

export type LatestDelivery = Pick<WebhookDeliveryView, "status" | "lastStatusCode" | "lastAttemptAt" | "test" | "createdAt">;

/**
 * The newest delivery of each of the organization's endpoints, for the endpoint list: one
 * probe of (endpoint_id, created_at) per endpoint, and an organization has at most 20.
 */
export async function latestDeliveries(db: Db, ctx: Pick<WebhookContext, "organizationId">): Promise<Map<string, LatestDelivery>> {
  const latest = db
    .select({
      status: webhookDeliveries.status,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      test: webhookDeliveries.test,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, webhookEndpoints.id), eq(webhookDeliveries.organizationId, ctx.organizationId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(1)
    .as("latest");
  const rows = await db
    .select({ endpointId: webhookEndpoints.id, status: latest.status, lastStatusCode: latest.lastStatusCode, lastAttemptAt: latest.lastAttemptAt, test: latest.test, createdAt: latest.createdAt })
    .from(webhookEndpoints)
    .innerJoinLateral(latest, sql`true`)
    .where(eq(webhookEndpoints.organizationId, ctx.organizationId));
  return new Map(
    rows.map(({ endpointId, ...d }) => [
      endpointId,
      { status: d.status, lastStatusCode: d.lastStatusCode, lastAttemptAt: iso(d.lastAttemptAt), test: d.test, createdAt: isoSeconds(d.createdAt) },
    ]),
  );
}
