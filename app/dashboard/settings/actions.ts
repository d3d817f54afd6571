"use server";

import { revalidatePath } from "next/cache";
import { requireStaff } from "@/lib/auth/current-staff";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { updateOrganizationProfile } from "@/lib/organizations/profile";
import { refusedForm, text } from "./form-state";

export type OrganizationProfileState = {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
  /** The fields that changed with the last save (empty: nothing to save). */
  saved?: string[];
};

export async function saveOrganizationProfile(_previous: OrganizationProfileState, form: FormData): Promise<OrganizationProfileState> {
  const member = await requireStaff("settings.manage");
  const values = { name: text(form, "name"), timezone: text(form, "timezone"), language: text(form, "language"), logoUrl: text(form, "logoUrl") };
  try {
    const { changes } = await auditedStaffAction(
      member,
      (tx) => updateOrganizationProfile(tx, member.organizationId, values),
      (saved) => (Object.keys(saved.changes).length > 0 ? { action: "organization.updated", detail: saved.changes, target: { type: "organization", id: member.organizationId } } : null),
    );
    if (Object.keys(changes).length > 0) {
      // The header shows the name and every page formats times in the timezone.
      revalidatePath("/dashboard", "layout");
    }
    return { values, saved: Object.keys(changes) };
  } catch (error) {
    return { values, ...refusedForm(error) };
  }
}
