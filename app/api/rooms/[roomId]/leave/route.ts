import { participantRoute, respond } from "@/lib/http/route";
import { leaveCall } from "@/lib/rooms/completion";
import type { CallLeft } from "@/lib/rooms/schema";

/** The participant leaves; the consultation stays live and the same link joins again. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => respond(ctx, (await leaveCall(ctx.db, ctx.session, ctx.now)) satisfies CallLeft),
);
