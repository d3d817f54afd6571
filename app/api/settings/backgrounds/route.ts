import { appUrl } from "@/lib/config";
import { settingsApiRoute } from "@/lib/http/room-api";
import { listBackgrounds, listedBackgroundView } from "@/lib/settings/backgrounds";

/** The organization's uploaded backgrounds, newest first: 200 `{ backgrounds }`. */
export const GET = settingsApiRoute(async (ctx) => {
  const backgrounds = await listBackgrounds(ctx.db, ctx.caller.organizationId);
  const url = appUrl();
  return Response.json({ backgrounds: backgrounds.map((background) => listedBackgroundView(background, url)) });
});
