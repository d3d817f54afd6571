"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { staffAction } from "@/lib/auth/staff-action";
import type { FormWording } from "@/lib/forms/form-state";
import { formText } from "@/lib/forms/read";
import type { OrganizationProfileState } from "@/components/dashboard/OrganizationProfileForm";
import { updateOrganizationProfile } from "@/lib/organizations/profile";

const profileForm = z.object({ name: formText, timezone: formText, language: formText, logoUrl: formText });

/** The fields whose rule says more than the usual words: the logo's address, the timezone and language lists. */
async function wording(): Promise<FormWording> {
  const t = await getTranslations("OrganizationForm");
  return {
    message: (detail) => {
      if (detail.field === "logoUrl" && detail.code === "invalid_format") return t("errors.logoUrl");
      if (detail.field === "timezone" && detail.code === "custom") return t("errors.timezone");
      if (detail.field === "language" && detail.code === "invalid_value") return t("errors.language");
      return undefined;
    },
  };
}

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
}, wording);
