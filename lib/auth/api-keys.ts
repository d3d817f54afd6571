import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { AppError } from "@/lib/errors";

/** Who is calling the API: one credential of one organization. */
export type ApiCaller = {
  apiKeyId: string;
  organizationId: string;
  timeZone: string;
  rateLimit: { limit: number; remaining: number; resetAt: Date };
};

export type IssuedCredential = {
  id: string;
  keyId: string;
  /** Shown once; only its hash is stored. */
  secret: string;
  /** The same credential as one `Authorization: Bearer` token. */
  bearerToken: string;
};

const KEY_ID = /^tk_[A-Za-z0-9_-]{8,64}$/;

export async function issueApiCredential(db: Db, organizationId: string, name: string): Promise<IssuedCredential> {
  const keyId = `tk_${randomToken(12)}`;
  const secret = `tks_${randomToken(32)}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ organizationId, keyId, secretHash: sha256(secret), name })
    .returning({ id: apiKeys.id });
  return { id: row!.id, keyId, secret, bearerToken: `${keyId}.${secret}` };
}

export async function revokeApiCredential(db: Db, organizationId: string, keyId: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(sql`${apiKeys.keyId} = ${keyId} and ${apiKeys.organizationId} = ${organizationId}`)
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/**
 * Reads the credential the way the seed platform's clients send it
 * (`X-API-Key` + `X-API-Secret`), as `Authorization: Bearer <keyId>.<secret>`, or as the
 * teleconsultation contract's examples send it, `apikey: <keyId>.<secret>` (one header, the
 * bearer form's value). The first of these a request carries is the one read.
 */
export function credentialsFrom(headers: Headers): { keyId: string; secret: string } | null {
  const key = headers.get("x-api-key");
  const secret = headers.get("x-api-secret");
  if (key || secret) {
    if (!key || !secret) throw AppError.unauthorized("invalid_credentials", "Send both X-API-Key and X-API-Secret.");
    return { keyId: key.trim(), secret: secret.trim() };
  }
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+([^\s.]+)\.(\S+)$/i.exec(authorization.trim());
    if (!match) throw AppError.unauthorized("invalid_credentials", "Authorization must be `Bearer <keyId>.<secret>`.");
    return { keyId: match[1]!, secret: match[2]! };
  }
  const apikey = headers.get("apikey");
  if (apikey === null) return null;
  const match = /^([^\s.]+)\.(\S+)$/.exec(apikey.trim());
  if (!match) throw AppError.unauthorized("invalid_credentials", "The apikey header must be `<keyId>.<secret>`.");
  return { keyId: match[1]!, secret: match[2]! };
}

type AuthRow = { id: string; organization_id: string; lim: number; timezone: string; count: number };

/**
 * Authenticates a request and counts it against the credential's hourly limit, in one
 * round trip. Only a correct credential is counted, so a guesser cannot spend someone's quota.
 */
export async function authenticateApiRequest(
  db: Database,
  headers: Headers,
  options: { defaultLimitPerHour: number; now?: Date },
): Promise<ApiCaller> {
  const credentials = credentialsFrom(headers);
  if (!credentials) {
    throw AppError.unauthorized(
      "missing_credentials",
      "Authentication required: send X-API-Key and X-API-Secret, Authorization: Bearer <keyId>.<secret>, or apikey: <keyId>.<secret>.",
    );
  }
  // Made only when refused: an error captures a stack, and this runs on every API request.
  const invalid = () => AppError.unauthorized("invalid_credentials", "The API credential is not valid.");
  if (!KEY_ID.test(credentials.keyId) || credentials.secret.length > 200) throw invalid();
  const caller = await countRequest(db, db.$client`k.key_id = ${credentials.keyId} and k.secret_hash = ${sha256(credentials.secret)}`, options);
  if (!caller) throw invalid();
  return caller;
}

/**
 * Counts a request of the credential with this id (a user token minted with it calls on its
 * behalf), as long as the credential is not revoked; nothing when it is gone.
 */
export function countRequestOfKey(db: Database, apiKeyId: string, options: { defaultLimitPerHour: number; now?: Date }): Promise<ApiCaller | undefined> {
  return countRequest(db, db.$client`k.id = ${apiKeyId}`, options);
}

/** One round trip: finds the live credential, counts the request in its hour, and refuses one over the limit. */
async function countRequest(
  db: Database,
  match: ReturnType<Database["$client"]>,
  options: { defaultLimitPerHour: number; now?: Date },
): Promise<ApiCaller | undefined> {
  const now = options.now ?? new Date();
  // postgres.js prepares this statement once per connection: it runs on every API request.
  const at = now.toISOString();
  const rows = await db.$client<AuthRow[]>`
    with k as (
      select k.id, k.organization_id, coalesce(k.rate_limit_per_hour, ${options.defaultLimitPerHour}::int) as lim, o.timezone
      from api_keys k join organizations o on o.id = k.organization_id
      where ${match} and k.revoked_at is null
    ),
    usage as (
      insert into api_key_usage (api_key_id, window_start, count)
      select id, date_trunc('hour', ${at}::timestamptz at time zone 'UTC') at time zone 'UTC', 1 from k
      on conflict (api_key_id, window_start) do update set count = api_key_usage.count + 1
      returning count
    ),
    touched as (
      update api_keys set last_used_at = ${at}::timestamptz
      where id = (select id from k)
        and (last_used_at is null or last_used_at < ${at}::timestamptz - interval '1 minute')
      returning 1
    )
    select k.id, k.organization_id, k.lim, k.timezone, usage.count from k, usage
  `;
  const row = rows[0];
  if (!row) return undefined;

  const resetAt = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  const rateLimit = { limit: row.lim, remaining: Math.max(0, row.lim - row.count), resetAt };
  if (row.count > row.lim) {
    const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
    throw new AppError("rate_limited", `Rate limit of ${row.lim} requests per hour exceeded. Retry after ${retryAfter} seconds.`, [], {
      "Retry-After": String(retryAfter),
      ...rateLimitHeaders(rateLimit),
    });
  }
  return { apiKeyId: row.id, organizationId: row.organization_id, timeZone: row.timezone, rateLimit };
}

export function rateLimitHeaders(rateLimit: ApiCaller["rateLimit"]): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(rateLimit.limit),
    "X-RateLimit-Remaining": String(rateLimit.remaining),
    "X-RateLimit-Reset": String(Math.floor(rateLimit.resetAt.getTime() / 1000)),
  };
}

export async function setRateLimit(db: Db, apiKeyId: string, perHour: number | null): Promise<void> {
  await db.update(apiKeys).set({ rateLimitPerHour: perHour }).where(eq(apiKeys.id, apiKeyId));
}

/** Drops rate-limit windows older than two days: only the current hour's counts, the last few kept for support. */
export async function purgeApiKeyUsage(db: Db, now: Date, olderThanHours = 48): Promise<number> {
  const rows = await db.execute(sql`
    delete from api_key_usage where window_start < ${new Date(now.getTime() - olderThanHours * 3600_000).toISOString()} returning 1`);
  return rows.length;
}
