import { chatSessionEventStream } from "@/lib/chat-sessions/stream";
import { streamCursorOf } from "@/lib/chat-sessions/message-schema";
import { chatActorOf } from "@/lib/chat-sessions/actor";
import { roomApiRoute } from "@/lib/http/room-api";
import { EVENT_STREAM_HEADERS } from "@/lib/realtime/stream";

export const dynamic = "force-dynamic";

/** The session's live messages and state (Server-Sent Events); resumes after `Last-Event-ID` or `?after=`. */
export const GET = roomApiRoute<{ chatSessionId: string }>(
  async (ctx) => {
    const stream = await chatSessionEventStream(ctx.db, {
      actor: chatActorOf(ctx),
      chatSessionId: ctx.params.chatSessionId,
      after: streamCursorOf(ctx.request),
      signal: ctx.request.signal,
    });
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
  { userToken: "allowed" },
);
