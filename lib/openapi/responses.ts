import type { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { exampleMetadata } from "./examples";
import { headerRef, RATE_LIMIT_HEADERS } from "./headers";
import { ref } from "./json-schema";
import type { fieldErrorSchema } from "./schemas";
import type { ExampleObject, HeaderObject, JsonSchema, ResponseObject } from "./types";

/**
 * The document's answers: the success envelope around a resource, and the error envelope
 * rendered from the one error catalog (`ERROR_CODES` in lib/errors.ts), one example per code.
 */

export type FieldError = z.infer<typeof fieldErrorSchema>;

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

export function successEnvelope(data: JsonSchema, list = false): JsonSchema {
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

export function okResponse(description: string, data: JsonSchema, examples: Record<string, ExampleObject>): ResponseObject {
  return {
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS },
    content: { "application/json": { schema: successEnvelope(data), examples } },
  };
}

export function listResponse(description: string, item: JsonSchema, year: number, items: unknown[]): ResponseObject {
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

/**
 * An error answer: the error envelope with `error.code` narrowed to the codes this operation
 * can answer with at this status, and one example per code.
 */
export function errorResponse(
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

export function unauthorized(year: number): ResponseObject {
  return errorResponse("No credential, or not a valid one.", ["missing_credentials", "invalid_credentials"], year, {}, {
    "WWW-Authenticate": headerRef("WWW-Authenticate"),
  });
}

export function rateLimited(year: number): ResponseObject {
  return errorResponse("The credential's hourly request limit is used up.", ["rate_limited"], year, {}, {
    "Retry-After": headerRef("Retry-After"),
    ...RATE_LIMIT_HEADERS,
  });
}

export function internalError(year: number): ResponseObject {
  return errorResponse("An unexpected failure on the server.", ["internal_error"], year);
}
