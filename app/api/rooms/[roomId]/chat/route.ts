import { appSecret, env } from "@/lib/config";
import { listChatMessages, listChatMessagesQuerySchema, sendChatMessage, sendChatMessageSchema } from "@/lib/chat";
import { readJsonBody } from "@/lib/http/body";
import { participantRoute, respond } from "@/lib/http/route";

/** The room's chat so far (a reloaded page shows it again), after `?after=` when given. */
export const GET = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { after } = listChatMessagesQuerySchema.parse(Object.fromEntries(new URL(ctx.request.url).searchParams));
    return respond(ctx, await listChatMessages(ctx.db, ctx.session, { after, links: { appSecret: appSecret(), now: ctx.now } }));
  },
);

/** Sends a message (text, a file uploaded to `chat/files`, or both) to everyone in the call; it is kept with the consultation. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const { message, created } = await sendChatMessage(ctx.db, ctx.session, sendChatMessageSchema.parse(value), ctx.now, appSecret());
    return respond(ctx, message, { status: created ? 201 : 200 });
  },
);
