import { sql } from "drizzle-orm";
import { RoomServiceClient, TwirpError } from "livekit-server-sdk";
import type { Database } from "@/db/client";
import { isUuid } from "@/lib/validation/uuid";
import { recordMediaDeparture, recordMediaPresence } from "@/lib/rooms/attendance";
import type { LivekitConfig } from "./token";

// livekit.ParticipantInfo.State.DISCONNECTED (the SDK does not re-export the enum).
const DISCONNECTED = 3;
/** Rooms asked at once: enough to keep a sweep short, few enough not to flood LiveKit. */
const CONCURRENCY = 8;
/** A LiveKit that does not answer within this must not hold up the sweep. */
const REQUEST_TIMEOUT_SECONDS = 5;

/** LiveKit's HTTP API from the URL browsers use: `ws://` → `http://`, `wss://` → `https://`. */
export function livekitApiHost(url: string): string {
  return url.replace(/^ws(s?):\/\//i, "http$1://");
}

export function roomServiceFor(config: LivekitConfig): RoomServiceClient {
  return new RoomServiceClient(livekitApiHost(config.url), config.apiKey, config.apiSecret, { requestTimeout: REQUEST_TIMEOUT_SECONDS, failover: false });
}

export type ReconcileReport = { rooms: number; opened: number; closed: number; failed: number };

/**
 * LiveKit does not promise its webhooks arrive, so the lifecycle sweep compares, for every
 * consultation in progress whose room is on LiveKit, who LiveKit has in the room with our open
 * stays (a room LiveKit does not know is an empty one):
 * - a participant LiveKit has and we do not gets a stay (`session_started`); one we have is
 *   marked seen, so a browser whose realtime stream dropped but whose media still flows is not
 *   closed as vanished;
 * - a stay whose participant LiveKit no longer has closes as `disconnected`, but only once our
 *   realtime stream has not seen them for `graceSeconds` either (the stream's heartbeat also
 *   marks them, and a participant between LiveKit reconnects is still there).
 * Nothing here completes a consultation: one whose time is up completes through the overdue
 * sweep, whatever LiveKit says. A room LiveKit fails to answer for is logged and skipped.
 */
export async function reconcileLivekitRooms(
  db: Database,
  config: LivekitConfig,
  options: { now: Date; graceSeconds: number; rooms?: RoomServiceClient },
): Promise<ReconcileReport> {
  const { now } = options;
  const service = options.rooms ?? roomServiceFor(config);
  const live = await db.execute<{ room_id: string; organization_id: string }>(sql`
    select r.id as room_id, r.organization_id from rooms r left join consultations c on c.id = r.consultation_id
    where r.transport = 'livekit' and coalesce(c.status, r.status) = 'InProgress' and r.trashed_at is null
    order by coalesce(c.started_at, r.started_at)`);
  const report: ReconcileReport = { rooms: live.length, opened: 0, closed: 0, failed: 0 };
  const seenBefore = new Date(now.getTime() - options.graceSeconds * 1000);

  const reconcileRoom = async (room: { room_id: string; organization_id: string }) => {
    const target = { organizationId: room.organization_id, roomId: room.room_id };
    let present: string[];
    try {
      const participants = await service.listParticipants(room.room_id);
      present = participants.filter((p) => p.state !== DISCONNECTED && isUuid(p.identity)).map((p) => p.identity);
    } catch (error) {
      if (!(error instanceof TwirpError && error.code === "not_found")) {
        report.failed++;
        console.error(`livekit reconcile: room ${room.room_id}:`, error instanceof Error ? error.message : error);
        return;
      }
      present = [];
    }
    // `now` was read before LiveKit was asked: stays opened or closed since then are newer than its answer.
    const opened = await recordMediaPresence(db, target, present, now, now);
    const closed = await recordMediaDeparture(db, target, { except: present, seenBefore, joinedBefore: now }, "disconnected", now);
    // Counted after the awaits: rooms run concurrently, and `x += await …` would lose updates.
    report.opened += opened.length;
    report.closed += closed.length;
  };

  for (let i = 0; i < live.length; i += CONCURRENCY) {
    await Promise.all(live.slice(i, i + CONCURRENCY).map(reconcileRoom));
  }
  return report;
}
