"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { staffAction } from "@/lib/auth/staff-action";
import { formText } from "@/lib/forms/read";
import type { OrganizationProfileState } from "@/components/dashboard/OrganizationProfileForm";
import { updateOrganizationProfile } from "@/lib/organizations/profile";

const profileForm = z.object({ name: formText, timezone: formText, language: formText, logoUrl: formText });

export const saveOrganizationProfile = staffAction("settings.manage", profileForm, async (values, { staff, audited }): Promise<OrganizationProfileState> => {
  const { changes } = await audited(
    (tx) => updateOrganizationProfile(tx, staff.organizationId, values),
    (saved) => (Object.keys(saved.changes).length > 0 ? { action: "organization.updated", detail: saved.changes, target: { type: "organization", id: staff.organizationId } } : null),
  );
  if (Object.keys(changes).length > 0) {
    // The header shows the name and every page formats times in the timezone.
    revalidatePath("/dashboard", "layout");
  }
  return { values, saved: Object.keys(changes) };
});
