import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** `yyyy-MM-dd HH:mm` in a timezone, as the API's scheduledAt. */
export function formatInTimeZone(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), "yyyy-MM-dd HH:mm");
}
