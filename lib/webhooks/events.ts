import { z } from "zod";
import { attendanceEnd, participantRole } from "@/db/schema";
import { consultationSchema, DOCUMENT_TYPES, localDateTimeSchema, noShowSchema } from "@/lib/consultations/schema";
import type { DomainEvent } from "@/lib/outbox";
import type { CompletionReason } from "@/lib/rooms/completion";

/**
 * The webhook events' bodies, once: the payload builder (./payload.ts) takes its types from
 * them and the OpenAPI document renders them.
 */

export const WEBHOOK_PAYLOAD_VERSION = "1";

/** The chat-sessions contract's events: a directive taken (`chat_session.*`), a message written. Ids and who only. */
export const CHAT_EVENTS = ["chat_session.started", "chat_session.accepted", "chat_session.rejected", "chat_session.finished", "chat_message.created"] as const satisfies readonly DomainEvent[];
export type ChatEvent = (typeof CHAT_EVENTS)[number];
export type ChatSessionEvent = Exclude<ChatEvent, "chat_message.created">;

/** `participant.waiting`: about a consultation, but its body carries ids only, not the consultation. */
export type WaitingEvent = "participant.waiting";

/** The events about a consultation: each carries the consultation (`data.consultationId`, the patient minimised). */
export type ConsultationEvent = Exclude<DomainEvent, "room.ready" | ChatEvent | WaitingEvent>;
/** The events about a standalone room (teleconsultation API): its calls' `session_started` / `session_ended`, and `room.ready`. */
export const ROOM_EVENTS = ["session_started", "session_ended", "room.ready"] as const satisfies readonly DomainEvent[];
export type RoomEvent = (typeof ROOM_EVENTS)[number];

const webhookPatientSchema = z.object({
  documentType: z.enum(DOCUMENT_TYPES).describe("The patient's identity document type."),
  documentLastDigits: z.string().describe("The last 4 characters of the document number; the whole number is never sent."),
  nameInitials: z.string().describe("The initials of the patient's name, e.g. `M. G. L.`; the name is never sent."),
});
export type WebhookPatient = z.infer<typeof webhookPatientSchema>;

/** The consultation as every event carries it: the API's view without the PIN, the patient minimised. */
export const webhookConsultationSchema = consultationSchema.omit({ accessPin: true, patient: true, noShow: true }).extend({
  patient: webhookPatientSchema.describe("The patient, minimised: no name, phone number or e-mail address leaves the portal."),
  test: z.literal(true).optional().describe("Only in a test event (`POST /api/webhooks/{endpointId}/test`), whose `consultationId` is all zeros."),
});
export type WebhookConsultation = z.infer<typeof webhookConsultationSchema>;

const localTime = (what: string) => localDateTimeSchema.describe(`${what}, \`yyyy-MM-dd HH:mm\` in the organization's timezone.`);
const participantSchema = z.object({ role: z.enum(participantRole.enumValues).describe("Who joined or left.") }).describe("The participant the event is about.");
const completionReasonSchema = z
  .enum(["ended_by_provider", "ended_by_host", "ended_by_staff", "timeout", "participants_left"])
  .describe(
    "`ended_by_provider`: the provider ended it for everyone; `ended_by_staff`: the clinic's staff ended it from the dashboard; `timeout`: its scheduled end was reached. A standalone room's call also ends `ended_by_host` (a plus user ended it) or `participants_left` (a live room where fewer than two remained).",
  );

/** What each event adds to the consultation. */
export const WEBHOOK_EVENT_DETAILS = {
  "consultation.created": z.object({}),
  "consultation.expired": z.object({
    expiredAt: localTime("When it expired (its time passed without anyone joining, or the clinic cancelled it)"),
    expirationReason: z
      .enum(["time_passed", "cancelled"])
      .describe("`time_passed`: its time passed without anyone joining; `cancelled`: the clinic's staff cancelled it from the dashboard before anyone joined."),
    noShow: noShowSchema,
  }),
  "consultation.completed": z.object({ completedAt: localTime("When it was completed"), completionReason: completionReasonSchema, noShow: noShowSchema }),
  session_started: z.object({ participant: participantSchema, joinedAt: localTime("When the participant joined") }),
  session_ended: z.object({
    participant: participantSchema,
    leftAt: localTime("When the participant left"),
    reason: z
      .enum(attendanceEnd.enumValues)
      .describe("`left`: the participant left; `ended`: the provider ended the consultation; `timeout`: its time ran out; `disconnected`: the connection was gone too long."),
  }),
  "consultation.access_reissued": z.object({
    reissued: z
      .object({
        pin: z.literal(true).describe("A new PIN was issued; the old one no longer opens the call. Read it with `GET /api/consultations/{consultationId}`."),
        links: z.boolean().describe("True when both join links were replaced too: `participantAccess` has the new ones and the old links answer 404."),
      })
      .describe("What the clinic issued anew."),
  }),
} satisfies Record<ConsultationEvent, z.ZodObject>;
export type WebhookEventDetails = { [E in ConsultationEvent]: z.infer<(typeof WEBHOOK_EVENT_DETAILS)[E]> };

const details = WEBHOOK_EVENT_DETAILS;

/** The `data` of each event: the consultation, its status right after the event, and what the event adds. */
const WEBHOOK_EVENT_DATA = {
  "consultation.created": webhookConsultationSchema.extend({ status: z.literal("Pending") }),
  "consultation.expired": webhookConsultationSchema.extend({ status: z.literal("Expired"), ...details["consultation.expired"].shape }),
  "consultation.completed": webhookConsultationSchema.extend({ status: z.literal("Completed"), ...details["consultation.completed"].shape }),
  session_started: webhookConsultationSchema.extend({ status: z.literal("InProgress"), ...details.session_started.shape }),
  session_ended: webhookConsultationSchema.extend({ status: z.literal("InProgress"), ...details.session_ended.shape }),
  "consultation.access_reissued": webhookConsultationSchema.extend({ status: z.enum(["Pending", "InProgress"]), ...details["consultation.access_reissued"].shape }),
} satisfies Record<ConsultationEvent, z.ZodType>;

/** A standalone room's participant as its webhooks name them: by ids and group, never by name. */
const roomParticipantSchema = z
  .object({
    participantId: z.uuid().describe("The participant's id in this room."),
    userExternalId: z.string().nullable().describe("Your system's id of the user (`userExternalId` when the room was created)."),
    group: z.string().nullable().describe("The group that gave the participant their privilege (`doctor`, `patient`, `interpreter`…)."),
  })
  .describe("The participant the event is about. No name is ever sent.");
const roomTest = z.literal(true).optional().describe("Only in a test event (`POST /api/webhooks/{endpointId}/test`), whose `roomId` is all zeros.");
const roomSession = {
  roomId: z.uuid().describe("The room's id, as `POST /api/teleconsultation` returned it."),
  consultationId: z.null().describe("Always null: the room stands alone (created by the teleconsultation API), not a consultation's call."),
};

/** The `data` of a standalone room's events: the room, its status right after the event, and what the event adds. */
const ROOM_EVENT_DATA = {
  session_started: z.object({
    ...roomSession,
    status: z.literal("InProgress").describe("The room's status right after the event: a join always leaves it in progress."),
    participant: roomParticipantSchema,
    joinedAt: localTime("When the participant joined"),
  }),
  session_ended: z.object({
    ...roomSession,
    status: z
      .enum(["InProgress", "Completed"])
      .describe(
        "The room's status right after the event: `Completed` when the call ended with this departure (a plus user ended it for everyone, its time ran out, or fewer than two remained in a live room); a room sends no other event when it ends.",
      ),
    participant: roomParticipantSchema,
    leftAt: localTime("When the participant left"),
    reason: z
      .enum(attendanceEnd.enumValues)
      .describe("`left`: the participant left; `ended`: the call ended for everyone; `timeout`: its time ran out; `disconnected`: the connection was gone too long."),
  }),
  "room.ready": z.object({
    roomId: roomSession.roomId,
    startsAt: localTime("When the room's call starts"),
    endsAt: localTime("When the room's call ends").nullable().describe("When the room's call ends, `yyyy-MM-dd HH:mm` in the organization's timezone; null when it has no end."),
    readyAt: localTime("When the room became ready"),
    participants: z
      .array(
        z.object({
          bandyerUserId: z.uuid().describe("The user's id in the portal's room-user directory (the contract's `bandyerUserId`)."),
          userExternalId: z.string().describe("Your system's id of the user."),
          group: z.string().nullable().describe("The group that gave the user their privilege in this room."),
        }),
      )
      .describe("Everyone who takes part, by ids and group; no name is ever sent."),
    test: roomTest,
  }),
} satisfies Record<RoomEvent, z.ZodObject>;
export type RoomEventData = { [E in RoomEvent]: z.infer<(typeof ROOM_EVENT_DATA)[E]> };

const chatSessionId = z.uuid().describe("The chat session's id, as `POST /api/chat-sessions` returned it.");
const chatTest = z.literal(true).optional().describe("Only in a test event (`POST /api/webhooks/{endpointId}/test`), whose `chatSessionId` is all zeros.");

/** A directive's event: the session right after it, who took it and when. */
function chatSessionEventData<S extends "started" | "accepted" | "rejected" | "finished">(state: S) {
  return z.object({
    chatSessionId,
    state: z.literal(state).describe("The session's state right after the directive."),
    room: z.uuid().nullable().describe("The room the session is linked to (its call), or null."),
    participants: z.array(z.string()).describe("Everyone who takes part, by account id (userExternalId); no name is ever sent."),
    actor: z.string().describe("Who took the directive: their account id (userExternalId)."),
    at: z.number().int().describe(`When, epoch milliseconds (the session's \`${state}At\`).`),
    test: chatTest,
  });
}
const reason = (field: string) => z.string().optional().describe(`The reason given with the directive (the session's \`${field}\`), when one was.`);

/** The `data` of the chat-sessions contract's events. */
const CHAT_EVENT_DATA = {
  "chat_session.started": chatSessionEventData("started"),
  "chat_session.accepted": chatSessionEventData("accepted"),
  "chat_session.rejected": chatSessionEventData("rejected").extend({ reason: reason("rejectReason") }),
  "chat_session.finished": chatSessionEventData("finished").extend({ reason: reason("finishReason") }),
  "chat_message.created": z.object({
    chatSessionId,
    messageId: z.number().int().describe("The message's id in the session (increasing); read it with the session's messages."),
    sender: z.string().nullable().describe("Who wrote it: their account id (userExternalId), or null for a call participant outside the directory (a consultation's patient, say)."),
    hasFile: z.boolean().describe("Whether a file is attached. Neither the text nor a file's name is ever sent."),
    test: chatTest,
  }),
} satisfies Record<ChatEvent, z.ZodObject>;
export type ChatEventData = { [E in ChatEvent]: z.infer<(typeof CHAT_EVENT_DATA)[E]> };

/**
 * The `data` of `participant.waiting`: which consultation, room and participant, and since when.
 * Ids only: no name, document or PIN (read the consultation with the API when needed).
 */
export const WAITING_EVENT_DATA = z.object({
  consultationId: z.uuid().describe("The consultation's id, as `POST /api/consultations` returned it."),
  roomId: z.uuid().describe("The id of the consultation's room (its call)."),
  participant: z
    .object({
      participantId: z.uuid().describe("The participant's id in the consultation's room."),
      role: z.enum(["patient", "guest"]).describe("`patient`, or `guest` (someone the clinic invited to the call)."),
    })
    .describe("Who is waiting. No name is ever sent."),
  waitingSince: localTime("When they joined the call and began to wait"),
  test: z.literal(true).optional().describe("Only in a test event (`POST /api/webhooks/{endpointId}/test`), whose `consultationId` is all zeros."),
});
export type WaitingEventData = z.infer<typeof WAITING_EVENT_DATA>;

/** The body of one event as the portal sends it. */
function eventBody<E extends DomainEvent>(event: E, data: z.ZodType) {
  return z.object({
    event: z.literal(event).describe("The event's name (also the `X-Telehealth-Event` header)."),
    timestamp: localTime("When it happened (not when it was sent: every attempt carries the same time)"),
    organizationId: z.uuid().describe("Your organization."),
    data,
    version: z.literal(WEBHOOK_PAYLOAD_VERSION).describe("The body's format version."),
  });
}

/** Each event's body: a consultation's, `room.ready`'s (which only a room sends), and a chat session's. */
export const WEBHOOK_EVENT_BODIES: Record<DomainEvent, z.ZodType> = {
  "consultation.created": eventBody("consultation.created", WEBHOOK_EVENT_DATA["consultation.created"]),
  "consultation.expired": eventBody("consultation.expired", WEBHOOK_EVENT_DATA["consultation.expired"]),
  "consultation.completed": eventBody("consultation.completed", WEBHOOK_EVENT_DATA["consultation.completed"]),
  session_started: eventBody("session_started", WEBHOOK_EVENT_DATA.session_started),
  session_ended: eventBody("session_ended", WEBHOOK_EVENT_DATA.session_ended),
  "consultation.access_reissued": eventBody("consultation.access_reissued", WEBHOOK_EVENT_DATA["consultation.access_reissued"]),
  "room.ready": eventBody("room.ready", ROOM_EVENT_DATA["room.ready"]),
  "chat_session.started": eventBody("chat_session.started", CHAT_EVENT_DATA["chat_session.started"]),
  "chat_session.accepted": eventBody("chat_session.accepted", CHAT_EVENT_DATA["chat_session.accepted"]),
  "chat_session.rejected": eventBody("chat_session.rejected", CHAT_EVENT_DATA["chat_session.rejected"]),
  "chat_session.finished": eventBody("chat_session.finished", CHAT_EVENT_DATA["chat_session.finished"]),
  "chat_message.created": eventBody("chat_message.created", CHAT_EVENT_DATA["chat_message.created"]),
  "participant.waiting": eventBody("participant.waiting", WAITING_EVENT_DATA),
};

/** The bodies a standalone room's events have: the same event names, the room in place of a consultation. */
export const ROOM_WEBHOOK_BODIES: Record<RoomEvent, z.ZodType> = {
  session_started: eventBody("session_started", ROOM_EVENT_DATA.session_started),
  session_ended: eventBody("session_ended", ROOM_EVENT_DATA.session_ended),
  "room.ready": WEBHOOK_EVENT_BODIES["room.ready"],
};

// The rooms' own completion reasons must be the ones the event documents: this fails to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type CompletionReasonMatches = Assert<Same<z.infer<typeof completionReasonSchema>, CompletionReason>>;
