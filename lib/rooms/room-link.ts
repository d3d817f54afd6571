import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * A room user's personal link (the teleconsultation API's `accessLinkURL`): minted per request
 * for one participant, short-lived, opening the device check and the call without a PIN (the
 * integrator has authenticated the person). Nothing is stored: the token carries the
 * participant and when it was minted, signed with a key derived from the app secret. The room
 * decides whether it still opens (`linksValidFrom`, deletion, the call's window).
 *
 * `rl_` + base64url(participant id, 16 bytes | minted at, ms, 6 bytes | HMAC-SHA-256, first 16 bytes).
 */
export const ROOM_LINK_PREFIX = "rl_";
const BODY_BYTES = 16 + 6;
const MAC_BYTES = 16;

export type RoomLink = { participantId: string; issuedAt: Date };

const keys = new Map<string, Buffer>();
function keyFor(appSecret: string): Buffer {
  let key = keys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "telemed-portal", "room-link", 32));
    keys.set(appSecret, key);
  }
  return key;
}

function mac(appSecret: string, body: Buffer): Buffer {
  return createHmac("sha256", keyFor(appSecret)).update(body).digest().subarray(0, MAC_BYTES);
}

export function mintRoomLink(appSecret: string, participantId: string, now: Date): string {
  const body = Buffer.alloc(BODY_BYTES);
  Buffer.from(participantId.replace(/-/g, ""), "hex").copy(body, 0);
  body.writeUIntBE(now.getTime(), 16, 6);
  return ROOM_LINK_PREFIX + Buffer.concat([body, mac(appSecret, body)]).toString("base64url");
}

/** Whether a join token is a room link at all (a consultation's links are random tokens). */
export function isRoomLinkToken(token: string): boolean {
  return token.startsWith(ROOM_LINK_PREFIX) && token.length === ROOM_LINK_PREFIX.length + Math.ceil(((BODY_BYTES + MAC_BYTES) * 4) / 3);
}

/** The link a token carries when its signature holds; nothing otherwise. Whether it is still usable is `roomLinkOpens`. */
export function readRoomLink(appSecret: string, token: string): RoomLink | undefined {
  if (!isRoomLinkToken(token)) return undefined;
  const raw = Buffer.from(token.slice(ROOM_LINK_PREFIX.length), "base64url");
  if (raw.length !== BODY_BYTES + MAC_BYTES) return undefined;
  const body = raw.subarray(0, BODY_BYTES);
  if (!safeEqual(mac(appSecret, body).toString("hex"), raw.subarray(BODY_BYTES).toString("hex"))) return undefined;
  const hex = body.subarray(0, 16).toString("hex");
  const participantId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { participantId, issuedAt: new Date(body.readUIntBE(16, 6)) };
}

/**
 * A link opens while it is young (`ttlSeconds` from minting) and was minted after the room's
 * last change of who or when (`linksValidFrom`). A link from the future (a clock far off) does not.
 */
export function roomLinkOpens(link: RoomLink, now: Date, ttlSeconds: number, linksValidFrom: Date | null): boolean {
  const minted = link.issuedAt.getTime();
  if (minted > now.getTime() + 60_000) return false;
  if (now.getTime() - minted > ttlSeconds * 1000) return false;
  return linksValidFrom === null || minted >= linksValidFrom.getTime();
}
