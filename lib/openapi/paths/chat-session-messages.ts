import {
  CHAT_SESSION_PAGE_DEFAULT,
  CHAT_SESSION_PAGE_LIMIT,
  chatSessionMessageSchema,
  sendSessionMessageSchema,
  type ChatSessionMessage,
} from "@/lib/chat-sessions/message-schema";
import { CHAT_MESSAGE_MAX_LENGTH, CHAT_MESSAGES_PER_MINUTE } from "@/lib/limits";
import { roomErrorSchema } from "@/lib/teleconsultation/schema";
import type { DocumentContext } from "../context";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import type { ExampleObject, JsonSchema, OpenApiDocument, ParameterObject, ResponseObject, SecurityRequirement } from "../types";
import { contractError } from "../contract-errors";
import { credentialErrors } from "./teleconsultation";

/** The organization's credential (with `X-User-Id` to act for a user, required to write), or a user's own token. */
const CHAT_CALLER: SecurityRequirement[] = [{ ApiKey: [], ApiSecret: [], UserId: [] }, { BearerAuth: [], UserId: [] }, { UserToken: [] }];

const SESSION_ID = "8c1d6f0e-2b3a-4c5d-9e8f-7a6b5c4d3e2f";
const FILE_ID = "5b2e7d41-9c0a-4f3e-8a1b-2c3d4e5f6a7b";

const sessionIdParameter: ParameterObject = { name: "chatSessionId", in: "path", required: true, description: "The chat session's `id`.", schema: { type: "string", format: "uuid" } };

/** Examples of the ChatSessionMessage shape (checked against its schema by the tests). */
export function chatSessionMessageExamples(year: number): Record<string, ChatSessionMessage> {
  const at = Date.UTC(year, 1, 22, 15, 31, 4);
  return {
    text: {
      id: 1041,
      chatSessionId: SESSION_ID,
      clientId: "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
      sender: "user3_external_id",
      senderName: "Jane Doe",
      role: "member",
      text: "Good afternoon, doctor.\nI have had a fever since yesterday.",
      file: null,
      sentAt: at,
    },
    file: {
      id: 1042,
      chatSessionId: SESSION_ID,
      clientId: null,
      sender: "user1_external_id",
      senderName: "Joe Smith",
      role: "member",
      text: "Your lab results",
      file: { id: FILE_ID, name: "results.pdf", contentType: "application/pdf", size: 48213, url: `/api/chat-files/${FILE_ID}?expires=${at + 600_000}&signature=q0m8wX3p2kq6bC1d4o9sYt7uVn5rLzA0eF2gH8iJ6kM` },
      sentAt: at + 45_000,
    },
  };
}

/** `GET/POST /api/chat-sessions/{chatSessionId}/messages` and the session's event stream. */
export function chatSessionMessagePaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  schemas.convert(roomErrorSchema, "output");
  const message = schemas.convert(chatSessionMessageSchema, "output");
  const sendBody = schemas.convert(sendSessionMessageSchema, "input");
  const examples = chatSessionMessageExamples(year);
  const example = (value: unknown, summary: string): ExampleObject => ({ summary, value });
  const ok = (description: string, schema: JsonSchema, values: Record<string, ExampleObject>, extraHeaders: ResponseObject["headers"] = {}): ResponseObject => ({
    description,
    headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS, ...extraHeaders },
    content: { "application/json": { schema, examples: values } },
  });
  const notFound = contractError("No such chat session in your organization, or not one of the user's own (a user token, or `X-User-Id` when reading).", ["not_found"], {
    not_found: "The chat session was not found.",
  });
  const cursorError = (field: string) =>
    contractError("A query parameter is wrong: `details` names it.", ["validation_error"], { validation_error: `${field}: must be a message id` }, {
      validation_error: [{ field, code: "invalid_cursor", message: "must be a message id (a whole number, 0 or more)" }],
    });

  return {
    "/api/chat-sessions/{chatSessionId}/messages": {
      get: {
        operationId: "listChatSessionMessages",
        summary: "Read a chat session's messages",
        tags: ["Chat sessions"],
        security: CHAT_CALLER,
        description: `The session's messages, oldest first (a bare array, like the sessions' list): those written in the session and, once it turned into a call, in the call's chat (one transcript). \`after\` is a message id: the next page starts after the last id of this one, and a full page answers a \`Link: <…?after=…>; rel="next"\` header. The organization's credential reads any of its sessions; a user's token, or the credential with \`X-User-Id\`, only that user's. A message's \`file.url\` is a signed download link minted for this answer, valid 10 minutes: read the messages again for a fresh one.`,
        parameters: [
          sessionIdParameter,
          { name: "after", in: "query", required: false, description: "Only messages stored after this message id (default 0: from the start).", schema: { type: "integer", minimum: 0, default: 0 } },
          {
            name: "limit",
            in: "query",
            required: false,
            description: `At most this many messages (1 to ${CHAT_SESSION_PAGE_LIMIT}).`,
            schema: { type: "integer", minimum: 1, maximum: CHAT_SESSION_PAGE_LIMIT, default: CHAT_SESSION_PAGE_DEFAULT },
          },
        ],
        responses: {
          "200": ok(
            "The messages.",
            { type: "array", items: message },
            { page: example([examples.text, examples.file], "A text and a file") },
            { Link: { description: 'The next page, when this one is full: `</api/chat-sessions/{id}/messages?after=1042&limit=100>; rel="next"`.', schema: { type: "string" } } },
          ),
          "400": cursorError("after"),
          ...credentialErrors,
          "404": notFound,
        },
      },
      post: {
        operationId: "sendChatSessionMessage",
        summary: "Send a message in a chat session",
        tags: ["Chat sessions"],
        security: CHAT_CALLER,
        description: `A participant writes: with their user token, or the organization's credential naming them in \`X-User-Id\`. \`text\` is plain text (never HTML; line breaks and emoji kept, control and bidirectional-override characters refused), at most ${CHAT_MESSAGE_MAX_LENGTH} characters after trimming. \`fileId\` attaches a file the sender uploaded to this session and has not sent yet; \`text\` may then be empty. Give \`clientId\` (a UUID the sender chooses) so a send retried after a lost answer is stored once: the retry answers 200 with the stored message. A session takes messages while \`created\`, \`started\` or \`accepted\`; once \`rejected\` or \`finished\` it is read-only (409). Each participant may send ${CHAT_MESSAGES_PER_MINUTE} messages a minute in a session. The other participants' open streams (\`GET …/events\`) get the message at once.`,
        parameters: [sessionIdParameter],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: sendBody,
              examples: {
                text: example({ text: "Good afternoon, doctor.\nI have had a fever since yesterday.", clientId: "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" }, "Text"),
                file: example({ text: "Your lab results", fileId: FILE_ID }, "A file with a caption"),
              },
            },
          },
        },
        responses: {
          "201": ok("Stored and sent.", message, { text: example(examples.text, "A text"), file: example(examples.file, "A file") }),
          "200": ok("This `clientId` was already sent by this participant: the stored message, nothing sent again.", message, { retried: example(examples.text, "The stored message") }),
          "400": contractError(
            "The body is not JSON, or a field is wrong: `details` names each field at fault.",
            ["validation_error", "invalid_json", "unsupported_content_type", "payload_too_large"],
            { validation_error: "fileId: must be the id of a file you uploaded to this chat session" },
            { validation_error: [{ field: "fileId", code: "unknown_file", message: "must be the id of a file you uploaded to this chat session" }] },
          ),
          ...credentialErrors,
          "403": contractError("Nobody named who writes (`X-User-Id`), or they are not one of the session's participants.", ["chat_user_required", "not_a_participant"]),
          "404": notFound,
          "409": contractError("The session is rejected or finished.", ["chat_session_closed"]),
          "429": contractError(
            "The credential's hourly request limit is used up, or this participant sent too many messages this minute. Wait `Retry-After` seconds.",
            ["rate_limited", "chat_rate_limited"],
            {},
            {},
            { "Retry-After": headerRef("Retry-After"), ...RATE_LIMIT_HEADERS },
          ),
        },
      },
    },
    "/api/chat-sessions/{chatSessionId}/events": {
      get: {
        operationId: "chatSessionEvents",
        summary: "A chat session's live stream (Server-Sent Events)",
        tags: ["Chat sessions"],
        security: CHAT_CALLER,
        description:
          "A `text/event-stream` for the session's page, with the same access as reading its messages. First `hello`: the session as it is (`{ id, state, room, createdAt, startedAt, acceptedAt, rejectedAt, finishedAt, rejectReason, finishReason }`, times in epoch milliseconds or null). Then every message stored after `Last-Event-ID` (or `?after=`) as `message` events whose data is a ChatSessionMessage and whose `id:` is the message id, so a client that reconnects with the last id it got resumes with nothing lost or repeated; and a `session` event (the same shape as `hello`) whenever the session's state or call changes (a directive, a call started). A comment every 15 seconds keeps proxies from closing it; the stream ends after 10 minutes, and the client reconnects (authenticated again) with `Last-Event-ID`. A browser page reads it with `fetch` and a reader (EventSource cannot send the `Authorization` header). Events are relayed through PostgreSQL `LISTEN/NOTIFY`, so any app instance serves any reader.",
        parameters: [
          sessionIdParameter,
          { name: "after", in: "query", required: false, description: "Resume after this message id (the `Last-Event-ID` header wins).", schema: { type: "integer", minimum: 0 } },
          { name: "Last-Event-ID", in: "header", required: false, description: "The last message id the client got.", schema: { type: "integer", minimum: 0 } },
        ],
        responses: {
          "200": { description: "The event stream.", headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS }, content: { "text/event-stream": { schema: { type: "string" } } } },
          "400": cursorError("Last-Event-ID"),
          ...credentialErrors,
          "404": notFound,
        },
      },
    },
  };
}
