import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DashboardNav } from "@/components/dashboard/DashboardNav";
import styles from "@/components/dashboard/dashboard.module.css";
import { requireStaff } from "@/lib/auth/current-staff";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Settings");
  return { title: { default: t("title"), template: t("titleTemplate") } };
}

// Admins only; each page and action below checks again (a layout is not re-run on client navigation).
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requireStaff("settings.manage");
  const t = await getTranslations("Settings");
  const sections = [
    { href: "/dashboard/settings", label: t("sections.organization") },
    { href: "/dashboard/settings/staff", label: t("sections.staff") },
    { href: "/dashboard/settings/api-credentials", label: t("sections.apiCredentials") },
    { href: "/dashboard/settings/webhooks", label: t("sections.webhooks") },
    { href: "/dashboard/settings/rooms", label: t("sections.rooms") },
    { href: "/dashboard/settings/call", label: t("sections.call") },
  ];
  return (
    <div className={styles.settings}>
      <DashboardNav items={sections} label={t("title")} sub />
      <div className={styles.settingsBody}>{children}</div>
    </div>
  );
}
