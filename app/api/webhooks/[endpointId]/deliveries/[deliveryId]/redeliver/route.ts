import { apiRoute, respond } from "@/lib/http/route";
import { jobQueue } from "@/lib/jobs/runtime";
import { redeliver } from "@/lib/webhooks/deliveries";

export const POST = apiRoute<{ endpointId: string; deliveryId: string }>(async (ctx) =>
  respond(ctx, await redeliver(ctx.db, await jobQueue(), ctx.organization, ctx.params.endpointId, ctx.params.deliveryId), { status: 202 }),
);
