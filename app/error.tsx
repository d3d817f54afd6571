"use client";

import { useTranslations } from "next-intl";

/**
 * A page that failed on the server or in the browser: said in the reader's language, with a way
 * to try again. The error's digest is the id the server logged, for the clinic's support.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("Errors");
  return (
    <main>
      <h1>{t("failedTitle")}</h1>
      <p>{t("failedBody")}</p>
      {error.digest ? <p>{t("reference", { digest: error.digest })}</p> : null}
      <p>
        <button type="button" onClick={reset}>
          {t("tryAgain")}
        </button>
      </p>
    </main>
  );
}
