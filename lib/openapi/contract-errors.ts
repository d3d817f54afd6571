import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { headerRef } from "./headers";
import { ref } from "./json-schema";
import type { ExampleObject, HeaderObject, ResponseObject } from "./types";

/**
 * An error answer in the body of the contracts that answer `{ "error": "<message>" }` (the
 * teleconsultation and chat-sessions contracts; our `code` and `details` beside it), one
 * example per code: its catalog message, or the contract's own.
 */
export function contractError(
  description: string,
  codes: ErrorCode[],
  messages: Partial<Record<ErrorCode, string>> = {},
  details: Partial<
    Record<ErrorCode, { field: string; code: string; message: string }[]>
  > = {},
  headers: Record<string, HeaderObject> = {},
): ResponseObject {
  const examples: Record<string, ExampleObject> = {};
  for (const code of codes) {
    const error = messages[code] ?? ERROR_CODES[code].message;
    examples[code] = {
      summary: code,
      description: ERROR_CODES[code].meaning,
      value: {
        error,
        code,
        ...(details[code] ? { details: details[code] } : {}),
      },
    };
  }
  return {
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...headers },
    content: {
      "application/json": {
        schema: {
          allOf: [
            ref("TeleconsultationError"),
            { properties: { code: { enum: codes } } },
          ],
        },
        examples,
      },
    },
  };
}
