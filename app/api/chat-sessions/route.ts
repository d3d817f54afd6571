import { chatActorOf } from "@/lib/chat-sessions/actor";
import {
  createChatSessionSchema,
  listChatSessionsQuerySchema,
  parseChatInput,
} from "@/lib/chat-sessions/schema";
import {
  createChatSession,
  listChatSessions,
} from "@/lib/chat-sessions/sessions";
import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { queryOf } from "@/lib/http/query";
import { roomApiRoute } from "@/lib/http/room-api";
import { nextPageHeaders } from "@/lib/pagination/cursor";

/** The contract's list: a bare array, newest first; the next page in `Link` and `X-Next-Cursor`. */
export const GET = roomApiRoute(
  async (ctx) => {
    const actor = chatActorOf(ctx);
    const { items, nextCursor } = await listChatSessions(
      ctx.db,
      actor,
      parseChatInput(listChatSessionsQuerySchema, queryOf(ctx.request)),
    );
    return Response.json(items, {
      headers: nextPageHeaders(ctx.request.url, nextCursor),
    });
  },
  { userToken: "allowed" },
);

/** The contract's create: 200 with the session. */
export const POST = roomApiRoute(
  async (ctx) => {
    const actor = chatActorOf(ctx);
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    return Response.json(
      await createChatSession(
        ctx.db,
        actor,
        ctx.room,
        parseChatInput(createChatSessionSchema, value),
      ),
    );
  },
  { userToken: "allowed" },
);
