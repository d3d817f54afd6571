import type { Database, Db } from "@/db/client";
import { database } from "@/db/runtime";
import { authenticateApiRequest, rateLimitHeaders, type ApiCaller } from "@/lib/auth/api-keys";
import { appSealer, appSecret, appUrl, env } from "@/lib/config";
import { requireParticipantSession, type ParticipantSession } from "@/lib/rooms/session";
import type { Sealer } from "@/lib/crypto";
import { idempotencyKeyOf, requestFingerprint, runIdempotent } from "@/lib/idempotency";
import { errorResponse, newRequestId, successBody } from "./envelope";

export type ApiContext<P> = {
  request: Request;
  requestId: string;
  db: Database;
  caller: ApiCaller;
  params: P;
  /** What domain functions need to act for the calling organization. */
  organization: { organizationId: string; timeZone: string; appUrl: string; sealer: Sealer };
};

type Segment<P> = { params: Promise<P> };

/**
 * Wraps an API route: authenticates the organization's credential, counts it against the
 * rate limit, and maps every thrown error to the envelope. Handlers stay a few lines.
 */
export function apiRoute<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>) {
  return async (request: Request, segment?: Segment<P>): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const db = await database();
      const caller = await authenticateApiRequest(db, request.headers, { defaultLimitPerHour: env().API_RATE_LIMIT_PER_HOUR });
      const params = ((await segment?.params) ?? {}) as P;
      const organization = { organizationId: caller.organizationId, timeZone: caller.timeZone, appUrl: appUrl(), sealer: appSealer() };
      const response = await handler({ request, requestId, db, caller, params, organization });
      response.headers.set("X-Request-Id", requestId);
      for (const [name, value] of Object.entries(rateLimitHeaders(caller.rateLimit))) response.headers.set(name, value);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** A route that needs no credential (health, the OpenAPI document, a join link's PIN). */
export function publicRoute<P = unknown>(handler: (ctx: { request: Request; requestId: string; params: P }) => Promise<Response>) {
  return async (request: Request, segment?: Segment<P>): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const params = ((await segment?.params) ?? {}) as P;
      const response = await handler({ request, requestId, params });
      response.headers.set("X-Request-Id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

export function respond<T>(
  ctx: { requestId: string },
  data: T,
  options: { status?: number; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  return Response.json(successBody(data, ctx.requestId, options.extra), {
    status: options.status ?? 200,
    headers: { "Cache-Control": "no-store", ...options.headers },
  });
}

/**
 * Answers a POST once per `Idempotency-Key`: the same key and body gets the first response
 * again (with `Idempotent-Replayed: true`); without the header the work simply runs.
 */
export async function respondIdempotently<P, T>(
  ctx: ApiContext<P>,
  body: unknown,
  work: (db: Db) => Promise<T>,
): Promise<Response> {
  const key = idempotencyKeyOf(ctx.request.headers);
  if (!key) return respond(ctx, await work(ctx.db));
  const fingerprint = requestFingerprint(ctx.request.method, new URL(ctx.request.url).pathname, body);
  const stored = await runIdempotent(ctx.db, { organizationId: ctx.caller.organizationId, key, fingerprint, sealer: ctx.organization.sealer }, async (tx) => ({
    status: 200,
    body: JSON.stringify(successBody(await work(tx), ctx.requestId)),
  }));
  return new Response(stored.body, {
    status: stored.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "Idempotent-Replayed": String(stored.replayed) },
  });
}

export type ParticipantContext<P> = {
  request: Request;
  requestId: string;
  db: Database;
  session: ParticipantSession;
  params: P;
  now: Date;
};

/**
 * A route for a participant on a call: the signed session cookie the PIN gave (named by the
 * `participantId` query parameter) must be valid and, through `scope`, for this very room.
 */
export function participantRoute<P = Record<string, never>>(
  scope: (params: P) => { roomId?: string; consultationId?: string },
  handler: (ctx: ParticipantContext<P>) => Promise<Response>,
) {
  return async (request: Request, segment?: Segment<P>): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const now = new Date();
      const params = ((await segment?.params) ?? {}) as P;
      const participantId = new URL(request.url).searchParams.get("participantId");
      const session = await requireParticipantSession(appSecret(), request.headers.get("cookie"), participantId, now, scope(params));
      const db = await database();
      const response = await handler({ request, requestId, db, session, params, now });
      response.headers.set("X-Request-Id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
