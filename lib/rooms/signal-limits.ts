import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { SIGNAL_BYTES_PER_DAY, SIGNAL_BYTES_PER_WINDOW, SIGNAL_WINDOW_SECONDS, SIGNALS_PER_DAY, SIGNALS_PER_WINDOW } from "@/lib/limits";

export { SIGNAL_BYTES_PER_DAY, SIGNAL_BYTES_PER_WINDOW, SIGNAL_WINDOW_SECONDS, SIGNALS_PER_DAY, SIGNALS_PER_WINDOW };

const WINDOW_MS = SIGNAL_WINDOW_SECONDS * 1000;
const DAY_MS = 24 * 3600_000;

function limited(what: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const message = `Too many signals from this participant: ${what}. Try again in ${seconds} seconds.`;
  return new AppError("signal_rate_limited", message, [{ field: "signals", code: "signal_rate_limited", message: what }], { "Retry-After": String(seconds) });
}

/**
 * Counts a batch of signals against the sender's limits, or refuses the whole batch (nothing
 * is stored) with 429 `signal_rate_limited` naming the limit and when to try again. Call it in
 * the transaction that stores the signals, under the room's lock, so parallel requests from
 * one participant (on any app instance) are counted one after another.
 */
export async function chargeSignals(tx: Db, participantId: string, batch: { signals: number; bytes: number }, now: Date): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const [usage] = (await tx.execute<{ window_signals: number; window_bytes: number; day_signals: number; day_bytes: number; oldest_ms: number | null }>(sql`
    select
      coalesce(sum(signals) filter (where window_start = ${windowStart.toISOString()}), 0)::int as window_signals,
      coalesce(sum(bytes) filter (where window_start = ${windowStart.toISOString()}), 0)::float8 as window_bytes,
      coalesce(sum(signals), 0)::int as day_signals,
      coalesce(sum(bytes), 0)::float8 as day_bytes,
      extract(epoch from min(window_start))::float8 * 1000 as oldest_ms
    from signal_usage where participant_id = ${participantId} and window_start > ${dayAgo.toISOString()}`)) as unknown as [
    { window_signals: number; window_bytes: number; day_signals: number; day_bytes: number; oldest_ms: number | null },
  ];
  const untilNextWindow = windowStart.getTime() + WINDOW_MS - now.getTime();
  const untilDayFrees = usage.oldest_ms === null ? WINDOW_MS : Number(usage.oldest_ms) + DAY_MS - now.getTime();
  if (usage.day_signals + batch.signals > SIGNALS_PER_DAY) throw limited(`at most ${SIGNALS_PER_DAY} signals a day`, untilDayFrees);
  if (Number(usage.day_bytes) + batch.bytes > SIGNAL_BYTES_PER_DAY) throw limited(`at most ${SIGNAL_BYTES_PER_DAY} bytes of signals a day`, untilDayFrees);
  if (usage.window_signals + batch.signals > SIGNALS_PER_WINDOW) {
    throw limited(`at most ${SIGNALS_PER_WINDOW} signals every ${SIGNAL_WINDOW_SECONDS} seconds`, untilNextWindow);
  }
  if (Number(usage.window_bytes) + batch.bytes > SIGNAL_BYTES_PER_WINDOW) {
    throw limited(`at most ${SIGNAL_BYTES_PER_WINDOW} bytes of signals every ${SIGNAL_WINDOW_SECONDS} seconds`, untilNextWindow);
  }
  await tx.execute(sql`
    insert into signal_usage (participant_id, window_start, signals, bytes)
    values (${participantId}, ${windowStart.toISOString()}, ${batch.signals}, ${batch.bytes})
    on conflict (participant_id, window_start) do update
      set signals = signal_usage.signals + excluded.signals, bytes = signal_usage.bytes + excluded.bytes`);
}

/** Drops the counts of windows more than a day old: no limit reads them any more. */
export async function purgeSignalUsage(db: Db, now: Date): Promise<number> {
  const rows = await db.execute(sql`delete from signal_usage where window_start < ${new Date(now.getTime() - DAY_MS).toISOString()} returning 1`);
  return rows.length;
}
