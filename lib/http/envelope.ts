import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import { API_VERSION } from "@/lib/config";
import { AppError, type FieldError } from "@/lib/errors";
import { isoSeconds } from "@/lib/time";
import { fieldErrorsOf } from "@/lib/validation/field-errors";

export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}

export function metadata(requestId: string, now = new Date()) {
  return { requestId, timestamp: isoSeconds(now), version: API_VERSION };
}

export function successBody<T>(data: T, requestId: string, extra: Record<string, unknown> = {}) {
  return { success: true as const, data, ...extra, metadata: metadata(requestId) };
}

/** Any thrown value as the catalog's error: an unexpected one is logged (by request id) and becomes `internal_error`. */
function asAppError(error: unknown, requestId: string): AppError {
  const known =
    error instanceof AppError
      ? error
      : error instanceof ZodError
        ? AppError.validation(fieldErrorsOf(error))
        : undefined;
  if (!known) {
    console.error(`[${requestId}] unhandled error`, error);
  }
  return known ?? new AppError("internal_error", "Something went wrong on our side. Please try again.");
}

/** The details as the API documents them: field, message and code (a rule's `params` are the dashboard's). */
function wireDetails(details: FieldError[]): { field: string; message: string; code: string }[] {
  return details.map(({ field, message, code }) => ({ field, message, code }));
}

/** The one mapper from any thrown value to the error envelope. */
export function errorResponse(error: unknown, requestId: string): Response {
  const appError = asAppError(error, requestId);
  const body = {
    success: false as const,
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details.length ? { details: wireDetails(appError.details) } : {}),
    },
    metadata: metadata(requestId),
  };
  return Response.json(body, {
    status: appError.status,
    headers: { "X-Request-Id": requestId, "Cache-Control": "no-store", ...appError.headers },
  });
}

/**
 * The teleconsultation contract's error body, `{ "error": "<message>" }`, from the same catalog:
 * `code` and `details` (each field at fault) ride beside it for programs; the status is the code's.
 */
export function contractErrorResponse(error: unknown, requestId: string): Response {
  const appError = asAppError(error, requestId);
  const body = { error: appError.message, code: appError.code, ...(appError.details.length ? { details: wireDetails(appError.details) } : {}) };
  return Response.json(body, {
    status: appError.status,
    headers: { "X-Request-Id": requestId, "Cache-Control": "no-store", ...appError.headers },
  });
}
