import "server-only";
import { getTranslations } from "next-intl/server";
import type { FormWording } from "@/lib/forms/form-state";
import { BACKGROUND_MAX_MEGABYTES } from "@/lib/settings/schema";
import { END_CALL_REDIRECT_MAX_TIMEOUT_MS } from "@/lib/limits";

/** The upload's refusals, said about the file. */
export async function backgroundWording(): Promise<FormWording> {
  const t = await getTranslations("CallSettings");
  return {
    message: ({ code }) => {
      if (code === "file_too_large") return t("upload.tooLarge", { megabytes: BACKGROUND_MAX_MEGABYTES });
      if (code === "file_type_not_allowed") return t("upload.notAnImage");
      if (code === "required" || code === "empty") return t("upload.required");
      return undefined;
    },
  };
}

/** The call settings form's fields go by the API's names in the refusal; the form's own, and its delay in seconds. */
export async function callSettingsWording(): Promise<FormWording> {
  const t = await getTranslations("CallSettings");
  const FORM_FIELDS: Record<string, string> = {
    end_call_redirect_url: "endCallRedirectUrl",
    end_call_redirect_timeout_ms: "endCallRedirectSeconds",
    user_details_provider_url: "userDetailsProviderUrl",
  };
  return {
    field: (field) => FORM_FIELDS[field] ?? field,
    message: ({ field, code }) => {
      if (field === "end_call_redirect_timeout_ms") return t("form.errors.delay", { maximum: END_CALL_REDIRECT_MAX_TIMEOUT_MS / 1000 });
      if ((field === "end_call_redirect_url" || field === "user_details_provider_url") && code === "invalid_format") return t("form.errors.httpsAddress");
      return undefined;
    },
  };
}
