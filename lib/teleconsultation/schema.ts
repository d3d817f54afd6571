import { z } from "zod";
import { callType } from "@/db/schema";
import { plainFreeText, plainName, storable } from "@/lib/validation/text";

/**
 * The teleconsultation contract's shapes, once: the route handlers parse with them and the
 * OpenAPI document renders them. Field names are the contract's (`start_date`,
 * `participantsBandyerCall`…), snake and camel case as it writes them.
 */

/** A room has 2 to 25 participants (peer to peer carries 4; more need LiveKit). */
export const MIN_ROOM_PARTICIPANTS = 2;
export const MAX_ROOM_PARTICIPANTS = 25;
/** The shortest room (unless `UNLIMITED_TELECONSULTATION`). */
export const MIN_ROOM_SECONDS = 5 * 60;
/** The longest: a day. */
export const MAX_ROOM_SECONDS = 24 * 3600;

export const ROOM_LANGUAGES = ["it", "en", "es"] as const;

const externalId = storable(z.string().trim().min(1).max(200)).describe(
  "The integrator's id for this person: the same id names them in every room and in `X-User-Id`.",
);
const group = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,40}$/, "must be a group name: 1 to 40 lower-case letters, digits, - or _");

export const participantDataSchema = z
  .object({
    userExternalId: externalId,
    groups: z
      .array(group)
      .min(1)
      .max(10)
      .optional()
      .describe("The person's groups (`doctor`, `patient`, `customer`…). Required the first time the person appears; the highest group decides plus or basic."),
    fullName: plainName(z.string().trim().min(1).max(200))
      .optional()
      .describe("The name the call screen shows. Required the first time the person appears."),
    language: z.enum(ROOM_LANGUAGES).optional().describe("The call screen's language for this person: `it`, `en` or `es`."),
  })
  .meta({ id: "TeleconsultationParticipant" });
export type ParticipantData = z.infer<typeof participantDataSchema>;

const participantsSchema = z
  .union([
    z
      .array(externalId)
      .min(MIN_ROOM_PARTICIPANTS)
      .max(MAX_ROOM_PARTICIPANTS)
      .describe("Every participant by `userExternalId`: each must already be in the organization's room-user directory (named in an earlier room)."),
    z
      .object({
        number: z.number().int().min(MIN_ROOM_PARTICIPANTS).max(MAX_ROOM_PARTICIPANTS).describe("How many people the room is for, 2 to 25."),
        data: z.array(participantDataSchema).max(MAX_ROOM_PARTICIPANTS).describe("The participants known so far (at most `number`)."),
      })
      .refine((p) => p.data.length <= p.number, { message: "has more participants than `number`", path: ["data"] }),
  ])
  .superRefine((value, ctx) => {
    const ids = Array.isArray(value) ? value : value.data.map((p) => p.userExternalId);
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: "custom", message: `names "${id}" twice`, path: Array.isArray(value) ? [i] : ["data", i, "userExternalId"] });
      seen.add(id);
    });
  });
export type Participants = z.infer<typeof participantsSchema>;

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date and time, e.g. 2022-02-22T15:30:00.000Z" });

const roomFields = {
  participants: participantsSchema,
  start_date: isoDate.describe("The appointment's start, ISO 8601 (`2022-02-22T15:30:00.000Z`)."),
  end_date: isoDate.optional().describe("Its end: give this or `duration_in_seconds`, not both."),
  duration_in_seconds: z.number().int().positive().optional().describe("Its length in seconds: give this or `end_date`, not both."),
  call_type: z.enum(callType.enumValues).optional().describe("`audio_video` (default), `audio_upgradable` (starts with audio; cameras can be turned on) or `audio_only`."),
  description: plainFreeText(z.string().max(500)).optional().describe("A note for the clinic's records, shown in `details.description`."),
};

const bothDurations = (body: { end_date?: string; duration_in_seconds?: number }) => !(body.end_date !== undefined && body.duration_in_seconds !== undefined);
const BOTH_DURATIONS = { message: "give end_date or duration_in_seconds, not both", path: ["duration_in_seconds"] };

export const createRoomSchema = z
  .object(roomFields)
  .strict()
  .refine(bothDurations, BOTH_DURATIONS)
  .meta({ id: "CreateTeleconsultation" });
export type CreateRoomInput = z.infer<typeof createRoomSchema>;

export const updateRoomSchema = z
  .object({ ...roomFields, participants: participantsSchema.optional(), start_date: roomFields.start_date.optional() })
  .strict()
  .refine(bothDurations, BOTH_DURATIONS)
  .meta({ id: "UpdateTeleconsultation" });
export type UpdateRoomInput = z.infer<typeof updateRoomSchema>;

export const createdRoomSchema = z.object({ roomId: z.uuid().describe("The room's id, for every later request.") }).meta({ id: "CreatedTeleconsultation" });

/** `GET /api/teleconsultation/{roomId}?language=&useBackground=` */
export const roomLinkQuerySchema = z.object({
  language: z.enum(ROOM_LANGUAGES).optional(),
  useBackground: z.enum(["true", "false"]).optional(),
});

export const roomStatus = ["NOT_RUNNING", "RUNNING", "ENDED", "EXPIRED"] as const;

export const roomViewSchema = z
  .object({
    bandyerUserId: z.uuid().describe("The requesting user's id in our room-user directory."),
    accessLinkURL: z
      .url()
      .nullable()
      .describe("A link for this user, minted now: it opens the device check and the call without a PIN, for a short time (ROOM_LINK_TTL_SECONDS, 10 minutes by default). Null while the room can still change (participants missing, or before IMMUTABLE_PERIOD_MS before the start) and once the call is over."),
    participantsBandyerCall: z
      .array(z.object({ bandyerUserId: z.uuid(), fullName: z.string() }))
      .describe("The room's other participants known so far."),
    details: z.object({
      recording: z.literal("none").describe("Calls are not recorded."),
      recordingStatus: z.literal("stopped"),
      callType: z.enum(callType.enumValues),
      description: z.string().nullable(),
      status: z
        .enum(roomStatus)
        .describe("`NOT_RUNNING`: nobody has joined yet; `RUNNING`: the call is on; `ENDED`: it was held and is over; `EXPIRED`: its time passed without anyone joining."),
      disabled: z.boolean().describe("True when the room's links do not open the call now (participants missing, not yet in its window, or over)."),
      creationDate: z.iso.datetime(),
      durationInSeconds: z.number().int().nullable().describe("The booked length; null when rooms have no time limit (UNLIMITED_TELECONSULTATION)."),
      durationUsedInSeconds: z.number().int().describe("How long someone was in the call, from the real attendances."),
      live: z.boolean().describe("The call ends when someone leaves and fewer than two remain."),
    }),
  })
  .meta({ id: "Teleconsultation" });
export type RoomView = z.infer<typeof roomViewSchema>;

export const MIN_TOKEN_SECONDS = 60;
export const MAX_TOKEN_SECONDS = 24 * 3600;

export const credentialsRequestSchema = z
  .object({
    expiresIn: z
      .number()
      .int()
      .min(MIN_TOKEN_SECONDS)
      .max(MAX_TOKEN_SECONDS)
      .default(3600)
      .describe("Seconds until the token expires, 60 to 86400; 3600 by default."),
  })
  .strict()
  .meta({ id: "CredentialsRequest" });

export const credentialsSchema = z
  .object({
    accessToken: z.string().describe("A JWT for this user: send it as `Authorization: Bearer <token>` to read the user's own rooms (no API credential, no X-User-Id)."),
    expiresAt: z.iso.datetime(),
    bandyerUserId: z.uuid(),
  })
  .meta({ id: "Credentials" });

/** The contract's error body: `error` is the message; `code` and `details` are ours, for programs. */
export const roomErrorSchema = z
  .object({
    error: z.string().describe("What went wrong, in words (the contract's messages where it has one)."),
    code: z.string().describe("The error's code from the catalog."),
    details: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .meta({ id: "TeleconsultationError" });
