import { queryOf } from "@/lib/http/query";
import { apiRoute, respond } from "@/lib/http/route";
import { listProviders, listProvidersQuerySchema } from "@/lib/providers";

export const GET = apiRoute(async (ctx) => {
  const query = listProvidersQuerySchema.parse(queryOf(ctx.request));
  const { items, nextCursor } = await listProviders(ctx.db, ctx.caller.organizationId, query);
  return respond(ctx, items, { extra: { pagination: { limit: query.limit, nextCursor, hasMore: nextCursor !== null } } });
});
