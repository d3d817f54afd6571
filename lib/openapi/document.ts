import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { attendanceEnd, CONSULTATION_DURATIONS, participantRole } from "@/db/schema";
import { API_VERSION, PRODUCT_NAME } from "@/lib/config";
import {
  consultationSchema,
  consultationSummarySchema,
  createConsultationSchema,
  DOCUMENT_TYPES,
  listConsultationsQuerySchema,
  localDateTimeSchema,
  MAXIMUM_SCHEDULE_DAYS,
  MINIMUM_NOTICE_MINUTES,
  type ConsultationView,
} from "@/lib/consultations/schema";
import type { DomainEvent } from "@/lib/outbox";
import type { CompletionReason } from "@/lib/rooms/completion";
import { PREVIOUS_SECRET_GRACE_MS } from "@/lib/webhooks/endpoints";
import { WEBHOOK_PAYLOAD_VERSION, webhookConsultation } from "@/lib/webhooks/payload";
import { FAILING_DISABLES_AFTER_MS, RETRY_DELAYS_SECONDS } from "@/lib/webhooks/retry";
import {
  createWebhookEndpointSchema,
  listDeliveriesQuerySchema,
  MAX_ENDPOINTS_PER_ORGANIZATION,
  sendTestEventSchema,
  updateWebhookEndpointSchema,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from "@/lib/webhooks/schema";
import { WEBHOOK_USER_AGENT } from "@/lib/webhooks/signing";
import { organizationProfileSchema } from "@/lib/organizations";
import { CHAT_MESSAGES_PER_MINUTE, CHAT_PAGE_LIMIT } from "@/lib/chat/messages";
import { CHAT_MESSAGE_MAX_LENGTH, chatMessageSchema, listChatMessagesQuerySchema, sendChatMessageSchema } from "@/lib/chat/schema";
import { ISSUE_REPORTS_PER_HOUR } from "@/lib/rooms/issue-reports";
import { reissueAccessSchema } from "@/lib/consultations/reissue";
import { SIGNAL_BYTES_PER_DAY, SIGNAL_BYTES_PER_WINDOW, SIGNAL_WINDOW_SECONDS, SIGNALS_PER_DAY, SIGNALS_PER_WINDOW } from "@/lib/rooms/signal-limits";
import { livekitWebhookResultSchema } from "@/lib/livekit/schema";
import {
  endCallSchema,
  ISSUE_CATEGORIES,
  ISSUE_DESCRIPTION_MAX_LENGTH,
  issueReportSchema,
  pinAcceptedSchema,
  reportIssueSchema,
  roomSignalBatchSchema,
  roomSignalSchema,
  videoRoomSchema,
} from "@/lib/rooms/schema";
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
  PathItemObject,
  ResponseObject,
  SecurityRequirement,
} from "./types";


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
  ...Object.fromEntries(
    (["webhook_url_invalid", "webhook_url_insecure", "webhook_url_unresolvable", "webhook_url_forbidden"] as const).map((code) => [
      code,
      [{ field: "url", message: ERROR_CODES[code].message, code }],
    ]),
  ),
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

**Idempotency.** \`POST /api/consultations\` accepts an \`Idempotency-Key\` header so a retried request never creates a second consultation.

**Webhooks.** Register an endpoint with \`POST /api/webhooks\` to receive \`consultation.created\`, \`consultation.expired\`, \`consultation.completed\`, \`session_started\`, \`session_ended\` and \`consultation.access_reissued\` (the \`webhooks\` section of this document). Each request is signed twice: Standard Webhooks headers (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`) and \`X-Telehealth-Signature\` (hex HMAC-SHA256 of the raw body). Delivery is at least once, not ordered, and retried for about three days. \`POST /api/webhooks\` explains verification, with code.`;

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

/** The document with OpenAPI 3.1's top-level `webhooks`: the events the portal sends to your endpoints. */
export type OpenApiDocumentWithWebhooks = OpenApiDocument & { webhooks: Record<string, PathItemObject> };

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the route handlers
 * parse with. `serverUrl` is the origin the API is served from (paths start with `/api`).
 */
export function buildOpenApiDocument(options: { serverUrl: string; now?: Date }): OpenApiDocumentWithWebhooks {
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
  scheduledAt.description = `Start, \`yyyy-MM-dd HH:mm\` in the organization's timezone, at least ${MINIMUM_NOTICE_MINUTES} minutes and at most ${MAXIMUM_SCHEDULE_DAYS} days (two years) in the future; an impossible date or time (\`2026-02-30 10:00\`, \`24:00\`) is refused. Leave it out (or send null) for an immediate consultation, which starts at once.`;
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

- **Scheduled**: send \`scheduledAt\` as \`yyyy-MM-dd HH:mm\` in the organization's timezone, at least ${MINIMUM_NOTICE_MINUTES} minutes and at most ${MAXIMUM_SCHEDULE_DAYS} days (two years) in the future.
- **Immediate**: leave \`scheduledAt\` out. The consultation starts now: the answer has \`immediate: true\` and \`scheduledAt\` equal to its creation time, and both people can join at once.

${SPECIALTY_RULE}

\`professionalType\`, \`consultationType\` and \`medicalSpecialtyCode\` take codes from \`GET /api/catalogs\`; \`durationMinutes\` is one of ${CONSULTATION_DURATIONS.join(", ")}. The consultation expires (\`expiredAt\`) at its start plus its duration.

${OVERLAP_RULE}

A 400 \`validation_error\` lists every invalid field at once in \`error.details\`. Besides the schema's own codes (\`invalid_type\`, \`too_small\`, \`too_big\`, \`invalid_format\`, \`invalid_value\`, \`custom\`), a field can fail with \`specialty_required\`, \`specialty_not_allowed\`, \`unknown_professional_type\`, \`unknown_specialty\`, \`unknown_consultation_type\`, \`invalid_date\` (not a real date, or a time skipped by a daylight-saving change), \`insufficient_notice\`, \`too_far_ahead\` (more than ${MAXIMUM_SCHEDULE_DAYS} days ahead) or \`invalid_characters\`: names and codes are one line of visible text, so control characters (NUL, BEL, ESC, line breaks…) and invisible formatting characters (bidi controls such as U+202E, zero-width characters, U+FEFF) are refused, while accents, apostrophes and hyphens are welcome (\`María-José O'Neil Ñúñez\`).

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

  const reissueConsultationAccess: OperationObject = {
    operationId: "reissueConsultationAccess",
    summary: "Reissue a consultation's PIN (and links)",
    tags: ["Consultations"],
    description:
      "Issues a `Pending` or `InProgress` consultation a new access PIN, for example when wrong PINs locked a join link (`pin_locked`): the old PIN stops working, and wrong PINs typed before no longer count toward the links' limits (they still count toward the per-address limit). With `links: true` both join links are replaced too, and the old ones answer 404 like an unknown link. Answers the consultation as `GET /api/consultations/{consultationId}` does, with the new PIN and links; recorded in the audit log (without the PIN) and sent as the webhook event `consultation.access_reissued`. The body may be left out (`links: false`).",
    parameters: getConsultation.parameters,
    requestBody: { required: false, content: { "application/json": { schema: schemas.convert(reissueAccessSchema, "input"), examples: { pinAndLinks: { summary: "A new PIN and new links", value: { links: true } } } } } },
    responses: {
      "200": okResponse("The consultation with its new PIN (and links).", consultation, { scheduledSpecialist: { summary: "A scheduled specialist consultation", value: scheduledSpecialistResponse(serverUrl, year) } }),
      "400": errorResponse("`links` is not true or false, or the body is not JSON.", ["validation_error", "invalid_json"], year),
      "401": unauthorized(year),
      "404": errorResponse("No consultation with this id in your organization.", ["not_found"], year),
      "409": errorResponse("The consultation is `Completed` or `Expired`.", ["consultation_closed"], year),
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
    ...WEBHOOK_HEADER_PARAMETERS,
  };

  const webhooks = webhookEvents(schemas, year, serverUrl);

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
    ],
    security: AUTHENTICATED,
    paths: {
      "/api/consultations": { post: createConsultation, get: listConsultations },
      "/api/consultations/{consultationId}": { get: getConsultation },
      "/api/consultations/{consultationId}/reissue-access": { post: reissueConsultationAccess },
      "/api/providers": { get: listProviders },
      "/api/organizations/profile": { get: getOrganizationProfile },
      "/api/catalogs": { get: getCatalogs },
      "/api/health": { get: getHealth },
      "/api/openapi.json": { get: getOpenApiDocument },
      ...videoRoomPaths(schemas, year),
      ...livekitPaths(schemas, year),
      ...webhookPaths(schemas, year, serverUrl),
    },
    webhooks,
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
  const chatMessage = schemas.convert(chatMessageSchema, "output");
  const sendChat = schemas.named("SendChatMessage", sendChatMessageSchema, "input");
  const issueReport = schemas.convert(issueReportSchema, "output");
  const reportIssueBody = schemas.named("ReportIssueRequest", reportIssueSchema, "input");
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
          "The seed's *Video room opened* action. Joins the caller to the consultation's call and returns what the browser needs to connect: the transport (`p2p` unless LiveKit is configured; then `livekit`, with a LiveKit token for this participant and room in `livekit`, valid `LIVEKIT_TOKEN_TTL_SECONDS`: joining again gives a new one), the caller's role, ICE servers (STUN/TURN, with TURN credentials minted for this join), where to signal, and the timer. The first join moves the consultation from `Pending` to `InProgress`; every new stay records `session_started`. Calling it again (a reload) keeps the same stay.",
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
          "A `text/event-stream` for one participant. First `hello` (`{ participantId, participants: [{ participantId, role, displayName, connectionId, audio, video }] }`: who else is in the call), then every event of the room after `Last-Event-ID` (or `?after=`, the `signaling.lastEventId` of the join): `presence` (`state: joined | left`), `chat` (a ChatMessage from someone else), `signal` (an SDP `description` or ICE `candidate` for this participant), `media` (someone's microphone and camera state), and `room-ended` (`reason: ended_by_provider | ended_by_staff | timeout | cancelled`, then the stream ends; on LiveKit too). Events carry `id:` lines, so a browser that reconnects resumes with nothing lost. `rejoin` means the participant is no longer counted in the call: join again with `PUT …/video-room`. Events are relayed through PostgreSQL `LISTEN/NOTIFY`, so any app instance serves any participant.",
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
        description: `An SDP description or ICE candidate for another participant of the room (\`to\`), or this participant's microphone and camera state for everyone (\`media\`); or several, in order, as \`{ "signals": [...] }\` (at most 50). Delivered through the room's event stream. Each participant may send ${SIGNALS_PER_WINDOW} signals and ${SIGNAL_BYTES_PER_WINDOW} bytes every ${SIGNAL_WINDOW_SECONDS} seconds, and ${SIGNALS_PER_DAY} signals and ${SIGNAL_BYTES_PER_DAY} bytes a day: several times what a real negotiation needs. A request over a limit is refused whole (429).`,
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
          "429": errorResponse("Over the participant's signal limits; nothing was stored.", ["signal_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
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
    "/api/rooms/{roomId}/chat": {
      get: {
        operationId: "listChatMessages",
        summary: "Read the call's chat",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `The room's messages in the order they were stored (at most ${CHAT_PAGE_LIMIT}; page on with \`after\`, the last id read). A reloaded call screen shows the chat again from here; new messages then arrive live as \`chat\` events on the room's stream.`,
        parameters: [
          ...participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
          ...queryParameters(schemas, listChatMessagesQuerySchema, {}),
        ],
        responses: {
          "200": okResponse("The messages, oldest first.", { type: "array", items: chatMessage }, {}),
          "400": errorResponse("`after` is not a whole number.", ["validation_error"], year),
          ...participantErrors(year),
        },
      },
      post: {
        operationId: "sendChatMessage",
        summary: "Send a chat message",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `Plain text, 1 to ${CHAT_MESSAGE_MAX_LENGTH} characters after trimming; shown as text, never as markup. Stored with the consultation (sender, role, time) and relayed to everyone else in the call as a \`chat\` event. Send a \`clientId\` of your own so a send retried after a lost answer is stored once (the repeat answers 200 with the stored message). At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute per participant.`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(sendChat),
        responses: {
          "201": okResponse("Stored and relayed.", chatMessage, {}),
          "200": okResponse("Already stored under this `clientId`.", chatMessage, {}),
          "400": errorResponse("Empty, too long, or not text; or with control or invisible formatting characters (line breaks, tabs and emoji such as 👨‍👩‍👧 are fine; bidi controls such as U+202E are not).", ["validation_error"], year, {
            validation_error: [{ field: "text", code: "too_big", message: `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters` }],
          }),
          ...participantErrors(year),
          "409": errorResponse("Not in the call, or the consultation is over.", ["not_in_call", "chat_closed"], year),
          "429": errorResponse("Too many messages this minute.", ["chat_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
    "/api/rooms/{roomId}/issue-reports": {
      post: {
        operationId: "reportIssue",
        summary: "Report a problem with the call",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `The seed's *Report issue* action: a category (${ISSUE_CATEGORIES.join(", ")}), an optional description (at most ${ISSUE_DESCRIPTION_MAX_LENGTH} characters) and the connection's figures as the browser measured them (round-trip time, packet loss, bitrates, candidate type). Stored with the consultation, the reporter's role and browser, for the clinic. Allowed while the participant's session lasts, at most ${ISSUE_REPORTS_PER_HOUR} an hour.`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(reportIssueBody),
        responses: {
          "201": okResponse("Stored.", issueReport, {}),
          "400": errorResponse("A field is wrong.", ["validation_error"], year, {
            validation_error: [{ field: "category", code: "invalid_value", message: `Invalid option: expected one of ${ISSUE_CATEGORIES.map((c) => `"${c}"`).join("|")}` }],
          }),
          ...participantErrors(year),
          "429": errorResponse("Too many reports this hour.", ["too_many_reports"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
  };
}

/** What LiveKit calls when a deployment uses it. */
function livekitPaths(schemas: SchemaCollector, year: number): OpenApiDocument["paths"] {
  const result = schemas.convert(livekitWebhookResultSchema, "output");
  return {
    "/api/livekit/webhook": {
      post: {
        operationId: "receiveLivekitWebhook",
        summary: "LiveKit's webhooks",
        tags: ["System"],
        security: [],
        description:
          "Called by LiveKit, not by integrators: configure `<APP_URL>/api/livekit/webhook` as a webhook URL in LiveKit, with the same API key as `LIVEKIT_API_KEY`. Each request is verified with livekit-server-sdk's `WebhookReceiver`: the `Authorization` header must be a JWT signed with `LIVEKIT_API_SECRET`, issued by `LIVEKIT_API_KEY`, whose `sha256` claim is the base64 SHA-256 of the raw body. What it changes: `participant_joined` opens the participant's stay if they have none (`session_started`; the first one moves the consultation to `InProgress`); `participant_left` closes it (`session_ended`, `left` or `disconnected`; not when the same participant connected again elsewhere); `room_finished` (LiveKit closed the room after it stood empty) closes stays still open (`session_ended`, `disconnected`) but leaves the consultation live, to be joined again until its end; not when LiveKit closed the room because it was shutting down or moved it. Other events, and events about other rooms, are answered 200 and ignored. Each event id is applied once: a repeat answers `duplicate` and changes nothing. LiveKit does not promise delivery, so the lifecycle sweep also compares LiveKit's participant lists with the open stays.",
        requestBody: {
          required: true,
          content: { "application/webhook+json": { schema: { type: "object", description: "LiveKit's WebhookEvent (`event`, `id`, `createdAt`, `room`, `participant`, …), as LiveKit sends it." } } },
        },
        parameters: [{ name: "Authorization", in: "header", required: true, description: "LiveKit's signed token for this body.", schema: { type: "string" } }],
        responses: {
          "200": {
            ...okResponse("Verified; applied, or ignored (see `outcome`).", result, {
              applied: { value: { success: true, data: { event: "participant_joined", outcome: "applied" }, metadata: exampleMetadata(year) } },
              duplicate: { value: { success: true, data: { event: "participant_joined", outcome: "duplicate" }, metadata: exampleMetadata(year) } },
            }),
            headers: { "X-Request-Id": headerRef("X-Request-Id") },
          },
          "400": errorResponse("The body is not JSON, is too large, or the event has no id.", ["invalid_json", "payload_too_large", "invalid_event"], year),
          "401": errorResponse("The signature does not verify.", ["invalid_signature"], year),
          "404": errorResponse("LiveKit is not configured here.", ["livekit_not_configured"], year),
          "500": internalError(year),
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Webhooks: the endpoints that manage them, and the events the portal sends.

/** `5 s`, `5 min`, `2 h`: a wait in the unit a person would say it in. */
function spoken(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  return `${seconds / 3600} h`;
}

const FAILING_DAYS = FAILING_DISABLES_AFTER_MS / (24 * 3600 * 1000);
const GRACE_HOURS = PREVIOUS_SECRET_GRACE_MS / (3600 * 1000);

/** Verification examples for receivers. They avoid backticks, so the reference page can show them as inline code (see pageDescription). */
const VERIFY_WITH_STANDARD_WEBHOOKS = `import express from "express";
import { Webhook } from "standardwebhooks";

const app = express();
const webhook = new Webhook(process.env.TELEHEALTH_WEBHOOK_SECRET); // "whsec_..."

// express.raw keeps the body as the exact bytes received: verify those, not re-serialised JSON.
app.post("/hooks/telehealth", express.raw({ type: "application/json" }), (req, res) => {
  let event;
  try {
    // Checks webhook-signature in constant time, and rejects a webhook-timestamp more than 5 minutes off.
    event = webhook.verify(req.body, req.headers);
  } catch {
    return res.status(400).end();
  }
  // The same webhook-id comes again on a retry or a redelivery: handle it once.
  if (alreadyHandled(req.headers["webhook-id"])) return res.status(200).end();
  enqueue(event); // answer at once, do the work afterwards
  res.status(204).end();
});`;

const VERIFY_WITH_NODE_CRYPTO = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the Buffer exactly as received (e.g. express.raw({ type: "application/json" })).
function verifyTelehealthSignature(rawBody, headers, secret) {
  const expected = Buffer.from(createHmac("sha256", secret).update(rawBody).digest("hex"));
  const matches = (name) => {
    const received = Buffer.from(String(headers[name] ?? ""));
    return received.length === expected.length && timingSafeEqual(received, expected);
  };
  // During a rotation, the secret you hold matches one of the two headers.
  const signed = matches("x-telehealth-signature") || matches("x-telehealth-signature-previous");
  const ageSeconds = Date.now() / 1000 - Number(headers["webhook-timestamp"]);
  return signed && Math.abs(ageSeconds) <= 5 * 60;
}`;

const VERIFY_WITH_PYTHON = `import hashlib
import hmac
import time

# raw_body: the bytes exactly as received (Flask: request.get_data(); Django: request.body).
def verify_telehealth_signature(raw_body: bytes, headers, secret: str) -> bool:
    expected = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    # During a rotation, the secret you hold matches one of the two headers.
    received = [headers.get("X-Telehealth-Signature", ""), headers.get("X-Telehealth-Signature-Previous", "")]
    signed = any(hmac.compare_digest(expected, value) for value in received if value)
    age_seconds = time.time() - int(headers.get("webhook-timestamp", "0"))
    return signed and abs(age_seconds) <= 5 * 60`;

const fenced = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;

/** How the portal sends events, and how a receiver checks them (markdown; /docs/api renders it too). */
export const WEBHOOK_GUIDE = `**Delivery.** Each event an endpoint subscribed to is POSTed to its URL as JSON (\`Content-Type: application/json\`, \`User-Agent: ${WEBHOOK_USER_AGENT.replace(/\/.*$/, "/<version>")}\`), with the body \`{ event, timestamp, organizationId, data, version }\` (see the webhook events). Answer with any 2xx within 15 seconds, then do the work. Delivery is **at least once** and **not ordered**: an event can arrive more than once (a retry, a redelivery) and events can arrive out of order, so handle each \`webhook-id\` once and read \`data.status\` (or \`GET /api/consultations/{consultationId}\`) rather than trusting arrival order.

**Retries.** A timeout (15 s), a connection error, a 429 or a 5xx is tried again after ${RETRY_DELAYS_SECONDS.map(spoken).join(", ")} (each ±10% jitter, about three days in all); a longer \`Retry-After\` (up to 24 h) is honoured. A 410 Gone disables the endpoint at once (\`disabledReason: gone\`). Redirects are not followed, and any other answer (a 3xx, a 4xx other than 410 and 429) fails the delivery without retries. When no delivery to an endpoint has succeeded for ${FAILING_DAYS} days it is disabled (\`disabledReason: failing\`). Every delivery and attempt is in \`GET /api/webhooks/{endpointId}/deliveries\`; \`POST …/redeliver\` sends one again.

**Signatures.** Every request is signed with the endpoint's secret (\`whsec_…\`, shown only by \`POST /api/webhooks\` and \`POST /api/webhooks/{endpointId}/rotate-secret\`) in two schemes at once; check either one:

- **Standard Webhooks** (standardwebhooks.com): \`webhook-signature\` is \`v1,\` and the base64 HMAC-SHA256 of \`{webhook-id}.{webhook-timestamp}.{body}\`, keyed with the base64-decoded part of the secret after \`whsec_\`. It signs the id and the time too, so prefer it; any Standard Webhooks library verifies it.
- **X-Telehealth-Signature**: the lowercase hex HMAC-SHA256 of the body alone, keyed with the whole secret exactly as shown (\`whsec_…\`, its UTF-8 bytes).

Verify against the raw body bytes as received, before parsing the JSON (parsed and re-serialised JSON does not match); compare signatures in constant time; reject a \`webhook-timestamp\` more than 5 minutes old; and dedupe on \`webhook-id\`, which is the same on every retry and redelivery of one event.

**Rotating the secret.** After \`POST /api/webhooks/{endpointId}/rotate-secret\` the previous secret keeps signing for ${GRACE_HOURS} hours (until \`previousSecretExpiresAt\`): \`webhook-signature\` then carries two signatures separated by a space (Standard Webhooks libraries accept the request when any one matches), and \`X-Telehealth-Signature-Previous\` carries the previous secret's HMAC. With the plain scheme, accept the request when either \`X-Telehealth-Signature\` or \`X-Telehealth-Signature-Previous\` matches the secret you hold; switch to the new secret within the ${GRACE_HOURS} hours.

**Node, with the standardwebhooks package:**

${fenced("js", VERIFY_WITH_STANDARD_WEBHOOKS)}

**Node, checking X-Telehealth-Signature with crypto:**

${fenced("js", VERIFY_WITH_NODE_CRYPTO)}

**Python, checking X-Telehealth-Signature with hmac:**

${fenced("python", VERIFY_WITH_PYTHON)}`;

const webhookPatientSchema = z.object({
  documentType: z.enum(DOCUMENT_TYPES).describe("The patient's identity document type."),
  documentLastDigits: z.string().describe("The last 4 characters of the document number; the whole number is never sent."),
  nameInitials: z.string().describe("The initials of the patient's name, e.g. `M. G. L.`; the name is never sent."),
});

/** The consultation as every event carries it: the API's view without the PIN, the patient minimised (lib/webhooks/payload.ts). */
const webhookConsultationSchema = consultationSchema.omit({ accessPin: true, patient: true }).extend({
  patient: webhookPatientSchema.describe("The patient, minimised: no name, phone number or e-mail address leaves the portal."),
  test: z.literal(true).optional().describe("Only in a test event (`POST /api/webhooks/{endpointId}/test`), whose `consultationId` is all zeros."),
});

const localTime = (what: string) => localDateTimeSchema.describe(`${what}, \`yyyy-MM-dd HH:mm\` in the organization's timezone.`);
const participantSchema = z.object({ role: z.enum(participantRole.enumValues).describe("Who joined or left.") }).describe("The participant the event is about.");
const completionReasonSchema = z
  .enum(["ended_by_provider", "ended_by_staff", "timeout"])
  .describe("`ended_by_provider`: the provider ended it for everyone; `ended_by_staff`: the clinic's staff ended it from the dashboard; `timeout`: its scheduled end was reached.");

/** The `data` of each event: the consultation, its status right after the event, and what the event adds. */
const WEBHOOK_EVENT_DATA = {
  "consultation.created": webhookConsultationSchema.extend({ status: z.literal("Pending") }),
  "consultation.expired": webhookConsultationSchema.extend({
    status: z.literal("Expired"),
    expiredAt: localTime("When it expired (its time passed without anyone joining, or the clinic cancelled it)"),
    expirationReason: z
      .enum(["time_passed", "cancelled"])
      .describe("`time_passed`: its time passed without anyone joining; `cancelled`: the clinic's staff cancelled it from the dashboard before anyone joined."),
  }),
  "consultation.completed": webhookConsultationSchema.extend({
    status: z.literal("Completed"),
    completedAt: localTime("When it was completed"),
    completionReason: completionReasonSchema,
  }),
  session_started: webhookConsultationSchema.extend({ status: z.literal("InProgress"), participant: participantSchema, joinedAt: localTime("When the participant joined") }),
  session_ended: webhookConsultationSchema.extend({
    status: z.literal("InProgress"),
    participant: participantSchema,
    leftAt: localTime("When the participant left"),
    reason: z
      .enum(attendanceEnd.enumValues)
      .describe("`left`: the participant left; `ended`: the provider ended the consultation; `timeout`: its time ran out; `disconnected`: the connection was gone too long."),
  }),
  "consultation.access_reissued": webhookConsultationSchema.extend({
    status: z.enum(["Pending", "InProgress"]),
    reissued: z
      .object({
        pin: z.literal(true).describe("A new PIN was issued; the old one no longer opens the call. Read it with `GET /api/consultations/{consultationId}`."),
        links: z.boolean().describe("True when both join links were replaced too: `participantAccess` has the new ones and the old links answer 404."),
      })
      .describe("What the clinic issued anew."),
  }),
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

const WEBHOOK_EVENTS: Record<DomainEvent, { component: string; operationId: string; summary: string; description: string }> = {
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
    description: "A consultation's time passed without anyone joining, or the clinic cancelled it (`data.expirationReason`): it is `Expired` and its links no longer open the call. `data.expiredAt` is when that was recorded.",
  },
  "consultation.completed": {
    component: "ConsultationCompletedEvent",
    operationId: "consultationCompletedEvent",
    summary: "consultation.completed",
    description: "A consultation in progress ended: the provider or the clinic's staff ended it for everyone, or its scheduled end was reached (`completionReason`).",
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

/** The headers every webhook request carries, as header parameters of the `webhooks` operations (and `X-Telehealth-Event`, per event). */
const WEBHOOK_HEADER_PARAMETERS: Record<string, ParameterObject> = {
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

const EXAMPLE_ENDPOINT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const EXAMPLE_DELIVERY_ID = "2f6c1a9e-8d4b-4f3a-9c7e-5b1d0a2e4f68";
const EXAMPLE_SECRET = "whsec_dGVsZW1lZC1wb3J0YWwgd2ViaG9vayBleGFtcGxlISE=";

/** One example body per event, made from the documented consultation by the same function real events use. */
export function webhookEventExample(event: DomainEvent, serverUrl: string, year: number) {
  const view = scheduledSpecialistResponse(serverUrl, year).data as ConsultationView;
  const base = webhookConsultation(view);
  const data = {
    "consultation.created": { ...base, status: "Pending" },
    "consultation.expired": { ...base, status: "Expired", expiredAt: `${year}-12-15 15:00`, expirationReason: "time_passed" },
    "consultation.completed": { ...base, status: "Completed", completedAt: `${year}-12-15 14:58`, completionReason: "ended_by_provider" },
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
    organizationId: "9a7b5c3d-1e2f-4a6b-8c9d-0e1f2a3b4c5d",
    data,
    version: WEBHOOK_PAYLOAD_VERSION,
  };
}

function webhookExamples(serverUrl: string, year: number) {
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

function webhookPaths(schemas: SchemaCollector, year: number, serverUrl: string): OpenApiDocument["paths"] {
  const createRequest = schemas.convert(createWebhookEndpointSchema, "input");
  const updateRequest = schemas.convert(updateWebhookEndpointSchema, "input");
  const testRequest = schemas.convert(sendTestEventSchema, "input");
  const endpoint = schemas.convert(webhookEndpointSchema, "output");
  const endpointWithSecret = schemas.convert(webhookEndpointWithSecretSchema, "output");
  const delivery = schemas.convert(webhookDeliverySchema, "output");
  const deliveryDetail = schemas.convert(webhookDeliveryDetailSchema, "output");
  const updateSchema = schemas.resolve(updateRequest);
  updateSchema.description = "Send only what changes; at least one field.";
  (updateSchema as JsonSchema & { minProperties?: number }).minProperties = 1;

  const examples = webhookExamples(serverUrl, year);
  const envelope = (data: unknown) => ({ success: true, data, metadata: exampleMetadata(year) });
  const tags = ["Webhooks"];
  const endpointIdParameter: ParameterObject = {
    name: "endpointId",
    in: "path",
    required: true,
    description: "The endpoint's `id`.",
    schema: { type: "string", format: "uuid" },
    example: EXAMPLE_ENDPOINT_ID,
  };
  const deliveryIdParameter: ParameterObject = {
    name: "deliveryId",
    in: "path",
    required: true,
    description: "The delivery's `id` (also its `webhook-id`).",
    schema: { type: "string", format: "uuid" },
    example: EXAMPLE_DELIVERY_ID,
  };
  const json = (schema: JsonSchema, required: boolean, bodyExamples: Record<string, ExampleObject>) => ({
    required,
    content: { "application/json": { schema, examples: bodyExamples } },
  });
  const common = { "401": unauthorized(year), "429": rateLimited(year), "500": internalError(year) };
  const badBody = (details: FieldError[]) =>
    errorResponse("The body is malformed or has invalid fields.", ["validation_error", "invalid_json", "unsupported_content_type", "payload_too_large"], year, {
      validation_error: details,
    });
  const notFound = (what: string) => errorResponse(`No such ${what} in your organization.`, ["not_found"], year);
  const badUrl = errorResponse(
    "The URL is not one webhooks may go to.",
    ["webhook_url_invalid", "webhook_url_insecure", "webhook_url_unresolvable", "webhook_url_forbidden"],
    year,
  );

  const createWebhookEndpoint: OperationObject = {
    operationId: "createWebhookEndpoint",
    summary: "Register a webhook endpoint",
    tags,
    description: `Registers a URL of your system that receives the events it names, signed. The answer carries the signing \`secret\` (\`whsec_…\`): it is shown only now, so store it (a lost secret can be replaced with \`rotate-secret\`). An organization may have up to ${MAX_ENDPOINTS_PER_ORGANIZATION} endpoints.

The URL must be \`https://\` and public: when it is saved its host must resolve, and every address it resolves to must be public (no loopback, private, link-local or cloud-metadata addresses), or the answer is 422. The same check runs again at every delivery, against the address actually connected to. Try it with \`POST /api/webhooks/{endpointId}/test\`.

${WEBHOOK_GUIDE}`,
    requestBody: json(createRequest, true, {
      endpoint: {
        summary: "Consultation lifecycle events",
        value: { url: "https://his.example-clinic.com/hooks/telehealth", events: ["consultation.created", "consultation.completed", "consultation.expired"], description: "HIS integration" },
      },
    }),
    responses: {
      "201": okResponse("Registered; the answer is the only time `secret` is shown.", endpointWithSecret, { created: { value: envelope({ ...examples.endpoint, secret: EXAMPLE_SECRET }) } }),
      "400": badBody([
        { field: "url", message: "is required", code: "invalid_type" },
        { field: "events.0", message: "must be one of consultation.created, consultation.expired, consultation.completed, session_started, session_ended", code: "invalid_value" },
      ]),
      "401": common["401"],
      "409": errorResponse("The organization has as many endpoints as it may.", ["webhook_endpoint_limit"], year),
      "422": badUrl,
      "429": common["429"],
      "500": common["500"],
    },
  };

  const listWebhookEndpoints: OperationObject = {
    operationId: "listWebhookEndpoints",
    summary: "List webhook endpoints",
    tags,
    description: `Every webhook endpoint of the organization (at most ${MAX_ENDPOINTS_PER_ORGANIZATION}), oldest first, without secrets.`,
    responses: {
      "200": okResponse("The endpoints.", { type: "array", items: endpoint }, { endpoints: { value: envelope([examples.endpoint]) } }),
      ...common,
    },
  };

  const getWebhookEndpoint: OperationObject = {
    operationId: "getWebhookEndpoint",
    summary: "Get a webhook endpoint",
    tags,
    description: "One endpoint, without its secret. `enabled: false` with `disabledReason` says why nothing is sent to it: `manual` (you disabled it), `gone` (it answered 410) or `failing` (no delivery succeeded for three days).",
    parameters: [endpointIdParameter],
    responses: { "200": okResponse("The endpoint.", endpoint, { endpoint: { value: envelope(examples.endpoint) } }), "401": common["401"], "404": notFound("endpoint"), "429": common["429"], "500": common["500"] },
  };

  const updateWebhookEndpoint: OperationObject = {
    operationId: "updateWebhookEndpoint",
    summary: "Change, disable or enable a webhook endpoint",
    tags,
    description:
      "Changes only the fields sent. `enabled: false` disables the endpoint (`disabledReason: manual`): nothing more is sent to it, and deliveries waiting for a retry fail. `enabled: true` enables an endpoint disabled for any reason, and clears its failure streak; redeliver what it missed. A new `url` is checked as on creation.",
    parameters: [endpointIdParameter],
    requestBody: json(updateRequest, true, {
      disable: { summary: "Disable", value: { enabled: false } },
      enable: { summary: "Enable again", value: { enabled: true } },
      change: { summary: "Change the URL and events", value: { url: "https://his.example-clinic.com/hooks/telehealth-v2", events: ["consultation.created", "session_started", "session_ended"] } },
    }),
    responses: {
      "200": okResponse("The endpoint as changed.", endpoint, {
        disabled: { summary: "Disabled", value: envelope({ ...examples.endpoint, enabled: false, disabledReason: "manual", disabledAt: `${year}-12-15T16:00:00Z`, updatedAt: `${year}-12-15T16:00:00Z` }) },
      }),
      "400": badBody([{ field: "enabled", message: "must be true or false", code: "invalid_type" }]),
      "401": common["401"],
      "404": notFound("endpoint"),
      "422": badUrl,
      "429": common["429"],
      "500": common["500"],
    },
  };

  const deleteWebhookEndpoint: OperationObject = {
    operationId: "deleteWebhookEndpoint",
    summary: "Delete a webhook endpoint",
    tags,
    description: "Deletes the endpoint with its delivery log; nothing more is sent to it, retries included.",
    parameters: [endpointIdParameter],
    responses: {
      "200": okResponse(
        "Deleted.",
        { type: "object", properties: { id: { type: "string", format: "uuid" }, deleted: { const: true } }, required: ["id", "deleted"] },
        { deleted: { value: envelope({ id: EXAMPLE_ENDPOINT_ID, deleted: true }) } },
      ),
      "401": common["401"],
      "404": notFound("endpoint"),
      "429": common["429"],
      "500": common["500"],
    },
  };

  const rotateWebhookSecret: OperationObject = {
    operationId: "rotateWebhookSecret",
    summary: "Rotate a webhook endpoint's secret",
    tags,
    description: `A new signing secret, shown only in this answer. The previous one keeps signing every request alongside it for ${GRACE_HOURS} hours (\`previousSecretExpiresAt\`, \`X-Telehealth-Signature-Previous\`, a second \`webhook-signature\`), so you can switch without losing an event. Rotating again within that time drops the oldest secret at once.`,
    parameters: [endpointIdParameter],
    responses: {
      "200": okResponse("The endpoint with its new `secret`.", endpointWithSecret, {
        rotated: {
          value: envelope({ ...examples.endpoint, secret: "whsec_bmV3IHNpZ25pbmcgc2VjcmV0IGZvciB0aGUgZXhhbXBsZQ==", previousSecretExpiresAt: `${year}-12-16T16:00:00Z`, updatedAt: `${year}-12-15T16:00:00Z` }),
        },
      }),
      "401": common["401"],
      "404": notFound("endpoint"),
      "429": common["429"],
      "500": common["500"],
    },
  };

  const sendWebhookTestEvent: OperationObject = {
    operationId: "sendWebhookTestEvent",
    summary: "Send a test event",
    tags,
    description:
      "Sends an example of one event to the endpoint now, signed like any other, once (no retries), and answers with what happened: the delivery with its attempt, the status code and the first 1 KiB of your answer. The example's `data` has `test: true`, a `consultationId` of all zeros and made-up people; it has the consultation's fields (and `participant` for session events) but not the other fields particular to the event. The body is optional: without one (or without `event`) the endpoint's first event is imitated. A test does not count toward disabling a failing endpoint and cannot be redelivered.",
    parameters: [endpointIdParameter],
    requestBody: json(testRequest, false, { event: { summary: "Imitate one event", value: { event: "consultation.completed" } } }),
    responses: {
      "200": okResponse("The test delivery: `delivered` when your endpoint answered 2xx, `failed` otherwise.", deliveryDetail, {
        failed: { summary: "The receiver answered 500", value: envelope(examples.failedTest) },
      }),
      "400": badBody([{ field: "event", message: "must be one of consultation.created, consultation.expired, consultation.completed, session_started, session_ended", code: "invalid_value" }]),
      "401": common["401"],
      "404": notFound("endpoint"),
      "409": errorResponse("The endpoint is disabled.", ["webhook_endpoint_disabled"], year),
      "429": common["429"],
      "500": common["500"],
    },
  };

  const listWebhookDeliveries: OperationObject = {
    operationId: "listWebhookDeliveries",
    summary: "List an endpoint's deliveries",
    tags,
    description:
      "The endpoint's deliveries (one per event sent to it, and the test events), newest first, without bodies or attempts (get one delivery for those). `pending` deliveries wait for their next attempt (`nextAttemptAt`). Pages work as in `GET /api/consultations`.",
    parameters: [
      endpointIdParameter,
      ...queryParameters(schemas, listDeliveriesQuerySchema, {
        status: "Only deliveries in this state.",
        limit: "Page size, 1 to 100.",
        cursor: "`pagination.nextCursor` of the previous page. Leave out for the first page.",
      }),
    ],
    responses: {
      "200": listResponse("One page of deliveries.", delivery, year, [examples.retrying, examples.delivery]),
      "400": errorResponse("A query parameter is invalid.", ["validation_error", "invalid_cursor"], year, {
        validation_error: [{ field: "status", message: 'Invalid option: expected one of "pending"|"delivered"|"failed"', code: "invalid_value" }],
      }),
      "401": common["401"],
      "404": notFound("endpoint"),
      "429": common["429"],
      "500": common["500"],
    },
  };

  const getWebhookDelivery: OperationObject = {
    operationId: "getWebhookDelivery",
    summary: "Get a delivery with its attempts",
    tags,
    description: "One delivery: the body as sent (`payload`) and every attempt, oldest first, with its status code (null when no answer came), time taken, the first 1 KiB of the answer, and the error.",
    parameters: [endpointIdParameter, deliveryIdParameter],
    responses: {
      "200": okResponse("The delivery.", deliveryDetail, { delivered: { value: envelope(examples.detail) } }),
      "401": common["401"],
      "404": notFound("endpoint or delivery"),
      "429": common["429"],
      "500": common["500"],
    },
  };

  const redeliverWebhook: OperationObject = {
    operationId: "redeliverWebhook",
    summary: "Redeliver",
    tags,
    description:
      "Sends a delivery again, as soon as a worker takes it: the same body and the same `webhook-id` (a receiver that keeps ids sees it is the same event), as a new round with the whole retry schedule. A delivery waiting for a retry is tried now. The endpoint must be enabled; test deliveries cannot be redelivered.",
    parameters: [endpointIdParameter, deliveryIdParameter],
    responses: {
      "202": okResponse("Queued: the delivery is `pending` with `attemptCount` 0.", delivery, {
        queued: { value: envelope({ ...examples.delivery, status: "pending", attemptCount: 0, nextAttemptAt: `${year}-12-15T16:00:00Z`, deliveredAt: null }) },
      }),
      "401": common["401"],
      "404": notFound("endpoint or delivery"),
      "409": errorResponse("The endpoint is disabled, or this is a test delivery.", ["webhook_endpoint_disabled", "webhook_test_delivery"], year),
      "429": common["429"],
      "500": common["500"],
    },
  };

  return {
    "/api/webhooks": { post: createWebhookEndpoint, get: listWebhookEndpoints },
    "/api/webhooks/{endpointId}": { get: getWebhookEndpoint, patch: updateWebhookEndpoint, delete: deleteWebhookEndpoint },
    "/api/webhooks/{endpointId}/rotate-secret": { post: rotateWebhookSecret },
    "/api/webhooks/{endpointId}/test": { post: sendWebhookTestEvent },
    "/api/webhooks/{endpointId}/deliveries": { get: listWebhookDeliveries },
    "/api/webhooks/{endpointId}/deliveries/{deliveryId}": { get: getWebhookDelivery },
    "/api/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver": { post: redeliverWebhook },
  };
}

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
function webhookEvents(schemas: SchemaCollector, year: number, serverUrl: string): Record<string, PathItemObject> {
  const shared = Object.keys(WEBHOOK_HEADER_PARAMETERS).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  return Object.fromEntries(
    (Object.keys(WEBHOOK_EVENTS) as DomainEvent[]).map((event) => {
      const info = WEBHOOK_EVENTS[event];
      const eventHeader: ParameterObject = {
        name: "X-Telehealth-Event",
        in: "header",
        required: true,
        description: "The event's name, as in the body's `event`.",
        schema: { type: "string", const: event },
        example: event,
      };
      const parameters = [...shared.slice(0, 4), eventHeader, ...shared.slice(4)];
      const body = schemas.named(info.component, WEBHOOK_EVENT_BODIES[event], "output");
      const bodySchema = schemas.resolve(body);
      bodySchema.description = `The body of \`${event}\`.`;
      describeProperties(schemas.resolve(bodySchema.properties!.data!), WEBHOOK_DATA_DESCRIPTIONS);
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
          content: { "application/json": { schema: body, examples: { [event]: { summary: event, value: webhookEventExample(event, serverUrl, year) } } } },
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
      return [event, { post: operation }];
    }),
  );
}

// The webhook bodies must describe what lib/webhooks/payload.ts really sends: these fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type WebhookConsultationMatches = Assert<Same<Omit<z.infer<typeof webhookConsultationSchema>, "test">, ReturnType<typeof webhookConsultation>>>;
export type CompletionReasonMatches = Assert<Same<z.infer<typeof completionReasonSchema>, CompletionReason>>;

const built = new Map<string, OpenApiDocumentWithWebhooks>();

/** The document for one server URL, built once per process. */
export function openApiDocument(serverUrl: string): OpenApiDocumentWithWebhooks {
  let document = built.get(serverUrl);
  if (!document) {
    document = buildOpenApiDocument({ serverUrl });
    built.set(serverUrl, document);
  }
  return document;
}
