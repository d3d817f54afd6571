import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, respond } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/webhooks/deliveries";

/** The body is optional: a request without one (no Content-Type, no length) tests the endpoint's first event. */
function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  return length === null ? headers.has("content-type") || headers.has("transfer-encoding") : Number(length) > 0;
}

export const POST = apiRoute<{ endpointId: string }>(async (ctx) => {
  const e = env();
  const body = hasBody(ctx.request.headers) ? (await readJsonBody(ctx.request, e.API_MAX_BODY_BYTES)).value : undefined;
  const options = { allowInsecure: e.WEBHOOK_ALLOW_INSECURE_URLS, timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000 };
  return respond(ctx, await sendTestEvent(ctx.db, { ...ctx.organization, allowInsecure: options.allowInsecure }, ctx.params.endpointId, body, options));
});
