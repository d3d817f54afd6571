import { PREVIOUS_SECRET_GRACE_MS } from "@/lib/webhooks/endpoints";
import { FAILING_DISABLES_AFTER_MS, RETRY_DELAYS_SECONDS } from "@/lib/webhooks/retry";
import { WEBHOOK_USER_AGENT } from "@/lib/webhooks/signing";

/** `5 s`, `5 min`, `2 h`: a wait in the unit a person would say it in. */
export function spoken(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  return `${seconds / 3600} h`;
}

export const FAILING_DAYS = FAILING_DISABLES_AFTER_MS / (24 * 3600 * 1000);
export const GRACE_HOURS = PREVIOUS_SECRET_GRACE_MS / (3600 * 1000);

/** Verification examples for receivers. They avoid backticks, so the reference page can show them as inline code (see pageDescription). */
const VERIFY_WITH_STANDARD_WEBHOOKS = `import express from "express";
import { Webhook } from "standardwebhooks";

const app = express();
const webhook = new Webhook(process.env.TELEHEALTH_WEBHOOK_SECRET); // "whsec_..."

// express.raw keeps the body as the exact bytes received: verify those, not re-serialised JSON.
app.post("/hooks/telehealth", express.raw({ type: "application/json" }), (req, res) => {
  let event;
  try {
    // Checks webhook-signature in constant time, and rejects a webhook-timestamp more than 5 minutes off.
    event = webhook.verify(req.body, req.headers);
  } catch {
    return res.status(400).end();
  }
  // The same webhook-id comes again on a retry or a redelivery: handle it once.
  if (alreadyHandled(req.headers["webhook-id"])) return res.status(200).end();
  enqueue(event); // answer at once, do the work afterwards
  res.status(204).end();
});`;

const VERIFY_WITH_NODE_CRYPTO = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the Buffer exactly as received (e.g. express.raw({ type: "application/json" })).
function verifyTelehealthSignature(rawBody, headers, secret) {
  const expected = Buffer.from(createHmac("sha256", secret).update(rawBody).digest("hex"));
  const matches = (name) => {
    const received = Buffer.from(String(headers[name] ?? ""));
    return received.length === expected.length && timingSafeEqual(received, expected);
  };
  // During a rotation, the secret you hold matches one of the two headers.
  const signed = matches("x-telehealth-signature") || matches("x-telehealth-signature-previous");
  const ageSeconds = Date.now() / 1000 - Number(headers["webhook-timestamp"]);
  return signed && Math.abs(ageSeconds) <= 5 * 60;
}`;

const VERIFY_WITH_PYTHON = `import hashlib
import hmac
import time

# raw_body: the bytes exactly as received (Flask: request.get_data(); Django: request.body).
def verify_telehealth_signature(raw_body: bytes, headers, secret: str) -> bool:
    expected = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    # During a rotation, the secret you hold matches one of the two headers.
    received = [headers.get("X-Telehealth-Signature", ""), headers.get("X-Telehealth-Signature-Previous", "")]
    signed = any(hmac.compare_digest(expected, value) for value in received if value)
    age_seconds = time.time() - int(headers.get("webhook-timestamp", "0"))
    return signed and abs(age_seconds) <= 5 * 60`;

const fenced = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;

/** How the portal sends events, and how a receiver checks them (markdown; /docs/api renders it too). */
export const WEBHOOK_GUIDE = `**Delivery.** Each event an endpoint subscribed to is POSTed to its URL as JSON (\`Content-Type: application/json\`, \`User-Agent: ${WEBHOOK_USER_AGENT.replace(/\/.*$/, "/<version>")}\`), with the body \`{ event, timestamp, organizationId, data, version }\` (see the webhook events). Answer with any 2xx within 15 seconds, then do the work. Delivery is **at least once** and **not ordered**: an event can arrive more than once (a retry, a redelivery) and events can arrive out of order, so handle each \`webhook-id\` once and read \`data.status\` (or \`GET /api/consultations/{consultationId}\`; a standalone room's: \`GET /api/teleconsultation/{roomId}\`) rather than trusting arrival order.

**Retries.** A timeout (15 s), a connection error, a 429 or a 5xx is tried again after ${RETRY_DELAYS_SECONDS.map(spoken).join(", ")} (each ±10% jitter, about three days in all); a longer \`Retry-After\` (up to 24 h) is honoured. A 410 Gone disables the endpoint at once (\`disabledReason: gone\`). Redirects are not followed, and any other answer (a 3xx, a 4xx other than 410 and 429) fails the delivery without retries. When no delivery to an endpoint has succeeded for ${FAILING_DAYS} days it is disabled (\`disabledReason: failing\`). Every delivery and attempt is in \`GET /api/webhooks/{endpointId}/deliveries\`; \`POST …/redeliver\` sends one again.

**Signatures.** Every request is signed with the endpoint's secret (\`whsec_…\`, shown only by \`POST /api/webhooks\` and \`POST /api/webhooks/{endpointId}/rotate-secret\`) in two schemes at once; check either one:

- **Standard Webhooks** (standardwebhooks.com): \`webhook-signature\` is \`v1,\` and the base64 HMAC-SHA256 of \`{webhook-id}.{webhook-timestamp}.{body}\`, keyed with the base64-decoded part of the secret after \`whsec_\`. It signs the id and the time too, so prefer it; any Standard Webhooks library verifies it.
- **X-Telehealth-Signature**: the lowercase hex HMAC-SHA256 of the body alone, keyed with the whole secret exactly as shown (\`whsec_…\`, its UTF-8 bytes).

Verify against the raw body bytes as received, before parsing the JSON (parsed and re-serialised JSON does not match); compare signatures in constant time; reject a \`webhook-timestamp\` more than 5 minutes old; and dedupe on \`webhook-id\`, which is the same on every retry and redelivery of one event.

**Rotating the secret.** After \`POST /api/webhooks/{endpointId}/rotate-secret\` the previous secret keeps signing for ${GRACE_HOURS} hours (until \`previousSecretExpiresAt\`): \`webhook-signature\` then carries two signatures separated by a space (Standard Webhooks libraries accept the request when any one matches), and \`X-Telehealth-Signature-Previous\` carries the previous secret's HMAC. With the plain scheme, accept the request when either \`X-Telehealth-Signature\` or \`X-Telehealth-Signature-Previous\` matches the secret you hold; switch to the new secret within the ${GRACE_HOURS} hours.

**Node, with the standardwebhooks package:**

${fenced("js", VERIFY_WITH_STANDARD_WEBHOOKS)}

**Node, checking X-Telehealth-Signature with crypto:**

${fenced("js", VERIFY_WITH_NODE_CRYPTO)}

**Python, checking X-Telehealth-Signature with hmac:**

${fenced("python", VERIFY_WITH_PYTHON)}`;
