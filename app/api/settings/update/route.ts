import { appUrl, env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { settingsActorOf, settingsApiRoute } from "@/lib/http/room-api";
import { auditedByApi } from "@/lib/settings/api-audit";
import { updateCompanySettings } from "@/lib/settings/company";

/**
 * The contract's `PATCH /settings/update`: 200 `{ company }`; audited when something changed.
 * Its example sends the JSON with `curl --data` and no type, which curl sends as
 * `application/x-www-form-urlencoded`: this route (only this one) reads such a body as the JSON
 * it is, so the example works as written.
 */
export const PATCH = settingsApiRoute(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES, { formEncodedJson: true });
  const organizationId = ctx.caller.organizationId;
  const record = auditedByApi(ctx.db, settingsActorOf(ctx), (saved: Awaited<ReturnType<typeof updateCompanySettings>>) =>
    Object.keys(saved.changes).length > 0 ? { action: "organization.call_settings_updated", target: { type: "organization", id: organizationId }, detail: saved.changes } : null,
  );
  const { company } = await record((tx) => updateCompanySettings(tx, organizationId, value, appUrl()));
  return Response.json({ company });
});
