import {
  BACKGROUNDS_PER_ORGANIZATION,
  CHAT_FILE_MAX_BYTES,
  CHAT_FILES_PER_HOUR,
  CHAT_IMAGE_MAX_PIXELS,
  CHAT_MESSAGES_PER_MINUTE,
  CONNECTION_CHECKS_PER_MINUTE,
  ISSUE_REPORTS_PER_HOUR,
  MAX_ENDPOINTS_PER_ORGANIZATION,
  SIGNAL_BYTES_PER_DAY,
  SIGNAL_BYTES_PER_WINDOW,
  SIGNAL_WINDOW_SECONDS,
  SIGNALS_PER_DAY,
  SIGNALS_PER_WINDOW,
} from "@/lib/limits";

/**
 * Every error code the product answers with: its HTTP status, what it means (the OpenAPI
 * document lists these), and an example message. An `AppError` takes its status from here, so
 * a code and its status are written once.
 */
export const ERROR_CODES = {
  validation_error: {
    status: 400,
    meaning: "One or more fields (body or query) are invalid. `error.details` lists every problem at once, one entry per field.",
    message: "The request has invalid fields.",
  },
  invalid_json: { status: 400, meaning: "The body is empty or is not valid JSON.", message: "The request body is not valid JSON: Unexpected end of JSON input" },
  unsupported_content_type: {
    status: 400,
    meaning: "The body was not sent with the route's content type: `Content-Type: application/json`, or `multipart/form-data` for a file upload.",
    message: 'The body must be JSON sent with "Content-Type: application/json" (got "text/plain").',
  },
  payload_too_large: {
    status: 400,
    meaning: "The body is larger than the server's limit (64 KiB unless the operator changed `API_MAX_BODY_BYTES`).",
    message: "The request body is larger than the 65536-byte limit.",
  },
  invalid_cursor: { status: 400, meaning: "The `cursor` is not one this API handed out (or it belongs to another list).", message: "The cursor is not valid." },
  invalid_date: {
    status: 400,
    meaning: "`from` or `to` is not a real date written `yyyy-MM-dd` or `yyyy-MM-dd HH:mm`, or is outside 2000-01-01..2100-12-31.",
    message: "must be yyyy-MM-dd or yyyy-MM-dd HH:mm",
  },
  invalid_idempotency_key: {
    status: 400,
    meaning: "The `Idempotency-Key` header is not 1 to 255 visible ASCII characters.",
    message: "Idempotency-Key must be 1 to 255 visible ASCII characters.",
  },
  missing_credentials: {
    status: 401,
    meaning: "No credential was sent.",
    message: "Authentication required: send X-API-Key and X-API-Secret, Authorization: Bearer <keyId>.<secret>, or apikey: <keyId>.<secret>.",
  },
  invalid_credentials: {
    status: 401,
    meaning: "The credential is malformed, unknown, revoked, or only one of `X-API-Key` / `X-API-Secret` was sent (an `apikey` header carries `<keyId>.<secret>`).",
    message: "The API credential is not valid.",
  },
  not_found: { status: 404, meaning: "No such resource in your organization (another organization's ids are not found either).", message: "Consultation was not found." },
  method_not_allowed: {
    status: 405,
    meaning: "The route exists but does not take this HTTP method; the `Allow` header lists the ones it takes.",
    message: "DELETE is not allowed on /api/consultations. Allowed: GET, HEAD, OPTIONS, POST.",
  },
  schedule_conflict: {
    status: 409,
    meaning: "The provider or the patient already has a live (`Pending` or `InProgress`) consultation overlapping this time.",
    message: "The provider already has a consultation at that time.",
  },
  provider_inactive: {
    status: 409,
    meaning: "The provider (by document type and number) is deactivated in your organization.",
    message: "This provider is deactivated in the organization and cannot take consultations.",
  },
  idempotency_in_progress: {
    status: 409,
    meaning: "A request with the same `Idempotency-Key` is still being processed; retry shortly.",
    message: "A request with this Idempotency-Key is still being processed.",
  },
  idempotency_key_reused: {
    status: 422,
    meaning: "The `Idempotency-Key` was already used with a different request body.",
    message: "This Idempotency-Key was already used with a different request body.",
  },
  rate_limited: {
    status: 429,
    meaning: "The credential has used its requests for this hour. Wait `Retry-After` seconds.",
    message: "Rate limit of 1000 requests per hour exceeded. Retry after 1234 seconds.",
  },
  invalid_pin_format: { status: 400, meaning: "The PIN is not 6 digits.", message: "The request has invalid fields." },
  invalid_participant: { status: 400, meaning: "`participantId` is missing or is not a participant id.", message: "participantId must be the id returned when the PIN was accepted." },
  unknown_recipient: { status: 400, meaning: "The signal's `to` is not another participant of this room.", message: "The recipient is not another participant of this room." },
  invalid_pin: { status: 401, meaning: "The PIN does not match. The message says how many tries are left before a wait.", message: "That PIN is not right. 4 tries left before a waiting time." },
  session_required: {
    status: 401,
    meaning: "This browser has no valid participant session for `participantId` (no PIN entered, or the session ended).",
    message: "Enter the consultation PIN on the join page to take part in this call.",
  },
  forbidden: { status: 403, meaning: "The caller's role may not do this (only a provider ends a consultation for everyone).", message: "Only the provider can end the consultation for everyone; a patient can leave the call." },
  room_not_open: { status: 403, meaning: "A scheduled consultation's link opens a few minutes before its time (15 by default).", message: "This consultation is not open yet. Its link opens shortly before the scheduled time." },
  link_not_found: { status: 404, meaning: "No such join link (or the link was opened with the other role's `type`).", message: "This link is not valid. Check that you opened the whole link you were sent." },
  room_full: { status: 409, meaning: "The room already has as many participants in the call as it allows.", message: "This call already has its 2 participants." },
  livekit_required: {
    status: 409,
    meaning: "The room is set up for more than 4 participants, which peer-to-peer calls cannot carry; the deployment must configure LiveKit.",
    message: "This room is set up for 6 participants. Peer-to-peer calls take at most 4; the clinic must configure LiveKit (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).",
  },
  livekit_not_configured: {
    status: 404,
    meaning: "LiveKit webhooks reach a deployment without LiveKit (`LIVEKIT_URL`, `LIVEKIT_API_KEY`, `LIVEKIT_API_SECRET` unset).",
    message: "LiveKit is not configured on this server (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET), so it takes no LiveKit webhooks.",
  },
  invalid_signature: {
    status: 401,
    meaning: "A LiveKit webhook whose `Authorization` token does not verify with this deployment's LiveKit key and secret, or whose body does not match the token's `sha256`.",
    message: "The webhook's Authorization token does not verify with this server's LiveKit API key and secret, or the body was changed.",
  },
  invalid_event: { status: 400, meaning: "A verified LiveKit webhook without an event id.", message: "The LiveKit event has no id." },
  not_in_call: { status: 409, meaning: "Signals and chat messages are only taken from a participant who has joined (`PUT …/video-room`).", message: "Join the call before sending signals." },
  chat_user_required: {
    status: 403,
    meaning: "A chat session is acted on by one of its participants: name them with `X-User-Id`, or send their user token.",
    message: "Name the user who acts with X-User-Id (a user of the directory who takes part in the session), or use their user token.",
  },
  not_a_participant: { status: 403, meaning: "The user named is not one of the chat session's participants.", message: "Only the session's participants may act on it." },
  chat_plus_required: {
    status: 403,
    meaning: "Accepting or rejecting a chat session is for a plus participant (a host, such as a `doctor`: the organization's room groups decide).",
    message: "Only a plus participant (a host, such as a doctor) may accept or reject a chat session.",
  },
  chat_session_state: {
    status: 409,
    meaning: "The directive does not apply to the session's current state (created → started → accepted | rejected; accepted → finished); the message names the state. A rejected or finished session no longer changes.",
    message: "The chat session is started, not accepted: finish takes an accepted session.",
  },
  chat_session_closed: {
    status: 409,
    meaning: "The chat session is `rejected` or `finished`: it takes no more messages or files (the transcript stays readable). The message names the state.",
    message: "The chat session is finished: it takes no more messages or files.",
  },
  file_too_large: {
    status: 413,
    meaning: `The file is larger than ${CHAT_FILE_MAX_BYTES} bytes (10 MB), or an image larger than ${CHAT_IMAGE_MAX_PIXELS / 1_000_000} megapixels. Nothing was stored.`,
    message: `The file is larger than 10 MB (${CHAT_FILE_MAX_BYTES} bytes). Send a smaller one.`,
  },
  file_type_not_allowed: {
    status: 415,
    meaning: "The file is not of a type the route takes, judged by its content (not its name or declared type), or it could not be read as one: a chat takes JPEG, PNG and WebP images and PDFs, a call background JPEG, PNG and WebP images. Nothing was stored.",
    message: "Only JPEG, PNG and WebP images and PDF documents can be shared (this file is application/x-elf).",
  },
  chat_files_rate_limited: {
    status: 429,
    meaning: `One uploader (a call's participant, a chat session's user) added ${CHAT_FILES_PER_HOUR} files to the call or session in the last hour. Wait \`Retry-After\` seconds.`,
    message: `At most ${CHAT_FILES_PER_HOUR} files an hour. Wait a while before sending more.`,
  },
  storage_unavailable: {
    status: 503,
    meaning: "The file storage (the local disk or the S3-compatible store) failed to take the file. Nothing was stored: send it again later.",
    message: "The file could not be stored just now. Please try again in a moment.",
  },
  chat_closed: { status: 409, meaning: "The consultation is over: its chat takes no more messages (the transcript stays readable).", message: "The consultation is over, so its chat is closed. The messages stay with the clinic." },
  chat_rate_limited: { status: 429, meaning: `One participant sent ${CHAT_MESSAGES_PER_MINUTE} messages in the last minute. Wait \`Retry-After\` seconds.`, message: `At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute. Wait a moment and send again.` },
  signal_rate_limited: {
    status: 429,
    meaning: `One participant sent more than ${SIGNALS_PER_WINDOW} signals or ${SIGNAL_BYTES_PER_WINDOW} bytes of signals in ${SIGNAL_WINDOW_SECONDS} seconds, or ${SIGNALS_PER_DAY} signals or ${SIGNAL_BYTES_PER_DAY} bytes in a day (the detail names which). Nothing of the request was stored: send it again after \`Retry-After\` seconds.`,
    message: `Too many signals from this participant: at most ${SIGNALS_PER_WINDOW} signals every ${SIGNAL_WINDOW_SECONDS} seconds. Try again in 4 seconds.`,
  },
  consultation_closed: { status: 409, meaning: "The consultation is `Completed` or `Expired`: its PIN and links can no longer be reissued.", message: "This consultation is Completed: its PIN and links can no longer be reissued." },
  connection_check_rate_limited: {
    status: 429,
    meaning: `One participant made more than ${CONNECTION_CHECKS_PER_MINUTE} connection checks this minute (the join page's test makes 5). Wait \`Retry-After\` seconds.`,
    message: `At most ${CONNECTION_CHECKS_PER_MINUTE} connection checks a minute. Try again in 12 seconds.`,
  },
  too_many_reports: { status: 429, meaning: `One participant filed ${ISSUE_REPORTS_PER_HOUR} issue reports in the last hour.`, message: `At most ${ISSUE_REPORTS_PER_HOUR} reports an hour from one participant. The clinic has your earlier reports.` },
  consultation_time_left: { status: 409, meaning: "A `timeout` end was asked before the consultation's scheduled end.", message: "This consultation's time is not up yet." },
  consultation_not_in_progress: { status: 409, meaning: "Only a consultation in progress can be ended.", message: "This consultation is Pending; only a consultation in progress can be ended." },
  consultation_completed: { status: 410, meaning: "The consultation has ended; its links no longer open the call.", message: "This consultation has ended." },
  consultation_expired: { status: 410, meaning: "The consultation's time passed without anyone joining.", message: "This consultation has expired: its time passed without anyone joining." },
  pin_attempts_delayed: {
    status: 429,
    meaning: "After 5 wrong PINs at a link each try waits longer (30 s, then doubling). Wait `Retry-After` seconds.",
    message: "Too many wrong PINs. Wait a moment before trying again.",
  },
  pin_locked: { status: 429, meaning: "The link took 10 wrong PINs in 24 hours; it opens again 24 hours after the oldest, or at once when the clinic reissues the PIN (`POST /api/consultations/{consultationId}/reissue-access`).", message: "Too many wrong PINs for this link today. Ask the clinic for a new PIN: it opens the link again at once." },
  too_many_attempts: { status: 429, meaning: "Too many wrong PINs from this address across links in the last hour.", message: "Too many wrong PINs from this network. Try again later." },
  webhook_url_invalid: {
    status: 422,
    meaning: "The webhook `url` is not an absolute `https://` URL, is longer than 2048 characters, or carries a user name, password or `#fragment`.",
    message: "The webhook URL must start with https://.",
  },
  webhook_url_insecure: { status: 422, meaning: "The webhook `url` uses plain `http://`; only `https://` is accepted.", message: "The webhook URL must use https://; plain http:// is not allowed." },
  webhook_url_unresolvable: {
    status: 422,
    meaning: "The host of the webhook `url` has no DNS address (checked when the URL is saved).",
    message: "The webhook URL's host hooks.example-clinic.com could not be resolved; check the name and its DNS records.",
  },
  webhook_url_forbidden: {
    status: 422,
    meaning: "The webhook `url` is, or resolves to, an address that is not public (loopback, private, link-local, cloud metadata, …). Webhooks only go to the public internet.",
    message: "The webhook URL resolves to 10.0.0.12, a private address; webhooks can only go to public addresses.",
  },
  webhook_endpoint_limit: {
    status: 409,
    meaning: `The organization already has ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints, the most it may have; delete one first.`,
    message: `An organization can have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints; delete one first.`,
  },
  webhook_endpoint_disabled: {
    status: 409,
    meaning: "The webhook endpoint is disabled (by you, by its 410, or after three days of failures); enable it with `PATCH` and `enabled: true` first.",
    message: "This endpoint is disabled; enable it before redelivering.",
  },
  webhook_test_delivery: { status: 409, meaning: "A test delivery cannot be redelivered; send a new test event.", message: "A test delivery cannot be redelivered; send a new test event." },
  // The dashboard's own refusals (staff, providers, the organization): no API route answers with these.
  unauthenticated: { status: 401, meaning: "The dashboard's live updates need a signed-in staff member.", message: "Sign in to the dashboard first." },
  consultation_not_pending: { status: 409, meaning: "Only a pending consultation can be cancelled.", message: "This consultation is Completed; only a pending consultation can be cancelled." },
  slug_taken: { status: 409, meaning: "Another organization already has this slug.", message: "An organization with that slug already exists." },
  provider_document_taken: { status: 409, meaning: "Another provider of the organization has this document type and number.", message: "Another provider of the organization has this document." },
  email_taken: { status: 409, meaning: "A staff account with this e-mail already exists.", message: "A staff account with this email already exists." },
  unknown_provider: { status: 400, meaning: "A provider-role staff member must be linked to one of the organization's providers.", message: "must be one of the organization's providers" },
  last_admin: { status: 409, meaning: "The organization's only active admin cannot lose the role or be deactivated.", message: "Ana is the organization's only active admin. Make someone else an admin first, so the organization always has one." },
  own_account: { status: 409, meaning: "An admin cannot change their own role or deactivate themselves.", message: "You cannot change your own role. Another admin can, if it needs to change." },
  staff_inactive: { status: 409, meaning: "A deactivated staff member gets no new invitation.", message: "Ana is deactivated. Reactivate them before sending a new invitation." },
  password_already_set: { status: 409, meaning: "The staff member already set a password and can sign in.", message: "Ana has already set a password and can sign in." },
  invitation_link_invalid: { status: 410, meaning: "A set-password link that was used, replaced or is too old.", message: "This link no longer works. Ask your clinic's admin for a new one." },
  too_many_guests: { status: 409, meaning: "A consultation takes at most 2 guests (a companion, an interpreter): with the patient and the provider, 4 people is what a peer-to-peer call carries.", message: "This consultation already has its 2 guests." },
  room_link_expired: {
    status: 410,
    meaning: "A room user's personal link (`accessLinkURL`) is older than `ROOM_LINK_TTL_SECONDS`, or was minted before the room last changed who or when: ask the teleconsultation API for the room again to get a fresh link.",
    message: "This link has expired. Open the room again from the clinic's app to get a new one.",
  },
  room_deleted: { status: 410, meaning: "The room was deleted through the teleconsultation API (TRASH): its links no longer open the call.", message: "This room was deleted by the clinic: its links no longer open the call." },
  no_plus_user: {
    status: 400,
    meaning: "A room whose participants are all known has no plus user (a host, such as a `doctor`): nobody could run the call.",
    message: "Failed POST /teleconsultation: no plus user in room",
  },
  unknown_room_user: {
    status: 400,
    meaning: "A participant named only by `userExternalId` (the array form, or an object without `fullName` and `groups`) is not yet in the organization's room-user directory.",
    message: "participants[1]: no room user with userExternalId \"user2\"; give their fullName and groups the first time",
  },
  unknown_group: { status: 400, meaning: "None of the user's `groups` is configured as plus or basic for the organization.", message: "none of the groups [\"nurse\"] is configured; plus: doctor; basic: patient, customer" },
  room_full_of_participants: { status: 409, meaning: "The room already has its expected `number` of participants.", message: "Failed POST /teleconsultation/room_xyz/participants/data: the room already has its 3 participants" },
  room_immutable: {
    status: 409,
    meaning: "The room's participants are all known and its start is less than `IMMUTABLE_PERIOD_MS` away (or past), or it has ended: it can no longer change.",
    message: "Failed PATCH /teleconsultation/room_xyz: the room can no longer change (it starts at 2022-02-22T15:30:00.000Z)",
  },
  room_not_found: { status: 404, meaning: "No such room in your organization (a deleted room, or another organization's, is not found either).", message: "Room with id room_xyz not found on CRUD" },
  unauthorized_user: {
    status: 401,
    meaning: "No end user named (`X-User-Id`, or a user token), the user is not a participant of the room, or the user token is invalid or expired.",
    message: "Unauthorized user",
  },
  user_token_not_allowed: {
    status: 403,
    meaning: "A user token reads its own rooms; creating, changing and deleting rooms, and the organization's settings (`/api/settings/*`), take the organization's API credential.",
    message: "A user token can read its own rooms; creating, changing or deleting a room, and the organization's settings, take the organization's API credential.",
  },
  unknown_background: {
    status: 400,
    meaning: "`background_alias` names no background of your organization (uploaded with `POST /api/settings/background-image`, and not deleted since).",
    message: "background_alias 3e4d0683d78be3a884b7a60028644f57 is not a background of this organization.",
  },
  background_limit: {
    status: 409,
    meaning: `The organization already has ${BACKGROUNDS_PER_ORGANIZATION} backgrounds, the most it may keep; delete one first (\`DELETE /api/settings/backgrounds/{alias}\`). Nothing was stored.`,
    message: `An organization can keep at most ${BACKGROUNDS_PER_ORGANIZATION} backgrounds; delete one before uploading another.`,
  },
  internal_error: { status: 500, meaning: "Something failed on our side. Retry later; quote `metadata.requestId` if it persists.", message: "Something went wrong on our side. Please try again." },
} as const satisfies Record<string, { status: number; meaning: string; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A problem with one field of a request, named by its dotted path (`provider.phone`). `params`
 * are the rule's numbers and names (a minimum, the holder of a document), for the dashboard to
 * say the problem in the reader's language; the API's envelope leaves them out (lib/http).
 */
export type FieldError = { field: string; message: string; code: string; params?: FieldErrorParams };
export type FieldErrorParams = Record<string, string | number>;

/** The one error type of the domain; lib/http maps it to the JSON envelope. Its status comes from the catalog. */
export class AppError extends Error {
  override name = "AppError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_CODES[code].status;
  }

  static validation(details: FieldError[], message = "The request has invalid fields."): AppError {
    return new AppError("validation_error", message, details);
  }

  static badRequest(code: ErrorCode, message: string, field?: string): AppError {
    return new AppError(code, message, field ? [{ field, message, code }] : []);
  }

  static notFound(what: string): AppError {
    return new AppError("not_found", `${what} was not found.`);
  }

  static conflict(code: ErrorCode, message: string, details: FieldError[] = []): AppError {
    return new AppError(code, message, details);
  }

  static unauthorized(code: ErrorCode, message: string): AppError {
    return new AppError(code, message, [], { "WWW-Authenticate": 'Bearer realm="api"' });
  }
}

/** The PostgreSQL error under a driver or ORM wrapper, if there is one. */
export function postgresErrorOf(error: unknown): { code: string; constraint_name?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; severity?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && candidate.severity !== undefined) {
      return candidate as { code: string; constraint_name?: string };
    }
    current = candidate.cause;
  }
  return undefined;
}

/**
 * One line for the server's log. Database errors arrive without parameter values (db/errors.ts),
 * so this is safe for them; it never adds a request's data of its own.
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
