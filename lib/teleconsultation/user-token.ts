import "server-only";
import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/**
 * A room user's own token (`POST /api/credentials`): a JWT a client app sends as
 * `Authorization: Bearer <token>` to read that user's rooms, without the organization's API
 * credential. It names the user, the organization and the credential that minted it: revoking
 * that credential ends its tokens too (checked on every request), and its requests count
 * against that credential's rate limit.
 */
export type UserToken = { roomUserId: string; organizationId: string; apiKeyId: string };

const ISSUER = "telemed-portal";
const AUDIENCE = "room-user";

const keys = new Map<string, Uint8Array>();
function keyFor(appSecret: string): Uint8Array {
  let key = keys.get(appSecret);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", appSecret, "telemed-portal", "room-user-token", 32));
    keys.set(appSecret, key);
  }
  return key;
}

/** Three dot-separated parts: a JWT, not an API credential (`<keyId>.<secret>`). */
export function looksLikeUserToken(bearer: string): boolean {
  return bearer.split(".").length === 3;
}

export async function mintUserToken(appSecret: string, user: UserToken, now: Date, expiresInSeconds: number): Promise<{ accessToken: string; expiresAt: Date }> {
  const issued = Math.floor(now.getTime() / 1000);
  const expires = issued + expiresInSeconds;
  const accessToken = await new SignJWT({ org: user.organizationId, key: user.apiKeyId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(user.roomUserId)
    .setIssuedAt(issued)
    .setExpirationTime(expires)
    .sign(keyFor(appSecret));
  return { accessToken, expiresAt: new Date(expires * 1000) };
}

/** The user a token names, or nothing: a bad signature, another audience, or expired. */
export async function verifyUserToken(appSecret: string, token: string, now: Date): Promise<UserToken | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyFor(appSecret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], currentDate: now });
    if (typeof payload.sub !== "string" || typeof payload.org !== "string" || typeof payload.key !== "string") return undefined;
    return { roomUserId: payload.sub, organizationId: payload.org, apiKeyId: payload.key };
  } catch {
    return undefined;
  }
}
