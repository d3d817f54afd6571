import { loadCatalogs, publicCatalogs } from "@/lib/catalogs";
import { apiRoute, respond } from "@/lib/http/route";

export const GET = apiRoute(async (ctx) => respond(ctx, publicCatalogs(await loadCatalogs(ctx.db))));
