import { apiRoute, respond } from "@/lib/http/route";
import { getDelivery } from "@/lib/webhooks/deliveries";

export const GET = apiRoute<{ endpointId: string; deliveryId: string }>(async (ctx) =>
  respond(ctx, await getDelivery(ctx.db, ctx.organization, ctx.params.endpointId, ctx.params.deliveryId)),
);
