import type { Metadata } from "next";
import { DashboardNav, type NavItem } from "@/components/dashboard/DashboardNav";
import { IdleGuard } from "@/components/dashboard/IdleGuard";
import styles from "@/components/dashboard/dashboard.module.css";
import { SignInNotice } from "@/components/dashboard/SignInNotice";
import { currentSignInNotice } from "@/lib/auth/current-staff";
import { staffRequest } from "@/lib/auth/staff-action";
import { idleSeconds } from "@/lib/auth/staff-auth";
import { can, ROLE_LABELS, type StaffMember } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { keepSessionAlive, signOutIdle, signOutStaff } from "./actions";

export const metadata: Metadata = { title: { default: "Dashboard", template: "%s · Dashboard" }, robots: { index: false } };

function navFor(member: StaffMember): NavItem[] {
  const items: NavItem[] = [];
  if (can(member.role, "calls.join")) items.push({ href: "/dashboard/my-day", label: "My day" });
  items.push({ href: "/dashboard/consultations", label: member.role === "provider" ? "My consultations" : "Consultations" });
  if (can(member.role, "consultations.manage")) items.push({ href: "/dashboard/consultations/new", label: "New consultation" });
  if (can(member.role, "chats.view")) items.push({ href: "/dashboard/chat", label: "Chats" });
  if (can(member.role, "rooms.view")) items.push({ href: "/dashboard/rooms", label: "Rooms" });
  if (can(member.role, "providers.manage")) items.push({ href: "/dashboard/providers", label: "Providers" });
  if (can(member.role, "settings.manage")) items.push({ href: "/dashboard/settings", label: "Settings" });
  if (can(member.role, "audit.view")) items.push({ href: "/dashboard/audit", label: "Audit log" });
  return items;
}

// Every page below checks the role again itself: a layout is not re-run on client navigation.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { staff: member, organization } = await staffRequest();
  const failed = await currentSignInNotice();
  return (
    <div className={styles.shell}>
      <a href="#content" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.brand}>
          <span className={styles.clinic}>{organization.name}</span>
          <span className={styles.muted}>Telemed Portal</span>
        </div>
        <DashboardNav items={navFor(member)} />
        <div className={styles.account}>
          <span>
            {member.name ?? member.email} <span className={styles.role}>{ROLE_LABELS[member.role]}</span>
          </span>
          <form action={signOutStaff}>
            <button type="submit" className={styles.linkButton}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="content" className={styles.content}>
        {failed && (
          <SignInNotice dismissKey={failed.lastAt}>
            {failed.count === 1 ? "1 failed sign-in attempt" : `${failed.count} failed sign-in attempts`} for your account since your last sign-in (the last
            {failed.lastIp ? ` from ${failed.lastIp}` : ""} at {formatLocal(new Date(failed.lastAt), organization.timezone)}, {organization.timezone}). If it was not you,
            nothing is needed: those tries are slowed down; if your password may be known, ask your clinic&apos;s admin to reset it.
          </SignInNotice>
        )}
        {children}
      </main>
      <IdleGuard idleSeconds={idleSeconds()} keepSessionAlive={keepSessionAlive} signOutIdle={signOutIdle} />
    </div>
  );
}
