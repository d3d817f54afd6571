import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { participantRoute, respond } from "@/lib/http/route";
import { parseRoomSignals, type SignalsAccepted } from "@/lib/rooms/schema";
import { sendSignals } from "@/lib/rooms/video-room";

/** Signals for another participant (SDP, ICE candidates) or the room (media state), one or a batch. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const { batch, signals } = parseRoomSignals(value);
    const { eventIds } = await sendSignals(ctx.db, ctx.session, signals, ctx.now);
    const accepted: SignalsAccepted = batch ? { eventIds } : { eventId: eventIds[0]! };
    return respond(ctx, accepted, { status: 202 });
  },
);
