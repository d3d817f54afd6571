import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BackgroundGrid, BackgroundUpload } from "@/components/dashboard/Backgrounds";
import { CallSettingsForm } from "@/components/dashboard/CallSettingsForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { BACKGROUND_MAX_BYTES, BACKGROUNDS_PER_ORGANIZATION, END_CALL_REDIRECT_MAX_TIMEOUT_MS } from "@/lib/limits";
import { backgroundPath } from "@/lib/settings/alias";
import { listBackgrounds } from "@/lib/settings/backgrounds";
import { companySettingsOf } from "@/lib/settings/company";
import { BACKGROUND_MAX_MEGABYTES } from "@/lib/settings/schema";
import { makeDefaultBackground, removeBackground, saveCallSettings } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Settings");
  return { title: t("sections.call") };
}

export default async function CallSettingsPage() {
  const { db, staff } = await staffRequest("settings.manage");
  const [backgrounds, company, t] = await Promise.all([listBackgrounds(db, staff.organizationId), companySettingsOf(db, staff.organizationId, ""), getTranslations("CallSettings")]);
  const full = backgrounds.length >= BACKGROUNDS_PER_ORGANIZATION;
  return (
    <>
      <h1>{t("title")}</h1>
      <p className={styles.muted}>{t("intro")}</p>

      <section className={styles.panel} aria-labelledby="backgrounds-title">
        <h2 id="backgrounds-title">{t("backgrounds.title")}</h2>
        <p className={styles.hint}>{t("backgrounds.intro")}</p>
        {backgrounds.length > 0 && <p className={styles.hint}>{t("backgrounds.count", { count: backgrounds.length, maximum: BACKGROUNDS_PER_ORGANIZATION })}</p>}
        {full && <p className={styles.notice}>{t("backgrounds.full", { maximum: BACKGROUNDS_PER_ORGANIZATION })}</p>}
        <BackgroundUpload maxBytes={BACKGROUND_MAX_BYTES} maxMegabytes={BACKGROUND_MAX_MEGABYTES} disabled={full} />
        <BackgroundGrid
          backgrounds={backgrounds.map((b) => ({ alias: b.alias, url: backgroundPath(b.alias), createdAt: b.createdAt.toISOString(), width: b.width, height: b.height, isDefault: b.isDefault }))}
          makeDefault={makeDefaultBackground}
          remove={removeBackground}
        />
      </section>

      <section className={styles.panel} aria-labelledby="end-of-call-title">
        <h2 id="end-of-call-title">{t("form.title")}</h2>
        <CallSettingsForm
          save={saveCallSettings}
          initial={{
            endCallRedirectUrl: company.end_call_redirect_url,
            endCallRedirectSeconds: String(company.end_call_redirect_timeout_ms / 1000),
            userDetailsProviderUrl: company.user_details_provider_url,
          }}
          maxDelaySeconds={END_CALL_REDIRECT_MAX_TIMEOUT_MS / 1000}
        />
      </section>
    </>
  );
}
