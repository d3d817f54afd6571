import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/http/envelope";

/**
 * What a dashboard form shows after the server answered: what was typed (kept on a refusal), one
 * message per field, and a summary above the form. A form's own answer (what was created, saved)
 * is added beside these.
 */
export type FormState<Values = Record<string, string>> = {
  values?: Values;
  fieldErrors?: Record<string, string>;
  formError?: string;
};

/** A refusal as a form shows it. */
export type RefusedForm = { fieldErrors: Record<string, string>; formError: string | undefined };

export const FIELDS_NEED_ATTENTION = "Some fields need attention; each one says what is wrong.";

/** The API's message names its field ("when professionalType is …"); on a form the field's label says that. */
const FORM_MESSAGES: Partial<Record<string, string>> = { specialty_required: "is required for a specialist" };

/** How one form words a refusal, where it differs from the usual. */
export type FormWording = {
  /** The form's field for an error's field, when the form names or groups it differently. */
  field?: (field: string) => string;
  /** The summary above the form; the usual one is `FIELDS_NEED_ATTENTION` for invalid fields, else the error's message. */
  summary?: (error: AppError, fieldErrors: Record<string, string>) => string | undefined;
};

/** The refusal a thrown value stands for, or undefined for a server fault (which goes to the error page). */
function refusalOf(error: unknown): AppError | undefined {
  const known = error instanceof ZodError ? AppError.validation(fieldErrorsOf(error)) : error instanceof AppError ? error : undefined;
  return known && known.status < 500 ? known : undefined;
}

/**
 * The one mapper from a refusal (AppError, ZodError) to what the form shows: the first message of
 * each field, and a summary. Anything else, or a server fault, is rethrown (a redirect too).
 */
export function refusedForm(error: unknown, wording: FormWording = {}): RefusedForm {
  const known = refusalOf(error);
  if (!known) throw error;
  const fieldErrors: Record<string, string> = {};
  for (const detail of known.details) {
    const field = wording.field ? wording.field(detail.field) : detail.field;
    fieldErrors[field] ??= FORM_MESSAGES[detail.code] ?? detail.message;
  }
  const usual = Object.keys(fieldErrors).length > 0 && known.status === 400 ? FIELDS_NEED_ATTENTION : known.message;
  return { fieldErrors, formError: wording.summary ? wording.summary(known, fieldErrors) : usual };
}

/** A refusal as one sentence, for an action with no form (a row's button); a server fault is rethrown. */
export function refusalMessage(error: unknown): string {
  const known = refusalOf(error);
  if (!known) throw error;
  return known.message;
}

/** True when `error` is a refusal saying the thing is not there (or not this organization's). */
export function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.status === 404;
}

/** A form's server action, as the page hands it to the form (`useActionState`). */
export type FormAction<State> = (previous: State, form: FormData) => Promise<State>;
