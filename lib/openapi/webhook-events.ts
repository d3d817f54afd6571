import type { DomainEvent } from "@/lib/outbox";
import { ROOM_WEBHOOK_BODIES, WEBHOOK_EVENT_BODIES, type ChatEvent, type ConsultationEvent, type RoomEvent, type WaitingEvent } from "@/lib/webhooks/events";
import { RETRY_DELAYS_SECONDS } from "@/lib/webhooks/retry";
import { WEBHOOK_USER_AGENT } from "@/lib/webhooks/signing";
import type { DocumentContext } from "./context";
import { describeProperties } from "./json-schema";
import type { OperationObject, ParameterObject, PathItemObject } from "./types";
import { chatWebhookEventExample, roomWebhookEventExample, waitingWebhookEventExample, webhookEventExample } from "./webhook-examples";
import { FAILING_DAYS, GRACE_HOURS, spoken } from "./webhook-guide";

/**
 * The OpenAPI 3.1 `webhooks` object: the requests the portal sends to integrators' endpoints,
 * one per event and kind of body. A consultation's events are named as the events; a
 * standalone room's `session_started` / `session_ended` carry the room instead of a
 * consultation, so they are documented apart, as `<event> (room)`, under the same event name.
 * The chat-sessions contract's events follow, under their own names, then `participant.waiting`.
 */

type WebhookInfo = { component: string; operationId: string; summary: string; description: string };

const WEBHOOK_EVENTS: Record<ConsultationEvent, WebhookInfo> = {
  "consultation.created": {
    component: "ConsultationCreatedEvent",
    operationId: "consultationCreatedEvent",
    summary: "consultation.created",
    description: "A consultation was created (`POST /api/consultations`). `data` carries both join links, never the PIN.",
  },
  "consultation.expired": {
    component: "ConsultationExpiredEvent",
    operationId: "consultationExpiredEvent",
    summary: "consultation.expired",
    description:
      "A consultation's time passed without anyone joining, or the clinic cancelled it (`data.expirationReason`): it is `Expired` and its links no longer open the call. `data.expiredAt` is when that was recorded. `data.noShow` is `both` when its time passed (nobody came) and null when the clinic cancelled it.",
  },
  "consultation.completed": {
    component: "ConsultationCompletedEvent",
    operationId: "consultationCompletedEvent",
    summary: "consultation.completed",
    description:
      "A consultation in progress ended: the provider or the clinic's staff ended it for everyone, or its scheduled end was reached (`completionReason`). `data.noShow` says who never joined: `patient`, `provider`, `both` (only a guest came), or null when both did. No names: the patient is minimised as in every event.",
  },
  session_started: {
    component: "SessionStartedEvent",
    operationId: "sessionStartedEvent",
    summary: "session_started",
    description: "A participant joined the call (each new stay; a reload does not count). The first join also moves the consultation from `Pending` to `InProgress`.",
  },
  session_ended: {
    component: "SessionEndedEvent",
    operationId: "sessionEndedEvent",
    summary: "session_ended",
    description: "A participant's stay in the call ended: they left, the consultation ended for everyone, its time ran out, or their connection was gone too long (`reason`). A patient who left can join again while the consultation is live.",
  },
  "consultation.access_reissued": {
    component: "ConsultationAccessReissuedEvent",
    operationId: "consultationAccessReissuedEvent",
    summary: "consultation.access_reissued",
    description:
      "The clinic issued a consultation a new PIN (from the dashboard, or `POST /api/consultations/{consultationId}/reissue-access`), for example because wrong PINs had locked a join link; with `data.reissued.links`, new join links too, and the old links stop working. The PIN is never in a webhook: read it with `GET /api/consultations/{consultationId}` and send it to the patient again.",
  },
};

/** A standalone room's webhooks (teleconsultation API), by their name in the document. */
const ROOM_WEBHOOKS: Record<string, WebhookInfo & { event: RoomEvent }> = {
  "room.ready": {
    event: "room.ready",
    component: "RoomReadyEvent",
    operationId: "roomReadyEvent",
    summary: "room.ready",
    description:
      "A standalone room's participants are all known and its personal links now exist: from now on `GET /api/teleconsultation/{roomId}` answers each participant (`X-User-Id`) with an `accessLinkURL`, so there is no need to poll for it. Sent once per room. `data` names the participants by ids and group, never by name.",
  },
  "session_started (room)": {
    event: "session_started",
    component: "RoomSessionStartedEvent",
    operationId: "roomSessionStartedEvent",
    summary: "session_started (room)",
    description:
      "`session_started` as a standalone room (teleconsultation API) sends it: a participant joined the room's call (each new stay; a reload does not count). The first join moves the room from `Pending` to `InProgress`. `data` carries the room (`roomId`, `consultationId: null`) and the participant by ids and group, never a name; tell it from a consultation's `session_started` by `data.consultationId` being null.",
  },
  "session_ended (room)": {
    event: "session_ended",
    component: "RoomSessionEndedEvent",
    operationId: "roomSessionEndedEvent",
    summary: "session_ended (room)",
    description:
      "`session_ended` as a standalone room (teleconsultation API) sends it: a participant's stay in the room's call ended (`reason`). A room sends no event of its own when its call ends: the departures that end it say `status: Completed`. Tell it from a consultation's `session_ended` by `data.consultationId` being null.",
  },
};

const CHAT_DATA = "`data` names the session and people by ids (account ids: `userExternalId`), never by name, and never carries a message's text or a file's name.";

/** The chat-sessions contract's webhooks (aggregate: the chat session). */
const CHAT_WEBHOOKS: Record<ChatEvent, WebhookInfo> = {
  "chat_session.started": {
    component: "ChatSessionStartedEvent",
    operationId: "chatSessionStartedEvent",
    summary: "chat_session.started",
    description: `A participant started a chat session (\`PATCH /api/chat-sessions/{chatSessionId}\` with \`start\`): it now waits for a plus participant (a clinician) to accept or reject it. ${CHAT_DATA}`,
  },
  "chat_session.accepted": {
    component: "ChatSessionAcceptedEvent",
    operationId: "chatSessionAcceptedEvent",
    summary: "chat_session.accepted",
    description: `A plus participant accepted a started chat session (\`accept\`): the consultation is on. ${CHAT_DATA}`,
  },
  "chat_session.rejected": {
    component: "ChatSessionRejectedEvent",
    operationId: "chatSessionRejectedEvent",
    summary: "chat_session.rejected",
    description: `A plus participant rejected a started chat session (\`reject\`, with the reason it gave, if any): the session is closed. ${CHAT_DATA}`,
  },
  "chat_session.finished": {
    component: "ChatSessionFinishedEvent",
    operationId: "chatSessionFinishedEvent",
    summary: "chat_session.finished",
    description: `A participant finished an accepted chat session (\`finish\`, with the reason they gave, if any): the session is closed. ${CHAT_DATA}`,
  },
  "chat_message.created": {
    component: "ChatMessageCreatedEvent",
    operationId: "chatMessageCreatedEvent",
    summary: "chat_message.created",
    description: `A message was written in a chat session (or in the call linked to it). ${CHAT_DATA} Read the message itself with the session's messages, as a participant.`,
  },
};

/** `participant.waiting`: a consultation's, with ids only (its fields are described in its schema). */
const WAITING_WEBHOOKS: Record<WaitingEvent, WebhookInfo> = {
  "participant.waiting": {
    component: "ParticipantWaitingEvent",
    operationId: "participantWaitingEvent",
    summary: "participant.waiting",
    description:
      "A consultation's patient (or a guest) joined its call while the provider was not in it: they are now waiting for the provider, since `data.waitingSince`. Sent when someone starts waiting, not on every join: not when the provider is already in the call, and not on a reload. The provider joining ends the wait (their `session_started`), as does the participant leaving (`session_ended`). `data` names the consultation, its room and the participant by ids only: no name, document or PIN.",
  },
};

/** The webhooks' names in the document, in order: a consultation's events, a standalone room's, a chat session's, then `participant.waiting`. */
export const WEBHOOK_NAMES = [
  ...(Object.keys(WEBHOOK_EVENTS) as ConsultationEvent[]),
  ...Object.keys(ROOM_WEBHOOKS),
  ...(Object.keys(CHAT_WEBHOOKS) as ChatEvent[]),
  ...(Object.keys(WAITING_WEBHOOKS) as WaitingEvent[]),
];

/** What each documented webhook sends: its event's name and the body's schema, by its name in the document. */
export function webhookOf(name: string): { event: DomainEvent; body: (typeof WEBHOOK_EVENT_BODIES)[DomainEvent]; room: boolean; chat: boolean; waiting?: boolean } {
  const room = ROOM_WEBHOOKS[name];
  if (room) return { event: room.event, body: ROOM_WEBHOOK_BODIES[room.event], room: true, chat: false };
  if (name in CHAT_WEBHOOKS) return { event: name as ChatEvent, body: WEBHOOK_EVENT_BODIES[name as ChatEvent], room: false, chat: true };
  if (name in WAITING_WEBHOOKS) return { event: name as WaitingEvent, body: WEBHOOK_EVENT_BODIES[name as WaitingEvent], room: false, chat: false, waiting: true };
  if (name in WEBHOOK_EVENTS) return { event: name as ConsultationEvent, body: WEBHOOK_EVENT_BODIES[name as ConsultationEvent], room: false, chat: false };
  throw new Error(`No webhook named ${name}`);
}

/** The headers every webhook request carries, as header parameters of the `webhooks` operations (and `X-Telehealth-Event`, per event). */
export const WEBHOOK_HEADER_PARAMETERS: Record<string, ParameterObject> = {
  WebhookId: {
    name: "webhook-id",
    in: "header",
    required: true,
    description: "The delivery's id: the same on every retry and redelivery of this event to this endpoint. Dedupe on it.",
    schema: { type: "string", format: "uuid" },
    example: "2f6c1a9e-8d4b-4f3a-9c7e-5b1d0a2e4f68",
  },
  WebhookTimestamp: {
    name: "webhook-timestamp",
    in: "header",
    required: true,
    description: "When this attempt was sent, in Unix seconds. Reject a request more than 5 minutes old.",
    schema: { type: "string", pattern: "^\\d+$" },
  },
  WebhookSignature: {
    name: "webhook-signature",
    in: "header",
    required: true,
    description:
      "Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of {webhook-id}.{webhook-timestamp}.{body}>`, keyed with the base64-decoded secret after `whsec_`. During a rotation, two signatures separated by a space.",
    schema: { type: "string" },
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  },
  TelehealthSignature: {
    name: "X-Telehealth-Signature",
    in: "header",
    required: true,
    description: "Lowercase hex HMAC-SHA256 of the raw body, keyed with the whole secret as shown (`whsec_…`).",
    schema: { type: "string", pattern: "^[0-9a-f]{64}$" },
    example: "5d2f8c1b9a7e3f6d4c0b8a2e1f9d7c5b3a1e0f8d6c4b2a09e7f5d3c1b9a8e6f4",
  },
  TelehealthSignaturePrevious: {
    name: "X-Telehealth-Signature-Previous",
    in: "header",
    required: false,
    description: `Only during the ${GRACE_HOURS} hours after a secret rotation: the same HMAC keyed with the previous secret. Accept the request when either signature header matches.`,
    schema: { type: "string", pattern: "^[0-9a-f]{64}$" },
  },
  TelehealthDelivery: { name: "X-Telehealth-Delivery", in: "header", required: true, description: "The delivery's id, the same as `webhook-id`.", schema: { type: "string", format: "uuid" } },
  WebhookUserAgent: {
    name: "User-Agent",
    in: "header",
    required: true,
    description: "The portal's webhook sender and its version.",
    schema: { type: "string" },
    example: WEBHOOK_USER_AGENT,
  },
};

const WEBHOOK_DATA_DESCRIPTIONS = {
  consultationId: "The consultation's id, as `POST /api/consultations` returned it.",
  participantAccess: "The join links, as the consultation has them.",
  expiredAt: "When the consultation's time ends (start plus duration), `yyyy-MM-dd HH:mm` in the organization's timezone.",
  provider: "Who attends.",
  consultationType: "Consultation type code.",
  immediate: "True when the consultation was created without `scheduledAt`.",
  durationMinutes: "Duration in minutes.",
  status: "The consultation's status right after the event (whatever it has become by the time the event is sent).",
  createdAt: "When the consultation was created, `yyyy-MM-dd HH:mm` in the organization's timezone.",
};

/** The OpenAPI 3.1 `webhooks` object: one POST per event the portal sends to your endpoints. */
export function webhookEvents({ schemas, year, serverUrl }: DocumentContext): Record<string, PathItemObject> {
  const shared = Object.keys(WEBHOOK_HEADER_PARAMETERS).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  return Object.fromEntries(
    WEBHOOK_NAMES.map((name) => {
      const { event, body: bodyOf, room, chat, waiting } = webhookOf(name);
      const info = room ? ROOM_WEBHOOKS[name]! : chat ? CHAT_WEBHOOKS[name as ChatEvent] : waiting ? WAITING_WEBHOOKS[name as WaitingEvent] : WEBHOOK_EVENTS[name as ConsultationEvent];
      const eventHeader: ParameterObject = {
        name: "X-Telehealth-Event",
        in: "header",
        required: true,
        description: "The event's name, as in the body's `event`.",
        schema: { type: "string", const: event },
        example: event,
      };
      const parameters = [...shared.slice(0, 4), eventHeader, ...shared.slice(4)];
      const body = schemas.named(info.component, bodyOf, "output");
      const bodySchema = schemas.resolve(body);
      bodySchema.description = room ? `The body of \`${event}\` for a standalone room.` : `The body of \`${event}\`.`;
      // A consultation's `data` is the consultation; a room's, a chat session's and a wait's fields are described in their schemas.
      if (!room && !chat && !waiting) describeProperties(schemas.resolve(bodySchema.properties!.data!), WEBHOOK_DATA_DESCRIPTIONS);
      const example = room
        ? roomWebhookEventExample(event as RoomEvent, year)
        : chat
          ? chatWebhookEventExample(event as ChatEvent, year)
          : waiting
            ? waitingWebhookEventExample(year)
            : webhookEventExample(event as ConsultationEvent, serverUrl, year);
      const operation: OperationObject = {
        operationId: info.operationId,
        summary: info.summary,
        tags: ["Webhook events"],
        security: [],
        description: `${info.description}

Sent to every enabled endpoint that subscribed to \`${event}\`, as a POST of the JSON below with the signing headers listed here. Answer with a 2xx within 15 seconds. Delivery is at least once and not ordered: dedupe on \`webhook-id\`. How to verify the signatures, and the retry schedule: see \`POST /api/webhooks\`.`,
        parameters,
        requestBody: {
          required: true,
          content: { "application/json": { schema: body, examples: { [name]: { summary: name, value: example } } } },
        },
        responses: {
          "2XX": { description: "Received: the delivery is done. The answer's body is kept (its first 1 KiB) but not read." },
          "410": { description: "Gone: the endpoint is disabled at once (`disabledReason: gone`); nothing more is sent to it." },
          "429": { description: "Too many requests: tried again later (`Retry-After` honoured, up to 24 h)." },
          "5XX": {
            description: `Tried again on the retry schedule (${RETRY_DELAYS_SECONDS.map(spoken).join(", ")}, ±10%), as are timeouts and connection errors. No success for ${FAILING_DAYS} days disables the endpoint (\`disabledReason: failing\`).`,
          },
          default: { description: "Any other answer (a redirect, a 4xx) fails the delivery without retries; redeliver it with `POST /api/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver`." },
        },
      };
      return [name, { post: operation }];
    }),
  );
}
