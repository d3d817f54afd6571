import type { Database } from "@/db/client";
import { closeStaleAttendances, completeOverdueCalls } from "./lifecycle";

/**
 * Every few seconds: records as gone the participants whose connection has been away longer
 * than the grace, and completes live calls past their scheduled end plus `overrunGraceSeconds`
 * (browsers end them on time themselves; this catches calls nobody is watching). Each row is
 * claimed under a lock, so every app instance can run it.
 */
export function startRoomSweeper(
  db: Database,
  options: { reconnectGraceSeconds: number; overrunGraceSeconds: number; intervalMs?: number },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = new Date();
    Promise.all([closeStaleAttendances(db, now, options.reconnectGraceSeconds), completeOverdueCalls(db, now, options.overrunGraceSeconds)])
      .catch((error: unknown) => console.error("room sweeper:", error instanceof Error ? error.message : error))
      .finally(() => (running = false));
  }, options.intervalMs ?? 5_000);
  timer.unref();
  return () => clearInterval(timer);
}
