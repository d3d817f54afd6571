import {
  createWebhookEndpointSchema,
  listDeliveriesQuerySchema,
  MAX_ENDPOINTS_PER_ORGANIZATION,
  sendTestEventSchema,
  updateWebhookEndpointSchema,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookEndpointDeletedSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from "@/lib/webhooks/schema";
import type { DocumentContext } from "../context";
import { exampleMetadata } from "../examples";
import { queryParameters } from "../parameters";
import { errorResponse, internalError, listResponse, okResponse, rateLimited, unauthorized, type FieldError } from "../responses";
import type { ExampleObject, JsonSchema, OpenApiDocument, OperationObject, ParameterObject } from "../types";
import { EXAMPLE_DELIVERY_ID, EXAMPLE_ENDPOINT_ID, EXAMPLE_SECRET, webhookExamples } from "../webhook-examples";
import { GRACE_HOURS, WEBHOOK_GUIDE } from "../webhook-guide";

/** The endpoints that register webhook endpoints and follow their deliveries. */
export function webhookPaths({ schemas, year, serverUrl }: DocumentContext): OpenApiDocument["paths"] {
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
        schemas.convert(webhookEndpointDeletedSchema, "output"),
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
      "Sends an example of one event to the endpoint now, signed like any other, once (no retries), and answers with what happened: the delivery with its attempt, the status code and the first 1 KiB of your answer. The example's `data` has `test: true`, a `consultationId` of all zeros and made-up people; it has the consultation's fields (and `participant` for session events) but not the other fields particular to the event; `participant.waiting`'s has its own ids-only fields (all zeros) and `waitingSince`. The body is optional: without one (or without `event`) the endpoint's first event is imitated. A test does not count toward disabling a failing endpoint and cannot be redelivered.",
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
