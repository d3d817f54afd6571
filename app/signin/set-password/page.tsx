import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SetPasswordForm } from "@/components/dashboard/SetPasswordForm";
import styles from "@/components/dashboard/dashboard.module.css";
import settings from "@/components/dashboard/settings.module.css";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import { database } from "@/db/runtime";
import { findInvitation, INVITATION_HOURS } from "@/lib/staff";
import own from "../signin.module.css";
import { setPasswordAction } from "./actions";

// The link's token is in the address: never send it on as a referrer, never index the page.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("SetPassword");
  return { title: t("title"), referrer: "no-referrer", robots: { index: false, follow: false } };
}

export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const t = await getTranslations("SetPassword");
  const token = typeof params.token === "string" ? params.token : "";
  const invitation = token ? await findInvitation(await database(), token) : null;
  return (
    <main className={styles.signInPage}>
      <div className={styles.signInCard}>
        <LanguageSwitcher className={own.language} />
        {invitation ? (
          <>
            <h1>{t("title")}</h1>
            <p className={styles.muted}>{t.rich("forEmail", { email: invitation.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
            <SetPasswordForm setPassword={setPasswordAction} token={token} email={invitation.email} />
          </>
        ) : (
          <div className={settings.linkProblem}>
            <h1>{t("linkProblem.title")}</h1>
            <p>{t("linkProblem.why", { hours: INVITATION_HOURS })}</p>
            <p>{t("linkProblem.ask")}</p>
            <p>
              <Link href="/signin">{t("linkProblem.signIn")}</Link>
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
