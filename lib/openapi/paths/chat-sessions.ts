import {
  CHAT_CALL_SECONDS,
  CHAT_LIST_DEFAULT_LIMIT,
  CHAT_LIST_MAX_LIMIT,
  chatSessionSchema,
  createChatSessionSchema,
  listChatSessionsQuerySchema,
  MAX_CHAT_PARTICIPANTS,
  MAX_CHAT_REASON,
  updateChatSessionSchema,
  type ChatSession,
} from "@/lib/chat-sessions/schema";
import { roomErrorSchema } from "@/lib/teleconsultation/schema";
import type { DocumentContext } from "../context";
import { contractError } from "../contract-errors";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import { queryParameters } from "../parameters";
import type {
  ExampleObject,
  JsonSchema,
  OpenApiDocument,
  ParameterObject,
  ResponseObject,
  SecurityRequirement,
} from "../types";

/** The organization's credential (either style), alone or naming a user with `X-User-Id`, or a user token. */
const CHAT_CALLERS: SecurityRequirement[] = [
  { ApiKey: [], ApiSecret: [] },
  { BearerAuth: [] },
  { ApiKey: [], ApiSecret: [], UserId: [] },
  { BearerAuth: [], UserId: [] },
  { UserToken: [] },
];

const SESSION_ID = "5b3c9d2e-7f1a-4c8b-9e0d-1a2b3c4d5e6f";
const ROOM_ID = "3f2a9c1e-4b7d-4e2a-9c1f-0a1b2c3d4e5f";

const WHO = `**Who acts.** With the organization's credential alone, the integrator: it sees and changes every session of the organization, but takes no directive (a directive is a participant's act: 403 \`chat_user_required\`). With \`X-User-Id\` (a user of the organization's directory) or that user's token from \`POST /api/credentials\`, the request acts as that user: it sees only the sessions they take part in (any other is 404), and its directives are theirs. An \`X-User-Id\` the directory does not know is 401 \`unauthorized_user\`.`;

const STATES = `**States.** \`created\` → \`started\` (directive \`start\`, by any participant: a patient asks for the consultation) → \`accepted\` (\`accept\`) or \`rejected\` (\`reject\`), both by a *plus* participant (a host, such as a \`doctor\`: the organization's room groups decide, as for the teleconsultation rooms; a basic one gets 403 \`chat_plus_required\`); \`accepted\` → \`finished\` (\`finish\`, by any participant). \`reject\` and \`finish\` take \`true\` or a reason (a string of up to ${MAX_CHAT_REASON} characters, kept as \`rejectReason\` / \`finishReason\`). A directive stamps its \`*At\` from the server's clock and its \`*By\` with the acting user. Any other step is 409 \`chat_session_state\`, whose message names the session's current state; a rejected or finished session no longer changes. Two directives at the same moment are taken one after the other: the second sees the first's state (two accepts: one 200, one 409). Each directive sends its webhook (\`chat_session.started\`, \`.accepted\`, \`.rejected\`, \`.finished\`), recorded with the change.`;

const ROOM = `**Room.** \`room\` links the chat to a call: the id of a room of the organization (a teleconsultation room's \`roomId\`, or a consultation's room; a deleted one is refused), or \`"new"\`: a new teleconsultation room for the session's participants, starting now and lasting ${CHAT_CALL_SECONDS / 60} minutes (no end when the service runs with \`UNLIMITED_TELECONSULTATION=true\`). Like every room, it needs a plus participant (400 \`no_plus_user\` at \`room\`); it is ready at once (\`room.ready\`), so \`GET /api/teleconsultation/{roomId}\` gives each participant their link. Messages written in the call go to the same transcript.`;

const HISTORY = `**Importing history.** The contract's explicit \`createdAt\`, \`startedAt\`/\`startedBy\`, \`acceptedAt\`/\`acceptedBy\`, \`rejectedAt\`/\`rejectedBy\`, \`rejectReason\`, \`finishedAt\`/\`finishedBy\`, \`finishReason\` are taken on POST only, from the organization's credential (a user token: 400 \`integrator_only\`), and only when they are a path of the state machine: each \`*At\` with its \`*By\`; every \`*By\` one of \`participants\` (\`acceptedBy\` and \`rejectedBy\` plus ones); accepted or rejected only after started, never both; finished only after accepted; \`rejectReason\` only with \`rejectedAt\`, \`finishReason\` only with \`finishedAt\`; times in epoch milliseconds, in order (createdAt ≤ startedAt ≤ acceptedAt or rejectedAt ≤ finishedAt) and none after the server's clock. The session then starts in the path's last state. Anything else is 400 naming each field at fault (\`details[].code\`: \`required\`, \`not_a_participant\`, \`plus_required\`, \`invalid_transition\`, \`out_of_order\`, \`in_the_future\`). \`createdAt\` defaults to \`startedAt\` when that is given, else to now. An import sends no webhooks: the history comes from your system. On PATCH the explicit fields are refused (400 \`use_directive\`): the directives set them.`;

const example = (value: unknown, summary: string): ExampleObject => ({
  summary,
  value,
});

/** The chat-sessions contract: `/api/chat-sessions`. */
export function chatSessionPaths({
  schemas,
  year,
}: DocumentContext): OpenApiDocument["paths"] {
  schemas.convert(roomErrorSchema, "output");
  const session = schemas.convert(chatSessionSchema, "output");
  const createBody = schemas.convert(createChatSessionSchema, "input");
  const updateBody = schemas.convert(updateChatSessionSchema, "input");
  const listParameters = queryParameters(
    schemas,
    listChatSessionsQuerySchema,
    {},
  );

  const at = (time: string) => Date.parse(`${year}-12-15T${time}:00.000Z`);
  const created: ChatSession = {
    id: SESSION_ID,
    createdAt: at("19:00"),
    createdBy: "account-id2",
    type: "telemed",
    title: "Hello",
    state: "created",
    room: null,
    startedAt: null,
    startedBy: null,
    acceptedAt: null,
    acceptedBy: null,
    rejectedAt: null,
    rejectedBy: null,
    rejectReason: null,
    finishedAt: null,
    finishedBy: null,
    finishReason: null,
    participants: ["account-id1", "account-id2"],
    unread: 0,
  };
  const accepted: ChatSession = {
    ...created,
    state: "accepted",
    room: ROOM_ID,
    startedAt: at("19:01"),
    startedBy: "account-id2",
    acceptedAt: at("19:04"),
    acceptedBy: "account-id1",
    unread: 2,
  };
  const rejected: ChatSession = {
    ...created,
    state: "rejected",
    startedAt: at("19:01"),
    startedBy: "account-id2",
    rejectedAt: at("19:04"),
    rejectedBy: "account-id1",
    rejectReason: "Please book an in-person visit.",
  };
  // The integrator alone names no user: no `unread`.
  const integratorView: ChatSession = { ...accepted };
  delete integratorView.unread;

  const headers = {
    "X-Request-Id": headerRef("X-Request-Id"),
    ...RATE_LIMIT_HEADERS,
  };
  const ok = (
    description: string,
    schema: JsonSchema,
    examples: Record<string, ExampleObject>,
    extraHeaders = {},
  ): Record<string, ResponseObject> => ({
    "200": {
      description,
      headers: { ...headers, ...extraHeaders },
      content: { "application/json": { schema, examples } },
    },
  });
  const json = (
    schema: JsonSchema,
    examples: Record<string, ExampleObject>,
  ) => ({
    required: true,
    content: { "application/json": { schema, examples } },
  });
  const idParameter: ParameterObject = {
    name: "chatSessionId",
    in: "path",
    required: true,
    description: "The session's `id`.",
    schema: { type: "string", format: "uuid" },
  };

  const errors = {
    "401": contractError(
      "No credential, not a valid one, an `X-User-Id` the directory does not know, or an expired user token.",
      ["missing_credentials", "invalid_credentials", "unauthorized_user"],
      {
        unauthorized_user:
          "Unauthorized user: X-User-Id names nobody in the organization's user directory.",
      },
      {},
      { "WWW-Authenticate": headerRef("WWW-Authenticate") },
    ),
    "429": contractError(
      "The credential's hourly request limit is used up.",
      ["rate_limited"],
      {},
      {},
      { "Retry-After": headerRef("Retry-After"), ...RATE_LIMIT_HEADERS },
    ),
    "500": contractError("An unexpected failure on the server.", [
      "internal_error",
    ]),
  };
  const notFound = contractError(
    "No such chat session in your organization, or not one of the named user's.",
    ["not_found"],
    { not_found: "The chat session was not found." },
  );
  const badBody = (
    extra: Parameters<typeof contractError>[1],
    details: Parameters<typeof contractError>[3] = {},
  ) =>
    contractError(
      "The body is not JSON, or a field is wrong: `details` names each field at fault.",
      [
        "validation_error",
        "invalid_json",
        "unsupported_content_type",
        "payload_too_large",
        ...extra,
      ],
      {},
      {
        unknown_room_user: [
          {
            field: "participants[1]",
            code: "unknown_room_user",
            message:
              'no user with userExternalId "account-id2" in the organization\'s directory (a teleconsultation room names a user, with fullName and groups, the first time)',
          },
        ],
        no_plus_user: [
          {
            field: "room",
            code: "no_plus_user",
            message:
              "a new room needs a plus participant (a host, such as a doctor) among the session's participants",
          },
        ],
        ...details,
      },
    );

  return {
    "/api/chat-sessions": {
      get: {
        operationId: "listChatSessions",
        summary: "List chat sessions",
        tags: ["Chat sessions"],
        security: CHAT_CALLERS,
        description: `The chat sessions the caller may see, newest first (by \`createdAt\`), filtered by \`participant\`, \`room\` and \`state\`, ${CHAT_LIST_DEFAULT_LIMIT} at a time (\`limit\` up to ${CHAT_LIST_MAX_LIMIT}).

**A bare array.** The answer is a JSON array of sessions, as the contract's example answer writes it (its field table calls the array \`chatSessions[]\`; we keep the example, so a client written from it works as it is), and not wrapped in the envelope of the consultation routes. The next page is therefore in the headers: \`Link: </api/chat-sessions?…&cursor=…>; rel="next"\` and \`X-Next-Cursor\`; both are absent on the last page. A cursor stays valid while sessions are created: a page never repeats or skips one.

${WHO} \`unread\` is in each session when the request names a user.`,
        parameters: listParameters,
        responses: {
          ...ok(
            "A page of sessions: a bare array.",
            { type: "array", items: session },
            {
              named: example(
                [accepted, created],
                "As a user (X-User-Id or a user token): with unread",
              ),
              integrator: example([integratorView], "As the integrator alone"),
              empty: example([], "No sessions"),
            },
            {
              Link: headerRef("Link"),
              "X-Next-Cursor": headerRef("X-Next-Cursor"),
            },
          ),
          "400": contractError(
            "A query parameter is wrong.",
            ["validation_error", "invalid_cursor"],
            {},
            {
              validation_error: [
                {
                  field: "state",
                  code: "invalid_value",
                  message:
                    'Invalid option: expected one of "created"|"started"|"accepted"|"rejected"|"finished"',
                },
              ],
            },
          ),
          ...errors,
        },
      },
      post: {
        operationId: "createChatSession",
        summary: "Create a chat session",
        tags: ["Chat sessions"],
        security: CHAT_CALLERS,
        description: `A chat session (\`type\` \`telemed\`) between 2 to ${MAX_CHAT_PARTICIPANTS} \`participants\`, account ids of the organization's user directory (the \`userExternalId\`s the teleconsultation rooms name; an unknown one is 400 \`unknown_room_user\` at \`participants[i]\`), each once, with an optional \`title\`. It answers **200** with the session (the contract's status), \`created\`, \`createdBy\` the user the request names (who must take part: 403 \`not_a_participant\`) or null. Start it with \`PATCH {"start": true}\`.

${ROOM}

${HISTORY}

${WHO}`,
        requestBody: json(createBody, {
          contract: example(
            { participants: ["account-id1", "account-id2"], title: "Hello" },
            "The contract's example",
          ),
          withCall: example(
            {
              participants: ["account-id1", "account-id2"],
              title: "Follow-up",
              room: "new",
            },
            "With a new room for a call",
          ),
          history: example(
            {
              participants: ["account-id1", "account-id2"],
              title: "Imported",
              createdAt: at("18:55"),
              startedAt: at("19:01"),
              startedBy: "account-id2",
              acceptedAt: at("19:04"),
              acceptedBy: "account-id1",
              finishedAt: at("19:30"),
              finishedBy: "account-id1",
            },
            "Importing a finished session (the organization's credential)",
          ),
        }),
        responses: {
          ...ok("The new session.", session, {
            created: example(created, "Created by the user named"),
            history: example(
              {
                ...integratorView,
                state: "finished",
                finishedAt: at("19:30"),
                finishedBy: "account-id1",
                createdBy: null,
              },
              "An imported session",
            ),
          }),
          "400": badBody(
            ["unknown_room_user", "unknown_group", "no_plus_user"],
            {
              validation_error: [
                {
                  field: "acceptedAt",
                  code: "invalid_transition",
                  message:
                    "needs startedAt: a session is accepted after it was started",
                },
              ],
            },
          ),
          ...errors,
          "403": contractError(
            "The user named does not take part in the session they create.",
            ["not_a_participant"],
            {
              not_a_participant:
                "A user creates sessions they take part in: add them to participants (or create it with the organization's credential alone).",
            },
          ),
        },
      },
    },
    "/api/chat-sessions/{chatSessionId}": {
      get: {
        operationId: "getChatSession",
        summary: "Read a chat session",
        tags: ["Chat sessions"],
        security: CHAT_CALLERS,
        description: `One session. Timestamps are epoch milliseconds (numbers); unset ones are null. \`unread\` (when the request names a user): the messages others wrote since that user last sent \`PATCH {"seen": true}\`. \`accessLinkURL\` (when the request names a participant): their chat page, \`/chat/cl_…\`, minted now and good for \`CHAT_LINK_TTL_SECONDS\` (a day by default): send it to the person to open the conversation in any browser. ${WHO}`,
        parameters: [idParameter],
        responses: {
          ...ok("The session.", session, {
            accepted: example(
              { ...accepted, accessLinkURL: `https://portal.example/chat/cl_${"A".repeat(94)}` },
              "Accepted, linked to a call, as a user (with their chat page's link)",
            ),
            rejected: example(rejected, "Rejected, with a reason"),
          }),
          ...errors,
          "404": notFound,
        },
      },
      patch: {
        operationId: "updateChatSession",
        summary: "Change a chat session: directives, seen, fields",
        tags: ["Chat sessions"],
        security: CHAT_CALLERS,
        description: `Answers 200 with the session as it now is. In one request, any of:

- **one directive**: \`start\`, \`accept\`, \`reject\` or \`finish\` (more than one: 400);
- **\`"seen": true\`** (the contract's example): every message so far is seen by the acting user, whose \`unread\` becomes 0;
- **fields**: \`title\`, \`room\` (a room id, \`"new"\`, or null to unlink) and \`participants\` (replaces the list, 2 to ${MAX_CHAT_PARTICIPANTS}; read marks of those who stay are kept; a user cannot remove themselves), by a participant or the integrator, while the session is not rejected or finished (409 \`chat_session_state\`).

Directives and \`seen\` are a participant's acts: the request must name one (\`X-User-Id\` or a user token; the integrator alone gets 403 \`chat_user_required\`, a user who does not take part 403 \`not_a_participant\` or, with a user token or \`X-User-Id\`, 404).

${STATES}

${ROOM}

${WHO}`,
        parameters: [idParameter],
        requestBody: json(updateBody, {
          seen: example(
            { seen: true },
            "The contract's example: mark the session seen",
          ),
          start: example({ start: true }, "Start: ask for the consultation"),
          accept: example({ accept: true }, "Accept (a plus participant)"),
          reject: example(
            { reject: "Please book an in-person visit." },
            "Reject with a reason (a plus participant)",
          ),
          finish: example({ finish: true }, "Finish"),
          call: example({ room: "new" }, "Turn the chat into a call"),
        }),
        responses: {
          ...ok("The session after the change.", session, {
            seen: example({ ...accepted, unread: 0 }, "Seen: unread is 0"),
            rejected: example(rejected, "Rejected"),
          }),
          "400": badBody(
            ["unknown_room_user", "unknown_group", "no_plus_user"],
            {
              validation_error: [
                {
                  field: "startedAt",
                  code: "use_directive",
                  message:
                    "is set by a directive on PATCH (start, accept, reject, finish) from the server's clock and the acting user; explicit timestamps are taken only when a session is created (history import)",
                },
              ],
            },
          ),
          ...errors,
          "403": contractError(
            "The request names no participant, or one who may not take this directive.",
            ["chat_user_required", "not_a_participant", "chat_plus_required"],
          ),
          "404": notFound,
          "409": contractError(
            "The directive does not apply to the session's state; the message names it.",
            ["chat_session_state"],
            {
              chat_session_state:
                "The chat session is created, not started: accept takes a started session.",
            },
          ),
        },
      },
    },
  };
}
