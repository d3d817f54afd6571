import { env } from "@/lib/config";
import { addGuest, addGuestSchema, listGuests } from "@/lib/consultations/guests";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, respond } from "@/lib/http/route";

type Params = { consultationId: string };

/** A companion or an interpreter joins the consultation with their own link and its PIN. */
export const POST = apiRoute<Params>(async (ctx) => {
  const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
  return respond(ctx, await addGuest(ctx.db, ctx.organization, ctx.params.consultationId, addGuestSchema.parse(value)), { status: 201 });
});

export const GET = apiRoute<Params>(async (ctx) => respond(ctx, await listGuests(ctx.db, ctx.organization, ctx.params.consultationId)));
