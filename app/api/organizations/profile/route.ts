import { apiRoute, respond } from "@/lib/http/route";
import { organizationProfile } from "@/lib/organizations";

export const GET = apiRoute(async (ctx) =>
  respond(ctx, await organizationProfile(ctx.db, ctx.caller.organizationId, ctx.caller.rateLimit.limit)),
);
