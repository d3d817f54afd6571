import { livekitWebhookResultSchema } from "@/lib/livekit/schema";
import type { DocumentContext } from "../context";
import { exampleMetadata } from "../examples";
import { headerRef } from "../headers";
import { errorResponse, internalError, okResponse } from "../responses";
import type { OpenApiDocument } from "../types";

/** What LiveKit calls when a deployment uses it. */
export function livekitPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const result = schemas.convert(livekitWebhookResultSchema, "output");
  return {
    "/api/livekit/webhook": {
      post: {
        operationId: "receiveLivekitWebhook",
        summary: "LiveKit's webhooks",
        tags: ["System"],
        security: [],
        description:
          "Called by LiveKit, not by integrators: configure `<APP_URL>/api/livekit/webhook` as a webhook URL in LiveKit, with the same API key as `LIVEKIT_API_KEY`. Each request is verified with livekit-server-sdk's `WebhookReceiver`: the `Authorization` header must be a JWT signed with `LIVEKIT_API_SECRET`, issued by `LIVEKIT_API_KEY`, whose `sha256` claim is the base64 SHA-256 of the raw body. What it changes: `participant_joined` opens the participant's stay if they have none (`session_started`; the first one moves the consultation to `InProgress`); `participant_left` closes it (`session_ended`, `left` or `disconnected`; not when the same participant connected again elsewhere); `room_finished` (LiveKit closed the room after it stood empty) closes stays still open (`session_ended`, `disconnected`) but leaves the consultation live, to be joined again until its end; not when LiveKit closed the room because it was shutting down or moved it. Other events, and events about other rooms, are answered 200 and ignored. Each event id is applied once: a repeat answers `duplicate` and changes nothing. LiveKit does not promise delivery, so the lifecycle sweep also compares LiveKit's participant lists with the open stays.",
        requestBody: {
          required: true,
          content: { "application/webhook+json": { schema: { type: "object", description: "LiveKit's WebhookEvent (`event`, `id`, `createdAt`, `room`, `participant`, …), as LiveKit sends it." } } },
        },
        parameters: [{ name: "Authorization", in: "header", required: true, description: "LiveKit's signed token for this body.", schema: { type: "string" } }],
        responses: {
          "200": {
            ...okResponse("Verified; applied, or ignored (see `outcome`).", result, {
              applied: { value: { success: true, data: { event: "participant_joined", outcome: "applied" }, metadata: exampleMetadata(year) } },
              duplicate: { value: { success: true, data: { event: "participant_joined", outcome: "duplicate" }, metadata: exampleMetadata(year) } },
            }),
            headers: { "X-Request-Id": headerRef("X-Request-Id") },
          },
          "400": errorResponse("The body is not JSON, is too large, or the event has no id.", ["invalid_json", "payload_too_large", "invalid_event"], year),
          "401": errorResponse("The signature does not verify.", ["invalid_signature"], year),
          "404": errorResponse("LiveKit is not configured here.", ["livekit_not_configured"], year),
          "500": internalError(year),
        },
      },
    },
  };
}
