import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { DashboardNav, type NavItem } from "@/components/dashboard/DashboardNav";
import { DATE_TIME } from "@/components/dashboard/formats";
import { IdleGuard } from "@/components/dashboard/IdleGuard";
import { ROLE_KEYS } from "@/components/dashboard/labels";
import styles from "@/components/dashboard/dashboard.module.css";
import { SignInNotice } from "@/components/dashboard/SignInNotice";
import { ClientMessages } from "@/components/i18n/ClientMessages";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import { currentSignInNotice } from "@/lib/auth/current-staff";
import { staffRequest } from "@/lib/auth/staff-action";
import { idleSeconds } from "@/lib/auth/staff-auth";
import { can, type StaffMember } from "@/lib/staff";
import { keepSessionAlive, signOutIdle, signOutStaff } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Dashboard");
  return { title: { default: t("title"), template: t("titleTemplate") }, robots: { index: false } };
}

async function navFor(member: StaffMember): Promise<NavItem[]> {
  const t = await getTranslations("Dashboard");
  const items: NavItem[] = [];
  if (can(member.role, "calls.join")) items.push({ href: "/dashboard/my-day", label: t("nav.myDay") });
  items.push({ href: "/dashboard/consultations", label: member.role === "provider" ? t("nav.myConsultations") : t("nav.consultations") });
  if (can(member.role, "consultations.manage")) items.push({ href: "/dashboard/consultations/new", label: t("nav.newConsultation") });
  if (can(member.role, "chats.view")) items.push({ href: "/dashboard/chat", label: t("nav.chats") });
  if (can(member.role, "rooms.view")) items.push({ href: "/dashboard/rooms", label: t("nav.rooms") });
  if (can(member.role, "providers.manage")) items.push({ href: "/dashboard/providers", label: t("nav.providers") });
  if (can(member.role, "settings.manage")) items.push({ href: "/dashboard/settings", label: t("nav.settings") });
  if (can(member.role, "audit.view")) items.push({ href: "/dashboard/audit", label: t("nav.audit") });
  return items;
}

// Every page below checks the role again itself: a layout is not re-run on client navigation.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { staff: member, organization } = await staffRequest();
  const [failed, t, format, nav] = await Promise.all([currentSignInNotice(), getTranslations("Dashboard"), getFormatter(), navFor(member)]);
  const noticeValues = failed && {
    count: failed.count,
    ip: failed.lastIp ?? "",
    time: format.dateTime(new Date(failed.lastAt), DATE_TIME),
    timeZone: organization.timezone,
  };
  return (
    // The namespaces the dashboard's client components read, one a line.
    <ClientMessages
      namespaces={[
        "Common",
        "Dashboard",
        "Tables",
        "MyDay",
        "Consultations",
        "Providers",
        "Rooms",
        "Chats",
        "Staff",
        "Webhooks",
        "ApiCredentials",
        "Audit",
        "Forms",
        "ConsultationForm",
        "ProviderForm",
        "OrganizationForm",
        "RoomGroupsForm",
        "CallSettings",
        "StaffForm",
        "WebhookForm",
        "ApiCredentialForm",
      ]}
    >
      <div className={styles.shell}>
        <a href="#content" className={styles.skip}>
          {t("skipToContent")}
        </a>
        <header className={styles.header}>
          <div className={styles.brand}>
            <span className={styles.clinic}>{organization.name}</span>
            <span className={styles.muted}>Telemed Portal</span>
          </div>
          <DashboardNav items={nav} label={t("nav.label")} />
          <div className={styles.account} role="group" aria-label={t("account.label")}>
            <span>
              {member.name ?? member.email} <span className={styles.role}>{t(ROLE_KEYS[member.role])}</span>
            </span>
            <LanguageSwitcher className={styles.languageSwitcher} />
            <form action={signOutStaff}>
              <button type="submit" className={styles.linkButton}>
                {t("account.signOut")}
              </button>
            </form>
          </div>
        </header>
        <main id="content" className={styles.content}>
          {failed && noticeValues && (
            <SignInNotice dismissKey={failed.lastAt}>{failed.lastIp ? t("signInNotice.withAddress", noticeValues) : t("signInNotice.withoutAddress", noticeValues)}</SignInNotice>
          )}
          {children}
        </main>
        <IdleGuard idleSeconds={idleSeconds()} keepSessionAlive={keepSessionAlive} signOutIdle={signOutIdle} />
      </div>
    </ClientMessages>
  );
}
