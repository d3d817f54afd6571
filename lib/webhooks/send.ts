import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { ForbiddenAddressError, guardedLookup, hostOf, isPublicAddress } from "./url-guard";

/** What the delivery log keeps of a receiver's answer. */
const EXCERPT_BYTES = 1024;

export type WebhookResponse = {
  /** Null when no answer came: timeout, refused connection, TLS failure, forbidden address. */
  statusCode: number | null;
  /** From the start of the request to the response headers, or to the failure. */
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  retryAfterSeconds: number | null;
  redirected: boolean;
  /** Not sent at all: the URL or the address it resolved to is not allowed (plain http, a private address). */
  refused: boolean;
};

/**
 * POSTs one webhook and reports how the receiver answered. Never follows redirects, never
 * waits longer than `timeoutMs`, and connects only to public addresses unless
 * `allowInsecure`. Network trouble comes back in `error`; it never throws for it.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowInsecure: boolean; now?: () => Date },
): Promise<WebhookResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    throw new Error(`postWebhook needs an http(s) URL, not ${target.protocol}`);
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failure = (error: string, refused = false): WebhookResponse => ({
    statusCode: null,
    latencyMs: elapsed(),
    responseExcerpt: null,
    error,
    retryAfterSeconds: null,
    redirected: false,
    refused,
  });

  // The URL was checked when stored; configuration may have tightened since.
  if (target.protocol === "http:" && !options.allowInsecure) {
    return failure("Refused to send over plain http://; webhooks must use https://.", true);
  }
  const host = hostOf(target);
  // Node's http connects to an IP literal without calling `lookup`, so the guard would never see it.
  if (!options.allowInsecure && isIP(host) && !isPublicAddress(host)) {
    return failure(describeError(new ForbiddenAddressError(host)), true);
  }

  const payload = Buffer.from(body, "utf8");
  return new Promise<WebhookResponse>((resolve) => {
    let settled = false;
    // Once the status is in, running out of time while reading the body is not a failure.
    let finishAnswered: (() => void) | null = null;

    const request = (target.protocol === "https:" ? httpsRequest : httpRequest)({
      hostname: host,
      port: target.port || undefined,
      path: target.pathname + target.search,
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "Content-Length": String(payload.length) },
      // A fresh connection per delivery: no pooled socket judged under other settings, and no
      // reuse of a socket the receiver has just closed, which fails a request it may have received.
      agent: false,
      lookup: guardedLookup({ allowInsecure: options.allowInsecure }),
    });

    const finish = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
      request.destroy();
    };

    request.on("error", (error: NodeJS.ErrnoException) => finish(failure(describeError(error), error.code === "EWEBHOOKFORBIDDEN")));
    request.on("response", (response) => {
      const latencyMs = elapsed();
      const statusCode = response.statusCode ?? null;
      const redirected = statusCode !== null && statusCode >= 300 && statusCode < 400;
      const location = response.headers.location;
      const error = redirected ? `Redirect${location ? ` to ${location}` : ""} not followed` : null;
      const retryAfterSeconds = parseRetryAfter(response.headers["retry-after"], options.now?.() ?? new Date());

      const decoder = new StringDecoder("utf8");
      let excerpt = "";
      let bytesRead = 0;
      const done = () => finish({ statusCode, latencyMs, responseExcerpt: excerpt, error, retryAfterSeconds, redirected, refused: false });
      finishAnswered = done;

      response.on("data", (chunk: Buffer) => {
        const wanted = chunk.subarray(0, EXCERPT_BYTES - bytesRead);
        bytesRead += wanted.length;
        // write() holds back a character cut in half, so the excerpt never ends in a broken one.
        excerpt += decoder.write(wanted);
        if (bytesRead >= EXCERPT_BYTES) done();
      });
      response.on("end", () => {
        excerpt += decoder.end();
        done();
      });
      // A body cut short (by the receiver or by us) still leaves a valid answer.
      response.on("error", done);
      response.on("close", done);
    });

    const timer = setTimeout(() => {
      if (finishAnswered) finishAnswered();
      else finish(failure(`Timed out after ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);

    request.end(payload);
  });
}

/** Node's messages mostly carry their code ("connect ECONNREFUSED 10.0.0.1:443"); add it where not. */
function describeError(error: NodeJS.ErrnoException): string {
  const code = error.code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

/** `Retry-After` is either delta-seconds or an HTTP-date; every HTTP-date form starts with a day name. */
function parseRetryAfter(value: string | undefined, now: Date): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^-?\d+$/.test(text)) return Math.max(0, Number(text));
  if (!/^[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
