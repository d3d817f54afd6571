import type { HeaderObject } from "./types";

/** The response headers the document names once, in `components.headers`. */
export const HEADERS = {
  "X-Request-Id": {
    description: "Identifies this request (the same value as `metadata.requestId`, except in a replayed idempotent answer, whose body is the original one).",
    schema: { type: "string" },
  },
  "X-RateLimit-Limit": { description: "Requests per hour this credential may make.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Requests left in the current hour.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "When the hourly window resets: Unix time in seconds (the start of the next UTC hour).", schema: { type: "integer" } },
  "Retry-After": { description: "Seconds to wait before the next request.", schema: { type: "integer" } },
  "WWW-Authenticate": { description: "The authentication scheme to use: `Bearer realm=\"api\"`.", schema: { type: "string" } },
  "Idempotent-Replayed": {
    description: "Sent when the request carried an `Idempotency-Key`: `true` if this is the stored answer to an earlier request with the same key and body, `false` if the request ran now.",
    schema: { type: "string", enum: ["true", "false"] },
  },
  Link: {
    description: 'The next page of a list that answers a bare array: `</api/chat-sessions?limit=25&cursor=…>; rel="next"` (relative to the request). Absent on the last page.',
    schema: { type: "string" },
  },
  "X-Next-Cursor": {
    description: "The `cursor` of the next page of a list that answers a bare array (the same as in `Link`). Absent on the last page.",
    schema: { type: "string" },
  },
  "Set-Cookie": {
    description:
      "The participant session: `tm_p_<participantId>`, a signed token for this one room and role, `HttpOnly; SameSite=Lax; Path=/` (and `Secure` over https), valid until 15 minutes after the consultation's scheduled end.",
    schema: { type: "string" },
  },
} satisfies Record<string, HeaderObject>;


export const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

export const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": headerRef("X-RateLimit-Limit"),
  "X-RateLimit-Remaining": headerRef("X-RateLimit-Remaining"),
  "X-RateLimit-Reset": headerRef("X-RateLimit-Reset"),
};
