"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { ProviderFormState } from "@/components/dashboard/ProviderForm";
import { staffAction, staffRequest } from "@/lib/auth/staff-action";
import { isNotFound, type FormWording } from "@/lib/forms/form-state";
import { formText } from "@/lib/forms/read";
import { createProvider, pendingConsultationsOf, PROVIDER_FIELDS, providerBodyFromForm, setProviderActive, updateProvider } from "@/lib/providers";

const PAGE = "/dashboard/providers";

/** The provider's fields the form sent (an absent one is left as it is). */
const providerForm = z.object(Object.fromEntries(PROVIDER_FIELDS.map((field) => [field, z.string().optional()])) as Record<(typeof PROVIDER_FIELDS)[number], z.ZodOptional<z.ZodString>>);

/** A provider of another organization (or none) is said so; invalid fields have the usual summary, a conflict too. */
async function wording(): Promise<FormWording> {
  const t = await getTranslations("ProviderForm");
  const forms = await getTranslations("Forms");
  return {
    summary: (error, fieldErrors, usual) =>
      error.status === 404 ? t("notYours") : Object.keys(fieldErrors).length > 0 ? forms("summary.fieldsNeedAttention") : usual,
  };
}

export const createProviderAction = staffAction(
  "providers.manage",
  providerForm,
  async (values, { staff, audited }): Promise<ProviderFormState> => {
    const provider = await audited(
      (tx) => createProvider(tx, staff.organizationId, providerBodyFromForm(values)),
      (p) => ({ action: "provider.created", detail: { name: p.name, document: `${p.documentType} ${p.documentNumber}` }, target: { type: "provider", id: p.providerId } }),
    );
    // The New consultation form offers active providers: refresh every dashboard page.
    revalidatePath("/dashboard", "layout");
    redirect(`${PAGE}/${provider.providerId}?done=added`);
  },
  wording,
);

export const updateProviderAction = staffAction(
  "providers.manage",
  providerForm.extend({ providerId: formText }),
  async ({ providerId, ...values }, { staff, audited }): Promise<ProviderFormState> => {
    // Field names only: the audit log says what was changed, not people's contact details.
    await audited(
      (tx) => updateProvider(tx, staff.organizationId, providerId, providerBodyFromForm(values)),
      ({ provider, changed }) => (changed.length > 0 ? { action: "provider.updated", detail: { name: provider.name, changed }, target: { type: "provider", id: providerId } } : null),
    );
    // The New consultation form offers active providers: refresh every dashboard page.
    revalidatePath("/dashboard", "layout");
    redirect(`${PAGE}/${providerId}?done=saved`);
  },
  wording,
);

/** Deactivates (`active=false`) or reactivates (`active=true`) the form's provider. */
export async function setProviderActiveAction(form: FormData): Promise<void> {
  const { staff, audited } = await staffRequest("providers.manage");
  const providerId = String(form.get("providerId") ?? "");
  const active = form.get("active") === "true";
  try {
    await audited(
      async (tx) => {
        const { provider, changed } = await setProviderActive(tx, staff.organizationId, providerId, active);
        const pending = changed && !active ? await pendingConsultationsOf(tx, staff.organizationId, providerId) : undefined;
        return { provider, changed, pending };
      },
      ({ provider, changed, pending }) =>
        changed
          ? {
              action: active ? "provider.reactivated" : "provider.deactivated",
              detail: active ? { name: provider.name } : { name: provider.name, pendingConsultations: pending },
              target: { type: "provider", id: providerId },
            }
          : null,
    );
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  // The New consultation form offers active providers: refresh every dashboard page.
  revalidatePath("/dashboard", "layout");
  redirect(`${PAGE}/${providerId}?done=${active ? "reactivated" : "deactivated"}`);
}
