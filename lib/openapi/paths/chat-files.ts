import { chatFileSchema, CHAT_FILE_TYPES } from "@/lib/chat-files/schema";
import { CHAT_FILE_URL_TTL_MS } from "@/lib/chat-files/url";
import { CHAT_FILE_MAX_BYTES, CHAT_FILES_PER_HOUR } from "@/lib/limits";
import type { DocumentContext } from "../context";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import { errorResponse, internalError, okResponse } from "../responses";
import { PARTICIPANT } from "../security";
import type { ExampleObject, HeaderObject, OpenApiDocument, ParameterObject, RequestBodyObject, ResponseObject } from "../types";
import { contractError } from "../contract-errors";
import { AUTHENTICATE, credentialErrors, READER } from "./teleconsultation";

const FILE_ID = "7c1f0e2a-5b3d-4c8e-9a6f-2d4b8e0c1a3f";
const EXAMPLE_FILE = {
  id: FILE_ID,
  name: "informe.pdf",
  contentType: "application/pdf",
  size: 48213,
  url: `/api/chat-files/${FILE_ID}?expires=1767225600000&signature=mY8y1fQbq0vJk3x8lZ2o4T6s9Wc1eRgHn5uKd7aPz0E`,
};

const RULES = `Send one file as \`multipart/form-data\` in the field \`file\`: a JPEG, PNG or WebP image or a PDF, at most ${CHAT_FILE_MAX_BYTES} bytes (10 MB; one byte more is \`413 file_too_large\`, and the upload is dropped as soon as it passes the limit). The type is judged by the file's content, never its name or declared type: anything else (a program renamed \`.jpg\`, an HTML page or an SVG) is \`415 file_type_not_allowed\`. Images are decoded and encoded again, upright, without their metadata (EXIF, with any GPS position, XMP, IPTC); PDFs are kept byte for byte. The name is cleaned (no path, no control or invisible characters, at most 120 characters, the extension the content calls for). A refused upload stores nothing.`;

const URLS = `The answer's \`url\` downloads the file (\`GET /api/chat-files/{fileId}\`) for ${CHAT_FILE_URL_TTL_MS / 60_000} minutes; every read of a message mints a fresh one for its reader.`;

const multipart: RequestBodyObject = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file"],
        properties: { file: { type: "string", format: "binary", description: `The file: ${CHAT_FILE_TYPES.join(", ")}; at most ${CHAT_FILE_MAX_BYTES} bytes.` } },
      },
    },
  },
};

const fileIdParameter: ParameterObject = { name: "fileId", in: "path", required: true, description: "The file's `id`.", schema: { type: "string", format: "uuid" }, example: FILE_ID };

const downloadHeaders: Record<string, HeaderObject> = {
  "Content-Disposition": { description: "Always `attachment`, with the file's name: `attachment; filename=\"informe.pdf\"; filename*=UTF-8''informe.pdf`.", schema: { type: "string" } },
  "X-Content-Type-Options": { description: "`nosniff`: the browser takes the stored type as it is.", schema: { type: "string", const: "nosniff" } },
  "Cache-Control": { description: "`private, no-store`.", schema: { type: "string" } },
  "Content-Length": { description: "The file's size in bytes.", schema: { type: "integer" } },
};

/** Uploading files to a chat session or to a call's chat, and downloading them by their signed URL. */
export function chatFilePaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const file = schemas.convert(chatFileSchema, "output");
  const example = (value: unknown, summary: string): ExampleObject => ({ summary, value });
  const tooLarge = (envelope: "contract" | "envelope"): ResponseObject =>
    envelope === "contract" ? contractError("The file is larger than 10 MB.", ["file_too_large"]) : errorResponse("The file is larger than 10 MB.", ["file_too_large"], year);
  const badType = (envelope: "contract" | "envelope"): ResponseObject =>
    envelope === "contract"
      ? contractError("Not a JPEG, PNG or WebP image or a PDF, by its content.", ["file_type_not_allowed"])
      : errorResponse("Not a JPEG, PNG or WebP image or a PDF, by its content.", ["file_type_not_allowed"], year);
  const badForm = {
    validation_error: [{ field: "file", code: "required", message: "is required: send the file in the form field `file`" }],
    unsupported_content_type: [{ field: "Content-Type", code: "unsupported_content_type", message: "must be multipart/form-data" }],
  };

  return {
    "/api/chat-sessions/{chatSessionId}/files": {
      post: {
        operationId: "uploadChatSessionFile",
        summary: "Upload a file to a chat session",
        tags: ["Chat sessions"],
        security: READER,
        description: `A file for a message of the session, from one of its participants (at most ${CHAT_FILES_PER_HOUR} an hour each) (the user \`X-User-Id\` names, or the user token's), while the session is \`created\`, \`started\` or \`accepted\`. Answers \`201\` with the file; send it in a message with \`fileId\`.\n\n${RULES}\n\n${URLS}`,
        parameters: [{ name: "chatSessionId", in: "path", required: true, description: "The chat session's `id`.", schema: { type: "string", format: "uuid" } }],
        requestBody: multipart,
        responses: {
          "201": {
            description: "Stored.",
            headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS },
            content: { "application/json": { schema: file, examples: { pdf: example(EXAMPLE_FILE, "A PDF") } } },
          },
          "400": contractError("Not a multipart form, no `file` field, or an empty file.", ["validation_error", "unsupported_content_type"], {}, badForm),
          "401": contractError("No credential, or not a valid one.", ["missing_credentials", "invalid_credentials", "unauthorized_user"], {}, {}, AUTHENTICATE),
          "403": contractError("No user named, or one who does not take part in the session.", ["chat_user_required", "not_a_participant"]),
          "404": contractError("No such session for this caller (another organization's, or a user's who is not in it).", ["not_found"], { not_found: "The chat session was not found." }),
          "409": contractError("The session is rejected or finished.", ["chat_session_closed"]),
          "413": tooLarge("contract"),
          "415": badType("contract"),
          "429": contractError(
            "The credential's hourly request limit is used up, or this user added too many files to the session this hour.",
            ["rate_limited", "chat_files_rate_limited"],
            {},
            {},
            {
              "Retry-After": headerRef("Retry-After"),
              ...RATE_LIMIT_HEADERS,
            },
          ),
          "500": credentialErrors["500"],
          "503": contractError("The file storage failed; nothing was stored.", ["storage_unavailable"]),
        },
      },
    },
    "/api/rooms/{roomId}/chat/files": {
      post: {
        operationId: "uploadCallChatFile",
        summary: "Upload a file to the call's chat",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `A file for a message in the call's chat, from a participant in the call (their session cookie; at most ${CHAT_FILES_PER_HOUR} an hour). Answers \`201\` with the file; send it with \`POST /api/rooms/{roomId}/chat\` and \`{ "fileId": … }\` (with or without text). A file goes out in one message, from the participant who uploaded it.\n\n${RULES}\n\n${URLS}`,
        parameters: [
          { name: "roomId", in: "path", required: true, description: "The `roomId` of the join.", schema: { type: "string", format: "uuid" } },
          { name: "participantId", in: "query", required: true, description: "The `participantId` the PIN answer gave; names the session cookie to use.", schema: { type: "string", format: "uuid" } },
        ],
        requestBody: multipart,
        responses: {
          "201": okResponse("Stored.", file, {
            pdf: example({ success: true, data: EXAMPLE_FILE, metadata: { requestId: "9f2c4e1a7b3d5f60", timestamp: `${year}-03-14T15:09:26Z`, version: "v1" } }, "A PDF"),
          }),
          "400": errorResponse("Not a multipart form, no `file` field, or an empty file.", ["validation_error", "unsupported_content_type", "invalid_participant"], year, badForm),
          "401": errorResponse("No valid participant session in this browser.", ["session_required"], year),
          "404": errorResponse("Not this session's room.", ["not_found"], year),
          "409": errorResponse("Not in the call, or the call is over.", ["not_in_call", "chat_closed"], year),
          "413": tooLarge("envelope"),
          "415": badType("envelope"),
          "429": errorResponse("Too many files from this participant this hour.", ["chat_files_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
          "500": internalError(year),
          "503": errorResponse("The file storage failed; nothing was stored.", ["storage_unavailable"], year),
        },
      },
    },
    "/api/chat-files/{fileId}": {
      get: {
        operationId: "downloadChatFile",
        summary: "Download a chat file",
        tags: ["Chat sessions"],
        security: [],
        description: `The file's bytes, for the signed URL a message carries (\`url\`): the URL itself is the permission, minted for whoever may read the message (the session's or the call's participants, the clinic's staff) and good for ${CHAT_FILE_URL_TTL_MS / 60_000} minutes. Always served as an attachment, with the stored type, \`X-Content-Type-Options: nosniff\` and \`Cache-Control: private, no-store\`. A changed, forged or expired URL, or a file since deleted, is 404.`,
        parameters: [
          fileIdParameter,
          { name: "expires", in: "query", required: true, description: "When the URL stops working, in milliseconds since the epoch (as minted).", schema: { type: "string", pattern: "^\\d+$" } },
          { name: "signature", in: "query", required: true, description: "The URL's signature (as minted).", schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "The file, as an attachment.",
            headers: { "X-Request-Id": headerRef("X-Request-Id"), ...downloadHeaders },
            content: Object.fromEntries(CHAT_FILE_TYPES.map((type) => [type, { schema: { type: "string", format: "binary" } }])),
          },
          "404": errorResponse("A URL that is not valid (changed, forged, expired) or a file that was deleted.", ["not_found"], year),
          "500": internalError(year),
          "503": errorResponse("The file storage failed to read it.", ["storage_unavailable"], year),
        },
      },
    },
  };
}
