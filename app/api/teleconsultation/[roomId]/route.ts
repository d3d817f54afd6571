import { appSecret, appUrl, env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { queryOf } from "@/lib/http/query";
import { roomApiRoute } from "@/lib/http/room-api";
import { deleteRoom, roomForUser, updateRoom } from "@/lib/teleconsultation/rooms";
import { roomLinkQuerySchema, updateRoomSchema } from "@/lib/teleconsultation/schema";

type Params = { roomId: string };

/** The room for the user the request names: their link, the others, the details. */
export const GET = roomApiRoute<Params>(
  async (ctx) => {
    const query = roomLinkQuerySchema.parse(queryOf(ctx.request));
    const view = await roomForUser(
      ctx.db,
      { ...ctx.room, appUrl: appUrl(), appSecret: appSecret(), opensMinutesBefore: env().JOIN_OPENS_MINUTES_BEFORE },
      ctx.params.roomId,
      ctx.user,
      query,
    );
    return Response.json(view);
  },
  { userToken: "allowed" },
);

/** Any part of the room: 204. */
export const PATCH = roomApiRoute<Params>(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  await updateRoom(ctx.db, ctx.room, ctx.params.roomId, updateRoomSchema.parse(value));
  return new Response(null, { status: 204 });
});

/** To TRASH: 204. */
export const DELETE = roomApiRoute<Params>(async (ctx) => {
  await deleteRoom(ctx.db, ctx.room, ctx.params.roomId);
  return new Response(null, { status: 204 });
});
