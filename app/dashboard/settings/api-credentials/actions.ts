"use server";

import { revalidatePath } from "next/cache";
import { createApiCredential, revokeOrganizationCredential } from "@/lib/auth/api-credentials";
import { requireStaff } from "@/lib/auth/current-staff";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { AppError } from "@/lib/errors";

const PAGE = "/dashboard/settings/api-credentials";

export type NewApiCredentialState = {
  values?: { name: string };
  fieldErrors?: Record<string, string>;
  formError?: string;
  /** The token, in this answer only: it is never stored in plain, nor shown again. */
  created?: { name: string; keyId: string; secret: string; bearerToken: string };
};

export async function createApiCredentialAction(_previous: NewApiCredentialState, form: FormData): Promise<NewApiCredentialState> {
  const member = await requireStaff("settings.manage");
  const name = String(form.get("name") ?? "");
  try {
    // The audit names the credential by its public key id; the secret never leaves this answer.
    const issued = await auditedStaffAction(
      member,
      (tx) => createApiCredential(tx, member.organizationId, { name }),
      (created) => ({ action: "api_credential.created", detail: { name: created.name }, target: { type: "api_credential", id: created.keyId } }),
    );
    revalidatePath(PAGE);
    return { created: { name: issued.name, keyId: issued.keyId, secret: issued.secret, bearerToken: issued.bearerToken } };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const fieldErrors = Object.fromEntries(error.details.map((d) => [d.field, d.message]));
    return { values: { name }, fieldErrors, formError: error.details.length ? undefined : error.message };
  }
}

export type RevokeApiCredentialState = { revoked?: boolean; formError?: string };

export async function revokeApiCredentialAction(_previous: RevokeApiCredentialState, form: FormData): Promise<RevokeApiCredentialState> {
  const member = await requireStaff("settings.manage");
  const keyId = String(form.get("keyId") ?? "");
  try {
    await auditedStaffAction(
      member,
      (tx) => revokeOrganizationCredential(tx, member.organizationId, keyId),
      (result) => (result.alreadyRevoked ? null : { action: "api_credential.revoked", detail: { name: result.name }, target: { type: "api_credential", id: keyId } }),
    );
    revalidatePath(PAGE);
    return { revoked: true };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return { formError: error.message };
  }
}
