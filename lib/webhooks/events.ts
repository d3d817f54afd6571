import { z } from "zod";
import { attendanceEnd, participantRole } from "@/db/schema";
import { consultationSchema, DOCUMENT_TYPES, localDateTimeSchema } from "@/lib/consultations/schema";
import type { DomainEvent } from "@/lib/outbox";
import type { CompletionReason } from "@/lib/rooms/completion";

/**
 * The webhook events' bodies, once: the payload builder (./payload.ts) takes its types from
 * them and the OpenAPI document renders them.
 */

export const WEBHOOK_PAYLOAD_VERSION = "1";

const webhookPatientSchema = z.object({
  documentType: z.enum(DOCUMENT_TYPES).describe("The patient's identity document type."),
  documentLastDigits: z.string().describe("The last 4 characters of the document number; the whole number is never sent."),
  nameInitials: z.string().describe("The initials of the patient's name, e.g. `M. G. L.`; the name is never sent."),
});
export type WebhookPatient = z.infer<typeof webhookPatientSchema>;

/** The consultation as every event carries it: the API's view without the PIN, the patient minimised. */
export const webhookConsultationSchema = consultationSchema.omit({ accessPin: true, patient: true }).extend({
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
  }),
  "consultation.completed": z.object({ completedAt: localTime("When it was completed"), completionReason: completionReasonSchema }),
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
} satisfies Record<DomainEvent, z.ZodObject>;
export type WebhookEventDetails = { [E in DomainEvent]: z.infer<(typeof WEBHOOK_EVENT_DETAILS)[E]> };

const details = WEBHOOK_EVENT_DETAILS;

/** The `data` of each event: the consultation, its status right after the event, and what the event adds. */
const WEBHOOK_EVENT_DATA = {
  "consultation.created": webhookConsultationSchema.extend({ status: z.literal("Pending") }),
  "consultation.expired": webhookConsultationSchema.extend({ status: z.literal("Expired"), ...details["consultation.expired"].shape }),
  "consultation.completed": webhookConsultationSchema.extend({ status: z.literal("Completed"), ...details["consultation.completed"].shape }),
  session_started: webhookConsultationSchema.extend({ status: z.literal("InProgress"), ...details.session_started.shape }),
  session_ended: webhookConsultationSchema.extend({ status: z.literal("InProgress"), ...details.session_ended.shape }),
  "consultation.access_reissued": webhookConsultationSchema.extend({ status: z.enum(["Pending", "InProgress"]), ...details["consultation.access_reissued"].shape }),
} satisfies Record<DomainEvent, z.ZodType>;

/** The body of one event as the portal sends it. */
function eventBody<E extends DomainEvent>(event: E) {
  return z.object({
    event: z.literal(event).describe("The event's name (also the `X-Telehealth-Event` header)."),
    timestamp: localTime("When it happened (not when it was sent: every attempt carries the same time)"),
    organizationId: z.uuid().describe("Your organization."),
    data: WEBHOOK_EVENT_DATA[event],
    version: z.literal(WEBHOOK_PAYLOAD_VERSION).describe("The body's format version."),
  });
}

export const WEBHOOK_EVENT_BODIES: Record<DomainEvent, z.ZodType> = {
  "consultation.created": eventBody("consultation.created"),
  "consultation.expired": eventBody("consultation.expired"),
  "consultation.completed": eventBody("consultation.completed"),
  session_started: eventBody("session_started"),
  session_ended: eventBody("session_ended"),
  "consultation.access_reissued": eventBody("consultation.access_reissued"),
};

// The rooms' own completion reasons must be the ones the event documents: this fails to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type CompletionReasonMatches = Assert<Same<z.infer<typeof completionReasonSchema>, CompletionReason>>;
