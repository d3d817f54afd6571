import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { openStored, sha256, type Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { sealPlainColumn } from "@/lib/security/seal-plain";

export type StoredResponse = { status: number; body: string; replayed: boolean };

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, checked; undefined when absent. */
export function idempotencyKeyOf(headers: Headers): string | undefined {
  const key = headers.get("idempotency-key");
  if (key === null) return undefined;
  if (!KEY.test(key)) {
    throw AppError.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.", "Idempotency-Key");
  }
  return key;
}

/** A fingerprint of the request, insensitive to key order and white space in the JSON body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return sha256(`${method} ${path}\n${canonicalJson(body)}`);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs `work` at most once per (organization, key): the key is claimed in the same
 * transaction as the work, so a concurrent duplicate waits and then gets the stored answer.
 * Failures roll the claim back, so a request that failed can be retried with the same key.
 * The stored answer is sealed: a consultation's carries its PIN and join links, and the
 * database alone must never reveal them.
 */
export async function runIdempotent(
  db: Database,
  scope: { organizationId: string; key: string; fingerprint: string; sealer: Sealer },
  work: (tx: Transaction) => Promise<{ status: number; body: string }>,
): Promise<StoredResponse> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ organizationId: scope.organizationId, key: scope.key, requestHash: scope.fingerprint })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [stored] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.organizationId, scope.organizationId), eq(idempotencyKeys.key, scope.key)));
      if (!stored || stored.responseStatus === null || stored.responseBody === null) {
        throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still being processed.");
      }
      if (stored.requestHash !== scope.fingerprint) {
        throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used with a different request body.", [
          { field: "Idempotency-Key", code: "idempotency_key_reused", message: "was used before with a different body" },
        ]);
      }
      return { status: stored.responseStatus, body: openStored(scope.sealer, stored.responseBody), replayed: true };
    }
    const result = await work(tx);
    await tx
      .update(idempotencyKeys)
      .set({ responseStatus: result.status, responseBody: scope.sealer.seal(result.body) })
      .where(and(eq(idempotencyKeys.organizationId, scope.organizationId), eq(idempotencyKeys.key, scope.key)));
    return { ...result, replayed: false };
  });
}

/** Forgets keys older than `hours` (a job will call this; keys are honoured for 24 hours). */
export async function purgeIdempotencyKeys(db: Database, hours = 24): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${hours})`)
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}

/**
 * Seals the stored answers an older version kept in plain text (they are replayed as they are
 * until then, and purged after 24 hours anyway). Returns how many it sealed.
 */
export function sealPlainResponses(db: Database, sealer: Sealer, batch = 500): Promise<number> {
  return sealPlainColumn(
    db,
    sealer,
    { table: idempotencyKeys, column: idempotencyKeys.responseBody, key: [idempotencyKeys.organizationId, idempotencyKeys.key] },
    batch,
  );
}
