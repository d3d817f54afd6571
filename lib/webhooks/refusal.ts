import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { assertWebhookUrlAllowed } from "./url-guard";

/**
 * Why creating or changing an endpoint was refused, naming every field at once: the schema
 * refuses before the URL checks run, so when the schema found nothing wrong with the URL it is
 * put through the same checks (url-guard) here. Anything that is not a refusal is undefined.
 */
export async function endpointRefusal(error: unknown, url: string, options: { allowInsecure: boolean }): Promise<AppError | undefined> {
  if (error instanceof AppError) return error;
  if (!(error instanceof ZodError)) return undefined;
  const schemaErrors = fieldErrorsOf(error);
  if (!url.trim() || error.issues.some((issue) => issue.path[0] === "url")) return AppError.validation(schemaErrors);
  try {
    await assertWebhookUrlAllowed(url.trim(), options);
    return AppError.validation(schemaErrors);
  } catch (urlError) {
    if (!(urlError instanceof AppError)) throw urlError;
    return AppError.validation([...urlError.details, ...schemaErrors]);
  }
}
