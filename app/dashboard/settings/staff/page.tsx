import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { StaffInviteForm } from "@/components/dashboard/StaffInviteForm";
import { StaffTable, type StaffTableRow } from "@/components/dashboard/StaffTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { DATE_TIME } from "@/components/dashboard/formats";
import { staffRequest } from "@/lib/auth/staff-action";
import { listProviderChoices } from "@/lib/providers";
import { listStaff } from "@/lib/staff";
import { changeRoleAction, inviteStaffAction, resendInvitationAction, setStaffActiveAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Staff");
  return { title: t("title") };
}

export default async function StaffSettingsPage() {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const [staff, providers, t, tTables, format] = await Promise.all([
    listStaff(db, member.organizationId),
    listProviderChoices(db, member.organizationId),
    getTranslations("Staff"),
    getTranslations("Tables"),
    getFormatter(),
  ]);
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
          ? t("linkWorksUntil", { time: format.dateTime(s.invitationExpiresAt, DATE_TIME) })
          : t("linkExpired"),
    lastSignIn: s.lastSignInAt ? format.dateTime(s.lastSignInAt, DATE_TIME) : t("never"),
    self: s.userId === member.userId,
  }));

  return (
    <>
      <h1>{t("title")}</h1>
      <p className={styles.muted}>
        {t("intro", { count: staff.length })} · {tTables("timesIn", { timeZone })}
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
