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

/**
 * The calendar the API and the dashboard read dates in: years 2000 through 2100. Wider than any
 * consultation (scheduled at most two years ahead, see MAXIMUM_SCHEDULE_DAYS) and far inside what
 * JavaScript and PostgreSQL can hold, so a date outside it is refused as input (a 400 naming the
 * field) instead of failing deeper down: `9999-12-31 23:59` plus a duration is year 10000, which
 * PostgreSQL refuses, and years before 1900 are in local mean time in the timezone database.
 */
export const CALENDAR_FIRST_DAY = "2000-01-01";
export const CALENDAR_LAST_DAY = "2100-12-31";
export const OUTSIDE_CALENDAR_MESSAGE = `must be between ${CALENDAR_FIRST_DAY} and ${CALENDAR_LAST_DAY}`;

/** Whether the day of `value` (`yyyy-MM-dd…`) is inside the calendar the API reads. */
export function isInCalendar(value: string): boolean {
  const day = value.slice(0, 10);
  return day >= CALENDAR_FIRST_DAY && day <= CALENDAR_LAST_DAY;
}

export type LocalParse = { ok: true; instant: Date } | { ok: false; reason: "format" | "invalid" | "nonexistent" | "range" };

/**
 * Reads `yyyy-MM-dd HH:mm` (or `yyyy-MM-dd`, as midnight) as a wall-clock time in `timeZone`.
 * A time skipped by a daylight-saving change is refused rather than silently shifted; a real
 * date outside the calendar (CALENDAR_FIRST_DAY to CALENDAR_LAST_DAY) is refused as "range".
 */
export function parseLocal(value: string, timeZone: string, { allowDateOnly = false } = {}): LocalParse {
  const match = LOCAL_PATTERN.exec(value) ?? (allowDateOnly ? DATE_PATTERN.exec(value) : null);
  if (!match) return { ok: false, reason: "format" };
  const [year, month, day, hour = 0, minute = 0] = match.slice(1).map(Number) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour > 23 || minute > 59) return { ok: false, reason: "invalid" };
  if (!isInCalendar(value)) return { ok: false, reason: "range" };
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
  if (!isLocalDate(date)) return undefined;
  const day = new Date(`${date}T00:00:00Z`);
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
