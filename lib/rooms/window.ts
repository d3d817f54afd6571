import { AppError } from "@/lib/errors";

/** Where a call stands for someone holding a link, at `now`. */
export type CallWindow =
  | { state: "too_early"; opensAt: Date }
  | { state: "open" }
  | { state: "completed" }
  | { state: "expired" }
  | { state: "deleted" };

export type CallTimes = {
  status: "Pending" | "InProgress" | "Completed" | "Expired";
  immediate: boolean;
  startsAt: Date;
  /** Null: the call has no end (a standalone room under `UNLIMITED_TELECONSULTATION`). */
  endsAt: Date | null;
  /** A standalone room deleted through the API (TRASH). */
  trashed?: boolean;
};

/**
 * A scheduled call opens `opensMinutesBefore` its start; every call closes at its scheduled end
 * (the booked slot: the provider's next patient may be booked right after). A Pending call
 * past its end is expired even before the expiry job has run; a live one past its end is over.
 */
export function callWindow(c: CallTimes, now: Date, opensMinutesBefore: number): CallWindow {
  if (c.trashed) return { state: "deleted" };
  if (c.status === "Completed") return { state: "completed" };
  if (c.status === "Expired") return { state: "expired" };
  if (c.endsAt && now.getTime() >= c.endsAt.getTime()) return c.status === "Pending" ? { state: "expired" } : { state: "completed" };
  const opensAt = new Date(c.startsAt.getTime() - (c.immediate ? 0 : opensMinutesBefore * 60_000));
  if (c.status === "Pending" && now.getTime() < opensAt.getTime()) return { state: "too_early", opensAt };
  return { state: "open" };
}

/** The refusal for a call that cannot be joined now, or nothing when it can. */
export function refusalFor(call: CallTimes, now: Date, opensMinutesBefore: number): AppError | undefined {
  const window = callWindow(call, now, opensMinutesBefore);
  switch (window.state) {
    case "open":
      return undefined;
    case "too_early":
      return new AppError("room_not_open", "This consultation is not open yet. Its link opens shortly before the scheduled time.", [
        { field: "scheduledAt", code: "room_not_open", message: `opens at ${window.opensAt.toISOString()}` },
      ]);
    case "completed":
      return new AppError("consultation_completed", "This consultation has ended.");
    case "expired":
      return new AppError("consultation_expired", "This consultation has expired: its time passed without anyone joining.");
    case "deleted":
      return new AppError("room_deleted", "This room was deleted by the clinic: its links no longer open the call.");
  }
}
