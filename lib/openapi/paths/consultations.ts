import { CONSULTATION_DURATIONS } from "@/db/schema";
import {
  consultationSchema,
  consultationSummarySchema,
  createConsultationSchema,
  listConsultationsQuerySchema,
  MAXIMUM_SCHEDULE_DAYS,
  MINIMUM_NOTICE_MINUTES,
} from "@/lib/consultations/schema";
import { addGuestSchema, guestSchema, MAX_GUESTS } from "@/lib/consultations/guests";
import { reissueAccessSchema } from "@/lib/consultations/reissue";
import type { DocumentContext } from "../context";
import {
  exampleMetadata,
  immediateGeneralRequest,
  immediateGeneralResponse,
  scheduledSpecialistRequest,
  scheduledSpecialistResponse,
  seedConsultationResponse,
} from "../examples";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import { ref } from "../json-schema";
import { queryParameters } from "../parameters";
import { errorResponse, internalError, listResponse, okResponse, rateLimited, successEnvelope, unauthorized, type FieldError } from "../responses";
import { SPECIALIST_PROFESSIONAL_TYPES } from "../schemas";
import type { JsonSchema, OpenApiDocument, OperationObject } from "../types";
import { CONSULTATION_DESCRIPTIONS } from "./consultation-fields";

const SPECIALTY_RULE = `\`provider.medicalSpecialtyCode\` is required when \`provider.professionalType\` is ${SPECIALIST_PROFESSIONAL_TYPES.map((t) => `\`${t}\``).join(" or ")}, and refused (\`specialty_not_allowed\`) for every other professional type: leave it out (or send null) for \`MedicoGeneral\`, \`Psicologo\`, and the rest. The catalog's \`requiresSpecialty\` flag says which types need one.`;

const OVERLAP_RULE =
  "A consultation occupies its start time plus `durationMinutes`. If that overlaps a live (`Pending` or `InProgress`) consultation of the same provider or of the same patient, the request fails with 409 `schedule_conflict`; completed and expired consultations do not block.";

/** Create, list and read consultations, and reissue their access. */
export function consultationPaths({ schemas, year, serverUrl }: DocumentContext): OpenApiDocument["paths"] {
  // Requests are read as input (what a client sends), responses as output (what it gets back).
  const createRequest = schemas.convert(createConsultationSchema, "input");
  const consultation = schemas.convert(consultationSchema, "output");
  const consultationSummary = schemas.convert(consultationSummarySchema, "output");
  schemas.describe(CONSULTATION_DESCRIPTIONS);
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
    noShow: "Only consultations that ended with this no-show (`patient`, `provider` or `both`; see `noShow` in the answer).",
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
      "One consultation of your organization, with its access PIN and both join links, exactly as `POST /api/consultations` returned it, with its current `status` and, once it has ended, `noShow`: who never joined (`patient`, `provider`, `both`, or null when both did). An id that is not a UUID, or that belongs to another organization, is 404.",
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
      "200": okResponse("The consultation.", consultation, {
        scheduledSpecialist: { summary: "A scheduled specialist consultation", value: scheduledSpecialistResponse(serverUrl, year) },
        patientNoShow: { summary: "Completed: the patient never joined", description: "The provider waited in the call and ended it; `noShow` says who never came.", value: patientNoShowResponse(serverUrl, year) },
      }),
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
  const guest = schemas.convert(guestSchema, "output");
  const guestExample = { participantId: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", name: "Ana Ruiz", kind: "interpreter", joinUrl: `${serverUrl}/join/q9Xr2mPLk7vYt3ZwB8nC4dF6hJ1sA5eG0uI9oK2lM3N?type=guest` };
  const addConsultationGuest: OperationObject = {
    operationId: "addConsultationGuest",
    summary: "Add a guest to a consultation",
    tags: ["Consultations"],
    description: `A companion (a relative, a carer) or an interpreter joins a \`Pending\` or \`InProgress\` consultation with their own link, opened with the consultation's PIN under the same limits as the patient's link. A guest takes part but does not host: only the provider ends the call for everyone. At most ${MAX_GUESTS} guests (with the patient and the provider, the 4 people a peer-to-peer call carries). A new PIN or new links (\`reissue-access\`) apply to guests too.`,
    parameters: getConsultation.parameters,
    requestBody: { required: true, content: { "application/json": { schema: schemas.convert(addGuestSchema, "input"), examples: { interpreter: { summary: "An interpreter", value: { name: "Ana Ruiz", kind: "interpreter" } } } } } },
    responses: {
      "201": okResponse("The guest and their link.", guest, { interpreter: { summary: "An interpreter", value: { success: true, data: guestExample, metadata: exampleMetadata(year) } } }),
      "400": errorResponse("A field is wrong, or the body is not JSON.", ["validation_error", "invalid_json"], year, { validation_error: [{ field: "kind", code: "invalid_value", message: 'Invalid option: expected one of "companion"|"interpreter"' }] }),
      "401": unauthorized(year),
      "404": errorResponse("No consultation with this id in your organization.", ["not_found"], year),
      "409": errorResponse("The consultation is over, or already has its guests.", ["consultation_closed", "too_many_guests"], year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };
  const listConsultationGuests: OperationObject = {
    operationId: "listConsultationGuests",
    summary: "A consultation's guests",
    tags: ["Consultations"],
    description: "The consultation's guests with their links.",
    parameters: getConsultation.parameters,
    responses: {
      "200": okResponse("The guests.", { type: "array", items: guest }, { one: { summary: "An interpreter", value: { success: true, data: [guestExample], metadata: exampleMetadata(year) } } }),
      "401": unauthorized(year),
      "404": errorResponse("No consultation with this id in your organization.", ["not_found"], year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };
  return {
    "/api/consultations": { post: createConsultation, get: listConsultations },
    "/api/consultations/{consultationId}/guests": { post: addConsultationGuest, get: listConsultationGuests },
    "/api/consultations/{consultationId}": { get: getConsultation },
    "/api/consultations/{consultationId}/reissue-access": { post: reissueConsultationAccess },
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

/** The scheduled specialist consultation once it ended: the provider waited and ended it, the patient never joined. */
function patientNoShowResponse(serverUrl: string, year: number) {
  const example = scheduledSpecialistResponse(serverUrl, year);
  return { ...example, data: { ...example.data, status: "Completed", noShow: "patient" } };
}

/** A consultation as lists show it: without its PIN and links. */
function summaryOf(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(view).filter(([key]) => key !== "accessPin" && key !== "participantAccess"));
}
