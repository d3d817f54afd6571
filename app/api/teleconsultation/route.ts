import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { roomApiRoute } from "@/lib/http/room-api";
import { createRoom } from "@/lib/teleconsultation/rooms";
import { createRoomSchema } from "@/lib/teleconsultation/schema";

/** The contract's `POST /teleconsultation`: 201 `{ roomId }`. */
export const POST = roomApiRoute(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  const created = await createRoom(ctx.db, ctx.room, createRoomSchema.parse(value));
  return Response.json(created, { status: 201 });
});
