import { env } from "@/lib/config";
import { getConsultation } from "@/lib/consultations/read";
import { reissueAccess, reissueAccessSchema } from "@/lib/consultations/reissue";
import { readOptionalJsonBody } from "@/lib/http/body";
import { requestContextFrom } from "@/lib/security/client-address";
import { apiRoute, respond } from "@/lib/http/route";

/** A new PIN (and, with `links`, new join links) for a live consultation; answers it like GET, with the new PIN. */
export const POST = apiRoute<{ consultationId: string }>(async (ctx) => {
  const e = env();
  const { links } = reissueAccessSchema.parse((await readOptionalJsonBody(ctx.request, e.API_MAX_BODY_BYTES)) ?? {});
  await reissueAccess(ctx.db, {
    organizationId: ctx.organization.organizationId,
    consultationId: ctx.params.consultationId,
    links,
    now: new Date(),
    sealer: ctx.organization.sealer,
    actor: { label: "API credential" },
    ...requestContextFrom(ctx.request.headers, e.TRUSTED_PROXY_HOPS),
  });
  return respond(ctx, await getConsultation(ctx.db, ctx.organization, ctx.params.consultationId));
});
