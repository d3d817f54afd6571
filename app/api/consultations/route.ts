import { loadCatalogs } from "@/lib/catalogs";
import { env } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { listConsultations } from "@/lib/consultations/read";
import { listConsultationsQuerySchema } from "@/lib/consultations/schema";
import { readJsonBody } from "@/lib/http/body";
import { queryOf } from "@/lib/http/query";
import { apiRoute, respond, respondIdempotently } from "@/lib/http/route";

export const POST = apiRoute(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  const catalogs = await loadCatalogs(ctx.db);
  return respondIdempotently(ctx, value, (db) => createConsultation(db, { ...ctx.organization, catalogs }, value));
});

export const GET = apiRoute(async (ctx) => {
  const query = listConsultationsQuerySchema.parse(queryOf(ctx.request));
  const { items, nextCursor } = await listConsultations(ctx.db, ctx.organization, query);
  return respond(ctx, items, { extra: { pagination: { limit: query.limit, nextCursor, hasMore: nextCursor !== null } } });
});
