import { API_VERSION, PRODUCT_NAME } from "@/lib/config";
import type { OpenApiDocument, TagObject } from "./types";

/** The document's prose: what the API is, and the sections (tags) its operations fall under. */

const TIMES =
  "Times are `yyyy-MM-dd HH:mm` wall-clock times in the organization's IANA timezone (`timezone` in `GET /api/organizations/profile`, e.g. `America/Bogota`), never UTC offsets. Only `metadata.timestamp` is ISO 8601 in UTC.";

const INFO_DESCRIPTION = `The consultation API of ${PRODUCT_NAME}: create a video consultation with one call and hand each person their link.

**Authentication.** Every endpoint except \`/api/health\`, \`/api/openapi.json\` and the files served by their address (a chat file's signed URL, a background's \`/api/backgrounds/{alias}\`) needs an organization API credential, sent either as the two headers \`X-API-Key: <keyId>\` and \`X-API-Secret: <secret>\`, as one header \`Authorization: Bearer <keyId>.<secret>\`, or as one header \`apikey: <keyId>.<secret>\` (the way the teleconsultation contract's examples send it).

**Envelopes.** Successful answers are \`{ "success": true, "data": …, "metadata": { "requestId", "timestamp", "version" } }\`; lists add \`"pagination": { "limit", "nextCursor", "hasMore" }\`. Errors are \`{ "success": false, "error": { "code", "message", "details": [{ "field", "message", "code" }] }, "metadata": … }\`, with \`details\` only when specific fields are at fault.

**Times.** ${TIMES}

**Rate limits.** Each credential has an hourly request budget; every authenticated answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`, and a 429 adds \`Retry-After\`.

**Idempotency.** \`POST /api/consultations\` accepts an \`Idempotency-Key\` header so a retried request never creates a second consultation.

**Webhooks.** Register an endpoint with \`POST /api/webhooks\` to receive \`consultation.created\`, \`consultation.expired\`, \`consultation.completed\`, \`session_started\`, \`session_ended\`, \`consultation.access_reissued\`, \`room.ready\`, and a chat session's \`chat_session.started\`, \`chat_session.accepted\`, \`chat_session.rejected\`, \`chat_session.finished\` and \`chat_message.created\`, and \`participant.waiting\` (a patient joined the call before the provider; ids only) (the \`webhooks\` section of this document; a standalone room's \`session_started\` and \`session_ended\` carry the room instead of a consultation). Each request is signed twice: Standard Webhooks headers (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`) and \`X-Telehealth-Signature\` (hex HMAC-SHA256 of the raw body). Delivery is at least once, not ordered, and retried for about three days. \`POST /api/webhooks\` explains verification, with code.`;

export const INFO: OpenApiDocument["info"] = {
  title: "Telemed Portal consultation API",
  version: API_VERSION,
  summary: "Create and follow telemedicine video consultations.",
  description: INFO_DESCRIPTION,
};

/** The sections of the document, in the order the reference page shows them. */
export const TAGS: TagObject[] = [
  { name: "Consultations", description: "Create consultations and follow their status." },
  { name: "Providers", description: "The organization's providers." },
  {
    name: "Teleconsultation rooms",
    description:
      "Rooms for 2 to 25 people (a doctor, a patient and an interpreter; a care team), as the teleconsultation contract defines them: create, change, add participants, read a participant's personal link, delete; and user tokens. These routes answer errors in the contract's body, `{ \"error\": \"…\" }` (with our `code` and `details` beside it), not in the envelope of the other routes.",
  },
  {
    name: "Chat sessions",
    description:
      "Text consultations, as the chat-sessions contract defines them: a patient starts a session, a clinician (a plus participant) accepts or rejects it, either finishes it, and it can turn into a call (`room`). Participants are the same users as the teleconsultation rooms'. They write messages and share files: images and PDFs up to 10 MB, checked by their content, images stored without their metadata, downloaded through short-lived signed URLs. These routes answer errors in the contract's body, `{ \"error\": \"…\" }` (with our `code` and `details` beside it), and the list is a bare array paged by headers; the file download, which needs no credential, answers in the envelope.",
  },
  { name: "Organization", description: "The calling organization." },
  {
    name: "Settings",
    description:
      "The company's call settings, as the teleconsultation contract's `/settings/*` define them: upload virtual backgrounds and pick the default one, the page participants go to when a call ends, and the clinic's user-details endpoint; and list and delete uploaded backgrounds. Organization credential only. These routes answer errors in the contract's body, `{ \"error\": \"…\" }` (with our `code` and `details` beside it); a missing or invalid credential is exactly `401 { \"error\": \"Unauthorized user\" }`.",
  },
  { name: "Catalogs", description: "Codes for professional types, consultation types, specialties and durations." },
  {
    name: "Webhooks",
    description: "Register endpoints of your system that receive signed events, rotate their secrets, send test events and follow every delivery. How events are sent, signed and retried, with verification code: see POST /api/webhooks.",
  },
  {
    name: "Webhook events",
    description: "What the portal POSTs to your webhook endpoints: one request per event and endpoint, signed (see Webhooks).",
  },
  { name: "Video room", description: "What the join page and the call screen use: the PIN, joining, signaling, leaving and ending. Participants authenticate with the session cookie the PIN gives, not with an API credential." },
  { name: "System", description: "Public endpoints for operators and tools." },
];
