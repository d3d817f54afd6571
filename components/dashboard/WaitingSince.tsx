"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import styles from "./dashboard.module.css";
import { TIME } from "./formats";

const MINUTE = 60_000;

/**
 * "Waiting since 10:42 (3 min)". The minutes count on in the browser from the time itself, so
 * they move without a reload; `renderedAt` (the server's now) is the first count, so the page
 * hydrates with the text the server wrote.
 */
export function WaitingSince({ since, renderedAt }: { since: Date; renderedAt: Date }) {
  const t = useTranslations("MyDay");
  const format = useFormatter();
  const sinceMs = since.getTime();
  const [now, setNow] = useState(() => renderedAt.getTime());
  useEffect(() => {
    let timer: number | undefined;
    const tick = () => {
      const current = Date.now();
      setNow(current);
      // The next tick when the count goes up, not a fixed interval.
      timer = window.setTimeout(tick, MINUTE - (Math.max(0, current - sinceMs) % MINUTE) + 50);
    };
    // At once after hydration: the page may have been rendered a while ago.
    timer = window.setTimeout(tick, 0);
    return () => window.clearTimeout(timer);
  }, [sinceMs]);
  const minutes = Math.max(0, Math.floor((now - sinceMs) / MINUTE));
  return (
    <span className={styles.waiting} data-testid="waiting-since">
      {t("waitingSince", { time: format.dateTime(since, TIME), minutes })}
    </span>
  );
}
