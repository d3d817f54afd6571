import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { appSecret, appUrl } from "@/lib/config";
import { safeEqual } from "@/lib/crypto";
import type { RoomUserRef } from "@/lib/teleconsultation/users";

/**
 * A participant's chat link (`accessLinkURL` of `GET /api/chat-sessions/{id}` for the user it
 * names): opens the chat page `/chat/<token>` as that room user, without an account (the
 * integrator authenticated the person when it asked for the link). Nothing is stored: the token
 * carries the session, the user, the API credential that minted it (revoking the credential
 * kills its links, as it kills its user tokens) and when, signed with a key derived from the
 * app secret. Unlike a room link it lives for hours (CHAT_LINK_TTL_SECONDS): a patient opens it
 * from an SMS or an e-mail later the same day.
 *
 * `cl_` + base64url(session id 16 | room user id 16 | api key id 16 | minted at, ms, 6 | HMAC-SHA-256, first 16 bytes).
 */
export const CHAT_LINK_PREFIX = "cl_";
const BODY_BYTES = 16 * 3 + 6;
const MAC_BYTES = 16;
const TOKEN_LENGTH = CHAT_LINK_PREFIX.length + Math.ceil(((BODY_BYTES + MAC_BYTES) * 4) / 3);

export type ChatLink = { chatSessionId: string; roomUserId: string; apiKeyId: string; issuedAt: Date };

const keys = new Map<string, Buffer>();
function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "telemed-portal", "chat-link", 32));
    keys.set(secret, key);
  }
  return key;
}

function mac(secret: string, body: Buffer): Buffer {
  return createHmac("sha256", keyFor(secret)).update(body).digest().subarray(0, MAC_BYTES);
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function mintChatLink(secret: string, link: Omit<ChatLink, "issuedAt">, now: Date): string {
  const body = Buffer.alloc(BODY_BYTES);
  uuidBytes(link.chatSessionId).copy(body, 0);
  uuidBytes(link.roomUserId).copy(body, 16);
  uuidBytes(link.apiKeyId).copy(body, 32);
  body.writeUIntBE(now.getTime(), 48, 6);
  return CHAT_LINK_PREFIX + Buffer.concat([body, mac(secret, body)]).toString("base64url");
}

/** Whether a path segment has a chat link's shape at all (cheap, before any cryptography). */
export function isChatLinkToken(token: string): boolean {
  return token.length === TOKEN_LENGTH && token.startsWith(CHAT_LINK_PREFIX) && /^[A-Za-z0-9_-]+$/.test(token.slice(CHAT_LINK_PREFIX.length));
}

/** What a token carries when its signature holds; nothing otherwise. Whether it still opens is `chatLinkOpens`. */
export function readChatLink(secret: string, token: string): ChatLink | undefined {
  if (!isChatLinkToken(token)) return undefined;
  const raw = Buffer.from(token.slice(CHAT_LINK_PREFIX.length), "base64url");
  if (raw.length !== BODY_BYTES + MAC_BYTES) return undefined;
  const body = raw.subarray(0, BODY_BYTES);
  if (!safeEqual(mac(secret, body).toString("hex"), raw.subarray(BODY_BYTES).toString("hex"))) return undefined;
  return {
    chatSessionId: uuidOf(body.subarray(0, 16)),
    roomUserId: uuidOf(body.subarray(16, 32)),
    apiKeyId: uuidOf(body.subarray(32, 48)),
    issuedAt: new Date(body.readUIntBE(48, 6)),
  };
}

/** A link opens while it is younger than `ttlSeconds`; one minted in the future (a clock far off) does not. */
export function chatLinkOpens(link: ChatLink, now: Date, ttlSeconds: number): boolean {
  const minted = link.issuedAt.getTime();
  if (minted > now.getTime() + 60_000) return false;
  return now.getTime() - minted < ttlSeconds * 1000;
}

/**
 * What a chat page's address says before any database is asked: `invalid` (not a link of ours),
 * `expired` or `open` (the link itself; whether its session and user still are is openChatLink's).
 * The pages' proxy answers an expired link's page with 410.
 */
export function chatLinkStatus(secret: string, token: string, now: Date, ttlSeconds: number): "invalid" | "expired" | "open" {
  const link = readChatLink(secret, token);
  if (!link) return "invalid";
  return chatLinkOpens(link, now, ttlSeconds) ? "open" : "expired";
}

export function chatLinkUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, "")}/chat/${token}`;
}

/**
 * The chat page's link for `user`, minted now with the request's credential, when they take
 * part in the session (`participants`: account ids, as the API shows them); null otherwise
 * (someone else). For the API's `GET /api/chat-sessions/{id}`:
 *
 *   accessLinkURL: chatAccessLink(ctx, session, ctx.user)
 */
export function chatAccessLink(
  ctx: { caller: { apiKeyId: string }; room: { now: Date } },
  session: { id: string; participants: readonly string[] },
  user: RoomUserRef,
): string | null {
  if (!session.participants.includes(user.externalId)) return null;
  const token = mintChatLink(appSecret(), { chatSessionId: session.id, roomUserId: user.roomUserId, apiKeyId: ctx.caller.apiKeyId }, ctx.room.now);
  return chatLinkUrl(appUrl(), token);
}
