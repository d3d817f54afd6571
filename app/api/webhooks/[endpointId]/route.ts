import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, respond } from "@/lib/http/route";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";

type Params = { endpointId: string };

export const GET = apiRoute<Params>(async (ctx) => respond(ctx, await getEndpoint(ctx.db, ctx.organization, ctx.params.endpointId)));

export const PATCH = apiRoute<Params>(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  const webhooks = { ...ctx.organization, allowInsecure: env().WEBHOOK_ALLOW_INSECURE_URLS };
  return respond(ctx, await updateEndpoint(ctx.db, webhooks, ctx.params.endpointId, value));
});

export const DELETE = apiRoute<Params>(async (ctx) => {
  return respond(ctx, await deleteEndpoint(ctx.db, ctx.organization, ctx.params.endpointId));
});
