"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { isEmbedded } from "./embed";
import styles from "./room.module.css";

/** Where the clinic sends people once their call is over (Settings → Call, or `PATCH /api/settings/update`). */
export type EndCallRedirectSettings = { url: string; afterMs: number };

/** The address only if it is an https URL: the server checks it when it is saved, the page once more before leaving for it. */
function httpsUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * Counts down, then takes the person to the clinic's page. They can go at once, or stay (a
 * time limit a person cannot stop is an accessibility failure; staying keeps Rejoin at hand).
 * Inside an iframe it does nothing: the embedding page hears the call's end and decides.
 */
export function EndCallRedirect({ url, afterMs }: EndCallRedirectSettings) {
  const t = useTranslations("Call.over");
  const target = httpsUrl(url);
  const href = target?.href ?? null;
  const [stayed, setStayed] = useState(false);
  const [embedded] = useState(isEmbedded);
  const [secondsLeft, setSecondsLeft] = useState(Math.ceil(afterMs / 1000));

  useEffect(() => {
    if (!href || stayed || embedded) return;
    const leave = window.setTimeout(() => window.location.assign(href), afterMs);
    // The shown count only; the timeout above is what leaves, on time.
    const tick = window.setInterval(() => setSecondsLeft((seconds) => Math.max(0, seconds - 1)), 1000);
    return () => {
      window.clearTimeout(leave);
      window.clearInterval(tick);
    };
  }, [href, stayed, embedded, afterMs]);

  if (!target || embedded) return null;
  const host = target.host;
  return (
    <div className={styles.redirect} data-testid="end-call-redirect">
      {stayed ? null : (
        // Announced once when it appears; the number itself ticks silently (a reader hearing every second is noise).
        <p role="status">
          {t("redirecting", { host })} <span aria-hidden="true" data-testid="redirect-seconds">{t("redirectIn", { seconds: secondsLeft })}</span>
        </p>
      )}
      <div className={styles.redirectActions}>
        <a className={styles.primary} href={target.href}>
          {t("redirectGo", { host })}
        </a>
        {stayed ? null : (
          <button type="button" className={styles.secondary} onClick={() => setStayed(true)}>
            {t("redirectStay")}
          </button>
        )}
      </div>
    </div>
  );
}
