import { sql } from "drizzle-orm";
import { database } from "@/db/runtime";

export type Health = { probe: "live" | "ready"; live: true; ready: boolean; checks: { database: { ok: boolean; latencyMs?: number; error?: string } } };

export async function checkHealth(liveOnly: boolean): Promise<Health> {
  if (liveOnly) return { probe: "live", live: true, ready: true, checks: { database: { ok: true } } };
  const started = performance.now();
  try {
    const db = await database();
    await db.execute(sql`select 1`);
    return { probe: "ready", live: true, ready: true, checks: { database: { ok: true, latencyMs: Math.round(performance.now() - started) } } };
  } catch (error) {
    console.error("health: database check failed", error);
    return { probe: "ready", live: true, ready: false, checks: { database: { ok: false, error: "database unavailable" } } };
  }
}
