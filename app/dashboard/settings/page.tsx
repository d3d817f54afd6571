import type { Metadata } from "next";
import { OrganizationProfileForm } from "@/components/dashboard/OrganizationProfileForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { saveOrganizationProfile } from "./actions";
import { ORGANIZATION_LANGUAGES, timeZoneChoices } from "@/lib/organizations/profile";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const { organization } = await staffRequest("settings.manage");
  return (
    <>
      <h1>Organization</h1>
      <p className={styles.muted}>How the clinic appears in the dashboard, and the timezone its times are shown and scheduled in.</p>
      <OrganizationProfileForm
        save={saveOrganizationProfile}
        initial={{ name: organization.name, timezone: organization.timezone, language: organization.language, logoUrl: organization.logoUrl ?? "" }}
        timeZones={timeZoneChoices(organization.timezone)}
        languages={ORGANIZATION_LANGUAGES}
      />
    </>
  );
}
