import type { Database } from "@/db/client";
import { purgeRoomEvents } from "@/lib/realtime/events";
import { closeStaleAttendances, completeOverdueCalls } from "./lifecycle";

/**
 * Every few seconds: records as gone the participants whose connection has been away longer
 * than the grace, and completes live calls past their scheduled end plus `overrunGraceSeconds`
 * (browsers end them on time themselves; this catches calls nobody is watching), and now and
 * then drops day-old realtime events. Each row is claimed under a lock, so every app instance
 * can run it.
 */
export function startRoomSweeper(
  db: Database,
  options: { reconnectGraceSeconds: number; overrunGraceSeconds: number; intervalMs?: number },
): () => void {
  let running = false;
  let ticks = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = new Date();
    // About once every ten minutes, drop day-old signaling.
    const purge = ticks++ % 120 === 0 ? purgeRoomEvents(db, now) : Promise.resolve(0);
    Promise.all([closeStaleAttendances(db, now, options.reconnectGraceSeconds), completeOverdueCalls(db, now, options.overrunGraceSeconds), purge])
      .catch((error: unknown) => console.error("room sweeper:", error instanceof Error ? error.message : error))
      .finally(() => (running = false));
  }, options.intervalMs ?? 5_000);
  timer.unref();
  return () => clearInterval(timer);
}
