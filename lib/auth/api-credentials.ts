import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { API_CREDENTIAL_NAME_MAX_LENGTH } from "@/lib/limits";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { plainName } from "@/lib/validation/text";
import { issueApiCredential, revokeApiCredential, type IssuedCredential } from "./api-keys";

/** Managing an organization's API credentials from the dashboard; authentication itself is in api-keys.ts. */

export const newApiCredentialSchema = z.object({
  name: plainName(
    z
      .string({ error: "is required" })
      .trim()
      .min(1, "is required")
      .max(API_CREDENTIAL_NAME_MAX_LENGTH, `must be at most ${API_CREDENTIAL_NAME_MAX_LENGTH} characters`),
  ).describe("What the credential is for, e.g. the system that uses it."),
});

/** A credential as listed: never its secret, nor the secret's hash. */
export type ApiCredentialView = {
  id: string;
  name: string;
  keyId: string;
  rateLimitPerHour: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The organization's credentials: active ones first, then newest first. */
export async function listApiCredentials(db: Db, organizationId: string): Promise<ApiCredentialView[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      keyId: apiKeys.keyId,
      rateLimitPerHour: apiKeys.rateLimitPerHour,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(desc(isNull(apiKeys.revokedAt)), desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Issues a credential named by a person; the token in the answer is the only time it exists in plain. */
export async function createApiCredential(db: Db, organizationId: string, input: unknown): Promise<IssuedCredential & { name: string }> {
  const parsed = newApiCredentialSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(fieldErrorsOf(parsed.error));
  }
  const issued = await issueApiCredential(db, organizationId, parsed.data.name);
  return { ...issued, name: parsed.data.name };
}

/**
 * Revokes one of the organization's credentials; another organization's key id (or an unknown
 * one) is not found and changes nothing. Revoking twice keeps the first revocation's time.
 */
export async function revokeOrganizationCredential(db: Db, organizationId: string, keyId: string): Promise<{ keyId: string; name: string; alreadyRevoked: boolean }> {
  // A key id is `tk_` and base64url; anything else (a NUL PostgreSQL would refuse, say) is no credential.
  if (!/^tk_[A-Za-z0-9_-]{1,64}$/.test(keyId)) throw AppError.notFound("API credential");
  const [row] = await db
    .select({ name: apiKeys.name, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyId, keyId), eq(apiKeys.organizationId, organizationId)));
  if (!row) throw AppError.notFound("API credential");
  if (row.revokedAt) return { keyId, name: row.name, alreadyRevoked: true };
  if (!(await revokeApiCredential(db, organizationId, keyId))) throw AppError.notFound("API credential");
  return { keyId, name: row.name, alreadyRevoked: false };
}
