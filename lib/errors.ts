/** A problem with one field of a request, named by its dotted path (`provider.phone`). */
export type FieldError = { field: string; message: string; code: string };

/** The one error type of the domain; lib/http maps it to the JSON envelope. */
export class AppError extends Error {
  override name = "AppError";

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static validation(details: FieldError[], message = "The request has invalid fields."): AppError {
    return new AppError("validation_error", 400, message, details);
  }

  static badRequest(code: string, message: string, field?: string): AppError {
    return new AppError(code, 400, message, field ? [{ field, message, code }] : []);
  }

  static notFound(what: string): AppError {
    return new AppError("not_found", 404, `${what} was not found.`);
  }

  static conflict(code: string, message: string, details: FieldError[] = []): AppError {
    return new AppError(code, 409, message, details);
  }

  static unauthorized(code: string, message: string): AppError {
    return new AppError(code, 401, message, [], { "WWW-Authenticate": 'Bearer realm="api"' });
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
