import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, respond } from "@/lib/http/route";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";

export const POST = apiRoute(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  const created = await createEndpoint(ctx.db, { ...ctx.organization, allowInsecure: env().WEBHOOK_ALLOW_INSECURE_URLS }, value);
  return respond(ctx, created, { status: 201 });
});

export const GET = apiRoute(async (ctx) => respond(ctx, await listEndpoints(ctx.db, ctx.organization)));
