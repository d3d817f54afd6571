"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { SetPasswordState } from "@/components/dashboard/SetPasswordForm";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { refusedForm } from "@/lib/forms/form-state";
import { setPasswordWithToken, type StaffMember } from "@/lib/staff";

/** Public: the link's token is the only credential. It is used up only when the password is accepted. */
export async function setPasswordAction(_previous: SetPasswordState, form: FormData): Promise<SetPasswordState> {
  const input = { token: String(form.get("token") ?? ""), password: String(form.get("password") ?? ""), confirmation: String(form.get("confirmation") ?? "") };
  try {
    // The person is known once the link is used: the audit row names them from the result.
    await auditedStaffAction<StaffMember>((member) => member, (tx) => setPasswordWithToken(tx, input), () => ({ action: "staff.password_set" }));
  } catch (error) {
    const refused = await refusedForm(error, async () => {
      const t = await getTranslations("SetPassword");
      return { message: ({ field, code }) => (field === "confirmation" && code === "custom" ? t("errors.mismatch") : undefined) };
    });
    if (refused.fieldErrors.password || refused.fieldErrors.confirmation) return refused;
    // Anything else is the link: unknown, used, replaced, expired, or its account deactivated.
    const forms = await getTranslations("Forms");
    return { linkInvalid: true, formError: forms("refusal.invitationLinkInvalid") };
  }
  redirect("/signin?reason=password_set");
}
