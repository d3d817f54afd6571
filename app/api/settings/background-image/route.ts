import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { appUrl } from "@/lib/config";
import { settingsApiRoute, settingsActorOf } from "@/lib/http/room-api";
import { auditedByApi } from "@/lib/settings/api-audit";
import { BACKGROUND_UPLOAD, uploadBackground, virtualBackgroundView } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";

/** The contract's `POST /settings/background-image`: the image in `virtual_background`, 200 `{ virtual_background }`; audited. */
export const POST = settingsApiRoute(async (ctx) => {
  const organizationId = ctx.caller.organizationId;
  const background = await uploadBackground(ctx.db, fileStorage(), organizationId, () => readUploadedFile(ctx.request, BACKGROUND_UPLOAD), {
    now: ctx.room.now,
    record: auditedByApi(ctx.db, settingsActorOf(ctx), (added) => ({
      action: "organization.background_added",
      target: { type: "organization", id: organizationId },
      detail: { alias: added.alias, contentType: added.contentType, width: added.width, height: added.height, bytes: added.byteSize },
    })),
  });
  return Response.json({ virtual_background: virtualBackgroundView(background, appUrl()) });
});
