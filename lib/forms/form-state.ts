import type { createTranslator, Messages } from "next-intl";
import { getTranslations } from "next-intl/server";
import { ZodError } from "zod";
import { MAXIMUM_SCHEDULE_DAYS, MINIMUM_NOTICE_MINUTES } from "@/lib/consultations/schema";
import { AppError, type FieldError } from "@/lib/errors";
import { BACKGROUNDS_PER_ORGANIZATION, MAX_ENDPOINTS_PER_ORGANIZATION } from "@/lib/limits";
import { fieldErrorsOf } from "@/lib/validation/field-errors";

/**
 * What a dashboard form shows after the server answered: what was typed (kept on a refusal), one
 * message per field, and a summary above the form, in the reader's language. A form's own answer
 * (what was created, saved) is added beside these.
 */
export type FormState<Values = Record<string, string>> = {
  values?: Values;
  fieldErrors?: Record<string, string>;
  formError?: string;
};

/** A refusal as a form shows it. */
export type RefusedForm = { fieldErrors: Record<string, string>; formError: string | undefined };

/** The "Forms" words: getTranslations("Forms") on the server, createTranslator in a test. */
export type FormsTranslator = ReturnType<typeof createTranslator<Messages, "Forms">>;

/** How one form words a refusal, where it differs from the usual. Its texts are already in the reader's language. */
export type FormWording = {
  /** The form's field for an error's field, when the form names or groups it differently. */
  field?: (field: string) => string;
  /** A field's message where this form says more than the usual words for its code; undefined: the usual. */
  message?: (detail: FieldError) => string | undefined;
  /** The summary above the form; `usual` is "some fields need attention" for invalid fields, else the refusal's own words. */
  summary?: (error: AppError, fieldErrors: Record<string, string>, usual: string | undefined) => string | undefined;
};

/** A form's wording, or how to make it for this request (its words come from the request's language). */
export type Wording = FormWording | (() => Promise<FormWording>);

/** The refusal a thrown value stands for, or undefined for a server fault (which goes to the error page). */
function refusalOf(error: unknown): AppError | undefined {
  const known = error instanceof ZodError ? AppError.validation(fieldErrorsOf(error)) : error instanceof AppError ? error : undefined;
  return known && known.status < 500 ? known : undefined;
}

const number = (value: string | number | undefined): number => (typeof value === "number" ? value : Number(value));

/** A refused password, by PasswordProblem (lib/staff/passwords.ts); the length ones read as the schema's. */
const PASSWORD_PROBLEM = {
  repeated_pattern: "password.repeatedPattern",
  sequence: "password.sequence",
  common: "password.common",
  contains_email: "password.containsEmail",
  contains_clinic_name: "password.containsClinicName",
} as const;

/** The app's own field codes with nothing to fill in. */
const FIELD_CODE = {
  invalid_characters: "field.invalidCharacters",
  specialty_required: "field.specialtyRequired",
  specialty_not_allowed: "field.specialtyNotAllowed",
  unknown_specialty: "field.unknownSpecialty",
  unknown_professional_type: "field.unknownProfessionalType",
  unknown_consultation_type: "field.unknownConsultationType",
  schedule_conflict: "field.scheduleConflict",
  provider_inactive: "field.providerInactive",
  email_taken: "field.emailTaken",
  slug_taken: "field.slugTaken",
  unknown_provider: "field.unknownProvider",
} as const;

/**
 * One field's refusal in the reader's language, by its code and the numbers it carries (never
 * by the API's English message, which stays for integrators). A code this does not know reads
 * as "is not valid", translated too.
 */
export function fieldMessage(t: FormsTranslator, detail: FieldError): string {
  const params = detail.params ?? {};
  const name = detail.field.split(".").at(-1);
  // Rules that only the field's name tells apart (a refinement, a pattern), shared by the forms.
  if (name === "phone" && detail.code === "custom") return t("field.phone");
  if (name === "documentNumber" && detail.code === "invalid_format") return t("field.lettersAndDigits");
  if (Object.hasOwn(FIELD_CODE, detail.code)) return t(FIELD_CODE[detail.code as keyof typeof FIELD_CODE]);
  switch (detail.code) {
    case "required":
    case "invalid_type":
      return t("field.required");
    case "too_small": {
      const minimum = number(params.minimum);
      if (!Number.isFinite(minimum)) return t("field.invalid");
      if (params.origin === "array" || params.origin === "set") return t("field.tooFew", { minimum });
      if (params.origin === "number" || params.origin === "bigint") return t("field.tooSmallNumber", { minimum });
      return minimum <= 1 ? t("field.required") : t("field.tooShort", { minimum });
    }
    case "too_big": {
      const maximum = number(params.maximum);
      if (!Number.isFinite(maximum)) return t("field.invalid");
      if (params.origin === "array" || params.origin === "set") return t("field.tooMany", { maximum });
      if (params.origin === "number" || params.origin === "bigint") return t("field.tooBigNumber", { maximum });
      return t("field.tooLong", { maximum });
    }
    case "invalid_format":
      return params.format === "email" ? t("field.email") : params.format === "url" ? t("field.url") : t("field.format");
    case "invalid_value":
      return typeof params.values === "string" && params.values ? t("field.oneOf", { values: params.values }) : t("field.invalid");
    case "weak_password": {
      const reason = String(params.reason ?? "");
      if (reason === "too_short" && Number.isFinite(number(params.minimum))) return t("field.tooShort", { minimum: number(params.minimum) });
      if (reason === "too_long" && Number.isFinite(number(params.maximum))) return t("field.tooLong", { maximum: number(params.maximum) });
      if (reason === "required") return t("field.required");
      return Object.hasOwn(PASSWORD_PROBLEM, reason) ? t(PASSWORD_PROBLEM[reason as keyof typeof PASSWORD_PROBLEM]) : t("password.weak");
    }
    case "insufficient_notice":
      return t("field.insufficientNotice", { minutes: number(params.minutes) || MINIMUM_NOTICE_MINUTES });
    case "too_far_ahead":
      return t("field.tooFarAhead", { days: number(params.days) || MAXIMUM_SCHEDULE_DAYS });
    case "invalid_date":
      return params.reason === "nonexistent" && typeof params.timeZone === "string" ? t("field.daylightSavingGap", { timeZone: params.timeZone }) : t("field.notADate");
    case "document_taken":
      return typeof params.holder === "string"
        ? t("field.documentTaken", { holder: params.holder, active: params.active === "false" ? "false" : "true" })
        : t("field.documentTakenByAnother");
    case "provider_record":
      return t("field.providerRecord", { field: String(params.field ?? "") });
    default:
      return t("field.invalid");
  }
}

/** The summary words for each refusal code a dashboard action meets. */
const REFUSAL = {
  not_found: "refusal.notFound",
  schedule_conflict: "refusal.scheduleConflict",
  provider_inactive: "refusal.providerInactive",
  provider_document_taken: "refusal.providerDocumentTaken",
  email_taken: "refusal.emailTaken",
  slug_taken: "refusal.slugTaken",
  unknown_provider: "refusal.unknownProvider",
  last_admin: "refusal.lastAdmin",
  own_account: "refusal.ownAccount",
  staff_inactive: "refusal.staffInactive",
  password_already_set: "refusal.passwordAlreadySet",
  invitation_link_invalid: "refusal.invitationLinkInvalid",
  too_many_guests: "refusal.tooManyGuests",
  consultation_closed: "refusal.consultationClosed",
  consultation_not_pending: "refusal.consultationNotPending",
  consultation_not_in_progress: "refusal.consultationNotInProgress",
  consultation_time_left: "refusal.consultationTimeLeft",
  forbidden: "refusal.forbidden",
  webhook_endpoint_disabled: "refusal.webhookEndpointDisabled",
  webhook_test_delivery: "refusal.webhookTestDelivery",
  webhook_url_invalid: "refusal.webhookUrl",
  webhook_url_insecure: "refusal.webhookUrl",
  webhook_url_unresolvable: "refusal.webhookUrl",
  webhook_url_forbidden: "refusal.webhookUrl",
  file_too_large: "refusal.fileTooLarge",
  file_type_not_allowed: "refusal.fileTypeNotAllowed",
  unknown_background: "refusal.unknownBackground",
  validation_error: "refusal.invalidRequest",
} as const satisfies Partial<Record<AppError["code"], string>>;

/** A refusal as one sentence in the reader's language, by its code; an unknown code has a translated sentence too. */
export function refusalText(t: FormsTranslator, error: AppError): string {
  if (error.code === "webhook_endpoint_limit") return t("refusal.webhookEndpointLimit", { maximum: MAX_ENDPOINTS_PER_ORGANIZATION });
  if (error.code === "background_limit") return t("refusal.backgroundLimit", { maximum: BACKGROUNDS_PER_ORGANIZATION });
  return Object.hasOwn(REFUSAL, error.code) ? t(REFUSAL[error.code as keyof typeof REFUSAL]) : t("refusal.other");
}

/**
 * The one mapper from a refusal (AppError, ZodError) to what the form shows, with the words
 * given: the first message of each field, and a summary. Anything else, or a server fault, is
 * rethrown (a redirect too).
 */
export function refusedFormIn(t: FormsTranslator, error: unknown, wording: FormWording = {}): RefusedForm {
  const known = refusalOf(error);
  if (!known) throw error;
  const fieldErrors: Record<string, string> = {};
  for (const detail of known.details) {
    const field = wording.field ? wording.field(detail.field) : detail.field;
    fieldErrors[field] ??= wording.message?.(detail) ?? fieldMessage(t, detail);
  }
  const usual = Object.keys(fieldErrors).length > 0 && known.status === 400 ? t("summary.fieldsNeedAttention") : refusalText(t, known);
  return { fieldErrors, formError: wording.summary ? wording.summary(known, fieldErrors, usual) : usual };
}

/** The mapper in the request's language (a server action's). */
export async function refusedForm(error: unknown, wording: Wording = {}): Promise<RefusedForm> {
  if (!refusalOf(error)) throw error;
  const [t, words] = await Promise.all([getTranslations("Forms"), typeof wording === "function" ? wording() : wording]);
  return refusedFormIn(t, error, words);
}

/**
 * A refusal as one sentence in the request's language, for an action with no form (a row's
 * button): the refusal's own words, never "some fields need attention" (there are no fields to
 * look at). A server fault is rethrown.
 */
export async function refusalMessage(error: unknown): Promise<string> {
  const known = refusalOf(error);
  if (!known) throw error;
  return refusalText(await getTranslations("Forms"), known);
}

/** True when `error` is a refusal saying the thing is not there (or not this organization's). */
export function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.status === 404;
}

/** A form's server action, as the page hands it to the form (`useActionState`). */
export type FormAction<State> = (previous: State, form: FormData) => Promise<State>;
