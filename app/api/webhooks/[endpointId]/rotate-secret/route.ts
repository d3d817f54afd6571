import { env } from "@/lib/config";
import { apiRoute, respond } from "@/lib/http/route";
import { rotateSecret } from "@/lib/webhooks/endpoints";

export const POST = apiRoute<{ endpointId: string }>(async (ctx) =>
  respond(ctx, await rotateSecret(ctx.db, { ...ctx.organization, allowInsecure: env().WEBHOOK_ALLOW_INSECURE_URLS }, ctx.params.endpointId)),
);
