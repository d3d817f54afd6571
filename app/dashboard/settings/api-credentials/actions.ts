"use server";

import { revalidatePath } from "next/cache";
import { database } from "@/db/runtime";
import { createApiCredential, revokeOrganizationCredential } from "@/lib/auth/api-credentials";
import { requireStaff } from "@/lib/auth/current-staff";
import { auditStaffAction } from "@/lib/auth/staff-auth";
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
    const issued = await createApiCredential(await database(), member.organizationId, { name });
    // The audit names the credential by its public key id; the secret never leaves this answer.
    await auditStaffAction(member, "api_credential.created", { name: issued.name }, { type: "api_credential", id: issued.keyId });
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
    const result = await revokeOrganizationCredential(await database(), member.organizationId, keyId);
    if (!result.alreadyRevoked) await auditStaffAction(member, "api_credential.revoked", { name: result.name }, { type: "api_credential", id: keyId });
    revalidatePath(PAGE);
    return { revoked: true };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return { formError: error.message };
  }
}
