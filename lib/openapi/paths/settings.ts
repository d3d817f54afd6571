import type { ErrorCode } from "@/lib/errors";
import { BACKGROUND_MAX_BYTES, BACKGROUND_MAX_HEIGHT, BACKGROUND_MAX_WIDTH, BACKGROUNDS_PER_ORGANIZATION, END_CALL_REDIRECT_MAX_TIMEOUT_MS } from "@/lib/limits";
import {
  BACKGROUND_FIELD,
  backgroundListSchema,
  COMPANY_SETTINGS_FIELDS,
  companySettingsSchema,
  companySettingsUpdateSchema,
  uploadedBackgroundSchema,
} from "@/lib/settings/schema";
import type { DocumentContext } from "../context";
import { contractError } from "../contract-errors";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import { errorResponse, internalError } from "../responses";
import { AUTHENTICATED } from "../security";
import type { ExampleObject, JsonSchema, OpenApiDocument, ParameterObject, ResponseObject } from "../types";
import { AUTHENTICATE } from "./teleconsultation";

const ALIAS = "3e4d0683d78be3a884b7a60028644f57";
const OTHER_ALIAS = "9b1f6e2a0c4d48e7a5b3c2d1e0f9a8b7";

const example = (value: unknown, summary: string): ExampleObject => ({ summary, value });

/** What every `/api/settings` route may answer besides its own: the contract's 401, a user token refused, the rate limit, a fault. */
const settingsErrors = {
  "401": contractError(
    "No credential, or not a valid one: exactly the contract's `Unauthorized user` (`code` says which).",
    ["missing_credentials", "invalid_credentials"],
    { missing_credentials: "Unauthorized user", invalid_credentials: "Unauthorized user" },
    {},
    AUTHENTICATE,
  ),
  "403": contractError("A room user's token: the settings take the organization's credential.", ["user_token_not_allowed"]),
  "429": contractError("The credential's hourly request limit is used up.", ["rate_limited"], {}, {}, { "Retry-After": headerRef("Retry-After"), ...RATE_LIMIT_HEADERS }),
  "500": contractError("An unexpected failure on the server.", ["internal_error"]),
};

const aliasParameter: ParameterObject = {
  name: "alias",
  in: "path",
  required: true,
  description: "The `background_alias` an upload answered (32 lowercase hex characters).",
  schema: { type: "string", pattern: "^[0-9a-f]{32}$" },
  example: ALIAS,
};

const UPLOAD_RULES = `Send one image as \`multipart/form-data\` in the field \`${BACKGROUND_FIELD}\` (with curl: \`--form ${BACKGROUND_FIELD}=@backdrop.jpg\`): a JPEG, PNG or WebP image of at most ${BACKGROUND_MAX_BYTES} bytes (10 MB; one byte more is \`413 file_too_large\`, and the upload is dropped as soon as it passes the limit, before it is all read). The type is judged by the content, never the name or declared type: anything else (a text file or a program renamed \`.png\`, an SVG, a GIF) is \`415 file_type_not_allowed\`. The image is decoded and encoded again in its own format, upright, without its metadata (EXIF, with any GPS position or camera serial, XMP, IPTC), and shrunk to fit inside ${BACKGROUND_MAX_WIDTH}×${BACKGROUND_MAX_HEIGHT} when larger (never enlarged). An organization keeps at most ${BACKGROUNDS_PER_ORGANIZATION} backgrounds (\`409 background_limit\`: delete one first). A refused upload stores nothing.`;

const COMPANY_FIELDS = `Every field is optional; send at least one of ${COMPANY_SETTINGS_FIELDS.map((field) => `\`${field}\``).join(", ")} (none is \`400\` with \`code: "no_fields"\` in \`details\`, listing them). \`background_alias\` must be one of your organization's backgrounds (\`400 unknown_background\` otherwise, the same answer whether it never existed, was deleted, or is another organization's); \`null\` removes the default. The addresses are https, at most 500 characters; \`null\` or \`""\` removes one. \`end_call_redirect_timeout_ms\` is 0 to ${END_CALL_REDIRECT_MAX_TIMEOUT_MS}.

- \`end_call_redirect_url\`: when a call ends, each participant's call page says goodbye for \`end_call_redirect_timeout_ms\`, then goes to this page of the clinic (a survey, the clinic's app).
- \`user_details_provider_url\`: an https endpoint of the clinic that the portal may call to fetch a room user's display name and language (by their \`userExternalId\`), so a room can name people the directory does not know yet. It is stored and shown back; the portal does not call it yet.

The body is JSON. The contract's example sends it with \`curl --data\` and no type, which curl sends as \`application/x-www-form-urlencoded\`: this route reads such a body as JSON too, so the example works as written.`;

/** The teleconsultation contract's `/settings/*`, our list and delete of backgrounds, and the public image URL. */
export function settingsPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const uploaded = schemas.convert(uploadedBackgroundSchema, "output");
  const company = schemas.convert(companySettingsSchema, "output");
  const list = schemas.convert(backgroundListSchema, "output");
  const updateBody = schemas.convert(companySettingsUpdateSchema, "input");
  const created = `${year}-05-02T09:15:27.512Z`;
  const url = (alias: string) => `https://portal.example/api/backgrounds/${alias}`;
  const ok = (description: string, schema: JsonSchema, examples: Record<string, ExampleObject>): Record<string, ResponseObject> => ({
    "200": { description, headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS }, content: { "application/json": { schema, examples } } },
  });
  const companyExample = (defaultBackground: boolean) => ({
    company: {
      name: "Clínica del Norte",
      default_language: "es",
      default_background: defaultBackground ? { alias: ALIAS, url: url(ALIAS), creation_date: created } : null,
      end_call_redirect_url: "",
      user_details_provider_url: "",
      end_call_redirect_timeout_ms: 5000,
    },
  });
  const badBody = (codes: ErrorCode[]) =>
    contractError("The body is not JSON, or a field is wrong: `details` names each field at fault.", codes, {}, {
      validation_error: [{ field: "end_call_redirect_url", code: "invalid_format", message: "must be an https:// address of a page of the clinic, such as https://clinic.example/after-call" }],
      unknown_background: [{ field: "background_alias", code: "unknown_background", message: "is not one of this organization's backgrounds: use a background_alias that POST /api/settings/background-image answered" }],
      unsupported_content_type: [{ field: "Content-Type", code: "unsupported_content_type", message: "must be application/json" }],
    });
  const jsonBody = { schema: updateBody, examples: { contract: example({ background_alias: ALIAS }, "The contract's example: make a background the default") } };

  return {
    "/api/settings/background-image": {
      post: {
        operationId: "uploadBackgroundImage",
        summary: "Upload a virtual background",
        tags: ["Settings"],
        security: AUTHENTICATED,
        description: `Uploads an image participants can show behind themselves in calls, and answers \`200 { virtual_background: { background_alias, url, creation_date } }\`. Make it the default with \`PATCH /api/settings/update\` and its \`background_alias\`.\n\n${UPLOAD_RULES}\n\n\`url\` serves the stored image to anyone with the address (\`GET /api/backgrounds/{alias}\`): the alias is 128 random bits, and a background is the clinic's branding, not patient data.`,
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: [BACKGROUND_FIELD],
                properties: { [BACKGROUND_FIELD]: { type: "string", format: "binary", description: `The image: image/jpeg, image/png or image/webp; at most ${BACKGROUND_MAX_BYTES} bytes.`, examples: ["backdrop.jpg"] } },
              },
            },
          },
        },
        responses: {
          ...ok("Stored.", uploaded, { uploaded: example({ virtual_background: { background_alias: ALIAS, url: url(ALIAS), creation_date: created } }, "The new background") }),
          "400": contractError("Not a multipart form, no file in `virtual_background`, or an empty file.", ["validation_error", "unsupported_content_type"], {}, {
            validation_error: [{ field: BACKGROUND_FIELD, code: "required", message: `is required: send the file in the form field \`${BACKGROUND_FIELD}\`` }],
            unsupported_content_type: [{ field: "Content-Type", code: "unsupported_content_type", message: "must be multipart/form-data" }],
          }),
          ...settingsErrors,
          "409": contractError(`The organization already keeps ${BACKGROUNDS_PER_ORGANIZATION} backgrounds.`, ["background_limit"]),
          "413": contractError("The file is larger than 10 MB.", ["file_too_large"]),
          "415": contractError("Not a JPEG, PNG or WebP image, by its content.", ["file_type_not_allowed"], {
            file_type_not_allowed: "A background must be a JPEG, PNG or WebP image (this file is not an image).",
          }),
          "503": contractError("The file storage failed; nothing was stored.", ["storage_unavailable"]),
        },
      },
    },
    "/api/settings/update": {
      patch: {
        operationId: "updateCompanySettings",
        summary: "Change the company's settings",
        tags: ["Settings"],
        security: AUTHENTICATED,
        description: `Changes the fields given and answers \`200 { company }\` with all of them (the same as \`GET /api/settings\`): \`default_background\` is null when there is none, and an address not set is \`""\`.\n\n${COMPANY_FIELDS}`,
        requestBody: { required: true, content: { "application/json": jsonBody, "application/x-www-form-urlencoded": jsonBody } },
        responses: {
          ...ok("The company's settings after the change.", company, {
            contract: example(companyExample(true), "After the contract's example"),
          }),
          "400": badBody(["validation_error", "unknown_background", "invalid_json", "unsupported_content_type", "payload_too_large"]),
          ...settingsErrors,
        },
      },
    },
    "/api/settings": {
      get: {
        operationId: "getCompanySettings",
        summary: "Read the company's settings",
        tags: ["Settings"],
        security: AUTHENTICATED,
        description: "The company's settings, as `PATCH /api/settings/update` answers them: `200 { company }`.",
        responses: { ...ok("The company's settings.", company, { withoutBackground: example(companyExample(false), "No default background yet") }), ...settingsErrors },
      },
    },
    "/api/settings/backgrounds": {
      get: {
        operationId: "listBackgrounds",
        summary: "List the uploaded backgrounds",
        tags: ["Settings"],
        security: AUTHENTICATED,
        description: `Every background the organization keeps (at most ${BACKGROUNDS_PER_ORGANIZATION}), newest first, each saying whether it is the default: \`200 { backgrounds: [{ background_alias, url, creation_date, is_default }] }\`.`,
        responses: {
          ...ok("The backgrounds.", list, {
            two: example(
              {
                backgrounds: [
                  { background_alias: OTHER_ALIAS, url: url(OTHER_ALIAS), creation_date: `${year}-06-11T14:02:09.031Z`, is_default: false },
                  { background_alias: ALIAS, url: url(ALIAS), creation_date: created, is_default: true },
                ],
              },
              "Two backgrounds, the older the default",
            ),
          }),
          ...settingsErrors,
        },
      },
    },
    "/api/settings/backgrounds/{alias}": {
      delete: {
        operationId: "deleteBackground",
        summary: "Delete a background",
        tags: ["Settings"],
        security: AUTHENTICATED,
        description: "Deletes the background and its image and answers 204. If it was the default, the company has no default background any more. Its `url` answers 404 from then on (a browser that loaded it may still show its cached copy).",
        parameters: [aliasParameter],
        responses: {
          "204": { description: "Deleted.", headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS } },
          ...settingsErrors,
          "404": contractError("No such background in your organization (another organization's is not found either).", ["not_found"], { not_found: "The background was not found." }),
        },
      },
    },
    "/api/backgrounds/{alias}": {
      get: {
        operationId: "getBackgroundImage",
        summary: "A background's image",
        tags: ["Settings"],
        security: [],
        description:
          "The stored image, for the `url` an upload answered: no credential (every participant's call page loads it; the alias is 128 random bits). Served with its type, `X-Content-Type-Options: nosniff` and `Cache-Control: public, max-age=31536000, immutable` (an alias names one image for good). An unknown, deleted or malformed alias is 404.",
        parameters: [aliasParameter],
        responses: {
          "200": {
            description: "The image.",
            headers: {
              "X-Request-Id": headerRef("X-Request-Id"),
              "Cache-Control": { description: "`public, max-age=31536000, immutable`.", schema: { type: "string" } },
              "X-Content-Type-Options": { description: "`nosniff`.", schema: { type: "string", const: "nosniff" } },
              "Content-Length": { description: "The image's size in bytes.", schema: { type: "integer" } },
            },
            content: Object.fromEntries(["image/jpeg", "image/png", "image/webp"].map((type) => [type, { schema: { type: "string", format: "binary" } }])),
          },
          "404": errorResponse("No such background (never uploaded, deleted, or not an alias).", ["not_found"], year),
          "500": internalError(year),
          "503": errorResponse("The file storage failed to read it.", ["storage_unavailable"], year),
        },
      },
    },
  };
}
