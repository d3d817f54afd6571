import { deletedUploadsSchema } from "@/lib/chat-files/schema";
import type { ErrorCode } from "@/lib/errors";
import {
  createdRoomSchema,
  createRoomSchema,
  credentialsRequestSchema,
  credentialsSchema,
  MAX_ROOM_PARTICIPANTS,
  participantDataSchema,
  roomErrorSchema,
  roomViewSchema,
  updateRoomSchema,
} from "@/lib/teleconsultation/schema";
import type { DocumentContext } from "../context";
import { contractError } from "../contract-errors";
import { headerRef, RATE_LIMIT_HEADERS } from "../headers";
import type { ExampleObject, JsonSchema, OpenApiDocument, ParameterObject, ResponseObject, SecurityRequirement } from "../types";

/** The organization's credential (any style) with `X-User-Id`, or a user token. */
export const ORGANIZATION: SecurityRequirement[] = [{ ApiKey: [], ApiSecret: [], UserId: [] }, { BearerAuth: [], UserId: [] }, { ContractApiKey: [], UserId: [] }];
export const READER: SecurityRequirement[] = [...ORGANIZATION, { UserToken: [] }];

const ROOM_ID = "3f2a9c1e-4b7d-4e2a-9c1f-0a1b2c3d4e5f";

const noContent = (description: string): ResponseObject => ({ description, headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS } });
export const AUTHENTICATE = { "WWW-Authenticate": headerRef("WWW-Authenticate") };
export const credentialErrors = {
  "401": contractError("No credential, not a valid one, or (where a user is needed) no user.", ["missing_credentials", "invalid_credentials", "unauthorized_user"], {}, {}, AUTHENTICATE),
  "429": contractError("The credential's hourly request limit is used up.", ["rate_limited"], {}, {}, { "Retry-After": headerRef("Retry-After"), ...RATE_LIMIT_HEADERS }),
  "500": contractError("An unexpected failure on the server.", ["internal_error"]),
};
const badBody = (extra: ErrorCode[] = []) =>
  contractError("The body is not JSON, or a field is wrong: `details` names each field at fault.", ["validation_error", "invalid_json", "unsupported_content_type", "payload_too_large", ...extra], {}, {
    validation_error: [{ field: "duration_in_seconds", code: "too_short", message: "the room must last at least 5 minutes (got 120 seconds)" }],
    unknown_room_user: [{ field: "participants[1]", code: "unknown_room_user", message: 'no room user with userExternalId "user2_auth0_id"; give their fullName and groups the first time they take part' }],
  });
const notFound = (roomId = ROOM_ID) => contractError("No such room in your organization (or it was deleted).", ["room_not_found"], { room_not_found: `Room with id ${roomId} not found on CRUD` });
const roomIdParameter: ParameterObject = { name: "roomId", in: "path", required: true, description: "The `roomId` `POST /api/teleconsultation` returned.", schema: { type: "string", format: "uuid" } };

const TIMES = `Give \`start_date\` and exactly one of \`end_date\` or \`duration_in_seconds\` (ISO 8601 dates). The room lasts at least 5 minutes and at most 24 hours. When the service runs with \`UNLIMITED_TELECONSULTATION=true\`, rooms have no end (no timer shows) and a duration given is ignored.`;
const PARTICIPANTS = `\`participants\` is either an array of \`userExternalId\`s of people already in the organization's room-user directory (named by an earlier room), or \`{ number, data }\`: how many people the room is for (2 to ${MAX_ROOM_PARTICIPANTS}) and those known so far. A person appearing for the first time needs \`fullName\` and \`groups\`; later rooms may name them by id alone (data given again updates the directory). Each person's highest group decides their privilege: \`plus\` (hosts: ends the call for everyone) or \`basic\`, per the organization's configuration (by default \`doctor\` is plus, \`patient\` and \`customer\` basic; admins change it in the dashboard). A group in neither list is refused (\`unknown_group\`). Once all participants are known the room is *ready* and must have a plus user (\`no_plus_user\`). Peer-to-peer calls carry up to 4 people; a larger room needs LiveKit.`;

const example = (value: unknown, summary: string): ExampleObject => ({ summary, value });

/** The teleconsultation contract's routes and `POST /api/credentials`. */
export function teleconsultationPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  schemas.convert(roomErrorSchema, "output");
  const createBody = schemas.convert(createRoomSchema, "input");
  const updateBody = schemas.convert(updateRoomSchema, "input");
  const participantBody = schemas.convert(participantDataSchema, "input");
  const created = schemas.convert(createdRoomSchema, "output");
  const view = schemas.convert(roomViewSchema, "output");
  const credentialsBody = schemas.convert(credentialsRequestSchema, "input");
  const credentials = schemas.convert(credentialsSchema, "output");
  const deletedUploads = schemas.convert(deletedUploadsSchema, "output");
  const start = `${year}-02-22T15:30:00.000Z`;
  const end = `${year}-02-22T16:30:00.000Z`;
  const newUsers = [
    { userExternalId: "user1_external_id", groups: ["doctor"], fullName: "Joe Smith", language: "it" },
    { userExternalId: "user3_external_id", groups: ["patient"], fullName: "Jane Doe", language: "it" },
  ];
  const requestExamples = {
    knownByIds: example({ participants: ["user1_auth0_id", "user2_auth0_id", "user3_auth0_id"], start_date: start, end_date: end }, "All participants known, by id (already in the directory)"),
    knownObjects: example(
      { participants: { number: 3, data: ["user1_auth0_id", "user2_auth0_id", "user3_auth0_id"].map((userExternalId) => ({ userExternalId, language: "it" })) }, start_date: start, end_date: end },
      "All participants known, object form (already in the directory)",
    ),
    someUnknown: example({ participants: { number: 3, data: newUsers }, start_date: start, end_date: end }, "New users, one participant still unknown"),
    withDuration: example({ participants: ["user1_auth0_id", "user2_auth0_id", "user3_auth0_id"], start_date: start, duration_in_seconds: 3600 }, "With duration_in_seconds"),
  };
  const json = (schema: JsonSchema, examples?: Record<string, ExampleObject>) => ({ required: true, content: { "application/json": { schema, ...(examples ? { examples } : {}) } } });
  const ok = (description: string, schema: JsonSchema, examples: Record<string, ExampleObject>, status = "200"): Record<string, ResponseObject> => ({
    [status]: { description, headers: { "X-Request-Id": headerRef("X-Request-Id"), ...RATE_LIMIT_HEADERS }, content: { "application/json": { schema, examples } } },
  });
  const immutable = contractError("The room can no longer change.", ["room_immutable"]);
  const userTokenRefused = contractError("A user token cannot change rooms.", ["user_token_not_allowed"]);

  return {
    "/api/teleconsultation": {
      post: {
        operationId: "createTeleconsultation",
        summary: "Create a room",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description: `Creates a room for 2 to ${MAX_ROOM_PARTICIPANTS} people and answers \`201 { roomId }\`.\n\n${PARTICIPANTS}\n\n${TIMES}\n\n\`call_type\` (\`audio_video\`, \`audio_upgradable\`, \`audio_only\`) makes audio-first calls. Rooms made while \`LIVE_TELECONSULTATION\` is on (the default) end their call when someone leaves and fewer than two remain. When the room is ready and its links can exist (from \`IMMUTABLE_PERIOD_MS\` before its start, 0 by default: at the start), the \`room.ready\` webhook tells you; then \`GET /api/teleconsultation/{roomId}\` gives each participant their link.`,
        requestBody: json(createBody, requestExamples),
        responses: {
          ...ok("Created.", created, { created: example({ roomId: ROOM_ID }, "The new room's id") }, "201"),
          "400": badBody(["unknown_room_user", "unknown_group", "no_plus_user"]),
          ...credentialErrors,
          "403": userTokenRefused,
        },
      },
    },
    "/api/teleconsultation/{roomId}": {
      get: {
        operationId: "getTeleconsultation",
        summary: "Read a room for one of its participants",
        tags: ["Teleconsultation rooms"],
        security: READER,
        description:
          "For the user the request names (`X-User-Id`, or a user token): their `bandyerUserId`, their personal `accessLinkURL`, the other participants, and the room's `details`. The link is minted for this request and opens the device check and the call without a PIN (the integrator has authenticated the person); it can be opened for `ROOM_LINK_TTL_SECONDS` (10 minutes by default), so fetch it when the person is about to join. It is null while the room can still change (participants missing, or earlier than `IMMUTABLE_PERIOD_MS` before the start) and once the call is over: the `room.ready` webhook says when links exist. A change of who or when (PATCH, participants/data) makes earlier links stop working. `durationUsedInSeconds` is how long anyone was in the call.",
        parameters: [
          roomIdParameter,
          { name: "language", in: "query", required: false, description: "The call screen's language for this link: `it`, `en` or `es` (by default the participant's, else the organization's).", schema: { type: "string", enum: ["it", "en", "es"] } },
          { name: "useBackground", in: "query", required: false, description: "`true` carries the organization's default background to the call.", schema: { type: "string", enum: ["true", "false"] } },
        ],
        responses: {
          ...ok("The room for this user.", view, {
            ready: example(
              {
                bandyerUserId: "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
                accessLinkURL: "https://portal.example/join/rl_AAECAwQFBgcICQoLDA0ODwGNkz5-AAr0bF3Cq1p1b3cXwz9fPg?language=it",
                participantsBandyerCall: [
                  { bandyerUserId: "1c8d2e3f-4051-4b6c-9d7e-8f9a0b1c2d3e", fullName: "Mario Rossi" },
                  { bandyerUserId: "2d9e3f40-5162-4c7d-8e8f-9a0b1c2d3e4f", fullName: "Luigi Bianchi" },
                ],
                details: {
                  recording: "none",
                  recordingStatus: "stopped",
                  callType: "audio_only",
                  description: "text",
                  status: "NOT_RUNNING",
                  disabled: false,
                  creationDate: `${year}-12-22T13:36:48.164Z`,
                  durationInSeconds: 3600,
                  durationUsedInSeconds: 0,
                  live: true,
                },
              },
              "A ready room",
            ),
          }),
          "400": contractError("`language` or `useBackground` is not one of the allowed values.", ["validation_error"], {}, {
            validation_error: [{ field: "language", code: "invalid_value", message: 'Invalid option: expected one of "it"|"en"|"es"' }],
          }),
          "401": contractError(
            "No credential, not a valid one, no user, or a user who is not a participant of this room (the contract's `Unauthorized user`).",
            ["missing_credentials", "invalid_credentials", "unauthorized_user"],
            {},
            {},
            AUTHENTICATE,
          ),
          "404": notFound(),
          "429": credentialErrors["429"],
          "500": credentialErrors["500"],
        },
      },
      patch: {
        operationId: "updateTeleconsultation",
        summary: "Change a room",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description: `Any part of the POST body; \`participants\` replaces the list (and \`number\`). A new \`start_date\` alone keeps the room's length. Answers 204. Once all participants are known, changes are refused from \`IMMUTABLE_PERIOD_MS\` before the start (\`room_immutable\`), and always once the call began. A change of who or when makes links handed out before it stop opening the call.`,
        parameters: [roomIdParameter],
        requestBody: json(updateBody, { moveStart: example({ start_date: start, duration_in_seconds: 3600 }, "Move the room"), participants: requestExamples.someUnknown }),
        responses: {
          "204": noContent("Changed."),
          "400": badBody(["unknown_room_user", "unknown_group", "no_plus_user"]),
          ...credentialErrors,
          "403": userTokenRefused,
          "404": notFound(),
          "409": immutable,
        },
      },
      delete: {
        operationId: "deleteTeleconsultation",
        summary: "Delete a room",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description: "Moves the room to TRASH and answers 204: its links stop working at once (whoever is in the call is told and leaves it), it disappears from every list and from this API (404), and its records stay with the clinic.",
        parameters: [roomIdParameter],
        responses: { "204": noContent("Deleted."), ...credentialErrors, "403": userTokenRefused, "404": notFound() },
      },
    },
    "/api/teleconsultation/{roomId}/uploads": {
      delete: {
        operationId: "deleteTeleconsultationUploads",
        summary: "Delete the files shared in a room",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description:
          "Deletes every file shared in the room: in its call's chat, and in chat sessions linked to it (`room`). Only when the service runs with `TELECONSULTATION_DELETE_UPLOADS=true`; otherwise it answers 204 and deletes nothing.\n\nWith deleting on it answers `200 { total, deleted }`: `total` is how many of the room's files were still there when the request came, `deleted` how many of them this request deleted. When `deleted` is less than `total`, some files could not be deleted (the storage failed for them): they are left as they were, and sending the same request later deletes them (its `total` is then what was left). A room already answered with `{ \"total\": 0, \"deleted\": 0 }` has nothing left. Messages that carried a deleted file keep saying so, with `url: null`. A deleted room (TRASH) keeps its files until this is asked, so this works on it too. Every request is recorded in the clinic's audit log with its counts.",
        parameters: [roomIdParameter],
        responses: {
          ...ok("Deleting is on: the counts.", deletedUploads, {
            all: example({ total: 2, deleted: 2 }, "Every file deleted"),
            partly: example({ total: 2, deleted: 1 }, "One file could not be deleted: send the request again later"),
          }),
          "204": noContent("Deleting is off (`TELECONSULTATION_DELETE_UPLOADS` is not true): nothing was deleted."),
          ...credentialErrors,
          "403": userTokenRefused,
          "404": notFound(),
        },
      },
    },
    "/api/teleconsultation/{roomId}/participants/data": {
      post: {
        operationId: "addTeleconsultationParticipant",
        summary: "Add a participant",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description:
          "Adds one participant to a room still waiting for some, and answers 201 with no body. A person new to the directory needs `fullName` and `groups`. When this is the last one the room expects and nobody is a plus user, the contract's 400. More than the room's `number` is refused (`room_full_of_participants`).",
        parameters: [roomIdParameter],
        requestBody: json(participantBody, {
          known: example({ userExternalId: "user3_auth0_id", language: "it" }, "A person already in the directory"),
          newUser: example({ userExternalId: "user1_external_id", groups: ["doctor"], fullName: "Joe Smith", language: "it" }, "A new person"),
        }),
        responses: {
          "201": noContent("Added."),
          "400": badBody(["unknown_room_user", "unknown_group", "no_plus_user"]),
          ...credentialErrors,
          "403": userTokenRefused,
          "404": notFound(),
          "409": contractError("The room already has its participants, or can no longer change.", ["room_full_of_participants", "room_immutable"]),
        },
      },
    },
    "/api/credentials": {
      post: {
        operationId: "createUserCredentials",
        summary: "Mint a user token",
        tags: ["Teleconsultation rooms"],
        security: ORGANIZATION,
        description:
          "A token for the user `X-User-Id` names (they must be in the room-user directory: named by a room before), for a client app to read that user's own rooms with `Authorization: Bearer <token>` in place of the organization's credential. `expiresIn` is in seconds, 60 to 86400, 3600 by default. Revoking the credential that minted a token ends the token too.",
        requestBody: { required: false, content: { "application/json": { schema: credentialsBody, examples: { anHour: example({ expiresIn: 3600 }, "An hour") } } } },
        responses: {
          ...ok("The token.", credentials, {
            token: example({ accessToken: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvcmciOiIuLi4ifQ.c2lnbmF0dXJl", expiresAt: `${year}-01-10T11:41:19.000Z`, bandyerUserId: "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d" }, "A user token"),
          }, "201"),
          "400": contractError("`expiresIn` is out of range, or the body is not JSON.", ["validation_error", "invalid_json", "unsupported_content_type"], {}, {
            validation_error: [{ field: "expiresIn", code: "too_small", message: "Too small: expected number to be >=60" }],
          }),
          ...credentialErrors,
          "403": userTokenRefused,
        },
      },
    },
  };
}
