import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { ApiCredentialForm } from "@/components/dashboard/ApiCredentialForm";
import { ApiCredentialsTable } from "@/components/dashboard/ApiCredentialsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { DATE_TIME } from "@/components/dashboard/formats";
import css from "@/components/dashboard/integrations.module.css";
import { listApiCredentials } from "@/lib/auth/api-credentials";
import { staffRequest } from "@/lib/auth/staff-action";
import { createApiCredentialAction, revokeApiCredentialAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ApiCredentials");
  return { title: t("title") };
}

export default async function ApiCredentialsPage() {
  const { staff, db, organization } = await staffRequest("settings.manage");
  const [credentials, t, tTables, format] = await Promise.all([listApiCredentials(db, staff.organizationId), getTranslations("ApiCredentials"), getTranslations("Tables"), getFormatter()]);
  const local = (at: Date | null) => (at ? format.dateTime(at, DATE_TIME) : null);
  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
      </div>
      <p className={css.intro}>{t("intro")}</p>
      <section className={styles.panel} aria-label={t("create")}>
        <ApiCredentialForm create={createApiCredentialAction} />
      </section>
      <p className={styles.muted}>
        {t("count", { count: credentials.length })} · {tTables("timesIn", { timeZone: organization.timezone })}
      </p>
      <ApiCredentialsTable
        revoke={revokeApiCredentialAction}
        timeZone={organization.timezone}
        rows={credentials.map((c) => ({ keyId: c.keyId, name: c.name, created: local(c.createdAt)!, lastUsed: local(c.lastUsedAt), revoked: local(c.revokedAt) }))}
      />
    </>
  );
}
