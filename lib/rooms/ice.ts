import "server-only";
import { createHmac } from "node:crypto";
import { splitList, type Env } from "@/lib/config/env";

export type IceServer = { urls: string[]; username?: string; credential?: string };

export type IceConfig = { iceServers: IceServer[]; iceTransportPolicy: "all" | "relay" };

/**
 * The ICE servers a browser gets for one join. TURN credentials follow coturn's shared-secret
 * scheme (the "TURN REST API"): username `<expiry unix seconds>:<participant id>`, password
 * base64(HMAC-SHA1(secret, username)), so coturn checks them without asking us.
 */
export function iceConfigFor(
  e: Pick<Env, "STUN_URLS" | "TURN_URLS" | "TURN_SECRET" | "TURN_CREDENTIAL_TTL_SECONDS" | "WEBRTC_ICE_TRANSPORT_POLICY">,
  participantId: string,
  now: Date,
): IceConfig {
  const iceServers: IceServer[] = [];
  const stun = splitList(e.STUN_URLS);
  if (stun.length > 0) iceServers.push({ urls: stun });
  const turn = splitList(e.TURN_URLS);
  if (turn.length > 0 && e.TURN_SECRET) {
    const expiry = Math.floor(now.getTime() / 1000) + e.TURN_CREDENTIAL_TTL_SECONDS;
    const username = `${expiry}:${participantId}`;
    iceServers.push({ urls: turn, username, credential: turnPassword(e.TURN_SECRET, username) });
  }
  return { iceServers, iceTransportPolicy: e.WEBRTC_ICE_TRANSPORT_POLICY };
}

export function turnPassword(secret: string, username: string): string {
  return createHmac("sha1", secret).update(username).digest("base64");
}
