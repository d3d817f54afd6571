import { participantRole } from "@/db/schema";
import { z } from "zod";
import { plainFreeText, storable } from "@/lib/validation/text";

/** Digits in a consultation's access PIN. */
export const PIN_LENGTH = 6;
export const PIN_FORMAT_MESSAGE = `must be the ${PIN_LENGTH} digits you were sent`;

/** The PIN typed at a join link: the one rule the API, the join page and the OpenAPI document use. */
export const enterPinSchema = z.object({
  pin: z.string(PIN_FORMAT_MESSAGE).regex(new RegExp(`^\\d{${PIN_LENGTH}}$`), PIN_FORMAT_MESSAGE),
});

export const pinAcceptedSchema = z
  .object({
    participantId: z.uuid(),
    /** Null for a standalone room's member (a room link). */
    consultationId: z.uuid().nullable(),
    roomId: z.uuid(),
    role: z.enum(["patient", "provider", "member"]),
  })
  .meta({ id: "PinAccepted" });

export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** What `PUT /api/v3/appointments/{id}/video-room` returns: everything a browser needs to connect. */
export const videoRoomSchema = z
  .object({
    consultationId: z.uuid().nullable().describe("The consultation whose call this is; null in a standalone room (teleconsultation API)"),
    roomId: z.uuid(),
    status: z.literal("InProgress"),
    transport: z.enum(["p2p", "livekit"]),
    maxParticipants: z.number().int(),
    participant: z.object({
      participantId: z.uuid(),
      role: z.enum(participantRole.enumValues),
      displayName: z.string(),
      privilege: z.enum(["plus", "basic"]).describe("`plus`: a host, who can end the call for everyone"),
      group: z.string().nullable().describe("A room user's group (`doctor`, `patient`…), or a guest's kind; null for a consultation's patient and provider"),
    }),
    connectionId: z.uuid().describe("This browser tab's connection; sent with every signal"),
    livekit: z
      .object({
        url: z.string().describe("LiveKit's server, for livekit-client's Room.connect"),
        token: z.string().describe("A LiveKit access token for this participant and room only"),
        expiresAt: z.iso.datetime().describe("The token cannot connect after this; joining again gives a new one"),
      })
      .nullable()
      .describe("Set when `transport` is `livekit`"),
    iceServers: z.array(iceServerSchema),
    iceTransportPolicy: z.enum(["all", "relay"]),
    signaling: z.object({
      events: z.string().describe("Server-Sent Events stream of the room (GET)"),
      send: z.string().describe("Where signals are posted (POST)"),
      lastEventId: z.number().int().describe("The stream resumes after this event"),
    }),
    timer: z.object({
      startedAt: z.iso.datetime(),
      endsAt: z.iso.datetime().nullable().describe("The scheduled end: the call times out then; null when the call has no end (no timer shows)"),
      warnAt: z.iso.datetime().nullable().describe("When the call warns that two minutes are left; null when it has no end"),
      durationMinutes: z.number().int().nullable(),
      serverTime: z.iso.datetime().describe("The server's clock, to correct the browser's"),
    }),
  })
  .meta({ id: "VideoRoom" });
export type VideoRoom = z.infer<typeof videoRoomSchema>;

// Signals are stored in jsonb (room_events): what PostgreSQL cannot store there is refused as input.
const description = z.object({ type: z.enum(["offer", "answer"]), sdp: storable(z.string().max(60_000)) });
const candidate = z
  .object({
    candidate: storable(z.string().max(2_000)),
    sdpMid: storable(z.string().max(64)).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
    usernameFragment: storable(z.string().max(256)).nullable().optional(),
  })
  .nullable();

/** The recipient's page a signal is for (its join's connectionId): a page reloaded since ignores it. */
const toConnectionId = z.uuid().optional().describe("The recipient's connection (its join's connectionId) this is for; a newer page of the recipient ignores it");

/** A message one browser sends another (or the room) through the server. */
export const roomSignalSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("description"),
    to: z.uuid(),
    connectionId: z.uuid(),
    toConnectionId,
    description,
    fresh: z.boolean().optional().describe("The sender gave up on a connection that never came up: start over with this offer"),
  }),
  z.object({ kind: z.literal("candidate"), to: z.uuid(), connectionId: z.uuid(), toConnectionId, candidate }),
  z.object({ kind: z.literal("media"), connectionId: z.uuid(), audio: z.boolean(), video: z.boolean() }),
]);
export type RoomSignal = z.infer<typeof roomSignalSchema>;

/** Several signals in order: a browser sends its queued ICE candidates together. */
export const roomSignalBatchSchema = z.object({ signals: z.array(roomSignalSchema).min(1).max(50) });

/** One signal or a batch; each is read with its own schema so errors name the field at fault. */
export function parseRoomSignals(value: unknown): { batch: boolean; signals: RoomSignal[] } {
  if (value && typeof value === "object" && "signals" in value) return { batch: true, signals: roomSignalBatchSchema.parse(value).signals };
  return { batch: false, signals: [roomSignalSchema.parse(value)] };
}

/** What `POST /api/rooms/{roomId}/signals` answers: the stored event's id, or the ids of a batch. */
export const signalsAcceptedSchema = z.object({ eventId: z.number().int().optional(), eventIds: z.array(z.number().int()).optional() });
export type SignalsAccepted = z.infer<typeof signalsAcceptedSchema>;

/** What `POST /api/rooms/{roomId}/leave` answers: false when the participant was not in the call. */
export const callLeftSchema = z.object({ left: z.boolean() });
export type CallLeft = z.infer<typeof callLeftSchema>;

export const endCallSchema = z.object({
  reason: z.enum(["ended_by_provider", "timeout"]).default("ended_by_provider"),
});

/** What `POST /api/rooms/{roomId}/end` answers. */
export const callEndedSchema = z.object({ status: z.literal("Completed"), completedAt: z.iso.datetime() });
export type CallEnded = z.infer<typeof callEndedSchema>;

export const ISSUE_CATEGORIES = ["audio", "video", "connection", "other"] as const;
export const ISSUE_DESCRIPTION_MAX_LENGTH = 2000;

const figure = (max: number) => z.number().min(0).max(max).nullable();

/** The connection's figures as the reporter's browser measured them (lib/video/stats.ts). */
export const connectionStatsSchema = z
  .object({
    transport: z.enum(["p2p", "livekit"]),
    roundTripTimeMs: figure(600_000),
    packetLossPercent: figure(100),
    inboundBitrateKbps: figure(10_000_000),
    outboundBitrateKbps: figure(10_000_000),
    candidateType: z.enum(["host", "srflx", "prflx", "relay"]).nullable(),
  });

export const reportIssueSchema = z.object({
  category: z.enum(ISSUE_CATEGORIES),
  // Free text (lib/validation/text.ts): lines and emoji kept, control and bidi characters refused.
  description: plainFreeText(
    z
      .string()
      .max(ISSUE_DESCRIPTION_MAX_LENGTH, `must be at most ${ISSUE_DESCRIPTION_MAX_LENGTH} characters`)
      .transform((text) => text.trim()),
  ).default(""),
  connectionStats: connectionStatsSchema.nullable().default(null).describe("Null when the browser had no connection to measure"),
});
export type ReportIssue = z.infer<typeof reportIssueSchema>;

export const issueReportSchema = z
  .object({
    issueReportId: z.uuid(),
    consultationId: z.uuid().nullable().describe("Null in a standalone room"),
    role: z.enum(participantRole.enumValues),
    category: z.enum(ISSUE_CATEGORIES),
    description: z.string(),
    browser: z.string().nullable().describe("The reporter's browser and system, from its user agent"),
    connectionStats: connectionStatsSchema.nullable(),
    reportedAt: z.iso.datetime(),
  })
  .meta({ id: "IssueReport" });
export type IssueReport = z.infer<typeof issueReportSchema>;
