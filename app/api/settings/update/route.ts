import { appUrl, env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { settingsApiRoute } from "@/lib/http/room-api";
import { updateCompanySettings } from "@/lib/settings/company";

/**
 * The contract's `PATCH /settings/update`: 200 `{ company }`. Its example sends the JSON with
 * `curl --data` and no type, which curl sends as `application/x-www-form-urlencoded`: this route
 * (only this one) reads such a body as the JSON it is, so the example works as written.
 */
export const PATCH = settingsApiRoute(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES, { formEncodedJson: true });
  const { company } = await updateCompanySettings(ctx.db, ctx.caller.organizationId, value, appUrl());
  return Response.json({ company });
});
