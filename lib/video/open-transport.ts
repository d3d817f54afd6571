import type { VideoRoom } from "@/lib/rooms/schema";
import type { CallTransport, TransportListener } from "./transport";

/**
 * The transport the room was opened with. Each is imported only when a call uses it, so a
 * peer-to-peer call never downloads LiveKit's client and the other way round.
 */
export async function openTransport(
  room: VideoRoom,
  local: MediaStream,
  listener: TransportListener,
  rejoin: () => Promise<VideoRoom>,
): Promise<CallTransport> {
  if (room.transport === "livekit") {
    const { LiveKitCall } = await import("./livekit-call");
    return new LiveKitCall(room, local, listener, rejoin);
  }
  const { P2PCall } = await import("./p2p-call");
  return new P2PCall(room, local, listener, rejoin);
}
