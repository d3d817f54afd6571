import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { OrganizationProfileForm } from "@/components/dashboard/OrganizationProfileForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { saveOrganizationProfile } from "./actions";
import { ORGANIZATION_LANGUAGES, timeZoneChoices } from "@/lib/organizations/profile";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Settings");
  return { title: t("sections.organization") };
}

export default async function OrganizationSettingsPage() {
  const { organization } = await staffRequest("settings.manage");
  const t = await getTranslations("Settings");
  return (
    <>
      <h1>{t("sections.organization")}</h1>
      <p className={styles.muted}>{t("organizationIntro")}</p>
      <OrganizationProfileForm
        save={saveOrganizationProfile}
        initial={{ name: organization.name, timezone: organization.timezone, language: organization.language, logoUrl: organization.logoUrl ?? "" }}
        timeZones={timeZoneChoices(organization.timezone)}
        languages={ORGANIZATION_LANGUAGES}
      />
    </>
  );
}
