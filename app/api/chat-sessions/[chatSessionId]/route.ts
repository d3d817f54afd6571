import { chatActorOf } from "@/lib/chat-sessions/actor";
import { chatAccessLink } from "@/lib/chat-sessions/link";
import {
  parseChatInput,
  updateChatSessionSchema,
} from "@/lib/chat-sessions/schema";
import { getChatSession, patchChatSession } from "@/lib/chat-sessions/sessions";
import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { roomApiRoute } from "@/lib/http/room-api";

type Params = { chatSessionId: string };

/** One session, with `unread` and their chat page's `accessLinkURL` for the user the request names. */
export const GET = roomApiRoute<Params>(
  async (ctx) => {
    const session = await getChatSession(ctx.db, chatActorOf(ctx), ctx.params.chatSessionId);
    return Response.json(ctx.user ? { ...session, accessLinkURL: chatAccessLink(ctx, session, ctx.user) } : session);
  },
  { userToken: "allowed" },
);

/** Fields, a directive, `seen`: 200 with the session as it now is. */
export const PATCH = roomApiRoute<Params>(
  async (ctx) => {
    const actor = chatActorOf(ctx);
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    return Response.json(
      await patchChatSession(
        ctx.db,
        actor,
        ctx.room,
        ctx.params.chatSessionId,
        parseChatInput(updateChatSessionSchema, value),
      ),
    );
  },
  { userToken: "allowed" },
);
