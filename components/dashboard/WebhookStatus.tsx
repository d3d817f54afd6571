import { useTranslations } from "next-intl";
import type { DomainEvent } from "@/lib/outbox";
import css from "./integrations.module.css";

/**
 * Words for webhook events and states, shared by the webhook pages (server and client): each a
 * catalog key of the Webhooks namespace. An async server page asks its own getTranslations for
 * them; the components and the hook below serve the rest.
 */

// Every event has its words: a new event fails to compile until it is named here.
export const WEBHOOK_EVENT_KEYS = {
  "consultation.created": "events.consultationCreated",
  "consultation.expired": "events.consultationExpired",
  "consultation.completed": "events.consultationCompleted",
  session_started: "events.sessionStarted",
  session_ended: "events.sessionEnded",
  "consultation.access_reissued": "events.consultationAccessReissued",
  "room.ready": "events.roomReady",
  "chat_session.started": "events.chatSessionStarted",
  "chat_session.accepted": "events.chatSessionAccepted",
  "chat_session.rejected": "events.chatSessionRejected",
  "chat_session.finished": "events.chatSessionFinished",
  "chat_message.created": "events.chatMessageCreated",
  "participant.waiting": "events.participantWaiting",
} as const satisfies Record<DomainEvent, string>;

export const DELIVERY_STATUS_KEYS = { pending: "deliveryStatus.pending", delivered: "deliveryStatus.delivered", failed: "deliveryStatus.failed" } as const;

const ATTEMPT_TRIGGER_KEYS = { scheduled: "triggers.scheduled", manual: "triggers.manual", test: "triggers.test" } as const;

export const DISABLED_REASON_KEYS = { manual: "disabledReasons.manual", gone: "disabledReasons.gone", failing: "disabledReasons.failing" } as const;

type WebhookKey =
  | (typeof WEBHOOK_EVENT_KEYS)[keyof typeof WEBHOOK_EVENT_KEYS]
  | (typeof DELIVERY_STATUS_KEYS)[keyof typeof DELIVERY_STATUS_KEYS]
  | (typeof ATTEMPT_TRIGGER_KEYS)[keyof typeof ATTEMPT_TRIGGER_KEYS]
  | (typeof DISABLED_REASON_KEYS)[keyof typeof DISABLED_REASON_KEYS];

/** An event's, a status's, a trigger's or a disabled reason's words (`t`: the Webhooks translator); a code none of them knows is shown as it is. */
export function webhookWords(t: (key: WebhookKey) => string) {
  const say =
    <K extends string>(map: Record<K, WebhookKey>) =>
    (code: string) =>
      Object.hasOwn(map, code) ? t(map[code as K]) : code;
  return { event: say(WEBHOOK_EVENT_KEYS), status: say(DELIVERY_STATUS_KEYS), trigger: say(ATTEMPT_TRIGGER_KEYS), disabledReason: say(DISABLED_REASON_KEYS) };
}

export function useWebhookWords() {
  return webhookWords(useTranslations("Webhooks"));
}

/** Every event's words, for the forms' checkboxes and the test event's choices. */
export function eventLabels(words: ReturnType<typeof webhookWords>): Record<string, string> {
  return Object.fromEntries(Object.keys(WEBHOOK_EVENT_KEYS).map((event) => [event, words.event(event)]));
}

const TONE: Record<string, string> = { pending: css.waiting!, delivered: css.ok!, failed: css.bad! };

export function DeliveryStatusBadge({ status }: { status: string }) {
  const words = useWebhookWords();
  return <span className={css.badge + " " + (TONE[status] ?? css.off)}>{words.status(status)}</span>;
}

export function EndpointStateBadge({ enabled }: { enabled: boolean }) {
  const t = useTranslations("Webhooks");
  return <span className={css.badge + " " + (enabled ? css.ok : css.off)}>{enabled ? t("enabled") : t("disabled")}</span>;
}
