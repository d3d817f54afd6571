import { queryOf } from "@/lib/http/query";
import { apiRoute, respond } from "@/lib/http/route";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { listDeliveriesQuerySchema } from "@/lib/webhooks/schema";

export const GET = apiRoute<{ endpointId: string }>(async (ctx) => {
  const query = listDeliveriesQuerySchema.parse(queryOf(ctx.request));
  const { items, nextCursor } = await listDeliveries(ctx.db, ctx.organization, ctx.params.endpointId, query);
  return respond(ctx, items, { extra: { pagination: { limit: query.limit, nextCursor, hasMore: nextCursor !== null } } });
});
