"use server";

import { revalidatePath } from "next/cache";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { appUrl } from "@/lib/config";
import { changeRole, deliverInvitation, inviteStaffMember, resendInvitation, ROLE_LABELS, setStaffActive, type Invitation, type StaffRole } from "@/lib/staff";
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
    const ctx = { organizationId: member.organizationId, appUrl: appUrl() };
    const invitation = await auditedStaffAction(
      member,
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
    const ctx = { organizationId: member.organizationId, appUrl: appUrl() };
    const invitation = await auditedStaffAction(
      member,
      (tx) => resendInvitation(tx, ctx, String(userId), { deliver: false }),
      (resent) => ({ action: "staff.invited", detail: { email: resent.member.email, resent: true }, target: { type: "user", id: userId } }),
    );
    await deliverInvitation(ctx, invitation);
    const name = invitation.member.name ?? invitation.member.email;
    return { ok: true, message: `A new link for ${name} is below; their earlier links no longer work.`, invitation: await shown(invitation, member.organizationId) };
  });
}

export async function changeRoleAction(userId: string, role: string, providerId: string): Promise<StaffActionResult> {
  const member = await requireStaff("settings.manage");
  return answer(async () => {
    const result = await auditedStaffAction(
      member,
      (tx) => changeRole(tx, member, String(userId), { role: String(role) as StaffRole, providerId: providerId ? String(providerId) : undefined }),
      (changed) =>
        changed.changed
          ? {
              action: "staff.role_changed",
              detail: { email: changed.member.email, from: changed.from.role, to: changed.member.role, ...(changed.member.providerId ? { providerId: changed.member.providerId } : {}) },
              target: { type: "user", id: userId },
            }
          : null,
    );
    const name = result.member.name ?? result.member.email;
    if (!result.changed) return { ok: true, message: `${name} already has that role.` };
    return { ok: true, message: `${name} is now ${ROLE_LABELS[result.member.role].toLowerCase()} (was ${ROLE_LABELS[result.from.role].toLowerCase()}).` };
  });
}

export async function setStaffActiveAction(userId: string, active: boolean): Promise<StaffActionResult> {
  const member = await requireStaff("settings.manage");
  return answer(async () => {
    // An action's arguments come from the browser: only a real `true` reactivates.
    const activate = active === true;
    const result = await auditedStaffAction(
      member,
      (tx) => setStaffActive(tx, member, String(userId), activate),
      (changed) => (changed.changed ? { action: activate ? "staff.reactivated" : "staff.deactivated", detail: { email: changed.member.email }, target: { type: "user", id: userId } } : null),
    );
    const name = result.member.name ?? result.member.email;
    return {
      ok: true,
      message: activate ? `${name} is active again and can sign in.` : `${name} is deactivated and was signed out everywhere.`,
    };
  });
}
