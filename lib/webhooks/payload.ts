import type { Database } from "@/db/client";
import type { Sealer } from "@/lib/crypto";
import { getConsultation } from "@/lib/consultations/read";
import type { ConsultationView } from "@/lib/consultations/schema";
import type { DomainEvent } from "@/lib/outbox";
import { nameInitials } from "@/lib/rooms/join-link";
import { formatLocal } from "@/lib/time";
import { WEBHOOK_PAYLOAD_VERSION, type WebhookConsultation, type WebhookEventDetails, type WebhookPatient } from "./events";

/**
 * The consultation's status right after each event, whatever it has become by the time the
 * event is sent; null: the status the event recorded (a reissue leaves it as it was).
 */
const STATUS_AFTER: Record<DomainEvent, ConsultationView["status"] | null> = {
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
function eventDetails(event: OutboxEvent, timeZone: string): Partial<WebhookEventDetails[DomainEvent]> {
  const p = event.payload;
  const local = (value: unknown) => (typeof value === "string" ? formatLocal(new Date(value), timeZone) : undefined);
  type Details<E extends DomainEvent> = Partial<WebhookEventDetails[E]>;
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
      return { completedAt: local(p.completedAt), completionReason: p.reason as WebhookEventDetails["consultation.completed"]["completionReason"] } satisfies Details<"consultation.completed">;
    case "consultation.expired":
      return { expiredAt: local(p.expiredAt), expirationReason: p.reason === "cancelled" ? "cancelled" : "time_passed" } satisfies Details<"consultation.expired">;
    case "consultation.access_reissued":
      return { reissued: p.reissued as WebhookEventDetails["consultation.access_reissued"]["reissued"] } satisfies Details<"consultation.access_reissued">;
    default:
      return {};
  }
}

/**
 * The body every endpoint receives for one event: `{ event, timestamp, organizationId, data,
 * version }`, `timestamp` being when it happened, `yyyy-MM-dd HH:mm` in the organization's
 * timezone. Serialized once, so every attempt sends the same bytes.
 */
export async function webhookBody(
  db: Database,
  event: OutboxEvent,
  ctx: { timeZone: string; appUrl: string; sealer: Sealer },
): Promise<string> {
  const view = await getConsultation(db, { organizationId: event.organizationId, ...ctx }, event.aggregateId);
  return serializeWebhook(event, webhookConsultation(view), ctx.timeZone);
}

/** The body for an event about a consultation already in its webhook form (a real one, or a test event's example). */
export function serializeWebhook(event: OutboxEvent, consultation: WebhookConsultation, timeZone: string): string {
  const data = { ...consultation, status: STATUS_AFTER[event.event] ?? event.payload.status ?? consultation.status, ...eventDetails(event, timeZone) };
  return JSON.stringify({
    event: event.event,
    timestamp: formatLocal(event.occurredAt, timeZone),
    organizationId: event.organizationId,
    data,
    version: WEBHOOK_PAYLOAD_VERSION,
  });
}
