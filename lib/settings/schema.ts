import { z } from "zod";
import { BACKGROUND_MAX_BYTES, END_CALL_REDIRECT_MAX_TIMEOUT_MS } from "@/lib/limits";
import { httpsAddressSchema, organizationProfileUpdateSchema } from "@/lib/organizations/profile";

/** The fields `PATCH /api/settings/update` takes, as the teleconsultation contract names them. */
export const COMPANY_SETTINGS_FIELDS = [
  "background_alias",
  "name",
  "default_language",
  "end_call_redirect_url",
  "user_details_provider_url",
  "end_call_redirect_timeout_ms",
] as const;
export type CompanySettingsField = (typeof COMPANY_SETTINGS_FIELDS)[number];

/** The form field an uploaded background comes in (the contract's). */
export const BACKGROUND_FIELD = "virtual_background";

/**
 * `PATCH /api/settings/update`: every field optional, at least one given. The API, the
 * dashboard's Call settings and the OpenAPI document read the same schema.
 */
export const companySettingsUpdateSchema = z
  .object({
    background_alias: z
      .string()
      .trim()
      .max(100)
      .transform((value) => value || null)
      .nullable()
      .optional()
      .describe("The `background_alias` an upload answered: that background becomes the default. `null` (or \"\") leaves the company without one."),
    name: organizationProfileUpdateSchema.shape.name.optional().describe("The organization's name, as every page and message shows it."),
    default_language: organizationProfileUpdateSchema.shape.language.optional().describe("The language calls and messages use when a person has none of their own."),
    end_call_redirect_url: httpsAddressSchema("of a page of the clinic, such as https://clinic.example/after-call")
      .nullable()
      .optional()
      .describe("Where each participant's browser goes when the call ends, after `end_call_redirect_timeout_ms`. An https address of at most 500 characters; `null` or \"\" removes it (the call page then just says the call ended)."),
    user_details_provider_url: httpsAddressSchema("of the clinic's service, such as https://clinic.example/api/users")
      .nullable()
      .optional()
      .describe(
        "An https endpoint of the clinic the portal may call to fetch a room user's display name and language (by their `userExternalId`), so rooms can name people the directory does not know yet. Stored and shown back; the portal does not call it yet. `null` or \"\" removes it.",
      ),
    end_call_redirect_timeout_ms: z
      .number()
      .int()
      .min(0)
      .max(END_CALL_REDIRECT_MAX_TIMEOUT_MS)
      .optional()
      .describe(`How long the call page shows its goodbye before going to \`end_call_redirect_url\`, in milliseconds (0 to ${END_CALL_REDIRECT_MAX_TIMEOUT_MS}; 5000 unless changed).`),
  })
  .refine((body) => COMPANY_SETTINGS_FIELDS.some((field) => body[field] !== undefined), {
    message: `must have at least one of the fields ${COMPANY_SETTINGS_FIELDS.join(", ")}`,
    params: { code: "no_fields" },
  })
  .meta({ id: "CompanySettingsUpdate" });
export type CompanySettingsUpdate = z.output<typeof companySettingsUpdateSchema>;

const creationDate = z.string().describe("When it was uploaded, ISO 8601 in UTC (`2024-05-02T09:15:27.512Z`).");
const backgroundUrl = z.string().describe("Where the image is served on this portal, to anyone with the address (`GET /api/backgrounds/{alias}`): the clinic's branding, not patient data.");

/** A background as the upload answers it (`virtual_background`). */
export const virtualBackgroundSchema = z
  .object({
    background_alias: z.string().describe("Its name: 32 hex characters. Send it to `PATCH /api/settings/update` to make it the default."),
    url: backgroundUrl,
    creation_date: creationDate,
  })
  .meta({ id: "VirtualBackground" });
export type VirtualBackground = z.infer<typeof virtualBackgroundSchema>;

export const uploadedBackgroundSchema = z.object({ virtual_background: virtualBackgroundSchema }).meta({ id: "UploadedBackground" });

/** The company's settings, as `PATCH /api/settings/update` answers them. */
export const companySchema = z
  .object({
    name: z.string(),
    default_language: z.string().describe("`es`, `en` or `it`."),
    default_background: z
      .object({ alias: z.string(), url: backgroundUrl, creation_date: creationDate })
      .nullable()
      .describe("The background calls offer first; null when there is none."),
    end_call_redirect_url: z.string().describe('"" when there is none.'),
    user_details_provider_url: z.string().describe('"" when there is none.'),
    end_call_redirect_timeout_ms: z.number().int(),
  })
  .meta({ id: "Company" });
export type Company = z.infer<typeof companySchema>;

export const companySettingsSchema = z.object({ company: companySchema }).meta({ id: "CompanySettings" });

export const backgroundListSchema = z
  .object({
    backgrounds: z.array(
      virtualBackgroundSchema.extend({ is_default: z.boolean().describe("Whether it is the company's default background.") }).meta({ id: "ListedBackground" }),
    ),
  })
  .meta({ id: "Backgrounds" });
export type ListedBackground = z.infer<typeof backgroundListSchema>["backgrounds"][number];

/** Said in the documentation and the dashboard: the largest upload. */
export const BACKGROUND_MAX_MEGABYTES = BACKGROUND_MAX_BYTES / (1024 * 1024);
