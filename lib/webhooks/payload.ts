import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Sealer } from "@/lib/crypto";
import { getConsultation } from "@/lib/consultations/read";
import type { ConsultationView } from "@/lib/consultations/schema";
import { AppError } from "@/lib/errors";
import type { DomainEvent } from "@/lib/outbox";
import { nameInitials } from "@/lib/rooms/join-link";
import { formatLocal } from "@/lib/time";
import { isUuid } from "@/lib/validation/uuid";
import {
  CHAT_EVENTS,
  WEBHOOK_PAYLOAD_VERSION,
  type ChatEvent,
  type ChatEventData,
  type ConsultationEvent,
  type RoomEvent,
  type RoomEventData,
  type WebhookConsultation,
  type WebhookEventDetails,
  type WebhookPatient,
  type WaitingEventData,
} from "./events";

/**
 * The consultation's status right after each event, whatever it has become by the time the
 * event is sent; null: the status the event recorded (a reissue leaves it as it was).
 */
const STATUS_AFTER: Record<ConsultationEvent, ConsultationView["status"] | null> = {
  "consultation.created": "Pending",
  session_started: "InProgress",
  session_ended: "InProgress",
  "consultation.completed": "Completed",
  "consultation.expired": "Expired",
  "consultation.access_reissued": null,
};

export type OutboxEvent = {
  id: string;
  organizationId: string;
  event: DomainEvent;
  /** What the event is about: "consultation" (the default), "room" (a standalone room's) or "chat_session"; aggregateId is its id. */
  aggregateType?: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
};

/** The patient as a webhook may carry them: no name, phone or e-mail leaves the portal. */
export function minimisedPatient(patient: ConsultationView["patient"]): WebhookPatient {
  return { documentType: patient.documentType, documentLastDigits: patient.documentNumber.slice(-4), nameInitials: nameInitials(patient.name) };
}

/** The consultation as webhooks show it: the API's view without the PIN, the patient minimised. */
export function webhookConsultation(view: ConsultationView): Omit<WebhookConsultation, "test"> {
  const { patient, participantAccess, consultationId, expiredAt, provider, consultationType, scheduledAt, immediate, durationMinutes, status, createdAt } = view;
  return { consultationId, participantAccess, provider, patient: minimisedPatient(patient), consultationType, scheduledAt, expiredAt, immediate, durationMinutes, status, createdAt };
}

/** What each event adds to the consultation, in the organization's time format; a field the outbox lacks is left out. */
function eventDetails(event: OutboxEvent, timeZone: string): Partial<WebhookEventDetails[ConsultationEvent]> {
  const p = event.payload;
  const local = (value: unknown) => (typeof value === "string" ? formatLocal(new Date(value), timeZone) : undefined);
  type Details<E extends ConsultationEvent> = Partial<WebhookEventDetails[E]>;
  type Role = WebhookEventDetails["session_started"]["participant"]["role"];
  switch (event.event) {
    case "session_started":
      return { participant: { role: (p.participant as { role: Role }).role }, joinedAt: local(p.joinedAt) } satisfies Details<"session_started">;
    case "session_ended":
      return {
        participant: { role: (p.participant as { role: Role }).role },
        leftAt: local(p.leftAt),
        reason: p.reason as WebhookEventDetails["session_ended"]["reason"],
      } satisfies Details<"session_ended">;
    case "consultation.completed":
      return {
        completedAt: local(p.completedAt),
        completionReason: p.reason as WebhookEventDetails["consultation.completed"]["completionReason"],
        noShow: noShowIn(p),
      } satisfies Details<"consultation.completed">;
    case "consultation.expired":
      return { expiredAt: local(p.expiredAt), expirationReason: p.reason === "cancelled" ? "cancelled" : "time_passed", noShow: noShowIn(p) } satisfies Details<"consultation.expired">;
    case "consultation.access_reissued":
      return { reissued: p.reissued as WebhookEventDetails["consultation.access_reissued"]["reissued"] } satisfies Details<"consultation.access_reissued">;
    default:
      return {};
  }
}

/** The event's `noShow` as its outbox payload recorded it (an event recorded before no-shows were: see webhookBody). */
function noShowIn(payload: Record<string, unknown>): WebhookEventDetails["consultation.completed"]["noShow"] {
  const value = payload.noShow;
  return value === "patient" || value === "provider" || value === "both" ? value : null;
}

/** Whether the event is about a standalone room (teleconsultation API) rather than a consultation. */
export function isRoomEvent(event: Pick<OutboxEvent, "event" | "aggregateType">): event is Pick<OutboxEvent, "aggregateType"> & { event: RoomEvent } {
  return event.event === "room.ready" || (event.aggregateType === "room" && (event.event === "session_started" || event.event === "session_ended"));
}

/** Whether the event is about a chat session (the chat-sessions contract's directives and messages). */
export function isChatEvent<T extends Pick<OutboxEvent, "event">>(event: T): event is T & { event: ChatEvent } {
  return (CHAT_EVENTS as readonly string[]).includes(event.event);
}

/** Whether the event is `participant.waiting` (a consultation's, with ids only). */
export function isWaitingEvent<T extends Pick<OutboxEvent, "event">>(event: T): event is T & { event: "participant.waiting" } {
  return event.event === "participant.waiting";
}

/**
 * `participant.waiting` as webhooks show it, from what the outbox recorded
 * (lib/rooms/waiting.ts): only the documented ids and the time are read, so no name can reach
 * a webhook.
 */
export function waitingEventData(event: OutboxEvent, timeZone: string): WaitingEventData {
  const p = event.payload;
  const who = (p.participant ?? {}) as Record<string, unknown>;
  return {
    consultationId: event.aggregateId,
    roomId: String(p.roomId),
    participant: { participantId: String(who.participantId), role: who.role === "guest" ? "guest" : "patient" },
    waitingSince: formatLocal(new Date(typeof p.waitingSince === "string" ? p.waitingSince : event.occurredAt), timeZone),
  };
}

/** The body of `participant.waiting`, its `data` already made (waitingEventData). */
export function serializeWaitingWebhook(event: OutboxEvent, data: WaitingEventData, timeZone: string): string {
  return envelope(event, data, timeZone);
}

/**
 * The body every endpoint receives for one event: `{ event, timestamp, organizationId, data,
 * version }`, `timestamp` being when it happened, `yyyy-MM-dd HH:mm` in the organization's
 * timezone. Serialized once, so every attempt sends the same bytes. A consultation's events
 * carry the consultation; a standalone room's carry the room (see roomEventData); a chat
 * session's, what the outbox recorded (see chatEventData); `participant.waiting`, ids only
 * (see waitingEventData). Throws a 404
 * AppError when what the event is about no longer exists.
 */
export async function webhookBody(
  db: Database,
  event: OutboxEvent,
  ctx: { timeZone: string; appUrl: string; sealer: Sealer },
): Promise<string> {
  if (isChatEvent(event)) return serializeChatWebhook(event, chatEventData(event), ctx.timeZone);
  if (isWaitingEvent(event)) {
    await consultationExists(db, event);
    return serializeWaitingWebhook(event, waitingEventData(event, ctx.timeZone), ctx.timeZone);
  }
  if (isRoomEvent(event)) {
    const status = event.event === "room.ready" ? null : await roomStatusAfter(db, event);
    return serializeRoomWebhook(event, roomEventData(event, status, ctx.timeZone), ctx.timeZone);
  }
  const view = await getConsultation(db, { organizationId: event.organizationId, ...ctx }, event.aggregateId);
  // An end recorded before no-shows were (in the outbox across the upgrade) takes the consultation's, which the migration filled in.
  const ended = (event.event === "consultation.completed" || event.event === "consultation.expired") && !("noShow" in event.payload);
  return serializeWebhook(ended ? { ...event, payload: { ...event.payload, noShow: view.noShow } } : event, webhookConsultation(view), ctx.timeZone);
}

/** The body for an event about a consultation already in its webhook form (a real one, or a test event's example). */
export function serializeWebhook(event: OutboxEvent, consultation: WebhookConsultation, timeZone: string): string {
  const data = { ...consultation, status: STATUS_AFTER[event.event as ConsultationEvent] ?? event.payload.status ?? consultation.status, ...eventDetails(event, timeZone) };
  return envelope(event, data, timeZone);
}

/** The body of a standalone room's event, its `data` already made (roomEventData). */
export function serializeRoomWebhook(event: OutboxEvent, data: RoomEventData[RoomEvent], timeZone: string): string {
  return envelope(event, data, timeZone);
}

/** The body of a chat session's event, its `data` already made (chatEventData). */
export function serializeChatWebhook(event: OutboxEvent, data: ChatEventData[ChatEvent], timeZone: string): string {
  return envelope(event, data, timeZone);
}

function envelope(event: OutboxEvent, data: object, timeZone: string): string {
  return JSON.stringify({
    event: event.event,
    timestamp: formatLocal(event.occurredAt, timeZone),
    organizationId: event.organizationId,
    data,
    version: WEBHOOK_PAYLOAD_VERSION,
  });
}

/**
 * The room's status right after a session event, read from the room of the event's
 * organization: a join leaves it `InProgress`; a departure too, unless the call closed in that
 * same moment (the departure ended a live room, a host ended it, its time ran out), when it is
 * `Completed`. Whatever the room became later does not change what the event says.
 */
async function roomStatusAfter(db: Database, event: OutboxEvent & { event: RoomEvent }): Promise<"InProgress" | "Completed"> {
  if (!isUuid(event.aggregateId)) throw AppError.notFound("The room");
  const [room] = await db.execute<{ closed: boolean }>(sql`
    select status = 'Completed' and completed_at <= ${event.occurredAt.toISOString()}::timestamptz as closed
    from rooms where id = ${event.aggregateId} and organization_id = ${event.organizationId} and consultation_id is null`);
  if (!room) throw AppError.notFound("The room");
  return event.event === "session_ended" && room.closed ? "Completed" : "InProgress";
}

/** Throws a 404 when the event's consultation is gone (its organization deleted it), as for the other events. */
async function consultationExists(db: Database, event: OutboxEvent): Promise<void> {
  const [found] = isUuid(event.aggregateId)
    ? await db.execute(sql`select 1 from consultations where id = ${event.aggregateId} and organization_id = ${event.organizationId}`)
    : [];
  if (!found) throw AppError.notFound("The consultation");
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * A standalone room's event as webhooks show it, from what the outbox recorded
 * (lib/rooms/attendance.ts, lib/rooms/ready-event.ts): the room's id, its status right after
 * the event, and the participant by ids and group, or for `room.ready` the schedule and
 * everyone's ids. Never a name (the outbox holds none). Times in the organization's format.
 */
export function roomEventData<E extends RoomEvent>(event: OutboxEvent & { event: E }, status: "InProgress" | "Completed" | null, timeZone: string): RoomEventData[E];
export function roomEventData(event: OutboxEvent & { event: RoomEvent }, status: "InProgress" | "Completed" | null, timeZone: string): RoomEventData[RoomEvent] {
  const p = event.payload;
  const local = (value: unknown) => formatLocal(new Date(value as string), timeZone);
  if (event.event === "room.ready") {
    const participants = (p.participants as { bandyerUserId: string; userExternalId: string; group?: string | null }[]).map((u) => ({
      bandyerUserId: u.bandyerUserId,
      userExternalId: u.userExternalId,
      group: u.group ?? null,
    }));
    return {
      roomId: event.aggregateId,
      startsAt: local(p.startsAt),
      endsAt: p.endsAt ? local(p.endsAt) : null,
      readyAt: local(p.readyAt ?? event.occurredAt.toISOString()),
      participants,
    } satisfies RoomEventData["room.ready"];
  }
  const who = (p.participant ?? {}) as Record<string, unknown>;
  const participant = { participantId: String(who.participantId), userExternalId: text(who.userExternalId), group: text(who.group) };
  const room = { roomId: event.aggregateId, consultationId: null };
  if (event.event === "session_started") {
    return { ...room, status: "InProgress", participant, joinedAt: local(p.joinedAt) } satisfies RoomEventData["session_started"];
  }
  return {
    ...room,
    status: status ?? "InProgress",
    participant,
    leftAt: local(p.leftAt),
    reason: p.reason as RoomEventData["session_ended"]["reason"],
  } satisfies RoomEventData["session_ended"];
}

/**
 * A chat session's event as webhooks show it, from what the outbox recorded
 * (lib/chat-sessions/sessions.ts for the directives; the messages' helper records
 * `{ messageId, sender, hasFile }`): only the documented fields are read, so nothing else a
 * payload might hold (a message's text, a file's name) can reach a webhook. The state is the
 * event's own.
 */
export function chatEventData<E extends ChatEvent>(event: OutboxEvent & { event: E }): ChatEventData[E];
export function chatEventData(event: OutboxEvent & { event: ChatEvent }): ChatEventData[ChatEvent] {
  const p = event.payload;
  const chatSessionId = event.aggregateId;
  if (event.event === "chat_message.created") {
    return { chatSessionId, messageId: Number(p.messageId), sender: text(p.sender), hasFile: p.hasFile === true } satisfies ChatEventData["chat_message.created"];
  }
  const common = {
    chatSessionId,
    room: text(p.room),
    participants: Array.isArray(p.participants) ? p.participants.filter((id): id is string => typeof id === "string") : [],
    actor: text(p.actor) ?? "",
    at: typeof p.at === "number" ? p.at : event.occurredAt.getTime(),
  };
  const reason = text(p.reason);
  switch (event.event) {
    case "chat_session.started":
      return { ...common, state: "started" } satisfies ChatEventData["chat_session.started"];
    case "chat_session.accepted":
      return { ...common, state: "accepted" } satisfies ChatEventData["chat_session.accepted"];
    case "chat_session.rejected":
      return { ...common, state: "rejected", ...(reason === null ? {} : { reason }) } satisfies ChatEventData["chat_session.rejected"];
    case "chat_session.finished":
      return { ...common, state: "finished", ...(reason === null ? {} : { reason }) } satisfies ChatEventData["chat_session.finished"];
  }
}
