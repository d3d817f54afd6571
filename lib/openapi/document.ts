import { z } from "zod";
import { CONSULTATION_DURATIONS } from "@/db/schema";
import { API_VERSION, PRODUCT_NAME } from "@/lib/config";
import {
  consultationSchema,
  consultationSummarySchema,
  createConsultationSchema,
  listConsultationsQuerySchema,
  MINIMUM_NOTICE_MINUTES,
} from "@/lib/consultations/schema";
import { organizationProfileSchema } from "@/lib/organizations";
import { endCallSchema, pinAcceptedSchema, roomSignalBatchSchema, roomSignalSchema, videoRoomSchema } from "@/lib/rooms/schema";
import { listProvidersQuerySchema, providerSchema } from "@/lib/providers";
import {
  exampleMetadata,
  exampleYear,
  immediateGeneralRequest,
  immediateGeneralResponse,
  scheduledSpecialistRequest,
  scheduledSpecialistResponse,
  seedConsultationResponse,
} from "./examples";
import { COMPONENTS, describeProperties, ref, SchemaCollector } from "./json-schema";
import {
  catalogsSchema,
  errorBodySchema,
  fieldErrorSchema,
  healthSchema,
  metadataSchema,
  paginationSchema,
  SPECIALIST_PROFESSIONAL_TYPES,
} from "./schemas";
import type {
  ExampleObject,
  HeaderObject,
  JsonSchema,
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  ResponseObject,
  SecurityRequirement,
} from "./types";

/** Every error code the API answers with: its status, what it means, and an example message. */
export const ERROR_CODES = {
  validation_error: {
    status: 400,
    meaning: "One or more fields (body or query) are invalid. `error.details` lists every problem at once, one entry per field.",
    message: "The request has invalid fields.",
  },
  invalid_json: { status: 400, meaning: "The body is empty or is not valid JSON.", message: "The request body is not valid JSON: Unexpected end of JSON input" },
  unsupported_content_type: {
    status: 400,
    meaning: "The body was not sent with `Content-Type: application/json`.",
    message: 'The body must be JSON sent with "Content-Type: application/json" (got "text/plain").',
  },
  payload_too_large: {
    status: 400,
    meaning: "The body is larger than the server's limit (64 KiB unless the operator changed `API_MAX_BODY_BYTES`).",
    message: "The request body is larger than the 65536-byte limit.",
  },
  invalid_cursor: { status: 400, meaning: "The `cursor` is not one this API handed out (or it belongs to another list).", message: "The cursor is not valid." },
  invalid_date: { status: 400, meaning: "`from` or `to` is not `yyyy-MM-dd` or `yyyy-MM-dd HH:mm`.", message: "must be yyyy-MM-dd or yyyy-MM-dd HH:mm" },
  invalid_idempotency_key: {
    status: 400,
    meaning: "The `Idempotency-Key` header is not 1 to 255 visible ASCII characters.",
    message: "Idempotency-Key must be 1 to 255 visible ASCII characters.",
  },
  missing_credentials: {
    status: 401,
    meaning: "No credential was sent.",
    message: "Authentication required: send X-API-Key and X-API-Secret, or Authorization: Bearer <keyId>.<secret>.",
  },
  invalid_credentials: {
    status: 401,
    meaning: "The credential is malformed, unknown, revoked, or only one of `X-API-Key` / `X-API-Secret` was sent.",
    message: "The API credential is not valid.",
  },
  not_found: { status: 404, meaning: "No such resource in your organization (another organization's ids are not found either).", message: "Consultation was not found." },
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
  not_in_call: { status: 409, meaning: "Signals are only relayed for a participant who has joined (`PUT …/video-room`).", message: "Join the call before sending signals." },
  consultation_time_left: { status: 409, meaning: "A `timeout` end was asked before the consultation's scheduled end.", message: "This consultation's time is not up yet." },
  consultation_not_in_progress: { status: 409, meaning: "Only a consultation in progress can be ended.", message: "This consultation is Pending; only a consultation in progress can be ended." },
  consultation_completed: { status: 410, meaning: "The consultation has ended; its links no longer open the call.", message: "This consultation has ended." },
  consultation_expired: { status: 410, meaning: "The consultation's time passed without anyone joining.", message: "This consultation has expired: its time passed without anyone joining." },
  pin_attempts_delayed: {
    status: 429,
    meaning: "After 5 wrong PINs at a link each try waits longer (30 s, then doubling). Wait `Retry-After` seconds.",
    message: "Too many wrong PINs. Wait a moment before trying again.",
  },
  pin_locked: { status: 429, meaning: "The link took 10 wrong PINs in 24 hours; it opens again 24 hours after the oldest.", message: "Too many wrong PINs for this link today. Ask the clinic for help, or try again later." },
  too_many_attempts: { status: 429, meaning: "Too many wrong PINs from this address across links in the last hour.", message: "Too many wrong PINs from this network. Try again later." },
  internal_error: { status: 500, meaning: "Something failed on our side. Retry later; quote `metadata.requestId` if it persists.", message: "Something went wrong on our side. Please try again." },
} as const satisfies Record<string, { status: number; meaning: string; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

type FieldError = z.infer<typeof fieldErrorSchema>;

const EXAMPLE_DETAILS: Partial<Record<ErrorCode, FieldError[]>> = {
  invalid_json: [{ field: "body", message: "is not valid JSON", code: "invalid_json" }],
  unsupported_content_type: [{ field: "Content-Type", message: "must be application/json", code: "unsupported_content_type" }],
  payload_too_large: [{ field: "body", message: "must be at most 65536 bytes", code: "payload_too_large" }],
  invalid_cursor: [{ field: "cursor", message: "The cursor is not valid.", code: "invalid_cursor" }],
  invalid_date: [{ field: "from", message: "must be yyyy-MM-dd or yyyy-MM-dd HH:mm", code: "invalid_date" }],
  invalid_idempotency_key: [
    { field: "Idempotency-Key", message: "Idempotency-Key must be 1 to 255 visible ASCII characters.", code: "invalid_idempotency_key" },
  ],
  schedule_conflict: [{ field: "provider", message: "already has a live consultation overlapping this time", code: "schedule_conflict" }],
  provider_inactive: [{ field: "provider.documentNumber", message: "belongs to a deactivated provider", code: "provider_inactive" }],
  idempotency_key_reused: [{ field: "Idempotency-Key", message: "was used before with a different body", code: "idempotency_key_reused" }],
};

const TIMES =
  "Times are `yyyy-MM-dd HH:mm` wall-clock times in the organization's IANA timezone (`timezone` in `GET /api/organizations/profile`, e.g. `America/Bogota`), never UTC offsets. Only `metadata.timestamp` is ISO 8601 in UTC.";

const SPECIALTY_RULE = `\`provider.medicalSpecialtyCode\` is required when \`provider.professionalType\` is ${SPECIALIST_PROFESSIONAL_TYPES.map((t) => `\`${t}\``).join(" or ")}, and refused (\`specialty_not_allowed\`) for every other professional type: leave it out (or send null) for \`MedicoGeneral\`, \`Psicologo\`, and the rest. The catalog's \`requiresSpecialty\` flag says which types need one.`;

const OVERLAP_RULE =
  "A consultation occupies its start time plus `durationMinutes`. If that overlaps a live (`Pending` or `InProgress`) consultation of the same provider or of the same patient, the request fails with 409 `schedule_conflict`; completed and expired consultations do not block.";

const INFO_DESCRIPTION = `The consultation API of ${PRODUCT_NAME}: create a video consultation with one call and hand each person their link.

**Authentication.** Every endpoint except \`/api/health\` and \`/api/openapi.json\` needs an organization API credential, sent either as the two headers \`X-API-Key: <keyId>\` and \`X-API-Secret: <secret>\`, or as one header \`Authorization: Bearer <keyId>.<secret>\`.

**Envelopes.** Successful answers are \`{ "success": true, "data": …, "metadata": { "requestId", "timestamp", "version" } }\`; lists add \`"pagination": { "limit", "nextCursor", "hasMore" }\`. Errors are \`{ "success": false, "error": { "code", "message", "details": [{ "field", "message", "code" }] }, "metadata": … }\`, with \`details\` only when specific fields are at fault.

**Times.** ${TIMES}

**Rate limits.** Each credential has an hourly request budget; every authenticated answer carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`, and a 429 adds \`Retry-After\`.

**Idempotency.** \`POST /api/consultations\` accepts an \`Idempotency-Key\` header so a retried request never creates a second consultation.`;

/** What a consultation's full view and its list summary share. */
const CONSULTATION_FIELDS = {
  provider: `Who attends. Only specialists (${SPECIALIST_PROFESSIONAL_TYPES.join(", ")}) carry \`specialtyId\`, \`specialtyCode\` and \`specialtyName\`.`,
  "provider.name": "The provider's full name.",
  "provider.specialtyId": "Specialists only: the specialty's id.",
  "provider.specialtyCode": "Specialists only: the specialty's catalog code.",
  "provider.specialtyName": "Specialists only: the specialty's name.",
  patient: "Who is attended.",
  "patient.documentType": "The patient's identity document type.",
  "patient.documentNumber": "The patient's identity document number.",
  "patient.name": "The patient's full name.",
  consultationType: "Consultation type code.",
  immediate: "True when the consultation was created without `scheduledAt`.",
  durationMinutes: "Duration in minutes.",
  createdAt: "When it was created, `yyyy-MM-dd HH:mm` in the organization's timezone.",
};

/** Field-by-field prose of the contract, added to the generated schemas (which carry the rules). */
const DESCRIPTIONS = {
  CreateConsultationRequest: {
    provider: "The provider (doctor, psychologist, …). Matched by document type and number: a known provider is updated with the data sent.",
    patient: "The patient. Matched by document type and number: a known patient is updated with the data sent.",
    consultationType: "Consultation type code from the catalog (`GET /api/catalogs`), e.g. `ConsultaGeneral`, `ConsultaUrgencias`.",
    durationMinutes: "Duration in minutes, from the fixed list of durations.",
  },
  ProviderInput: {
    name: "Full name (surrounding spaces are trimmed before the length is checked).",
    documentType: "Identity document type.",
    documentNumber: "Identity document number, letters and digits only.",
    professionalType: "Professional type code from the catalog, e.g. `MedicoGeneral`, `MedicoEspecialista`, `Psicologo`.",
    medicalSpecialtyCode: `Medical specialty code from the catalog, e.g. \`CA003\` (Cardiología). Required when \`professionalType\` is ${SPECIALIST_PROFESSIONAL_TYPES.map((t) => `\`${t}\``).join(" or ")}; for any other type leave it out or send null (otherwise 400 \`specialty_not_allowed\`).`,
    phone: "Phone in international format, with + and country code (e.g. `+573001234567`). Checked as a real number and stored in E.164.",
    email: "E-mail address.",
    professionalLicense: "Professional license number.",
  },
  PatientInput: {
    documentType: "Identity document type.",
    documentNumber: "Identity document number, letters and digits only.",
    name: "Full name.",
    phone: "Phone in international format, with + and country code (e.g. `+573009876543`).",
    email: "E-mail address.",
  },
  Consultation: {
    ...CONSULTATION_FIELDS,
    consultationId: "The consultation's id.",
    accessPin: "6-digit PIN both participants type after opening their link.",
    participantAccess: "One join link for the patient and one for the provider. Each link is personal: do not swap them.",
    "participantAccess.patientUrl": "Send to the patient. Opens the call in the browser; no account needed.",
    "participantAccess.providerUrl": "Send to the provider.",
    status: "`Pending` until someone joins, `InProgress` during the call, then `Completed`; `Expired` if nobody joined in time.",
  },
  ConsultationSummary: {
    ...CONSULTATION_FIELDS,
    consultationId: "The consultation's id; `GET /api/consultations/{consultationId}` returns it with its PIN and links.",
    status: "Where the consultation is in its lifecycle.",
  },
  Provider: {
    providerId: "The provider's id (filter consultations with `providerId`).",
    specialty: "The specialty of a specialist; null for other professional types.",
    professionalLicense: "License number, when one was given.",
    active: "Inactive providers cannot take new consultations (409 `provider_inactive`).",
  },
  OrganizationProfile: {
    timezone: "IANA timezone every `yyyy-MM-dd HH:mm` time of this organization is in.",
    language: "Language tag, e.g. `es`.",
    createdAt: "`yyyy-MM-dd HH:mm` in the organization's timezone.",
  },
} satisfies Record<string, Record<string, string>>;

const HEADERS = {
  "X-Request-Id": {
    description: "Identifies this request (the same value as `metadata.requestId`, except in a replayed idempotent answer, whose body is the original one).",
    schema: { type: "string" },
  },
  "X-RateLimit-Limit": { description: "Requests per hour this credential may make.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Requests left in the current hour.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "When the hourly window resets: Unix time in seconds (the start of the next UTC hour).", schema: { type: "integer" } },
  "Retry-After": { description: "Seconds to wait before the next request.", schema: { type: "integer" } },
  "WWW-Authenticate": { description: "The authentication scheme to use: `Bearer realm=\"api\"`.", schema: { type: "string" } },
  "Idempotent-Replayed": {
    description: "Sent when the request carried an `Idempotency-Key`: `true` if this is the stored answer to an earlier request with the same key and body, `false` if the request ran now.",
    schema: { type: "string", enum: ["true", "false"] },
  },
  "Set-Cookie": {
    description:
      "The participant session: `tm_p_<participantId>`, a signed token for this one room and role, `HttpOnly; SameSite=Lax; Path=/` (and `Secure` over https), valid until 15 minutes after the consultation's scheduled end.",
    schema: { type: "string" },
  },
} satisfies Record<string, HeaderObject>;

const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": headerRef("X-RateLimit-Limit"),
  "X-RateLimit-Remaining": headerRef("X-RateLimit-Remaining"),
  "X-RateLimit-Reset": headerRef("X-RateLimit-Reset"),
};

const AUTHENTICATED: SecurityRequirement[] = [{ ApiKey: [], ApiSecret: [] }, { BearerAuth: [] }];

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the route handlers
 * parse with. `serverUrl` is the origin the API is served from (paths start with `/api`).
 */
export function buildOpenApiDocument(options: { serverUrl: string; now?: Date }): OpenApiDocument {
  const serverUrl = options.serverUrl.replace(/\/+$/, "");
  const year = exampleYear(options.now ?? new Date());
  const schemas = new SchemaCollector();

  // Envelope parts first, so operations can reference them.
  schemas.named("Metadata", metadataSchema, "output");
  schemas.named("Pagination", paginationSchema, "output");
  schemas.named("FieldError", fieldErrorSchema, "output");
  schemas.named("ErrorResponse", errorBodySchema, "output");

  // Requests are read as input (what a client sends), responses as output (what it gets back).
  const createRequest = schemas.convert(createConsultationSchema, "input");
  const consultation = schemas.convert(consultationSchema, "output");
  const consultationSummary = schemas.convert(consultationSummarySchema, "output");
  const provider = schemas.convert(providerSchema, "output");
  const organizationProfile = schemas.convert(organizationProfileSchema, "output");
  const catalogs = schemas.named("Catalogs", catalogsSchema, "output");
  const health = schemas.named("Health", healthSchema, "output");

  for (const [name, descriptions] of Object.entries(DESCRIPTIONS)) {
    const target = schemas.schemas[name];
    if (!target) throw new Error(`No schema named ${name} to describe`);
    describeProperties(target, descriptions);
  }
  const createSchema = schemas.resolve(createRequest);
  createSchema.description = `The body of \`POST /api/consultations\`. Without \`scheduledAt\` the consultation is immediate.`;
  const scheduledAt = createSchema.properties!.scheduledAt!;
  scheduledAt.description = `Start, \`yyyy-MM-dd HH:mm\` in the organization's timezone, at least ${MINIMUM_NOTICE_MINUTES} minutes in the future. Leave it out (or send null) for an immediate consultation, which starts at once.`;
  scheduledAt.examples = [`${year}-12-15 14:30`];
  requireSpecialtyForSpecialists(schemas.resolve(ref("ProviderInput")));

  const listConsultationsParameters = queryParameters(schemas, listConsultationsQuerySchema, {
    status: "Only consultations in this status.",
    providerDocumentNumber: "Only consultations of the provider with this document number.",
    providerId: "Only consultations of this provider (`providerId` from `GET /api/providers`).",
    patientDocumentType: "With `patientDocumentNumber`: the patient's document type.",
    patientDocumentNumber: "Only consultations of the patient with this document number.",
    limit: "Page size, 1 to 100.",
    cursor: "`pagination.nextCursor` of the previous page. Leave out for the first page.",
  });
  const listProvidersParameters = queryParameters(schemas, listProvidersQuerySchema, {
    professionalType: "Only providers of this professional type code.",
    specialtyCode: "Only providers of this medical specialty code.",
    active: "`true` for active providers only, `false` for deactivated ones only.",
    limit: "Page size, 1 to 100.",
    cursor: "`pagination.nextCursor` of the previous page. Leave out for the first page.",
  });

  const validationDetails = (details: FieldError[]) => ({ validation_error: details });

  const createConsultation: OperationObject = {
    operationId: "createConsultation",
    summary: "Create a consultation",
    tags: ["Consultations"],
    description: `Creates a telemedicine consultation with its video room, a 6-digit access PIN, and one join link each for the patient and the provider. Send the links to each person; they join in the browser with the PIN.

- **Scheduled**: send \`scheduledAt\` as \`yyyy-MM-dd HH:mm\` in the organization's timezone, at least ${MINIMUM_NOTICE_MINUTES} minutes in the future.
- **Immediate**: leave \`scheduledAt\` out. The consultation starts now: the answer has \`immediate: true\` and \`scheduledAt\` equal to its creation time, and both people can join at once.

${SPECIALTY_RULE}

\`professionalType\`, \`consultationType\` and \`medicalSpecialtyCode\` take codes from \`GET /api/catalogs\`; \`durationMinutes\` is one of ${CONSULTATION_DURATIONS.join(", ")}. The consultation expires (\`expiredAt\`) at its start plus its duration.

${OVERLAP_RULE}

A 400 \`validation_error\` lists every invalid field at once in \`error.details\`. Besides the schema's own codes (\`invalid_type\`, \`too_small\`, \`too_big\`, \`invalid_format\`, \`invalid_value\`, \`custom\`), a field can fail with \`specialty_required\`, \`specialty_not_allowed\`, \`unknown_professional_type\`, \`unknown_specialty\`, \`unknown_consultation_type\`, \`invalid_date\` (not a real date, or a time skipped by a daylight-saving change) or \`insufficient_notice\`.

Send an \`Idempotency-Key\` header to make retries safe: see the parameter below.`,
    parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: createRequest,
          examples: {
            scheduledSpecialist: {
              summary: "Scheduled consultation (specialist)",
              description: "A specialist must send `medicalSpecialtyCode`.",
              value: scheduledSpecialistRequest(year),
            },
            immediateGeneralPractitioner: {
              summary: "Immediate consultation (general practitioner)",
              description: "Without `scheduledAt` or `medicalSpecialtyCode`.",
              value: immediateGeneralRequest(),
            },
          },
        },
      },
    },
    responses: {
      "200": {
        description: "The consultation was created (or, with an `Idempotency-Key` seen before, the stored answer is replayed).",
        headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS, "Idempotent-Replayed": headerRef("Idempotent-Replayed") },
        content: {
          "application/json": {
            schema: successEnvelope(consultation),
            examples: {
              seed: { summary: "The contract's example (scheduled, general practitioner)", value: seedConsultationResponse(serverUrl, year) },
              scheduledSpecialist: {
                summary: "Scheduled consultation (specialist)",
                description: "A specialist's `provider` carries `specialtyId`, `specialtyCode` and `specialtyName`.",
                value: scheduledSpecialistResponse(serverUrl, year),
              },
              immediateGeneralPractitioner: {
                summary: "Immediate consultation (general practitioner)",
                description: "`immediate` is true and `scheduledAt` is the creation time.",
                value: immediateGeneralResponse(serverUrl, year),
              },
            },
          },
        },
      },
      "400": errorResponse(
        "The request is malformed or has invalid fields.",
        ["validation_error", "invalid_json", "unsupported_content_type", "payload_too_large", "invalid_idempotency_key"],
        year,
        validationDetails([
          { field: "provider.medicalSpecialtyCode", message: "is required when professionalType is MedicoEspecialista", code: "specialty_required" },
          { field: "durationMinutes", message: `must be one of ${CONSULTATION_DURATIONS.join(", ")}`, code: "custom" },
          {
            field: "scheduledAt",
            message: `must be at least ${MINIMUM_NOTICE_MINUTES} minutes in the future (it is now ${year}-12-15 10:30 in America/Bogota)`,
            code: "insufficient_notice",
          },
        ]),
      ),
      "401": unauthorized(year),
      "409": errorResponse(
        "The consultation cannot be created as asked: a schedule conflict, a deactivated provider, or the same Idempotency-Key still in flight.",
        ["schedule_conflict", "provider_inactive", "idempotency_in_progress"],
        year,
      ),
      "422": errorResponse("The Idempotency-Key was used before with a different body.", ["idempotency_key_reused"], year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const listConsultations: OperationObject = {
    operationId: "listConsultations",
    summary: "List consultations",
    tags: ["Consultations"],
    description: `The organization's consultations, newest start first, without PINs or links (get one consultation for those). Filters combine with AND.

\`from\` and \`to\` filter on the start time and take \`yyyy-MM-dd\` or \`yyyy-MM-dd HH:mm\` in the organization's timezone; \`from\` is inclusive, \`to\` exclusive, and a bare date in \`to\` means the end of that day.

Pages are cut with an opaque cursor: while \`pagination.hasMore\` is true, ask again with \`cursor\` set to \`pagination.nextCursor\` and the same filters.`,
    parameters: listConsultationsParameters,
    responses: {
      "200": listResponse("One page of consultations.", consultationSummary, year, [
        summaryOf(scheduledSpecialistResponse(serverUrl, year).data),
        summaryOf(immediateGeneralResponse(serverUrl, year).data),
      ]),
      "400": errorResponse(
        "A query parameter is invalid.",
        ["validation_error", "invalid_cursor", "invalid_date"],
        year,
        validationDetails([{ field: "limit", message: "Too big: expected number to be <=100", code: "too_big" }]),
      ),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const getConsultation: OperationObject = {
    operationId: "getConsultation",
    summary: "Get a consultation",
    tags: ["Consultations"],
    description:
      "One consultation of your organization, with its access PIN and both join links, exactly as `POST /api/consultations` returned it, with its current `status`. An id that is not a UUID, or that belongs to another organization, is 404.",
    parameters: [
      {
        name: "consultationId",
        in: "path",
        required: true,
        description: "The `consultationId` returned when the consultation was created.",
        schema: { type: "string", format: "uuid" },
        example: "550e8400-e29b-41d4-a716-446655440001",
      },
    ],
    responses: {
      "200": okResponse("The consultation.", consultation, { scheduledSpecialist: { summary: "A scheduled specialist consultation", value: scheduledSpecialistResponse(serverUrl, year) } }),
      "401": unauthorized(year),
      "404": errorResponse("No consultation with this id in your organization.", ["not_found"], year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const listProviders: OperationObject = {
    operationId: "listProviders",
    summary: "List providers",
    tags: ["Providers"],
    description:
      "The organization's providers, by name. Providers are created and updated by `POST /api/consultations` (matched by document type and number). Pages work as in `GET /api/consultations`.",
    parameters: listProvidersParameters,
    responses: {
      "200": listResponse("One page of providers.", provider, year, [
        {
          providerId: "3f8a2c1e-9b7d-4e6f-a5c4-1d2e3f4a5b6c",
          name: "Dr. Juan Pérez",
          documentType: "CC",
          documentNumber: "1234567890",
          professionalType: "MedicoEspecialista",
          professionalTypeName: "Médico Especialista",
          specialty: { specialtyId: "0c4b2f8e-6a1d-4e3b-8f2a-5d9c7e1b3a60", specialtyCode: "CA003", specialtyName: "Cardiología" },
          phone: "+573001234567",
          email: "juan.perez@example.com",
          professionalLicense: "12345",
          active: true,
        },
      ]),
      "400": errorResponse("A query parameter is invalid.", ["validation_error", "invalid_cursor"], year),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const getOrganizationProfile: OperationObject = {
    operationId: "getOrganizationProfile",
    summary: "Get the organization profile",
    tags: ["Organization"],
    description: `The organization the credential belongs to: its name, its timezone (every \`yyyy-MM-dd HH:mm\` time is in it), the minimum notice for scheduled consultations and this credential's hourly rate limit.`,
    responses: {
      "200": okResponse("The organization's profile.", organizationProfile, {
        profile: {
          value: {
            success: true,
            data: {
              organizationId: "9a7b5c3d-1e2f-4a6b-8c9d-0e1f2a3b4c5d",
              name: "Clínica del Norte",
              slug: "clinica-del-norte",
              timezone: "America/Bogota",
              language: "es",
              logoUrl: null,
              createdAt: `${year - 1}-03-01 09:00`,
              settings: { minimumNoticeMinutes: MINIMUM_NOTICE_MINUTES, rateLimitPerHour: 1000 },
            },
            metadata: exampleMetadata(year),
          },
        },
      }),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const getCatalogs: OperationObject = {
    operationId: "getCatalogs",
    summary: "Get the catalogs",
    tags: ["Catalogs"],
    description:
      "The codes `POST /api/consultations` accepts: professional types (with whether they need a medical specialty), consultation types, medical specialties, and the allowed durations. Catalogs change rarely; caching them for a while is fine.",
    responses: {
      "200": okResponse("The catalogs.", catalogs, {
        catalogs: {
          summary: "Abridged",
          value: {
            success: true,
            data: {
              professionalTypes: [
                { code: "MedicoGeneral", name: "Médico General", requiresSpecialty: false },
                { code: "MedicoEspecialista", name: "Médico Especialista", requiresSpecialty: true },
                { code: "Psicologo", name: "Psicólogo", requiresSpecialty: false },
              ],
              consultationTypes: [
                { code: "ConsultaGeneral", name: "Consulta general" },
                { code: "ConsultaUrgencias", name: "Consulta de urgencias" },
              ],
              medicalSpecialties: [{ id: "0c4b2f8e-6a1d-4e3b-8f2a-5d9c7e1b3a60", code: "CA003", name: "Cardiología" }],
              durations: [...CONSULTATION_DURATIONS],
            },
            metadata: exampleMetadata(year),
          },
        },
      }),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };

  const getHealth: OperationObject = {
    operationId: "getHealth",
    summary: "Health check",
    tags: ["System"],
    security: [],
    description:
      "Liveness and readiness for load balancers and orchestrators. Answers the bare report below, not the envelope. Without `probe` it also checks the database and answers 503 when the database does not respond.",
    parameters: [
      {
        name: "probe",
        in: "query",
        description: "`live` answers as soon as the process is up, without touching the database.",
        schema: { type: "string", enum: ["live"] },
      },
    ],
    responses: {
      "200": {
        description: "Live (and, unless `probe=live`, ready).",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: {
          "application/json": {
            schema: health,
            examples: { ready: { value: { probe: "ready", live: true, ready: true, checks: { database: { ok: true, latencyMs: 2 } } } } },
          },
        },
      },
      "503": {
        description: "Not ready: the database does not answer.",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: {
          "application/json": {
            schema: health,
            examples: {
              notReady: { value: { probe: "ready", live: true, ready: false, checks: { database: { ok: false, error: "database unavailable" } } } },
            },
          },
        },
      },
    },
  };

  const getOpenApiDocument: OperationObject = {
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    tags: ["System"],
    security: [],
    description: "This document, OpenAPI 3.1, generated from the same zod schemas the handlers validate with. A readable version is at `/docs/api`.",
    responses: {
      "200": {
        description: "The OpenAPI 3.1 document (the bare JSON, not the envelope).",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1.0 document." } } },
      },
    },
  };

  const parameters: Record<string, ParameterObject> = {
    IdempotencyKey: {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes the request safe to retry. Any 1 to 255 visible ASCII characters; a fresh UUID per consultation is a good choice. A retry with the same key and the same body gets the first answer again, with `Idempotent-Replayed: true`, instead of creating a second consultation. The same key with a different body is 422 `idempotency_key_reused`; while the first request is still running, 409 `idempotency_in_progress`. Failed requests are not stored, so they can be retried with the same key. Keys are remembered for at least 24 hours, per organization.",
      schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[!-~]{1,255}$" },
      example: "3c1e9f2a-7b4d-4c8e-9a6f-0d2b5e8c1f47",
    },
  };

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Telemed Portal consultation API",
      version: API_VERSION,
      summary: "Create and follow telemedicine video consultations.",
      description: INFO_DESCRIPTION,
    },
    servers: [{ url: serverUrl, description: "This deployment" }],
    tags: [
      { name: "Consultations", description: "Create consultations and follow their status." },
      { name: "Providers", description: "The organization's providers." },
      { name: "Organization", description: "The calling organization." },
      { name: "Catalogs", description: "Codes for professional types, consultation types, specialties and durations." },
      { name: "Video room", description: "What the join page and the call screen use: the PIN, joining, signaling, leaving and ending. Participants authenticate with the session cookie the PIN gives, not with an API credential." },
      { name: "System", description: "Public endpoints for operators and tools." },
    ],
    security: AUTHENTICATED,
    paths: {
      "/api/consultations": { post: createConsultation, get: listConsultations },
      "/api/consultations/{consultationId}": { get: getConsultation },
      "/api/providers": { get: listProviders },
      "/api/organizations/profile": { get: getOrganizationProfile },
      "/api/catalogs": { get: getCatalogs },
      "/api/health": { get: getHealth },
      "/api/openapi.json": { get: getOpenApiDocument },
      ...videoRoomPaths(schemas, year),
    },
    components: {
      schemas: schemas.schemas,
      securitySchemes: {
        ApiKey: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "The credential's key id (`tk_…`). Send it together with `X-API-Secret`.",
        },
        ApiSecret: {
          type: "apiKey",
          in: "header",
          name: "X-API-Secret",
          description: "The credential's secret (`tks_…`), shown once when the credential is issued. Send it together with `X-API-Key`.",
        },
        BearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "<keyId>.<secret>",
          description: "The same credential as one header: `Authorization: Bearer <keyId>.<secret>`.",
        },
        ParticipantSession: {
          type: "apiKey",
          in: "cookie",
          name: "tm_p_<participantId>",
          description: "The session cookie `POST /api/join/{token}/session` sets after a right PIN, named after the participant; the request names the participant with `?participantId=`.",
        },
      },
      headers: HEADERS,
      parameters,
    },
  };
}

/**
 * The conditional rule of `medicalSpecialtyCode`, in JSON Schema terms: required (a string)
 * for specialists, absent or null for everyone else.
 */
function requireSpecialtyForSpecialists(providerInput: JsonSchema): void {
  providerInput.if = {
    properties: { professionalType: { enum: [...SPECIALIST_PROFESSIONAL_TYPES] } },
    required: ["professionalType"],
  };
  providerInput.then = { required: ["medicalSpecialtyCode"], properties: { medicalSpecialtyCode: { type: "string" } } };
  providerInput.else = { properties: { medicalSpecialtyCode: { type: "null" } } };
}

/** One query parameter per property of a query schema, read as input (what the client sends). */
function queryParameters(schemas: SchemaCollector, query: z.ZodType, descriptions: Record<string, string>): ParameterObject[] {
  const root = schemas.convert(query, "input");
  const object = schemas.resolve(root);
  if (root.$ref) schemas.drop(root.$ref.slice(COMPONENTS.length));
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: "query" as const,
      required: required.has(name),
      description: description ?? descriptions[name],
      schema,
    };
  });
}

function successEnvelope(data: JsonSchema, list = false): JsonSchema {
  return {
    type: "object",
    properties: {
      success: { const: true },
      data: list ? { type: "array", items: data } : data,
      ...(list ? { pagination: ref("Pagination") } : {}),
      metadata: ref("Metadata"),
    },
    required: ["success", "data", ...(list ? ["pagination"] : []), "metadata"],
  };
}

function okResponse(description: string, data: JsonSchema, examples: Record<string, ExampleObject>): ResponseObject {
  return {
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS },
    content: { "application/json": { schema: successEnvelope(data), examples } },
  };
}

function listResponse(description: string, item: JsonSchema, year: number, items: unknown[]): ResponseObject {
  return {
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS },
    content: {
      "application/json": {
        schema: successEnvelope(item, true),
        examples: {
          page: {
            value: {
              success: true,
              data: items,
              pagination: { limit: 20, nextCursor: null, hasMore: false },
              metadata: exampleMetadata(year),
            },
          },
        },
      },
    },
  };
}

/** A consultation as lists show it: without its PIN and links. */
function summaryOf(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(view).filter(([key]) => key !== "accessPin" && key !== "participantAccess"));
}

/**
 * An error answer: the error envelope with `error.code` narrowed to the codes this operation
 * can answer with at this status, and one example per code.
 */
function errorResponse(
  description: string,
  codes: ErrorCode[],
  year: number,
  details: Partial<Record<ErrorCode, FieldError[]>> = {},
  headers: Record<string, HeaderObject> = {},
): ResponseObject {
  const examples: Record<string, ExampleObject> = {};
  for (const code of codes) {
    const info = ERROR_CODES[code];
    const exampleDetails = details[code] ?? EXAMPLE_DETAILS[code];
    examples[code] = {
      summary: code,
      description: info.meaning,
      value: {
        success: false,
        error: { code, message: info.message, ...(exampleDetails ? { details: exampleDetails } : {}) },
        metadata: exampleMetadata(year),
      },
    };
  }
  return {
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...headers },
    content: {
      "application/json": {
        schema: { allOf: [ref("ErrorResponse"), { properties: { error: { properties: { code: { enum: codes } } } } }] },
        examples,
      },
    },
  };
}

function unauthorized(year: number): ResponseObject {
  return errorResponse("No credential, or not a valid one.", ["missing_credentials", "invalid_credentials"], year, {}, {
    "WWW-Authenticate": headerRef("WWW-Authenticate"),
  });
}

function rateLimited(year: number): ResponseObject {
  return errorResponse("The credential's hourly request limit is used up.", ["rate_limited"], year, {}, {
    "Retry-After": headerRef("Retry-After"),
    ...RATE_LIMIT_HEADERS,
  });
}

function internalError(year: number): ResponseObject {
  return errorResponse("An unexpected failure on the server.", ["internal_error"], year);
}

const PARTICIPANT: SecurityRequirement[] = [{ ParticipantSession: [] }];

function participantParameters(path: { name: string; description: string }): ParameterObject[] {
  return [
    { name: path.name, in: "path", required: true, description: path.description, schema: { type: "string", format: "uuid" } },
    { name: "participantId", in: "query", required: true, description: "The `participantId` the PIN answer gave; names the session cookie to use.", schema: { type: "string", format: "uuid" } },
  ];
}

function participantErrors(year: number): Record<string, ResponseObject> {
  return {
    "401": errorResponse("No valid participant session in this browser.", ["session_required"], year),
    "404": errorResponse("Not this session's room.", ["not_found"], year),
    "500": internalError(year),
  };
}

/** The video room's endpoints, as the join page and the call screen use them. */
function videoRoomPaths(schemas: SchemaCollector, year: number): OpenApiDocument["paths"] {
  const pinAccepted = schemas.convert(pinAcceptedSchema, "output");
  const videoRoom = schemas.convert(videoRoomSchema, "output");
  const signal = schemas.named("RoomSignal", roomSignalSchema, "input");
  const signalBatch = schemas.named("RoomSignalBatch", roomSignalBatchSchema, "input");
  const endCall = schemas.named("EndCallRequest", endCallSchema, "input");
  const closedOrEarly = {
    "403": errorResponse("A scheduled consultation that has not opened yet.", ["room_not_open"], year),
    "410": errorResponse("The consultation has ended or expired.", ["consultation_completed", "consultation_expired"], year),
  };
  const json = (schema: JsonSchema) => ({ required: true, content: { "application/json": { schema } } });
  return {
    "/api/join/{token}/session": {
      post: {
        operationId: "enterPin",
        summary: "Enter the PIN at a join link",
        tags: ["Video room"],
        security: [],
        description:
          "Checks the 6-digit PIN typed at a join link (`/join/{token}?type=patient|provider`). A right PIN sets the participant session cookie for this one room and role. Guessing is held back: after 5 wrong PINs at a link every further try waits longer (30 s, 60 s, 2 min, …), a link takes at most 10 wrong PINs in 24 hours, and one address at most `PIN_ADDRESS_LIMIT_PER_HOUR` across links. Every attempt is recorded.",
        parameters: [
          { name: "token", in: "path", required: true, description: "The token in the join link's path.", schema: { type: "string" } },
          { name: "type", in: "query", required: false, description: "The link's role, as in the link; the other role's value is 404.", schema: { type: "string", enum: ["patient", "provider"] } },
        ],
        requestBody: json({ type: "object", required: ["pin"], properties: { pin: { type: "string", pattern: "^\\d{6}$", examples: ["482913"] } } }),
        responses: {
          "201": { ...okResponse("The PIN is right; the session cookie is set.", pinAccepted, {}), headers: { "X-Request-Id": headerRef("X-Request-Id"), "Set-Cookie": headerRef("Set-Cookie") } },
          "400": errorResponse("The PIN is not 6 digits.", ["validation_error"], year, { validation_error: [{ field: "pin", code: "invalid_pin_format", message: "must be the 6 digits you were sent" }] }),
          "401": errorResponse("Wrong PIN.", ["invalid_pin"], year, { invalid_pin: [{ field: "pin", code: "invalid_pin", message: "does not match this consultation's PIN" }] }),
          "404": errorResponse("No such link.", ["link_not_found"], year),
          ...closedOrEarly,
          "429": errorResponse("Too many wrong PINs: wait `Retry-After` seconds.", ["pin_attempts_delayed", "pin_locked", "too_many_attempts"], year, {}, { "Retry-After": headerRef("Retry-After") }),
          "500": internalError(year),
        },
      },
    },
    "/api/v3/appointments/{appointmentId}/video-room": {
      put: {
        operationId: "initializeVideoRoom",
        summary: "Initialize the appointment video room",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "The seed's *Video room opened* action. Joins the caller to the consultation's call and returns what the browser needs to connect: the transport (`p2p` unless LiveKit is configured), the caller's role, ICE servers (STUN/TURN, with TURN credentials minted for this join), where to signal, and the timer. The first join moves the consultation from `Pending` to `InProgress`; every new stay records `session_started`. Calling it again (a reload) keeps the same stay.",
        parameters: participantParameters({ name: "appointmentId", description: "The consultation's id (`consultationId`)." }),
        responses: {
          "200": okResponse("Joined; how to connect.", videoRoom, {}),
          "400": errorResponse("`participantId` is missing or malformed.", ["invalid_participant"], year),
          ...participantErrors(year),
          ...closedOrEarly,
          "409": errorResponse("The room cannot take this participant.", ["room_full", "livekit_required"], year),
        },
      },
    },
    "/api/rooms/{roomId}/events": {
      get: {
        operationId: "roomEvents",
        summary: "The room's realtime stream (Server-Sent Events)",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "A `text/event-stream` for one participant. First `hello` (`{ participantId, participants: [{ participantId, role, displayName, connectionId, audio, video }] }`: who else is in the call), then every event of the room after `Last-Event-ID` (or `?after=`, the `signaling.lastEventId` of the join): `presence` (`state: joined | left`), `signal` (an SDP `description` or ICE `candidate` for this participant), `media` (someone's microphone and camera state), and `room-ended` (`reason: ended_by_provider | timeout`, then the stream ends). Events carry `id:` lines, so a browser that reconnects resumes with nothing lost. `rejoin` means the participant is no longer counted in the call: join again with `PUT …/video-room`. Events are relayed through PostgreSQL `LISTEN/NOTIFY`, so any app instance serves any participant.",
        parameters: [
          ...participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
          { name: "after", in: "query", required: false, description: "Resume after this event id (the `Last-Event-ID` header wins).", schema: { type: "integer", minimum: 0 } },
        ],
        responses: {
          "200": { description: "The event stream.", content: { "text/event-stream": { schema: { type: "string" } } } },
          ...participantErrors(year),
        },
      },
    },
    "/api/rooms/{roomId}/signals": {
      post: {
        operationId: "sendRoomSignal",
        summary: "Send a signal",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "An SDP description or ICE candidate for another participant of the room (`to`), or this participant's microphone and camera state for everyone (`media`); or several, in order, as `{ \"signals\": [...] }` (at most 50). Delivered through the room's event stream.",
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json({ oneOf: [signal, signalBatch] }),
        responses: {
          "202": okResponse(
            "Stored and relayed: `eventId` for one signal, `eventIds` for a batch.",
            { type: "object", properties: { eventId: { type: "integer" }, eventIds: { type: "array", items: { type: "integer" } } } },
            {},
          ),
          "400": errorResponse("A malformed signal, or a recipient outside the room.", ["validation_error", "unknown_recipient"], year),
          ...participantErrors(year),
          "409": errorResponse("The participant has not joined.", ["not_in_call"], year),
        },
      },
    },
    "/api/rooms/{roomId}/leave": {
      post: {
        operationId: "leaveCall",
        summary: "Leave the call",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: "The participant leaves (`session_ended`); the consultation stays live and the same link joins again.",
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        responses: {
          "200": okResponse("Left (`left: false` when the participant was not in the call).", { type: "object", properties: { left: { type: "boolean" } }, required: ["left"] }, {}),
          ...participantErrors(year),
        },
      },
    },
    "/api/rooms/{roomId}/end": {
      post: {
        operationId: "endCall",
        summary: "End the consultation for everyone",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "`ended_by_provider` (the provider only) or `timeout` (anyone, once the scheduled end is reached) closes every stay (`session_ended`), completes the consultation (`consultation.completed`), and tells every connected browser (`room-ended`). Ending a completed consultation again changes nothing.",
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(endCall),
        responses: {
          "200": okResponse("Completed.", { type: "object", properties: { status: { const: "Completed" }, completedAt: { type: "string", format: "date-time" } }, required: ["status", "completedAt"] }, {}),
          "400": errorResponse("An unknown `reason`.", ["validation_error"], year),
          ...participantErrors(year),
          "403": errorResponse("A patient asked to end for everyone.", ["forbidden"], year),
          "409": errorResponse("Not now.", ["consultation_time_left", "consultation_not_in_progress"], year),
        },
      },
    },
  };
}

const built = new Map<string, OpenApiDocument>();

/** The document for one server URL, built once per process. */
export function openApiDocument(serverUrl: string): OpenApiDocument {
  let document = built.get(serverUrl);
  if (!document) {
    document = buildOpenApiDocument({ serverUrl });
    built.set(serverUrl, document);
  }
  return document;
}
