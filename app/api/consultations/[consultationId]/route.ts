import { getConsultation } from "@/lib/consultations/read";
import { apiRoute, respond } from "@/lib/http/route";

export const GET = apiRoute<{ consultationId: string }>(async (ctx) =>
  respond(ctx, await getConsultation(ctx.db, ctx.organization, ctx.params.consultationId)),
);
