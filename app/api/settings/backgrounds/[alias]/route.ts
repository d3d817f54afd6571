import { settingsApiRoute } from "@/lib/http/room-api";
import { deleteBackground } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";

/** Deletes one of the organization's backgrounds (the default one too, which leaves none): 204. */
export const DELETE = settingsApiRoute<{ alias: string }>(async (ctx) => {
  await deleteBackground(ctx.db, fileStorage(), ctx.caller.organizationId, ctx.params.alias);
  return new Response(null, { status: 204 });
});
