import { env } from "@/lib/config";
import { readOptionalJsonBody } from "@/lib/http/body";
import { apiRoute, respond } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/webhooks/deliveries";

/** Without a body, the endpoint's first event is imitated. */
export const POST = apiRoute<{ endpointId: string }>(async (ctx) => {
  const e = env();
  const body = await readOptionalJsonBody(ctx.request, e.API_MAX_BODY_BYTES);
  const options = { allowInsecure: e.WEBHOOK_ALLOW_INSECURE_URLS, timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000 };
  return respond(ctx, await sendTestEvent(ctx.db, { ...ctx.organization, allowInsecure: options.allowInsecure }, ctx.params.endpointId, body, options));
});
