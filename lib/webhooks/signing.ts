import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { PRODUCT_NAME } from "@/lib/config";
import packageJson from "@/package.json";

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export const WEBHOOK_USER_AGENT = `${PRODUCT_NAME}-webhooks/${packageJson.version}`;

/**
 * The headers of one attempt, for two kinds of receivers at once:
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), verifiable with
 *   any Standard Webhooks library. During a rotation it carries one signature per secret.
 * - The seed platform's: `X-Telehealth-Signature` is the lowercase hex HMAC-SHA256 of the raw
 *   body keyed with the secret exactly as shown (`whsec_…`); during a rotation the previous
 *   secret's goes in `X-Telehealth-Signature-Previous`.
 */
export function signedHeaders(message: {
  deliveryId: string;
  event: string;
  body: string;
  sentAt: Date;
  secrets: { current: string; previous?: string | null };
}): Record<string, string> {
  const secrets = [message.secrets.current, ...(message.secrets.previous ? [message.secrets.previous] : [])];
  const headers: Record<string, string> = {
    "User-Agent": WEBHOOK_USER_AGENT,
    "webhook-id": message.deliveryId,
    "webhook-timestamp": String(Math.floor(message.sentAt.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(message.deliveryId, message.sentAt, message.body)).join(" "),
    "X-Telehealth-Event": message.event,
    "X-Telehealth-Delivery": message.deliveryId,
    "X-Telehealth-Signature": telehealthSignature(message.secrets.current, message.body),
  };
  if (message.secrets.previous) headers["X-Telehealth-Signature-Previous"] = telehealthSignature(message.secrets.previous, message.body);
  return headers;
}

export function telehealthSignature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("hex");
}
