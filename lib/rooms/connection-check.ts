import "server-only";
import { z } from "zod";
import type { Env } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import { CONNECTION_CHECKS_PER_MINUTE } from "@/lib/limits";
import { iceConfigFor } from "@/lib/rooms/ice";
import { iceServerSchema } from "@/lib/rooms/schema";
import type { ParticipantSession } from "@/lib/rooms/session";

export { CONNECTION_CHECKS_PER_MINUTE };

/** `GET /api/rooms/{roomId}/connection-check`: what the device check's connection test reads. */
export const connectionCheckSchema = z.object({
  iceServers: z.array(iceServerSchema).describe("The ICE servers the call would get, TURN credentials fresh: the test asks the TURN servers for a relay address."),
  iceTransportPolicy: z.enum(["all", "relay"]).describe("`relay`: every call goes through the TURN relay, so a network that cannot reach it cannot connect."),
  serverTime: z.string().describe("The server's clock (ISO 8601)."),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

/**
 * How many checks each participant made this minute, in this process. The endpoint touches no
 * database, so its limit needs none either: on several instances a participant may get a few
 * more, which costs nothing.
 */
export class ConnectionCheckLimit {
  private readonly counts = new Map<string, { minute: number; count: number }>();

  constructor(private readonly perMinute = CONNECTION_CHECKS_PER_MINUTE) {}

  charge(participantId: string, now: Date): void {
    const minute = Math.floor(now.getTime() / 60_000);
    // Forget past minutes once the map grows: it holds at most the participants of one minute.
    if (this.counts.size > 10_000) for (const [id, entry] of this.counts) if (entry.minute !== minute) this.counts.delete(id);
    const entry = this.counts.get(participantId);
    const count = entry?.minute === minute ? entry.count + 1 : 1;
    this.counts.set(participantId, { minute, count });
    if (count > this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now.getTime()) / 1000));
      throw new AppError("connection_check_rate_limited", `At most ${this.perMinute} connection checks a minute. Try again in ${retryAfter} seconds.`, [], { "Retry-After": String(retryAfter) });
    }
  }
}

/**
 * One request of the device check's connection test: cheap on purpose (no database; the session
 * cookie was checked by signature), so its round trip measures the network, not the server.
 * It hands out the ICE servers the call itself would get, so the test can try the TURN relay.
 */
export function connectionCheck(
  session: Pick<ParticipantSession, "participantId">,
  options: { env: Pick<Env, "STUN_URLS" | "TURN_URLS" | "TURN_SECRET" | "TURN_CREDENTIAL_TTL_SECONDS" | "WEBRTC_ICE_TRANSPORT_POLICY">; now: Date; limit: ConnectionCheckLimit },
): ConnectionCheck {
  options.limit.charge(session.participantId, options.now);
  const ice = iceConfigFor(options.env, session.participantId, options.now);
  return { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy, serverTime: options.now.toISOString() };
}
