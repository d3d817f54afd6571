import type { ConsultationView } from "@/lib/consultations/schema";
import { WEBHOOK_PAYLOAD_VERSION, type ChatEvent, type ConsultationEvent, type RoomEvent } from "@/lib/webhooks/events";
import { formatLocal } from "@/lib/time";
import { chatEventData, roomEventData, waitingEventData, webhookConsultation } from "@/lib/webhooks/payload";
import { scheduledSpecialistResponse } from "./examples";

export const EXAMPLE_ENDPOINT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
export const EXAMPLE_DELIVERY_ID = "2f6c1a9e-8d4b-4f3a-9c7e-5b1d0a2e4f68";
export const EXAMPLE_SECRET = "whsec_dGVsZW1lZC1wb3J0YWwgd2ViaG9vayBleGFtcGxlISE=";

const EXAMPLE_ORGANIZATION_ID = "9a7b5c3d-1e2f-4a6b-8c9d-0e1f2a3b4c5d";

/** One example body per event, made from the documented consultation by the same function real events use. */
export function webhookEventExample(event: ConsultationEvent, serverUrl: string, year: number) {
  const view = scheduledSpecialistResponse(serverUrl, year).data as ConsultationView;
  const base = webhookConsultation(view);
  const data = {
    "consultation.created": { ...base, status: "Pending" },
    "consultation.expired": { ...base, status: "Expired", expiredAt: `${year}-12-15 15:00`, expirationReason: "time_passed", noShow: "both" },
    // The provider waited in the call and ended it: the patient never joined.
    "consultation.completed": { ...base, status: "Completed", completedAt: `${year}-12-15 14:58`, completionReason: "ended_by_provider", noShow: "patient" },
    session_started: { ...base, status: "InProgress", participant: { role: "patient" }, joinedAt: `${year}-12-15 14:29` },
    session_ended: { ...base, status: "InProgress", participant: { role: "patient" }, leftAt: `${year}-12-15 14:58`, reason: "ended" },
    "consultation.access_reissued": { ...base, status: "Pending", reissued: { pin: true, links: true } },
  }[event];
  const happenedAt = {
    "consultation.created": view.createdAt,
    "consultation.expired": `${year}-12-15 15:00`,
    "consultation.completed": `${year}-12-15 14:58`,
    session_started: `${year}-12-15 14:29`,
    session_ended: `${year}-12-15 14:58`,
    "consultation.access_reissued": `${year}-12-15 14:20`,
  }[event];
  return {
    event,
    timestamp: happenedAt,
    organizationId: EXAMPLE_ORGANIZATION_ID,
    data,
    version: WEBHOOK_PAYLOAD_VERSION,
  };
}

const EXAMPLE_ROOM_ID = "3f2b8c1d-6a4e-4b7f-9d2c-8e1a5b7c9d0f";
/** The seed's room: a doctor, a patient and an interpreter, known to the portal by these ids. */
const EXAMPLE_ROOM_USERS = [
  { bandyerUserId: "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", userExternalId: "user1", group: "doctor", participantId: "c8d7e6f5-a4b3-4c2d-9e1f-0a9b8c7d6e5f" },
  { bandyerUserId: "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70", userExternalId: "user2", group: "patient", participantId: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b" },
  { bandyerUserId: "f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c", userExternalId: "user3", group: "interpreter", participantId: "a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d" },
];

/**
 * One example body per event of a standalone room (teleconsultation API), made by the same
 * function real events use from what the outbox records, in an organization on Bogotá time.
 */
export function roomWebhookEventExample(event: RoomEvent, year: number) {
  const utc = (time: string) => new Date(`${year}-12-15T${time}:00.000Z`);
  // 14:29 in Bogotá (UTC-5) is 19:29 UTC.
  const happenedAt = { "room.ready": utc("19:00"), session_started: utc("19:29"), session_ended: utc("19:58") }[event];
  const [doctor, patient] = EXAMPLE_ROOM_USERS as [(typeof EXAMPLE_ROOM_USERS)[0], (typeof EXAMPLE_ROOM_USERS)[0]];
  const participant = (p: typeof doctor) => ({ participantId: p.participantId, role: "member", userExternalId: p.userExternalId, group: p.group });
  const payload = {
    "room.ready": {
      roomId: EXAMPLE_ROOM_ID,
      startsAt: utc("19:30").toISOString(),
      endsAt: utc("20:00").toISOString(),
      readyAt: happenedAt.toISOString(),
      participants: EXAMPLE_ROOM_USERS.map(({ bandyerUserId, userExternalId, group }) => ({ bandyerUserId, userExternalId, group })),
    },
    session_started: { consultationId: null, roomId: EXAMPLE_ROOM_ID, participant: participant(patient), joinedAt: happenedAt.toISOString(), firstJoin: false },
    session_ended: { consultationId: null, roomId: EXAMPLE_ROOM_ID, participant: participant(doctor), leftAt: happenedAt.toISOString(), reason: "ended" },
  }[event];
  const outbox = { id: EXAMPLE_ROOM_ID, organizationId: EXAMPLE_ORGANIZATION_ID, event, aggregateType: "room", aggregateId: EXAMPLE_ROOM_ID, payload, occurredAt: happenedAt };
  const timeZone = "America/Bogota";
  return {
    event,
    timestamp: formatLocal(happenedAt, timeZone),
    organizationId: EXAMPLE_ORGANIZATION_ID,
    // The doctor ended the call for everyone: their departure says the room is Completed.
    data: roomEventData(outbox, event === "session_ended" ? "Completed" : null, timeZone),
    version: WEBHOOK_PAYLOAD_VERSION,
  };
}

const EXAMPLE_CHAT_SESSION_ID = "5b3c9d2e-7f1a-4c8b-9e0d-1a2b3c4d5e6f";

/**
 * One example body per chat-session event, made by the same function real events use from what
 * the outbox records: a patient (`user2`) started a chat with a doctor (`user1`), who accepted
 * it and opened a call, messages went both ways, and the doctor finished it (or rejected it).
 */
export function chatWebhookEventExample(event: ChatEvent, year: number) {
  const utc = (time: string) => new Date(`${year}-12-15T${time}:00.000Z`);
  const happenedAt = {
    "chat_session.started": utc("19:00"),
    "chat_session.accepted": utc("19:04"),
    "chat_session.rejected": utc("19:04"),
    "chat_message.created": utc("19:06"),
    "chat_session.finished": utc("19:30"),
  }[event];
  const room = event === "chat_message.created" || event === "chat_session.finished" ? EXAMPLE_ROOM_ID : null;
  const directive = { room, participants: ["user1", "user2"], actor: event === "chat_session.started" ? "user2" : "user1", at: happenedAt.getTime() };
  const payload = {
    "chat_session.started": directive,
    "chat_session.accepted": directive,
    "chat_session.rejected": { ...directive, reason: "Please book an in-person visit." },
    "chat_session.finished": directive,
    "chat_message.created": { messageId: 42, sender: "user2", hasFile: true },
  }[event];
  const outbox = { id: EXAMPLE_CHAT_SESSION_ID, organizationId: EXAMPLE_ORGANIZATION_ID, event, aggregateType: "chat_session", aggregateId: EXAMPLE_CHAT_SESSION_ID, payload, occurredAt: happenedAt };
  return {
    event,
    timestamp: formatLocal(happenedAt, "America/Bogota"),
    organizationId: EXAMPLE_ORGANIZATION_ID,
    data: chatEventData(outbox),
    version: WEBHOOK_PAYLOAD_VERSION,
  };
}

/**
 * The example body of `participant.waiting`, made by the same function real events use from
 * what the outbox records: the documented consultation's patient joined at 14:29 in Bogotá,
 * before the provider.
 */
export function waitingWebhookEventExample(year: number) {
  const happenedAt = new Date(`${year}-12-15T19:29:00.000Z`);
  // The consultation of the API's examples, with its room and patient.
  const consultationId = "7d9f3b2a-4c1e-4f6a-9b8d-2e5c7a1f0b34";
  const payload = {
    consultationId,
    roomId: "4e8a2c6b-1d3f-4a5e-9b7c-2d4f6a8b0c1e",
    participant: { participantId: "6c1e3a5b-7d9f-4b2c-8e4a-6b8d0f2a4c6e", role: "patient" },
    waitingSince: happenedAt.toISOString(),
  };
  const outbox = { id: consultationId, organizationId: EXAMPLE_ORGANIZATION_ID, event: "participant.waiting" as const, aggregateId: consultationId, payload, occurredAt: happenedAt };
  return {
    event: "participant.waiting",
    timestamp: formatLocal(happenedAt, "America/Bogota"),
    organizationId: EXAMPLE_ORGANIZATION_ID,
    data: waitingEventData(outbox, "America/Bogota"),
    version: WEBHOOK_PAYLOAD_VERSION,
  };
}

export function webhookExamples(serverUrl: string, year: number) {
  const at = (time: string) => `${year}-12-15T${time}Z`;
  const endpoint = {
    id: EXAMPLE_ENDPOINT_ID,
    url: "https://his.example-clinic.com/hooks/telehealth",
    description: "HIS integration",
    events: ["consultation.created", "consultation.completed", "consultation.expired"],
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    previousSecretExpiresAt: null,
    createdAt: at("14:00:00"),
    updatedAt: at("14:00:00"),
  };
  const delivery = {
    id: EXAMPLE_DELIVERY_ID,
    endpointId: EXAMPLE_ENDPOINT_ID,
    event: "consultation.created",
    consultationId: "7d9f3b2a-4c1e-4f6a-9b8d-2e5c7a1f0b34",
    status: "delivered",
    test: false,
    attemptCount: 1,
    nextAttemptAt: null,
    lastAttemptAt: at("15:30:01"),
    lastStatusCode: 200,
    lastError: null,
    deliveredAt: at("15:30:01"),
    createdAt: at("15:30:00"),
  };
  const retrying = {
    ...delivery,
    id: "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    event: "consultation.completed",
    status: "pending",
    attemptCount: 2,
    nextAttemptAt: at("15:36:12"),
    lastAttemptAt: at("15:31:05"),
    lastStatusCode: 503,
    lastError: "The receiver answered 503.",
    deliveredAt: null,
  };
  const detail = {
    ...delivery,
    payload: webhookEventExample("consultation.created", serverUrl, year),
    attempts: [{ attemptedAt: at("15:30:01"), statusCode: 200, latencyMs: 182, responseExcerpt: "ok", error: null, trigger: "scheduled" }],
  };
  const failedTest = {
    ...delivery,
    id: "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f",
    consultationId: null,
    status: "failed",
    test: true,
    lastStatusCode: 500,
    lastError: "The receiver answered 500.",
    deliveredAt: null,
    payload: {
      ...webhookEventExample("consultation.created", serverUrl, year),
      data: { ...webhookEventExample("consultation.created", serverUrl, year).data, test: true, consultationId: "00000000-0000-0000-0000-000000000000" },
    },
    attempts: [{ attemptedAt: at("15:30:01"), statusCode: 500, latencyMs: 41, responseExcerpt: "database down", error: null, trigger: "test" }],
  };
  return { endpoint, delivery, retrying, detail, failedTest };
}
