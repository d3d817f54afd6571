/** Where a consultation's call stands for someone holding a link, at `now`. */
export type CallWindow =
  | { state: "too_early"; opensAt: Date }
  | { state: "open" }
  | { state: "completed" }
  | { state: "expired" };

export type CallTimes = {
  status: "Pending" | "InProgress" | "Completed" | "Expired";
  immediate: boolean;
  startsAt: Date;
  endsAt: Date;
};

/**
 * A scheduled call opens `opensMinutesBefore` its start; every call closes at its scheduled end
 * (the booked slot: the provider's next patient may be booked right after). A Pending call
 * past its end is expired even before the expiry job has run; a live one past its end is over.
 */
export function callWindow(c: CallTimes, now: Date, opensMinutesBefore: number): CallWindow {
  if (c.status === "Completed") return { state: "completed" };
  if (c.status === "Expired") return { state: "expired" };
  if (now.getTime() >= c.endsAt.getTime()) return c.status === "Pending" ? { state: "expired" } : { state: "completed" };
  const opensAt = new Date(c.startsAt.getTime() - (c.immediate ? 0 : opensMinutesBefore * 60_000));
  if (c.status === "Pending" && now.getTime() < opensAt.getTime()) return { state: "too_early", opensAt };
  return { state: "open" };
}
