import { env } from "@/lib/config";
import { participantRoute, respond } from "@/lib/http/route";
import { connectionCheck, ConnectionCheckLimit } from "@/lib/rooms/connection-check";

const limit = new ConnectionCheckLimit();

/** One request of the join page's connection test: no database, the call's ICE servers (see connectionCheck). */
export const GET = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => respond(ctx, connectionCheck(ctx.session, { env: env(), now: ctx.now, limit })),
);
