import { appUrl } from "@/lib/config";
import { settingsApiRoute } from "@/lib/http/room-api";
import { companySettingsOf } from "@/lib/settings/company";

/** The company's settings, as `PATCH /api/settings/update` answers them: 200 `{ company }`. */
export const GET = settingsApiRoute(async (ctx) => Response.json({ company: await companySettingsOf(ctx.db, ctx.caller.organizationId, appUrl()) }));
