/** Test helpers for the LiveKit path: signed webhooks as LiveKit sends them, and what the database recorded. */
import { sql } from "drizzle-orm";
import { AccessToken } from "livekit-server-sdk";
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import type { ParticipantSession } from "@/lib/rooms/session";
import type { Participant } from "@/test/rooms";
import type { LivekitConfig } from "@/lib/livekit/token";

export type Stay = { participantId: string; open: boolean; endReason: string | null; joinedAt: number; lastSeenAt: number };

export async function staysOf(db: Db, roomId: string): Promise<Stay[]> {
  const rows = await db.execute<{ participant_id: string; left_at: Date | null; end_reason: string | null; joined_ms: number; seen_ms: number }>(sql`
    select participant_id, left_at, end_reason, extract(epoch from joined_at)::float8 * 1000 as joined_ms, extract(epoch from last_seen_at)::float8 * 1000 as seen_ms
    from room_attendances where room_id = ${roomId} order by joined_at, participant_id`);
  return rows.map((r) => ({ participantId: r.participant_id, open: r.left_at === null, endReason: r.end_reason, joinedAt: Number(r.joined_ms), lastSeenAt: Number(r.seen_ms) }));
}

export type Outboxed = { event: string; participantId?: string; reason?: string; firstJoin?: boolean };

/** The consultation's domain events in the order they were written. */
export async function outboxOf(db: Db, consultationId: string): Promise<Outboxed[]> {
  type Payload = { participant?: { participantId: string }; reason?: string; firstJoin?: boolean };
  const rows = await db.execute<{ event: string; payload: Payload }>(sql`
    select event, payload from outbox_events where aggregate_id = ${consultationId} order by sequence`);
  return rows.map((r) => ({
    event: r.event,
    ...(r.payload.participant ? { participantId: r.payload.participant.participantId } : {}),
    ...(r.payload.reason !== undefined ? { reason: r.payload.reason } : {}),
    ...(r.payload.firstJoin !== undefined ? { firstJoin: r.payload.firstJoin } : {}),
  }));
}

export async function consultationOf(db: Db, consultationId: string): Promise<{ status: string; completionReason: string | null }> {
  const [row] = await db.execute<{ status: string; completion_reason: string | null }>(sql`
    select status, completion_reason from consultations where id = ${consultationId}`);
  return { status: row!.status, completionReason: row!.completion_reason };
}

export async function transportOf(db: Db, roomId: string): Promise<string> {
  const [row] = await db.execute<{ transport: string }>(sql`select transport from rooms where id = ${roomId}`);
  return row!.transport;
}

export function sessionOf(p: Participant, organizationId: string): ParticipantSession {
  return { participantId: p.id, roomId: p.roomId, consultationId: p.consultationId, organizationId, role: p.role as "patient" | "provider" };
}

/**
 * The Authorization header LiveKit puts on a webhook: a JWT issued by the API key, signed with
 * its secret, whose `sha256` claim is the base64 SHA-256 of the body (as livekit-server's
 * webhook notifier builds it, and livekit-server-sdk's WebhookReceiver checks it).
 */
export async function livekitSignature(config: Pick<LivekitConfig, "apiKey" | "apiSecret">, body: string): Promise<string> {
  const token = new AccessToken(config.apiKey, config.apiSecret, { ttl: "5m" });
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}
