import { env } from "@/lib/config";
import { participantRoute, respond } from "@/lib/http/route";
import { openVideoRoom } from "@/lib/rooms/video-room";

/** Joins a room's call (a standalone room's; a consultation's too): the same join as the seed's appointment route. */
export const PUT = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => respond(ctx, await openVideoRoom(ctx.db, ctx.session, { now: ctx.now, env: env(), userAgent: ctx.request.headers.get("user-agent") })),
);
