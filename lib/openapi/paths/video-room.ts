import { CHAT_MESSAGES_PER_MINUTE, CHAT_PAGE_LIMIT } from "@/lib/chat/messages";
import { CHAT_MESSAGE_MAX_LENGTH, chatMessageSchema, listChatMessagesQuerySchema, sendChatMessageSchema } from "@/lib/chat/schema";
import { ISSUE_REPORTS_PER_HOUR } from "@/lib/rooms/issue-reports";
import { BACKGROUND_ASSETS, BACKGROUND_ASSETS_VERSION } from "@/lib/video/background-assets";
import {
  callEndedSchema,
  callLeftSchema,
  endCallSchema,
  enterPinSchema,
  ISSUE_CATEGORIES,
  ISSUE_DESCRIPTION_MAX_LENGTH,
  issueReportSchema,
  PIN_FORMAT_MESSAGE,
  pinAcceptedSchema,
  reportIssueSchema,
  roomSignalBatchSchema,
  roomSignalSchema,
  signalsAcceptedSchema,
  videoRoomSchema,
} from "@/lib/rooms/schema";
import { CONNECTION_CHECKS_PER_MINUTE, connectionCheckSchema } from "@/lib/rooms/connection-check";
import { SIGNAL_BYTES_PER_DAY, SIGNAL_BYTES_PER_WINDOW, SIGNAL_WINDOW_SECONDS, SIGNALS_PER_DAY, SIGNALS_PER_WINDOW } from "@/lib/rooms/signal-limits";
import type { DocumentContext } from "../context";
import { headerRef } from "../headers";
import { queryParameters } from "../parameters";
import { errorResponse, internalError, okResponse } from "../responses";
import { PARTICIPANT } from "../security";
import type { JsonSchema, OpenApiDocument, ParameterObject, ResponseObject } from "../types";

function participantParameters(path: { name: string; description: string }): ParameterObject[] {
  return [
    { name: path.name, in: "path", required: true, description: path.description, schema: { type: "string", format: "uuid" } },
    { name: "participantId", in: "query", required: true, description: "The `participantId` the PIN answer gave; names the session cookie to use.", schema: { type: "string", format: "uuid" } },
  ];
}

function participantErrors(year: number): Record<string, ResponseObject> {
  return {
    "401": errorResponse("No valid participant session in this browser.", ["session_required"], year),
    "404": errorResponse("Not this session's room.", ["not_found"], year),
    "500": internalError(year),
  };
}

/** The video room's endpoints, as the join page and the call screen use them. */
export function videoRoomPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const pinAccepted = schemas.convert(pinAcceptedSchema, "output");
  const videoRoom = schemas.convert(videoRoomSchema, "output");
  const signal = schemas.named("RoomSignal", roomSignalSchema, "input");
  const signalBatch = schemas.named("RoomSignalBatch", roomSignalBatchSchema, "input");
  const endCall = schemas.named("EndCallRequest", endCallSchema, "input");
  const chatMessage = schemas.convert(chatMessageSchema, "output");
  const sendChat = schemas.named("SendChatMessage", sendChatMessageSchema, "input");
  const issueReport = schemas.convert(issueReportSchema, "output");
  const reportIssueBody = schemas.named("ReportIssueRequest", reportIssueSchema, "input");
  const connectionCheck = schemas.convert(connectionCheckSchema, "output");
  const pinBody = schemas.convert(enterPinSchema, "input");
  pinBody.properties!.pin!.examples = ["482913"];
  const closedOrEarly = {
    "403": errorResponse("A scheduled consultation that has not opened yet.", ["room_not_open"], year),
    "410": errorResponse("The consultation has ended or expired.", ["consultation_completed", "consultation_expired"], year),
  };
  const json = (schema: JsonSchema) => ({ required: true, content: { "application/json": { schema } } });
  return {
    "/api/background-effects/{version}/{file}": {
      get: {
        operationId: "getBackgroundEffectFile",
        summary: "A file of the in-call background effect",
        tags: ["Video room"],
        security: [],
        description: `What the call page's background blur and images load, only when a person turns one on: MediaPipe's WebAssembly and its loader (\`@mediapipe/tasks-vision\`) and the selfie segmentation model (\`@mediapipe/selfie_segmentation\`, given the metadata tasks-vision reads), served by this app from its npm packages so that no call depends on a CDN. The version names the packages' versions (now \`${BACKGROUND_ASSETS_VERSION}\`), so each file is cached for good. Files: ${Object.keys(BACKGROUND_ASSETS).map((name) => `\`${name}\``).join(", ")}. Any other version or file is 404. Not for integrators: listed so every route is.`,
        parameters: [
          { name: "version", in: "path", required: true, description: "The packages' versions, as the call page asks for them.", schema: { type: "string", examples: [BACKGROUND_ASSETS_VERSION] } },
          { name: "file", in: "path", required: true, description: "One of the files above.", schema: { type: "string", enum: Object.keys(BACKGROUND_ASSETS) } },
        ],
        responses: {
          "200": {
            description: "The file: `application/wasm`, `text/javascript` or (the model) `application/octet-stream`.",
            headers: {
              "X-Request-Id": headerRef("X-Request-Id"),
              "Cache-Control": { description: "`public, max-age=31536000, immutable`.", schema: { type: "string" } },
            },
            content: Object.fromEntries(["application/wasm", "text/javascript", "application/octet-stream"].map((type) => [type, { schema: { type: "string", format: "binary" } }])),
          },
          "404": errorResponse("Another version, or a file not on the list.", ["not_found"], year),
          "500": internalError(year),
        },
      },
    },
    "/api/join/{token}/session": {
      post: {
        operationId: "enterPin",
        summary: "Enter the PIN at a join link",
        tags: ["Video room"],
        security: [],
        description:
          "Checks the 6-digit PIN typed at a join link (`/join/{token}?type=patient|provider`). A right PIN sets the participant session cookie for this one room and role. Guessing is held back: after 5 wrong PINs at a link every further try waits longer (30 s, 60 s, 2 min, …), a link takes at most 10 wrong PINs in 24 hours, and one address at most `PIN_ADDRESS_LIMIT_PER_HOUR` across links. Every attempt is recorded.\n\nA room user's personal link (`/join/rl_…`, the teleconsultation API's `accessLinkURL`) takes no PIN: send `{}`. The link opens for `ROOM_LINK_TTL_SECONDS` after it was minted and only if it was minted after the room last changed who or when (else `410 room_link_expired`); the answer's `role` is `member` and `consultationId` is null. A deleted room is `410 room_deleted`.",
        parameters: [
          { name: "token", in: "path", required: true, description: "The token in the join link's path.", schema: { type: "string" } },
          { name: "type", in: "query", required: false, description: "The link's role, as in the link; the other role's value is 404.", schema: { type: "string", enum: ["patient", "provider"] } },
        ],
        requestBody: json(pinBody),
        responses: {
          "201": { ...okResponse("The PIN is right; the session cookie is set.", pinAccepted, {}), headers: { "X-Request-Id": headerRef("X-Request-Id"), "Set-Cookie": headerRef("Set-Cookie") } },
          "400": errorResponse("The PIN is not 6 digits.", ["validation_error"], year, { validation_error: [{ field: "pin", code: "invalid_pin_format", message: PIN_FORMAT_MESSAGE }] }),
          "401": errorResponse("Wrong PIN.", ["invalid_pin"], year, { invalid_pin: [{ field: "pin", code: "invalid_pin", message: "does not match this consultation's PIN" }] }),
          "404": errorResponse("No such link.", ["link_not_found"], year),
          ...closedOrEarly,
          "410": errorResponse("The consultation or room has ended or expired, the room was deleted, or a room link is too old.", ["consultation_completed", "consultation_expired", "room_deleted", "room_link_expired"], year),
          "429": errorResponse("Too many wrong PINs: wait `Retry-After` seconds.", ["pin_attempts_delayed", "pin_locked", "too_many_attempts"], year, {}, { "Retry-After": headerRef("Retry-After") }),
          "500": internalError(year),
        },
      },
    },
    "/api/v3/appointments/{appointmentId}/video-room": {
      put: {
        operationId: "initializeVideoRoom",
        summary: "Initialize the appointment video room",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "The video appointment screen's *Video room opened* action. Joins the caller to the consultation's call and returns what the browser needs to connect: the transport (`p2p` unless LiveKit is configured; then `livekit`, with a LiveKit token for this participant and room in `livekit`, valid `LIVEKIT_TOKEN_TTL_SECONDS`: joining again gives a new one), the caller's role, ICE servers (STUN/TURN, with TURN credentials minted for this join), where to signal, and the timer. The first join moves the consultation from `Pending` to `InProgress`; every new stay records `session_started`. Calling it again (a reload) keeps the same stay.",
        parameters: participantParameters({ name: "appointmentId", description: "The consultation's id (`consultationId`)." }),
        responses: {
          "200": okResponse("Joined; how to connect.", videoRoom, {}),
          "400": errorResponse("`participantId` is missing or malformed.", ["invalid_participant"], year),
          ...participantErrors(year),
          ...closedOrEarly,
          "409": errorResponse("The room cannot take this participant.", ["room_full", "livekit_required"], year),
        },
      },
    },
    "/api/rooms/{roomId}/video-room": {
      put: {
        operationId: "joinRoomCall",
        summary: "Join a room's call",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "The same join as `PUT /api/v3/appointments/{appointmentId}/video-room`, by the room's id: the call screen of a standalone room (made through `POST /api/teleconsultation`, whose participants arrive through their personal `accessLinkURL`) uses it. `consultationId` is null in the answer; `timer.endsAt` is null when the room has no time limit. A room over 4 participants needs LiveKit (`livekit_required` otherwise); a deleted room answers `room_deleted`.",
        parameters: participantParameters({ name: "roomId", description: "The room's id (`roomId`)." }),
        responses: {
          "200": okResponse("Joined; how to connect.", videoRoom, {}),
          "400": errorResponse("`participantId` is missing or malformed.", ["invalid_participant"], year),
          ...participantErrors(year),
          ...closedOrEarly,
          "410": errorResponse("The call has ended or expired, or the room was deleted.", ["consultation_completed", "consultation_expired", "room_deleted"], year),
          "409": errorResponse("The room cannot take this participant.", ["room_full", "livekit_required"], year),
        },
      },
    },
    "/api/rooms/{roomId}/connection-check": {
      get: {
        operationId: "checkRoomConnection",
        summary: "One request of the join page's connection test",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `What the join page's device check times to test the network before the call: a few of these in a row (their round trip; none answered means the call cannot reach this server), then, when the answer lists a TURN server, a relay address asked of it with these ICE servers (the same the call gets, TURN credentials fresh). It joins nothing and reads no database. At most ${CONNECTION_CHECKS_PER_MINUTE} a minute per participant.`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` the PIN answer (or the room link) gave." }),
        responses: {
          "200": okResponse("The ICE servers the call would get.", connectionCheck, {}),
          "400": errorResponse("`participantId` is missing or malformed.", ["invalid_participant"], year),
          ...participantErrors(year),
          "429": errorResponse("Too many checks this minute: wait `Retry-After` seconds.", ["connection_check_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
    "/api/rooms/{roomId}/events": {
      get: {
        operationId: "roomEvents",
        summary: "The room's realtime stream (Server-Sent Events)",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "A `text/event-stream` for one participant. First `hello` (`{ participantId, participants: [{ participantId, role, displayName, connectionId, audio, video }] }`: who else is in the call), then every event of the room after `Last-Event-ID` (or `?after=`, the `signaling.lastEventId` of the join): `presence` (`state: joined | left`), `chat` (a ChatMessage from someone else), `signal` (an SDP `description` or ICE `candidate` for this participant), `media` (someone's microphone and camera state), and `room-ended` (`reason: ended_by_provider | ended_by_staff | timeout | cancelled`, then the stream ends; on LiveKit too). Events carry `id:` lines, so a browser that reconnects resumes with nothing lost. `rejoin` means the participant is no longer counted in the call: join again with `PUT …/video-room`. Events are relayed through PostgreSQL `LISTEN/NOTIFY`, so any app instance serves any participant.",
        parameters: [
          ...participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
          { name: "after", in: "query", required: false, description: "Resume after this event id (the `Last-Event-ID` header wins).", schema: { type: "integer", minimum: 0 } },
        ],
        responses: {
          "200": { description: "The event stream.", content: { "text/event-stream": { schema: { type: "string" } } } },
          ...participantErrors(year),
        },
      },
    },
    "/api/rooms/{roomId}/signals": {
      post: {
        operationId: "sendRoomSignal",
        summary: "Send a signal",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `An SDP description or ICE candidate for another participant of the room (\`to\`), or this participant's microphone and camera state for everyone (\`media\`); or several, in order, as \`{ "signals": [...] }\` (at most 50). Delivered through the room's event stream. A description or candidate may name the recipient's connection (\`toConnectionId\`, its join's \`connectionId\`): the recipient's page from a later join (a reload) ignores it. Each participant may send ${SIGNALS_PER_WINDOW} signals and ${SIGNAL_BYTES_PER_WINDOW} bytes every ${SIGNAL_WINDOW_SECONDS} seconds, and ${SIGNALS_PER_DAY} signals and ${SIGNAL_BYTES_PER_DAY} bytes a day: several times what a real negotiation needs. A request over a limit is refused whole (429).`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json({ oneOf: [signal, signalBatch] }),
        responses: {
          "202": okResponse("Stored and relayed: `eventId` for one signal, `eventIds` for a batch.", schemas.convert(signalsAcceptedSchema, "output"), {}),
          "400": errorResponse("A malformed signal, or a recipient outside the room.", ["validation_error", "unknown_recipient"], year),
          ...participantErrors(year),
          "409": errorResponse("The participant has not joined.", ["not_in_call"], year),
          "429": errorResponse("Over the participant's signal limits; nothing was stored.", ["signal_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
    "/api/rooms/{roomId}/leave": {
      post: {
        operationId: "leaveCall",
        summary: "Leave the call",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: "The participant leaves (`session_ended`); the consultation stays live and the same link joins again.",
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        responses: {
          "200": okResponse("Left (`left: false` when the participant was not in the call).", schemas.convert(callLeftSchema, "output"), {}),
          ...participantErrors(year),
        },
      },
    },
    "/api/rooms/{roomId}/end": {
      post: {
        operationId: "endCall",
        summary: "End the consultation for everyone",
        tags: ["Video room"],
        security: PARTICIPANT,
        description:
          "`ended_by_provider` (the provider only) or `timeout` (anyone, once the scheduled end is reached) closes every stay (`session_ended`), completes the consultation (`consultation.completed`), and tells every connected browser (`room-ended`). Ending a completed consultation again changes nothing.",
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(endCall),
        responses: {
          "200": okResponse("Completed.", schemas.convert(callEndedSchema, "output"), {}),
          "400": errorResponse("An unknown `reason`.", ["validation_error"], year),
          ...participantErrors(year),
          "403": errorResponse("A patient asked to end for everyone.", ["forbidden"], year),
          "409": errorResponse("Not now.", ["consultation_time_left", "consultation_not_in_progress"], year),
        },
      },
    },
    "/api/rooms/{roomId}/chat": {
      get: {
        operationId: "listChatMessages",
        summary: "Read the call's chat",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `The room's messages in the order they were stored (at most ${CHAT_PAGE_LIMIT}; page on with \`after\`, the last id read). A reloaded call screen shows the chat again from here; new messages then arrive live as \`chat\` events on the room's stream.`,
        parameters: [
          ...participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
          ...queryParameters(schemas, listChatMessagesQuerySchema, {}),
        ],
        responses: {
          "200": okResponse("The messages, oldest first.", { type: "array", items: chatMessage }, {}),
          "400": errorResponse("`after` is not a whole number.", ["validation_error"], year),
          ...participantErrors(year),
        },
      },
      post: {
        operationId: "sendChatMessage",
        summary: "Send a chat message",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `Plain text, 1 to ${CHAT_MESSAGE_MAX_LENGTH} characters after trimming; shown as text, never as markup. Stored with the consultation (sender, role, time) and relayed to everyone else in the call as a \`chat\` event. Send a \`clientId\` of your own so a send retried after a lost answer is stored once (the repeat answers 200 with the stored message). At most ${CHAT_MESSAGES_PER_MINUTE} messages a minute per participant.`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(sendChat),
        responses: {
          "201": okResponse("Stored and relayed.", chatMessage, {}),
          "200": okResponse("Already stored under this `clientId`.", chatMessage, {}),
          "400": errorResponse("Empty, too long, or not text; or with control or invisible formatting characters (line breaks, tabs and emoji such as 👨‍👩‍👧 are fine; bidi controls such as U+202E are not).", ["validation_error"], year, {
            validation_error: [{ field: "text", code: "too_big", message: `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters` }],
          }),
          ...participantErrors(year),
          "409": errorResponse("Not in the call, or the consultation is over.", ["not_in_call", "chat_closed"], year),
          "429": errorResponse("Too many messages this minute.", ["chat_rate_limited"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
    "/api/rooms/{roomId}/issue-reports": {
      post: {
        operationId: "reportIssue",
        summary: "Report a problem with the call",
        tags: ["Video room"],
        security: PARTICIPANT,
        description: `The video appointment screen's *Report issue* action: a category (${ISSUE_CATEGORIES.join(", ")}), an optional description (at most ${ISSUE_DESCRIPTION_MAX_LENGTH} characters) and the connection's figures as the browser measured them (round-trip time, packet loss, bitrates, candidate type). Stored with the consultation, the reporter's role and browser, for the clinic. Allowed while the participant's session lasts, at most ${ISSUE_REPORTS_PER_HOUR} an hour.`,
        parameters: participantParameters({ name: "roomId", description: "The `roomId` of the join." }),
        requestBody: json(reportIssueBody),
        responses: {
          "201": okResponse("Stored.", issueReport, {}),
          "400": errorResponse("A field is wrong.", ["validation_error"], year, {
            validation_error: [{ field: "category", code: "invalid_value", message: `Invalid option: expected one of ${ISSUE_CATEGORIES.map((c) => `"${c}"`).join("|")}` }],
          }),
          ...participantErrors(year),
          "429": errorResponse("Too many reports this hour.", ["too_many_reports"], year, {}, { "Retry-After": headerRef("Retry-After") }),
        },
      },
    },
  };
}
