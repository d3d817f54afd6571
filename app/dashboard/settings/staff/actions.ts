"use server";

import { revalidatePath } from "next/cache";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import type { InviteState } from "@/components/dashboard/StaffInviteForm";
import type { ShownInvitation } from "@/components/dashboard/StaffInvitationLink";
import type { StaffActionResult } from "@/components/dashboard/StaffTable";
import { staffAction, staffRequest } from "@/lib/auth/staff-action";
import { appUrl } from "@/lib/config";
import { refusedForm, type FormWording } from "@/lib/forms/form-state";
import { formText } from "@/lib/forms/read";
import type { OrganizationRow } from "@/lib/organizations";
import { changeRole, deliverInvitation, inviteStaffMember, resendInvitation, setStaffActive, type Invitation, type StaffRole } from "@/lib/staff";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

const STAFF_PAGE = "/dashboard/settings/staff";

/** The link as the admin is shown it; its end in the reader's language and the clinic's timezone. */
async function shown(invitation: Invitation, organization: OrganizationRow): Promise<ShownInvitation> {
  const format = await getFormatter();
  return {
    name: invitation.member.name ?? invitation.member.email,
    email: invitation.member.email,
    link: invitation.link,
    expiresAt: `${format.dateTime(invitation.expiresAt, { dateStyle: "medium", timeStyle: "short", ...HOUR_CYCLE, timeZone: organization.timezone })} (${organization.timezone})`,
  };
}

/** The staff rules said the form's way: the provider a provider-role member must be, an email to type. */
async function wording(): Promise<FormWording> {
  const [t, forms] = await Promise.all([getTranslations("StaffForm"), getTranslations("Forms")]);
  return {
    message: ({ field, code }) => {
      if (field === "providerId" && code === "custom") return t("errors.providerRequired");
      if (field === "providerId") return forms("field.unknownProvider");
      if (field === "email" && code === "invalid_format") return t("errors.email");
      if (field === "role") return t("errors.role");
      return undefined;
    },
  };
}

const inviteForm = z.object({ email: formText, name: formText, role: formText, providerId: formText });

export const inviteStaffAction = staffAction("settings.manage", inviteForm, async (values, { staff, organization, audited }): Promise<InviteState> => {
  const ctx = { organizationId: staff.organizationId, appUrl: appUrl() };
  const invitation = await audited(
    (tx) =>
      inviteStaffMember(
        tx,
        ctx,
        { email: values.email, name: values.name, role: values.role as StaffRole, providerId: values.role === "provider" ? values.providerId || undefined : undefined },
        { deliver: false },
      ),
    ({ member: invited }) => ({
      action: "staff.invited",
      detail: { email: invited.email, role: invited.role, ...(invited.providerId ? { providerId: invited.providerId } : {}) },
      target: { type: "user", id: invited.userId },
    }),
  );
  // The link goes out once the account and its audit row are committed.
  await deliverInvitation(ctx, invitation);
  revalidatePath(STAFF_PAGE);
  return { invited: await shown(invitation, organization) };
}, wording);

/** Runs one row action, turning a refusal (the last admin, one's own account) into its message. */
async function answer(work: () => Promise<StaffActionResult>): Promise<StaffActionResult> {
  try {
    const result = await work();
    revalidatePath(STAFF_PAGE);
    return result;
  } catch (error) {
    const refused = await refusedForm(error, wording);
    return { ok: false, message: refused.formError ?? "", fieldErrors: refused.fieldErrors };
  }
}

export async function resendInvitationAction(userId: string): Promise<StaffActionResult> {
  const { staff, organization, audited } = await staffRequest("settings.manage");
  return answer(async () => {
    const ctx = { organizationId: staff.organizationId, appUrl: appUrl() };
    const invitation = await audited(
      (tx) => resendInvitation(tx, ctx, String(userId), { deliver: false }),
      (resent) => ({ action: "staff.invited", detail: { email: resent.member.email, resent: true }, target: { type: "user", id: userId } }),
    );
    await deliverInvitation(ctx, invitation);
    const t = await getTranslations("Actions");
    const name = invitation.member.name ?? invitation.member.email;
    return { ok: true, message: t("staff.resent", { name }), invitation: await shown(invitation, organization) };
  });
}

export async function changeRoleAction(userId: string, role: string, providerId: string): Promise<StaffActionResult> {
  const { staff, audited } = await staffRequest("settings.manage");
  return answer(async () => {
    const result = await audited(
      (tx) => changeRole(tx, staff, String(userId), { role: String(role) as StaffRole, providerId: providerId ? String(providerId) : undefined }),
      (changed) =>
        changed.changed
          ? {
              action: "staff.role_changed",
              detail: { email: changed.member.email, from: changed.from.role, to: changed.member.role, ...(changed.member.providerId ? { providerId: changed.member.providerId } : {}) },
              target: { type: "user", id: userId },
            }
          : null,
    );
    const t = await getTranslations("Actions");
    const name = result.member.name ?? result.member.email;
    if (!result.changed) return { ok: true, message: t("staff.sameRole", { name }) };
    return { ok: true, message: t("staff.roleChanged", { name, role: result.member.role, from: result.from.role }) };
  });
}

export async function setStaffActiveAction(userId: string, active: boolean): Promise<StaffActionResult> {
  const { staff, audited } = await staffRequest("settings.manage");
  return answer(async () => {
    // An action's arguments come from the browser: only a real `true` reactivates.
    const activate = active === true;
    const result = await audited(
      (tx) => setStaffActive(tx, staff, String(userId), activate),
      (changed) => (changed.changed ? { action: activate ? "staff.reactivated" : "staff.deactivated", detail: { email: changed.member.email }, target: { type: "user", id: userId } } : null),
    );
    const t = await getTranslations("Actions");
    const name = result.member.name ?? result.member.email;
    return { ok: true, message: activate ? t("staff.reactivated", { name }) : t("staff.deactivated", { name }) };
  });
}
