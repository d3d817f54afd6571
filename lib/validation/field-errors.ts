import type { ZodError } from "zod";
import type { FieldError } from "@/lib/errors";

/**
 * Zod issues as the envelope's field errors: one per field, with the dotted path. A refinement
 * may name its own code (`params: { code }`, as lib/validation/text.ts does) instead of "custom".
 */
export function fieldErrorsOf(error: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    field: [...prefix, ...issue.path].map(String).join(".") || "body",
    message: issue.message,
    code: issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : issue.code,
  }));
}
