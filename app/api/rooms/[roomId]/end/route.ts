import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { participantRoute, respond } from "@/lib/http/route";
import { endCall } from "@/lib/rooms/completion";
import { endCallSchema, type CallEnded } from "@/lib/rooms/schema";

/** Ends the consultation for everyone: by its provider, or by anyone once its time is up. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const { reason } = endCallSchema.parse(value);
    const result = await endCall(ctx.db, ctx.session, reason, ctx.now);
    return respond(ctx, { status: result.status, completedAt: result.completedAt.toISOString() } satisfies CallEnded);
  },
);
