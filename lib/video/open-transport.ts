import type { VideoRoom } from "@/lib/rooms/schema";
import { CallSession } from "./call-session";
import type { CallTransport, TransportListener } from "./transport";

/**
 * The call on the transport the room was opened with: one CallSession, its media carried
 * peer-to-peer or by LiveKit. Each media is imported only when a call uses it, so a
 * peer-to-peer call never downloads LiveKit's client and the other way round.
 */
export async function openTransport(
  room: VideoRoom,
  local: MediaStream,
  listener: TransportListener,
  rejoin: () => Promise<VideoRoom>,
): Promise<CallTransport> {
  const Media = room.transport === "livekit" ? (await import("./livekit-media")).LiveKitMedia : (await import("./p2p-media")).P2PMedia;
  return new CallSession(room, local, listener, rejoin, (session) => new Media(session));
}
