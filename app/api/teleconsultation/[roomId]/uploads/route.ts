import { deleteRoomUploads, requireUploadsRoom } from "@/lib/chat-files/deletion";
import { env } from "@/lib/config";
import { roomApiRoute } from "@/lib/http/room-api";
import { requestContextFrom } from "@/lib/security/client-address";
import { fileStorage } from "@/lib/storage";

/**
 * Every file shared in the room's call and in chat sessions linked to it: with
 * TELECONSULTATION_DELETE_UPLOADS=true deleted, `200 { total, deleted }`; otherwise 204 and nothing changes.
 */
export const DELETE = roomApiRoute<{ roomId: string }>(async (ctx) => {
  const e = env();
  if (!e.TELECONSULTATION_DELETE_UPLOADS) {
    await requireUploadsRoom(ctx.db, ctx.room.organizationId, ctx.params.roomId);
    return new Response(null, { status: 204 });
  }
  const actor = { apiKeyId: ctx.caller.apiKeyId, ...requestContextFrom(ctx.request.headers, e.TRUSTED_PROXY_HOPS) };
  return Response.json(await deleteRoomUploads(ctx.db, fileStorage(), ctx.room.organizationId, ctx.params.roomId, actor, ctx.room.now));
});
