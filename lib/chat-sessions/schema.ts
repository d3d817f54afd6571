import { z } from "zod";
import { AppError, type FieldError } from "@/lib/errors";
import { plainFreeText, plainName, storable } from "@/lib/validation/text";

/**
 * The chat-sessions contract's shapes, once: the route handlers parse with them and the OpenAPI
 * document renders them. Field names and types are the contract's (`startedAt` epoch
 * milliseconds, `startedBy` an account id: the directory's `userExternalId`).
 */

export const CHAT_SESSION_STATES = [
  "created",
  "started",
  "accepted",
  "rejected",
  "finished",
] as const;
export type ChatSessionStateName = (typeof CHAT_SESSION_STATES)[number];

/** A chat session has 2 to 25 participants, like a room it may turn into. */
export const MIN_CHAT_PARTICIPANTS = 2;
export const MAX_CHAT_PARTICIPANTS = 25;
export const MAX_CHAT_TITLE = 200;
/** A rejection's or an ending's reason, as the clinician writes it. */
export const MAX_CHAT_REASON = 500;
/** How long the call of `"room": "new"` lasts from its creation (none when UNLIMITED_TELECONSULTATION). */
export const CHAT_CALL_SECONDS = 3600;
/** Explicit timestamps (a history import) are from 2000-01-01 on, and never after the server's clock. */
export const EARLIEST_STAMP_MS = Date.UTC(2000, 0, 1);

export const CHAT_LIST_DEFAULT_LIMIT = 25;
export const CHAT_LIST_MAX_LIMIT = 100;

const accountId = storable(
  z
    .string({ error: "must be a string: an account id (userExternalId)" })
    .trim()
    .min(1)
    .max(200),
).describe(
  "An account id: the organization's `userExternalId` of a user in its directory (the same ids as the teleconsultation rooms').",
);

const epochMs = (what: string) =>
  z
    .number({ error: "must be a number: epoch milliseconds" })
    .int("must be whole milliseconds")
    .min(EARLIEST_STAMP_MS, "must be from 2000-01-01 on")
    .max(8.64e15, "is not a time")
    .describe(`${what}, epoch milliseconds.`);

const participantsSchema = z
  .array(accountId, { error: "must be an array of account ids" })
  .min(
    MIN_CHAT_PARTICIPANTS,
    `must name at least ${MIN_CHAT_PARTICIPANTS} participants`,
  )
  .max(
    MAX_CHAT_PARTICIPANTS,
    `must name at most ${MAX_CHAT_PARTICIPANTS} participants`,
  )
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id))
        ctx.addIssue({
          code: "custom",
          message: `names ${JSON.stringify(id)} twice`,
          path: [i],
          params: { code: "duplicate" },
        });
      seen.add(id);
    });
  })
  .describe(
    `Who takes part, ${MIN_CHAT_PARTICIPANTS} to ${MAX_CHAT_PARTICIPANTS} account ids of the organization's directory, each once.`,
  );

const reasonText = plainFreeText(
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(MAX_CHAT_REASON, `must be at most ${MAX_CHAT_REASON} characters`),
);

const common = {
  type: z
    .literal("telemed", { error: 'must be "telemed"' })
    .optional()
    .describe("Always `telemed` (the only type)."),
  title: plainName(
    z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(MAX_CHAT_TITLE, `must be at most ${MAX_CHAT_TITLE} characters`),
  )
    .nullable()
    .optional()
    .describe(
      `A title for the session, one line of up to ${MAX_CHAT_TITLE} characters (null: none).`,
    ),
  room: z
    .union([z.literal("new"), z.uuid()], {
      error: 'must be a room id (a uuid) or "new"',
    })
    .nullable()
    .optional()
    .describe(
      `The call the chat is linked to: a room of the organization (a teleconsultation room's \`roomId\`, or a consultation's room), or \`"new"\`: a new teleconsultation room for the session's participants, starting now and lasting ${CHAT_CALL_SECONDS / 60} minutes (no end when the service runs with UNLIMITED_TELECONSULTATION), which needs a plus participant. \`null\` unlinks it.`,
    ),
};

/** The contract's explicit timestamps: an integrator importing history sets them on POST; PATCH takes the directives instead. */
const stampFields = {
  createdAt: epochMs(
    "When the session was created (history import); by default now, or the earliest timestamp given",
  ).optional(),
  startedAt: epochMs("When it was started (history import)").optional(),
  startedBy: accountId
    .optional()
    .describe("Who started it (history import): a participant's account id."),
  acceptedAt: epochMs("When it was accepted (history import)").optional(),
  acceptedBy: accountId
    .optional()
    .describe(
      "Who accepted it (history import): a plus participant's account id.",
    ),
  rejectedAt: epochMs("When it was rejected (history import)").optional(),
  rejectedBy: accountId
    .optional()
    .describe(
      "Who rejected it (history import): a plus participant's account id.",
    ),
  rejectReason: reasonText
    .optional()
    .describe(
      `Why it was rejected (history import), up to ${MAX_CHAT_REASON} characters.`,
    ),
  finishedAt: epochMs("When it was finished (history import)").optional(),
  finishedBy: accountId
    .optional()
    .describe("Who finished it (history import): a participant's account id."),
  finishReason: reasonText
    .optional()
    .describe(
      `Why it was finished (history import), up to ${MAX_CHAT_REASON} characters.`,
    ),
};
export const STAMP_FIELDS = Object.keys(
  stampFields,
) as (keyof typeof stampFields)[];

export const createChatSessionSchema = z
  .object({ participants: participantsSchema, ...common, ...stampFields })
  // Unknown fields are refused, each named (parseChatInput).
  .strict()
  .meta({ id: "CreateChatSession" });
export type CreateChatSessionInput = z.infer<typeof createChatSessionSchema>;

const trueOnly = (what: string) =>
  z.literal(true, { error: "must be true" }).optional().describe(what);
const trueOrReason = (what: string) =>
  z
    .union([z.literal(true), reasonText], {
      error: `must be true or a reason (a string of 1 to ${MAX_CHAT_REASON} characters)`,
    })
    .optional()
    .describe(what);

export const DIRECTIVES = ["start", "accept", "reject", "finish"] as const;
export type Directive = (typeof DIRECTIVES)[number];

export const updateChatSessionSchema = z
  .object({
    ...common,
    participants: participantsSchema
      .optional()
      .describe(
        "Replaces the participant list (while the session is not rejected or finished); read marks of those who stay are kept.",
      ),
    ...(Object.fromEntries(
      Object.entries(stampFields).map(([name, schema]) => [
        name,
        schema.describe(
          "Not taken on PATCH (400): the directives set the timestamps, from the server's clock and the acting user.",
        ),
      ]),
    ) as typeof stampFields),
    start: trueOnly(
      "Directive: `created` → `started`, by any participant (a patient asks for the consultation).",
    ),
    accept: trueOnly(
      "Directive: `started` → `accepted`, by a plus participant (a clinician).",
    ),
    reject: trueOrReason(
      `Directive: \`started\` → \`rejected\`, by a plus participant; a string is the reason (\`rejectReason\`).`,
    ),
    finish: trueOrReason(
      `Directive: \`accepted\` → \`finished\`, by any participant; a string is the reason (\`finishReason\`).`,
    ),
    seen: trueOnly(
      "Marks every message so far as seen by the acting user: their `unread` becomes 0.",
    ),
  })
  // Unknown fields are refused, each named (parseChatInput).
  .strict()
  .superRefine((body, ctx) => {
    const given = DIRECTIVES.filter((d) => body[d] !== undefined);
    for (const extra of given.slice(1))
      ctx.addIssue({
        code: "custom",
        path: [extra],
        message: `one directive at a time (also given: ${given[0]})`,
        params: { code: "one_directive" },
      });
  })
  .meta({ id: "UpdateChatSession" });
export type UpdateChatSessionInput = z.infer<typeof updateChatSessionSchema>;

const stamp = (what: string) =>
  z
    .number()
    .int()
    .nullable()
    .describe(`${what}, epoch milliseconds; null until then.`);
const by = (what: string) =>
  z
    .string()
    .nullable()
    .describe(`${what}: an account id (userExternalId); null until then.`);

export const chatSessionSchema = z
  .object({
    id: z.uuid().describe("The session's id."),
    createdAt: z
      .number()
      .int()
      .describe("When it was created, epoch milliseconds."),
    createdBy: z
      .string()
      .nullable()
      .describe(
        "The account id of the user who created it (`X-User-Id` or the user token's), or null when the integrator created it without naming one.",
      ),
    type: z.literal("telemed"),
    title: z.string().nullable(),
    state: z
      .enum(CHAT_SESSION_STATES)
      .describe(
        "`created` → `started` (`start`) → `accepted` (`accept`) or `rejected` (`reject`); `accepted` → `finished` (`finish`).",
      ),
    room: z
      .uuid()
      .nullable()
      .describe(
        "The linked room's id (a teleconsultation room's `roomId`, or a consultation's room), or null.",
      ),
    startedAt: stamp("When it was started"),
    startedBy: by("Who started it"),
    acceptedAt: stamp("When it was accepted"),
    acceptedBy: by("Who accepted it"),
    rejectedAt: stamp("When it was rejected"),
    rejectedBy: by("Who rejected it"),
    rejectReason: z
      .string()
      .nullable()
      .describe("The reason given with `reject`, if any."),
    finishedAt: stamp("When it was finished"),
    finishedBy: by("Who finished it"),
    finishReason: z
      .string()
      .nullable()
      .describe("The reason given with `finish`, if any."),
    participants: z
      .array(z.string())
      .describe("Account ids (userExternalId), in the order they were given."),
    unread: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'Only when the request names a user (`X-User-Id` or a user token): messages from others since that user last marked the session seen (`PATCH {"seen": true}`).',
      ),
    accessLinkURL: z
      .string()
      .nullable()
      .optional()
      .describe(
        "Only from `GET /api/chat-sessions/{id}` when the request names a user (`X-User-Id` or a user token): that user's chat page (`/chat/cl_…`), minted for this request, which opens the conversation in a browser without an account. It can be opened for `CHAT_LINK_TTL_SECONDS` (a day by default), so it can be sent by SMS or e-mail; the tab that opened it keeps working for 12 hours. Revoking the API credential that made it, or removing the user from the session, closes it at once. Null when the user does not take part.",
      ),
  })
  .meta({ id: "ChatSession" });
export type ChatSession = z.infer<typeof chatSessionSchema>;

export const listChatSessionsQuerySchema = z
  .object({
    participant: accountId
      .optional()
      .describe("Only sessions this account id takes part in."),
    room: z.uuid().optional().describe("Only sessions linked to this room."),
    state: z
      .enum(CHAT_SESSION_STATES)
      .optional()
      .describe("Only sessions in this state."),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(CHAT_LIST_MAX_LIMIT)
      .default(CHAT_LIST_DEFAULT_LIMIT)
      .describe(`Page size, 1 to ${CHAT_LIST_MAX_LIMIT}.`),
    cursor: storable(z.string().trim().min(1).max(500))
      .optional()
      .describe(
        'The `X-Next-Cursor` of the previous page (also in its `Link: <…>; rel="next"`). Leave out for the first page.',
      ),
  })
  .meta({ id: "ListChatSessionsQuery" });
export type ListChatSessionsQuery = z.infer<typeof listChatSessionsQuerySchema>;

/** A field's path as the contract's errors name it: `participants[1]`, `room`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (at, key) =>
        typeof key === "number"
          ? `${at}[${key}]`
          : at
            ? `${at}.${String(key)}`
            : String(key),
      "",
    ) || "body"
  );
}

/**
 * Parses a body or a query with one of these schemas, as a 400 naming every field at fault;
 * an unknown field is named itself (zod reports those at the object).
 */
export function parseChatInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details: FieldError[] = parsed.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          field: fieldPath([...issue.path, key]),
          code: "unknown_field",
          message: "is not a field of a chat session",
        }))
      : [
          {
            field: fieldPath(issue.path),
            message: issue.message,
            code:
              issue.code === "custom" && typeof issue.params?.code === "string"
                ? issue.params.code
                : issue.code,
          },
        ],
  );
  throw AppError.validation(details);
}
