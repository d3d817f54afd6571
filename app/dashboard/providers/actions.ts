"use server";

import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/current-staff";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { AppError } from "@/lib/errors";
import { createProvider, pendingConsultationsOf, PROVIDER_FIELDS, providerBodyFromForm, setProviderActive, updateProvider } from "@/lib/providers";

export type ProviderFormState = {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
};

function formValues(form: FormData): Record<string, string> {
  return Object.fromEntries(PROVIDER_FIELDS.filter((f) => form.has(f)).map((f) => [f, String(form.get(f) ?? "")]));
}

/** An AppError as the form shows it: each detail on its field, and a summary above the form. */
function refused(error: unknown, values: Record<string, string>): ProviderFormState {
  if (!(error instanceof AppError) || error.status >= 500) throw error;
  const fieldErrors: Record<string, string> = {};
  for (const detail of error.details) {
    // The API's message names its field ("when professionalType is …"); the form has a label for that.
    const message = detail.code === "specialty_required" ? "is required for a specialist" : detail.message;
    fieldErrors[detail.field] ??= message;
  }
  const formError =
    error.status === 404
      ? "This provider is not one of your organization's."
      : Object.keys(fieldErrors).length > 0
        ? "Some fields need attention; each one says what is wrong."
        : error.message;
  return { values, fieldErrors, formError };
}

const PAGE = "/dashboard/providers";

export async function createProviderAction(_previous: ProviderFormState, form: FormData): Promise<ProviderFormState> {
  const member = await requireStaff("providers.manage");
  const values = formValues(form);
  let providerId: string;
  try {
    const provider = await auditedStaffAction(
      member,
      (tx) => createProvider(tx, member.organizationId, providerBodyFromForm(values)),
      (p) => ({ action: "provider.created", detail: { name: p.name, document: `${p.documentType} ${p.documentNumber}` }, target: { type: "provider", id: p.providerId } }),
    );
    providerId = provider.providerId;
  } catch (error) {
    return refused(error, values);
  }
  // The New consultation form offers active providers: refresh every dashboard page.
  revalidatePath("/dashboard", "layout");
  redirect(`${PAGE}/${providerId}?done=added`);
}

export async function updateProviderAction(_previous: ProviderFormState, form: FormData): Promise<ProviderFormState> {
  const member = await requireStaff("providers.manage");
  const providerId = String(form.get("providerId") ?? "");
  const values = formValues(form);
  try {
    // Field names only: the audit log says what was changed, not people's contact details.
    await auditedStaffAction(
      member,
      (tx) => updateProvider(tx, member.organizationId, providerId, providerBodyFromForm(values)),
      ({ provider, changed }) => (changed.length > 0 ? { action: "provider.updated", detail: { name: provider.name, changed }, target: { type: "provider", id: providerId } } : null),
    );
  } catch (error) {
    return refused(error, values);
  }
  // The New consultation form offers active providers: refresh every dashboard page.
  revalidatePath("/dashboard", "layout");
  redirect(`${PAGE}/${providerId}?done=saved`);
}

/** Deactivates (`active=false`) or reactivates (`active=true`) the form's provider. */
export async function setProviderActiveAction(form: FormData): Promise<void> {
  const member = await requireStaff("providers.manage");
  const providerId = String(form.get("providerId") ?? "");
  const active = form.get("active") === "true";
  try {
    await auditedStaffAction(
      member,
      async (tx) => {
        const { provider, changed } = await setProviderActive(tx, member.organizationId, providerId, active);
        const pending = changed && !active ? await pendingConsultationsOf(tx, member.organizationId, providerId) : undefined;
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
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
  // The New consultation form offers active providers: refresh every dashboard page.
  revalidatePath("/dashboard", "layout");
  redirect(`${PAGE}/${providerId}?done=${active ? "reactivated" : "deactivated"}`);
}
