import { streamCursorOf } from "@/lib/chat-sessions/message-schema";
import { chatSessionEventStream } from "@/lib/chat-sessions/stream";
import { contractErrorResponse, newRequestId } from "@/lib/http/envelope";
import { EVENT_STREAM_HEADERS } from "@/lib/realtime/stream";
import { staffChatRoute } from "../staff-chat";

export const dynamic = "force-dynamic";

/**
 * A chat session's live stream on the dashboard (the API's is for participants' tokens): the same
 * events, for the signed-in staff of the session's organization. Being an event stream, it does
 * not count as activity for the idle limit (see the jwt callback).
 */
export async function GET(request: Request, { params }: { params: Promise<{ chatSessionId: string }> }): Promise<Response> {
  try {
    const { db, actor } = await staffChatRoute(request);
    const stream = await chatSessionEventStream(db, {
      actor,
      chatSessionId: (await params).chatSessionId,
      after: streamCursorOf(request),
      signal: request.signal,
    });
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  } catch (error) {
    return contractErrorResponse(error, newRequestId());
  }
}
