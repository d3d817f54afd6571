import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { appUrl } from "@/lib/config";
import { settingsApiRoute } from "@/lib/http/room-api";
import { BACKGROUND_UPLOAD, uploadBackground, virtualBackgroundView } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";

/** The contract's `POST /settings/background-image`: the image in `virtual_background`, 200 `{ virtual_background }`. */
export const POST = settingsApiRoute(async (ctx) => {
  const background = await uploadBackground(ctx.db, fileStorage(), ctx.caller.organizationId, () => readUploadedFile(ctx.request, BACKGROUND_UPLOAD), { now: ctx.room.now });
  return Response.json({ virtual_background: virtualBackgroundView(background, appUrl()) });
});
