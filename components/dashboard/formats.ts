import type { DateTimeFormatOptions } from "next-intl";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

// How the dashboard writes dates and times: with next-intl's formatter (useFormatter,
// getFormatter), in the reader's language and the clinic's timezone (i18n/request.ts sets it).
// The API's `yyyy-MM-dd HH:mm` (lib/time formatLocal) stays for API bodies and the CSV export.

/** A moment: "Jun 2, 2026, 15:00", "2 jun 2026, 15:00", "2 giu 2026, 15:00". */
export const DATE_TIME: DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short", ...HOUR_CYCLE };

/** A time of day: "15:00" in every language. */
export const TIME: DateTimeFormatOptions = { timeStyle: "short", ...HOUR_CYCLE };

/** A day with its weekday: "Tuesday, June 2, 2026", "martes, 2 de junio de 2026". */
export const DAY: DateTimeFormatOptions = { dateStyle: "full" };

/** A short day: "Tue, Jun 2", "mar, 2 jun". */
export const SHORT_DAY: DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };

/** Anything with next-intl's `dateTime` (useFormatter, getFormatter, createFormatter). */
type Formats = { dateTime(value: Date, options: DateTimeFormatOptions): string };

/**
 * From one time of day to another: "23:50 – 00:10". Only the times, even across midnight, where
 * Intl's range would write both dates in full ("12/5/2026, 23:50 – 12/6/2026, 00:10", wider than a
 * phone): the day stands beside it.
 */
export function timeSpan(format: Formats, start: Date, end: Date): string {
  return `${format.dateTime(start, TIME)} – ${format.dateTime(end, TIME)}`;
}
