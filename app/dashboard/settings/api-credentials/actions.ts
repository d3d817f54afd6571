"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { NewApiCredentialState } from "@/components/dashboard/ApiCredentialForm";
import type { RevokeApiCredentialState } from "@/components/dashboard/ApiCredentialsTable";
import { createApiCredential, revokeOrganizationCredential } from "@/lib/auth/api-credentials";
import { staffAction } from "@/lib/auth/staff-action";
import { formText } from "@/lib/forms/read";

const PAGE = "/dashboard/settings/api-credentials";

export const createApiCredentialAction = staffAction(
  "settings.manage",
  z.object({ name: formText }),
  async ({ name }, { staff, audited }): Promise<NewApiCredentialState> => {
    // The audit names the credential by its public key id; the secret never leaves this answer.
    const issued = await audited(
      (tx) => createApiCredential(tx, staff.organizationId, { name }),
      (created) => ({ action: "api_credential.created", detail: { name: created.name }, target: { type: "api_credential", id: created.keyId } }),
    );
    revalidatePath(PAGE);
    return { created: { name: issued.name, keyId: issued.keyId, secret: issued.secret, bearerToken: issued.bearerToken } };
  },
  // The one field says what is wrong with it; the form has no summary for that.
  { summary: (error, _fieldErrors, usual) => (error.details.length > 0 ? undefined : usual) },
);

export const revokeApiCredentialAction = staffAction(
  "settings.manage",
  z.object({ keyId: formText }),
  async ({ keyId }, { staff, audited }): Promise<RevokeApiCredentialState> => {
    await audited(
      (tx) => revokeOrganizationCredential(tx, staff.organizationId, keyId),
      (result) => (result.alreadyRevoked ? null : { action: "api_credential.revoked", detail: { name: result.name }, target: { type: "api_credential", id: keyId } }),
    );
    revalidatePath(PAGE);
    return { revoked: true };
  },
  // Another organization's key id (or none) reads as not found, naming what was not.
  async () => {
    const t = await getTranslations("ApiCredentialForm");
    return { summary: (error, _fieldErrors, usual) => (error.status === 404 ? t("notFound") : usual) };
  },
);
