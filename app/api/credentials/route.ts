import { appSecret, env } from "@/lib/config";
import { readOptionalJsonBody } from "@/lib/http/body";
import { requireUser, roomApiRoute } from "@/lib/http/room-api";
import { credentialsRequestSchema } from "@/lib/teleconsultation/schema";
import { mintUserToken } from "@/lib/teleconsultation/user-token";

/** The contract's `POST /credentials`: a token for the user `X-User-Id` names, 201. */
export const POST = roomApiRoute(async (ctx) => {
  const user = requireUser(ctx);
  const { expiresIn } = credentialsRequestSchema.parse((await readOptionalJsonBody(ctx.request, env().API_MAX_BODY_BYTES)) ?? {});
  const token = await mintUserToken(appSecret(), { roomUserId: user.roomUserId, organizationId: ctx.caller.organizationId, apiKeyId: ctx.caller.apiKeyId }, ctx.room.now, expiresIn);
  return Response.json({ accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString(), bandyerUserId: user.roomUserId }, { status: 201 });
});
