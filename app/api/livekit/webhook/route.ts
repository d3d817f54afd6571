import { database } from "@/db/runtime";
import { livekitConfig } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { publicRoute, respond } from "@/lib/http/route";
import { LIVEKIT_WEBHOOK_MAX_BYTES, livekitNotConfigured, receiveLivekitWebhook } from "@/lib/livekit/webhook";

/** LiveKit's webhooks (room and participant events), verified against the raw body. */
export const POST = publicRoute(async (ctx) => {
  const config = livekitConfig();
  if (!config) throw livekitNotConfigured();
  const { raw } = await readJsonBody(ctx.request, LIVEKIT_WEBHOOK_MAX_BYTES);
  const result = await receiveLivekitWebhook(await database(), config, { body: raw, authorization: ctx.request.headers.get("authorization"), now: new Date() });
  return respond(ctx, result);
});
