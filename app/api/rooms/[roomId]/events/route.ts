import { chatEventForReader } from "@/lib/chat/messages";
import { appSecret } from "@/lib/config";
import { participantRoute } from "@/lib/http/route";
import { EVENT_STREAM_HEADERS, roomEventStream } from "@/lib/realtime/stream";
import { touchAttendance } from "@/lib/rooms/attendance";
import { presentParticipants } from "@/lib/rooms/video-room";

export const dynamic = "force-dynamic";

/** The room's realtime stream (Server-Sent Events); resumes after `Last-Event-ID` or `?after=`. */
export const GET = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async ({ request, db, session }) => {
    const url = new URL(request.url);
    const after = Number(request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? "0");
    const stream = roomEventStream(db, {
      roomId: session.roomId,
      participantId: session.participantId,
      after: Number.isSafeInteger(after) && after > 0 ? after : 0,
      signal: request.signal,
      hello: async () => {
        if (!(await touchAttendance(db, session.participantId, new Date()))) return null;
        return { participantId: session.participantId, participants: await presentParticipants(db, session) };
      },
      heartbeat: () => touchAttendance(db, session.participantId, new Date()),
      // A chat message's file gets a download URL minted for this reader as it is delivered.
      present: (event) => (event.kind === "chat" ? chatEventForReader(db, session.organizationId, event.payload, appSecret(), new Date()) : event.payload),
    });
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
);
