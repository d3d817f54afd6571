import { AppError } from "@/lib/errors";

/** What a settings form shows after the server refused it: one message per field, and a summary. */
export type RefusedForm = { fieldErrors: Record<string, string>; formError: string };

/**
 * An AppError as the form shows it (the first message of each field); anything else, or a server
 * fault, is rethrown for the error page.
 */
export function refusedForm(error: unknown): RefusedForm {
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  const fieldErrors: Record<string, string> = {};
  for (const detail of error.details) fieldErrors[detail.field] ??= detail.message;
  return {
    fieldErrors,
    formError: Object.keys(fieldErrors).length > 0 && error.status === 400 ? "Some fields need attention; each one says what is wrong." : error.message,
  };
}

export const text = (form: FormData, name: string) => String(form.get(name) ?? "");
