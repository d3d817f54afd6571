import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useSyncExternalStore } from "react";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

/** "Wednesday, December 3" / "miércoles, 3 de diciembre" / "mercoledì 3 dicembre". */
const DAY = { weekday: "long", day: "numeric", month: "long" } as const;
/** "15:30": a 24-hour clock in every language, as a clinic's appointment reads. */
const CLOCK = { hour: "2-digit", minute: "2-digit", ...HOUR_CYCLE } as const;

/**
 * A call's time in words for the request's language: "Wednesday, December 3, 15:30 to 15:50",
 * "miércoles, 3 de diciembre, de 15:30 a 15:50", or "From …" when it has no end. In the clinic's
 * timezone (next-intl's, from i18n/request.ts) unless another is given (the viewer's own).
 */
export function useCallSpan(): (startsAt: string, endsAt: string | null, timeZone?: string) => string {
  const format = useFormatter();
  const t = useTranslations("Join");
  return useCallback(
    (startsAt, endsAt, timeZone) => {
      const zone = timeZone ? { timeZone } : {};
      const start = new Date(startsAt);
      const date = format.dateTime(start, { ...DAY, ...zone });
      const from = format.dateTime(start, { ...CLOCK, ...zone });
      if (!endsAt) return t("whenFrom", { date, start: from });
      return t("when", { date, start: from, end: format.dateTime(new Date(endsAt), { ...CLOCK, ...zone }) });
    },
    [format, t],
  );
}

const noSubscription = () => () => {};

/** The viewer's timezone; null while rendering on the server, so hydration matches. */
export function useViewerTimeZone(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => null,
  );
}

/** m:ss or h:mm:ss for a duration in milliseconds (digits read the same in every language here). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
