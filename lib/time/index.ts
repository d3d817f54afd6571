import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** The API's wire format for times: `yyyy-MM-dd HH:mm` in the organization's timezone. */
export const LOCAL_FORMAT = "yyyy-MM-dd HH:mm";
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatLocal(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), LOCAL_FORMAT);
}

/** ISO 8601 in UTC without milliseconds, as the envelope's `metadata.timestamp`. */
export function isoSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export type LocalParse = { ok: true; instant: Date } | { ok: false; reason: "format" | "invalid" | "nonexistent" };

/**
 * Reads `yyyy-MM-dd HH:mm` (or `yyyy-MM-dd`, as midnight) as a wall-clock time in `timeZone`.
 * A time skipped by a daylight-saving change is refused rather than silently shifted.
 */
export function parseLocal(value: string, timeZone: string, { allowDateOnly = false } = {}): LocalParse {
  const match = LOCAL_PATTERN.exec(value) ?? (allowDateOnly ? DATE_PATTERN.exec(value) : null);
  if (!match) return { ok: false, reason: "format" };
  const [year, month, day, hour = 0, minute = 0] = match.slice(1).map(Number) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour > 23 || minute > 59) return { ok: false, reason: "invalid" };
  const probe = new Date(Date.UTC(year!, month! - 1, day!));
  if (probe.getUTCMonth() !== month! - 1) return { ok: false, reason: "invalid" };
  const zoned = new TZDate(year!, month! - 1, day!, hour, minute, timeZone);
  const instant = new Date(zoned.getTime());
  if (Number.isNaN(instant.getTime())) return { ok: false, reason: "invalid" };
  const expected = `${match[1]}-${match[2]}-${match[3]} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  if (formatLocal(instant, timeZone) !== expected) return { ok: false, reason: "nonexistent" };
  return { ok: true, instant };
}

/** The calendar day after `date` (`yyyy-MM-dd`); undefined when `date` is not one. */
export function nextDate(date: string): string | undefined {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return undefined;
  return new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar day written `yyyy-MM-dd`. */
export function isLocalDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/**
 * The first instant of the calendar day `date` (`yyyy-MM-dd`) in `timeZone`: its midnight, or,
 * where a daylight-saving change skips midnight (America/Santiago, America/Havana, Africa/Cairo),
 * the end of that gap. Undefined when `date` is not a real day.
 */
export function startOfLocalDay(date: string, timeZone: string): Date | undefined {
  if (!isLocalDate(date)) return undefined;
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const instant = new Date(new TZDate(year, month - 1, day, 0, 0, timeZone).getTime());
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
