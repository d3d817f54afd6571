import { settingsActorOf, settingsApiRoute } from "@/lib/http/room-api";
import { auditedByApi } from "@/lib/settings/api-audit";
import { deleteBackground } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";

/** Deletes one of the organization's backgrounds (the default one too, which leaves none): 204; audited. */
export const DELETE = settingsApiRoute<{ alias: string }>(async (ctx) => {
  const organizationId = ctx.caller.organizationId;
  await deleteBackground(ctx.db, fileStorage(), organizationId, ctx.params.alias, {
    record: auditedByApi(ctx.db, settingsActorOf(ctx), (removed) => ({ action: "organization.background_deleted", target: { type: "organization", id: organizationId }, detail: { alias: removed.alias } })),
  });
  return new Response(null, { status: 204 });
});
