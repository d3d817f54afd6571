import { env } from "@/lib/config";
import { listSessionMessagesQuerySchema, sendSessionMessageSchema } from "@/lib/chat-sessions/message-schema";
import { listSessionMessages, sendSessionMessage } from "@/lib/chat-sessions/messages";
import { readJsonBody } from "@/lib/http/body";
import { chatActorOf } from "@/lib/chat-sessions/actor";
import { queryOf } from "@/lib/http/query";
import { roomApiRoute } from "@/lib/http/room-api";

type Params = { chatSessionId: string };

/** The session's messages, oldest first, after `?after=`; a full page links to the next. */
export const GET = roomApiRoute<Params>(
  async (ctx) => {
    const query = listSessionMessagesQuerySchema.parse(queryOf(ctx.request));
    const messages = await listSessionMessages(ctx.db, chatActorOf(ctx), ctx.params.chatSessionId, query, { now: ctx.room.now });
    const headers = new Headers();
    const last = messages.at(-1);
    if (last && messages.length === query.limit) {
      headers.set("Link", `</api/chat-sessions/${encodeURIComponent(ctx.params.chatSessionId)}/messages?after=${last.id}&limit=${query.limit}>; rel="next"`);
    }
    return Response.json(messages, { headers });
  },
  { userToken: "allowed" },
);

/** Sends a message (text, a file the sender uploaded, or both): 201, or 200 with the stored one for a clientId already sent. */
export const POST = roomApiRoute<Params>(
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const input = sendSessionMessageSchema.parse(value);
    const { message, created } = await sendSessionMessage(ctx.db, chatActorOf(ctx), ctx.params.chatSessionId, input, ctx.room.now);
    return Response.json(message, { status: created ? 201 : 200 });
  },
  { userToken: "allowed" },
);
