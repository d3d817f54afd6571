/** Waits after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (about three days in all). */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
/** An endpoint that has not taken a delivery for this long is disabled. */
export const FAILING_DISABLES_AFTER_MS = 3 * 24 * 3600 * 1000;
const JITTER = 0.1;
const RETRY_AFTER_CAP_SECONDS = 24 * 3600;

/**
 * When to try again after `attemptsMade` attempts, or null when the schedule is spent. Each
 * wait is spread ±10% so a receiver that comes back is not hit by every retry at once; a
 * longer `Retry-After` (capped at a day) is honoured.
 */
export function nextAttemptAt(attemptsMade: number, now: Date, retryAfterSeconds: number | null, random: () => number = Math.random): Date | null {
  const base = RETRY_DELAYS_SECONDS[attemptsMade - 1];
  if (base === undefined) return null;
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  const wait = Math.max(jittered, Math.min(retryAfterSeconds ?? 0, RETRY_AFTER_CAP_SECONDS));
  return new Date(now.getTime() + Math.round(wait * 1000));
}

export type AttemptOutcome = "delivered" | "retry" | "gone" | "rejected";

/** 2xx delivers; 410 means the receiver is gone for good; timeouts, connection errors, 429 and 5xx are retried; anything else (redirects, other 4xx) is refused as is. */
export function outcomeOf(response: { statusCode: number | null; refused: boolean }): AttemptOutcome {
  const code = response.statusCode;
  // A URL the guard refuses stays refused until someone changes it; retrying would not help.
  if (code === null) return response.refused ? "rejected" : "retry";
  if (code >= 200 && code < 300) return "delivered";
  if (code === 410) return "gone";
  if (code === 429 || code >= 500) return "retry";
  return "rejected";
}
