import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/dashboard/SignInForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import { currentStaff } from "@/lib/auth/current-staff";
import { env } from "@/lib/config";
import { signInWithPassword, signInWithSso } from "./actions";
import own from "./signin.module.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("SignIn");
  return { title: t("title") };
}

/** Why the person is back here (`?reason=`). */
const NOTICES = { idle: "notices.idle", signed_out: "notices.signedOut", password_set: "notices.passwordSet" } as const;

/** Auth.js's error codes (`?error=`); AccessDenied is single sign-on refused by our own rule (lib/auth/sso.ts), not by the provider. */
const ERRORS = {
  AccessDenied: "errors.accessDenied",
  OAuthCallbackError: "errors.ssoCancelled",
  OAuthAccountNotLinked: "errors.notLinked",
  Configuration: "errors.configuration",
} as const;

/** Own keys only: `?error=__proto__` must not read Object.prototype (a server error). */
function keyOf<K extends string, V>(map: Record<K, V>, key: string | string[] | undefined): V | undefined {
  return typeof key === "string" && Object.hasOwn(map, key) ? map[key as K] : undefined;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  if (await currentStaff()) redirect("/dashboard");
  const t = await getTranslations("SignIn");
  const e = env();
  const sso = Boolean(e.AUTH_OIDC_ISSUER);
  const returnTo = typeof params.returnTo === "string" ? params.returnTo : "/dashboard";
  const notice = keyOf(NOTICES, params.reason);
  // A sign-in posted straight to Auth.js (no JavaScript) comes back here with the refusal's code.
  const rateLimited = params.error === "CredentialsSignin" && params.code === "rate_limited";
  const errorKey = keyOf(ERRORS, params.error);
  const error = rateLimited
    ? t("errors.rateLimitedNoWait")
    : errorKey
      ? t(errorKey, { provider: e.AUTH_OIDC_NAME })
      : typeof params.error === "string"
        ? t("errors.other")
        : undefined;
  return (
    <main className={styles.signInPage}>
      <div className={styles.signInCard}>
        <LanguageSwitcher className={own.language} />
        <h1>{t("title")}</h1>
        <p className={styles.muted}>{t("intro")}</p>
        {error && (
          <p className={styles.formError} role="alert">
            {error}
          </p>
        )}
        <SignInForm signIn={signInWithPassword} returnTo={returnTo} notice={notice ? t(notice) : undefined} />
        {sso && (
          <form action={signInWithSso} className={styles.sso}>
            <input type="hidden" name="returnTo" value={returnTo} />
            <p className={styles.muted}>{t("or")}</p>
            <button type="submit" className={styles.secondary}>
              {t("sso", { provider: e.AUTH_OIDC_NAME })}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
