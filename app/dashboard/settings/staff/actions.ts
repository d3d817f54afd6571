"use server";

import { revalidatePath } from "next/cache";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditStaffAction } from "@/lib/auth/staff-auth";
import { appUrl } from "@/lib/config";
import { changeRole, inviteStaffMember, resendInvitation, ROLE_LABELS, setStaffActive, type Invitation, type StaffRole } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { refusedForm, text } from "../form-state";

/** A set-password link as the admin is shown it, once. */
export type ShownInvitation = { name: string; email: string; link: string; expiresAt: string };

export type InviteState = {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
  invited?: ShownInvitation;
};

/** What a row's action answers: a sentence for the page, and a new link to show when there is one. */
export type StaffActionResult = { ok: boolean; message: string; fieldErrors?: Record<string, string>; invitation?: ShownInvitation };

const STAFF_PAGE = "/dashboard/settings/staff";

async function shown(invitation: Invitation, organizationId: string): Promise<ShownInvitation> {
  const organization = await staffOrganization(organizationId);
  return {
    name: invitation.member.name ?? invitation.member.email,
    email: invitation.member.email,
    link: invitation.link,
    expiresAt: `${formatLocal(invitation.expiresAt, organization.timezone)} (${organization.timezone})`,
  };
}

export async function inviteStaffAction(_previous: InviteState, form: FormData): Promise<InviteState> {
  const member = await requireStaff("settings.manage");
  const values = { email: text(form, "email"), name: text(form, "name"), role: text(form, "role"), providerId: text(form, "providerId") };
  try {
    const invitation = await inviteStaffMember(
      await database(),
      { organizationId: member.organizationId, appUrl: appUrl() },
      { email: values.email, name: values.name, role: values.role as StaffRole, providerId: values.role === "provider" ? values.providerId || undefined : undefined },
    );
    await auditStaffAction(
      member,
      "staff.invited",
      { email: invitation.member.email, role: invitation.member.role, ...(invitation.member.providerId ? { providerId: invitation.member.providerId } : {}) },
      { type: "user", id: invitation.member.userId },
    );
    revalidatePath(STAFF_PAGE);
    return { invited: await shown(invitation, member.organizationId) };
  } catch (error) {
    return { values, ...refusedForm(error) };
  }
}

/** Runs one row action, turning a refusal (the last admin, one's own account) into its message. */
async function answer(work: () => Promise<StaffActionResult>): Promise<StaffActionResult> {
  try {
    const result = await work();
    revalidatePath(STAFF_PAGE);
    return result;
  } catch (error) {
    const refused = refusedForm(error);
    return { ok: false, message: refused.formError, fieldErrors: refused.fieldErrors };
  }
}

export async function resendInvitationAction(userId: string): Promise<StaffActionResult> {
  const member = await requireStaff("settings.manage");
  return answer(async () => {
    const invitation = await resendInvitation(await database(), { organizationId: member.organizationId, appUrl: appUrl() }, String(userId));
    await auditStaffAction(member, "staff.invited", { email: invitation.member.email, resent: true }, { type: "user", id: userId });
    const name = invitation.member.name ?? invitation.member.email;
    return { ok: true, message: `A new link for ${name} is below; their earlier links no longer work.`, invitation: await shown(invitation, member.organizationId) };
  });
}

export async function changeRoleAction(userId: string, role: string, providerId: string): Promise<StaffActionResult> {
  const member = await requireStaff("settings.manage");
  return answer(async () => {
    const result = await changeRole(await database(), member, String(userId), { role: String(role) as StaffRole, providerId: providerId ? String(providerId) : undefined });
    const name = result.member.name ?? result.member.email;
    if (!result.changed) return { ok: true, message: `${name} already has that role.` };
    await auditStaffAction(
      member,
      "staff.role_changed",
      { email: result.member.email, from: result.from.role, to: result.member.role, ...(result.member.providerId ? { providerId: result.member.providerId } : {}) },
      { type: "user", id: userId },
    );
    return { ok: true, message: `${name} is now ${ROLE_LABELS[result.member.role].toLowerCase()} (was ${ROLE_LABELS[result.from.role].toLowerCase()}).` };
  });
}

export async function setStaffActiveAction(userId: string, active: boolean): Promise<StaffActionResult> {
  const member = await requireStaff("settings.manage");
  return answer(async () => {
    // An action's arguments come from the browser: only a real `true` reactivates.
    const activate = active === true;
    const result = await setStaffActive(await database(), member, String(userId), activate);
    const name = result.member.name ?? result.member.email;
    if (result.changed) {
      await auditStaffAction(member, activate ? "staff.reactivated" : "staff.deactivated", { email: result.member.email }, { type: "user", id: userId });
    }
    return {
      ok: true,
      message: activate ? `${name} is active again and can sign in.` : `${name} is deactivated and was signed out everywhere.`,
    };
  });
}
