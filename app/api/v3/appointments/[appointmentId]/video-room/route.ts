import { env } from "@/lib/config";
import { participantRoute, respond } from "@/lib/http/route";
import { openVideoRoom } from "@/lib/rooms/video-room";

/** The seed's "Video room opened" action: joins the caller and returns what the browser needs to connect. */
export const PUT = participantRoute<{ appointmentId: string }>(
  (params) => ({ consultationId: params.appointmentId }),
  async (ctx) => respond(ctx, await openVideoRoom(ctx.db, ctx.session, { now: ctx.now, env: env(), userAgent: ctx.request.headers.get("user-agent") })),
);
