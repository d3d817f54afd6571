import type { Metadata } from "next";
import { StaffInviteForm } from "@/components/dashboard/StaffInviteForm";
import { StaffTable, type StaffTableRow } from "@/components/dashboard/StaffTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { listProviderChoices } from "@/lib/providers";
import { listStaff } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { changeRoleAction, inviteStaffAction, resendInvitationAction, setStaffActiveAction } from "./actions";

export const metadata: Metadata = { title: "Staff" };

export default async function StaffSettingsPage() {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const [staff, providers] = await Promise.all([listStaff(db, member.organizationId), listProviderChoices(db, member.organizationId)]);
  const timeZone = organization.timezone;
  const rows: StaffTableRow[] = staff.map((s) => ({
    userId: s.userId,
    name: s.name ?? s.email,
    email: s.email,
    role: s.role,
    providerId: s.providerId,
    providerName: s.providerName,
    status: s.status,
    invitationNote:
      s.status !== "invited"
        ? null
        : s.invitationExpiresAt
          ? `Link works until ${formatLocal(s.invitationExpiresAt, timeZone)}`
          : "Link expired: send a new one",
    lastSignIn: s.lastSignInAt ? formatLocal(s.lastSignInAt, timeZone) : "Never",
    self: s.userId === member.userId,
  }));

  return (
    <>
      <h1>Staff</h1>
      <p className={styles.muted}>
        The people who sign in to this dashboard. {staff.length} {staff.length === 1 ? "person" : "people"} · times in {timeZone}
      </p>
      <StaffInviteForm invite={inviteStaffAction} providers={providers} />
      <StaffTable
        rows={rows}
        providers={providers}
        timeZone={timeZone}
        actions={{ resendInvitation: resendInvitationAction, changeRole: changeRoleAction, setActive: setStaffActiveAction }}
      />
    </>
  );
}
