import { database } from "@/db/runtime";
import { auth } from "@/lib/auth/staff-auth";
import { consultationFeed } from "@/lib/consultations/live-feed";
import { AppError } from "@/lib/errors";
import { errorResponse, newRequestId } from "@/lib/http/envelope";
import { EVENT_STREAM_HEADERS } from "@/lib/realtime/stream";

export const dynamic = "force-dynamic";

// The browser reconnects on its own (EventSource); a bounded stream means a session that ended
// elsewhere stops getting even these content-free pings within minutes.
const STREAM_SECONDS = 300;

/**
 * The dashboard's own stream, beside its pages rather than under /api: it belongs to the signed-in
 * staff session, not to the integrators' API (and its OpenAPI document).
 *
 * `changed` events (no data) whenever a consultation of the signed-in person's organization
 * changes, for the dashboard to render its page again. Opening it does not count as activity
 * for the idle limit (see the jwt callback).
 */
export async function GET(request: Request): Promise<Response> {
  const member = (await auth())?.member;
  if (!member) return errorResponse(new AppError("unauthenticated", "Sign in to the dashboard first."), newRequestId());
  const feed = consultationFeed(await database());
  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = await feed.subscribe(member.organizationId, () => send("event: changed\ndata: {}\n\n"));
      const ping = setInterval(() => send(": ping\n\n"), 25_000);
      const end = setTimeout(() => close(), STREAM_SECONDS * 1000);
      close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(ping);
        clearTimeout(end);
        controller.close();
      };
      request.signal.addEventListener("abort", () => close());
      send("retry: 3000\n\n");
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, { headers: EVENT_STREAM_HEADERS });
}
