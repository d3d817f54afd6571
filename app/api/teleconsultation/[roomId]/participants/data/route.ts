import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { roomApiRoute } from "@/lib/http/room-api";
import { addParticipant } from "@/lib/teleconsultation/rooms";
import { participantDataSchema } from "@/lib/teleconsultation/schema";

/** One more participant: 201 with no body, as the contract shows. */
export const POST = roomApiRoute<{ roomId: string }>(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  await addParticipant(ctx.db, ctx.room, ctx.params.roomId, participantDataSchema.strict().parse(value));
  return new Response(null, { status: 201 });
});
