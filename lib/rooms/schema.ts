import { z } from "zod";

export const enterPinSchema = z.object({
  pin: z.string().regex(/^\d{6}$/, "must be the 6 digits you were sent"),
});

export const pinAcceptedSchema = z
  .object({
    participantId: z.uuid(),
    consultationId: z.uuid(),
    roomId: z.uuid(),
    role: z.enum(["patient", "provider"]),
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
    consultationId: z.uuid(),
    roomId: z.uuid(),
    status: z.literal("InProgress"),
    transport: z.enum(["p2p", "livekit"]),
    maxParticipants: z.number().int(),
    participant: z.object({ participantId: z.uuid(), role: z.enum(["patient", "provider"]), displayName: z.string() }),
    connectionId: z.uuid().describe("This browser tab's connection; sent with every signal"),
    iceServers: z.array(iceServerSchema),
    iceTransportPolicy: z.enum(["all", "relay"]),
    signaling: z.object({
      events: z.string().describe("Server-Sent Events stream of the room (GET)"),
      send: z.string().describe("Where signals are posted (POST)"),
      lastEventId: z.number().int().describe("The stream resumes after this event"),
    }),
    timer: z.object({
      startedAt: z.iso.datetime(),
      endsAt: z.iso.datetime().describe("The consultation's scheduled end: the call times out then"),
      warnAt: z.iso.datetime().describe("When the call warns that two minutes are left"),
      durationMinutes: z.number().int(),
      serverTime: z.iso.datetime().describe("The server's clock, to correct the browser's"),
    }),
  })
  .meta({ id: "VideoRoom" });
export type VideoRoom = z.infer<typeof videoRoomSchema>;

const description = z.object({ type: z.enum(["offer", "answer"]), sdp: z.string().max(60_000) });
const candidate = z
  .object({
    candidate: z.string().max(2_000),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  })
  .nullable();

/** A message one browser sends another (or the room) through the server. */
export const roomSignalSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("description"),
    to: z.uuid(),
    connectionId: z.uuid(),
    description,
    fresh: z.boolean().optional().describe("The sender gave up on a connection that never came up: start over with this offer"),
  }),
  z.object({ kind: z.literal("candidate"), to: z.uuid(), connectionId: z.uuid(), candidate }),
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

export const endCallSchema = z.object({
  reason: z.enum(["ended_by_provider", "timeout"]).default("ended_by_provider"),
});
