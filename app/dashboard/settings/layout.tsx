import type { Metadata } from "next";
import { DashboardNav } from "@/components/dashboard/DashboardNav";
import styles from "@/components/dashboard/dashboard.module.css";
import { requireStaff } from "@/lib/auth/current-staff";

export const metadata: Metadata = { title: { default: "Settings", template: "%s · Settings · Dashboard" } };

const SECTIONS = [
  { href: "/dashboard/settings", label: "Organization" },
  { href: "/dashboard/settings/staff", label: "Staff" },
  { href: "/dashboard/settings/api-credentials", label: "API credentials" },
  { href: "/dashboard/settings/webhooks", label: "Webhooks" },
  { href: "/dashboard/settings/rooms", label: "Rooms" },
];

// Admins only; each page and action below checks again (a layout is not re-run on client navigation).
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requireStaff("settings.manage");
  return (
    <div className={styles.settings}>
      <DashboardNav items={SECTIONS} label="Settings" sub />
      <div className={styles.settingsBody}>{children}</div>
    </div>
  );
}
