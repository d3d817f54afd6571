"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useId, useTransition } from "react";
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, LOCALE_NAMES, LOCALES, isLocale } from "@/lib/i18n/locales";

/**
 * The person's own choice of language: kept in the NEXT_LOCALE cookie, as next-intl does, and
 * written over the link's `?language=` too (the link would win otherwise, and an embedded page
 * may not keep cookies). The page is rendered again in the new language; a call or a typed
 * message on it stays.
 */
export function LanguageSwitcher({ className }: { className?: string }) {
  const t = useTranslations("Common");
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();

  function choose(value: string) {
    if (!isLocale(value) || value === locale) return;
    document.cookie = `${LOCALE_COOKIE}=${value}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
    const url = new URL(location.href);
    if (url.searchParams.has("language")) {
      url.searchParams.set("language", value);
      // A navigation that changes only the search renders the page again but not the layouts,
      // which hold <html lang> and the messages: the refresh after it renders them too.
      startTransition(() => {
        router.replace(`${url.pathname}${url.search}${url.hash}`, { scroll: false });
        router.refresh();
      });
    } else {
      startTransition(() => router.refresh());
    }
  }

  return (
    <span className={className}>
      <label htmlFor={id}>{t("language")}</label>{" "}
      <select id={id} value={locale} onChange={(event) => choose(event.target.value)} disabled={pending} aria-busy={pending || undefined}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </span>
  );
}
