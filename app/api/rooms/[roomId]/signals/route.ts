import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { participantRoute, respond } from "@/lib/http/route";
import { roomSignalSchema } from "@/lib/rooms/schema";
import { sendSignal } from "@/lib/rooms/video-room";

/** A signal for another participant (SDP, ICE candidate) or the room (media state). */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const signal = roomSignalSchema.parse(value);
    return respond(ctx, await sendSignal(ctx.db, ctx.session, signal), { status: 202 });
  },
);
