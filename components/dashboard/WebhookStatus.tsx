import type { DomainEvent } from "@/lib/outbox";
import css from "./integrations.module.css";

/** Words for webhook events and states, shared by the webhook pages (server and client). */

// Every event has its words: a new event fails to compile until it is named here.
export const WEBHOOK_EVENT_LABELS: Record<string, string> = {
  "consultation.created": "Consultation created",
  "consultation.expired": "Consultation expired",
  "consultation.completed": "Consultation completed",
  session_started: "Someone joined the call",
  session_ended: "Someone left the call",
  "consultation.access_reissued": "PIN (and links) reissued",
  "room.ready": "Room ready: its personal links exist",
  "chat_session.started": "Chat session started (asks for a clinician)",
  "chat_session.accepted": "Chat session accepted",
  "chat_session.rejected": "Chat session rejected",
  "chat_session.finished": "Chat session finished",
  "chat_message.created": "Chat message written (ids only)",
} satisfies Record<DomainEvent, string>;

export const DELIVERY_STATUS_LABELS: Record<string, string> = { pending: "Pending", delivered: "Delivered", failed: "Failed" };

export const ATTEMPT_TRIGGER_LABELS: Record<string, string> = { scheduled: "Scheduled", manual: "Redelivery", test: "Test" };

export const DISABLED_REASON_LABELS: Record<string, string> = {
  manual: "disabled by a person",
  gone: "the receiver answered 410 Gone",
  failing: "no delivery succeeded for three days",
};

const TONE: Record<string, string> = { pending: css.waiting!, delivered: css.ok!, failed: css.bad! };

export function DeliveryStatusBadge({ status }: { status: string }) {
  return <span className={`${css.badge} ${TONE[status] ?? css.off}`}>{DELIVERY_STATUS_LABELS[status] ?? status}</span>;
}

export function EndpointStateBadge({ enabled }: { enabled: boolean }) {
  return <span className={`${css.badge} ${enabled ? css.ok : css.off}`}>{enabled ? "Enabled" : "Disabled"}</span>;
}
