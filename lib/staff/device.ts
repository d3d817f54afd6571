import { hkdfSync, randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/**
 * A browser a staff member has signed in from (OWASP's "device cookie"). Password attempts that
 * carry it for their own account are limited per device, not under the account's shared limit,
 * so a guesser elsewhere slows themselves down without locking out the owner at their desk.
 */
export type KnownDevice = { userId: string; deviceId: string };

export const DEVICE_COOKIE = "staff_device";
export const DEVICE_COOKIE_DAYS = 180;

const AUDIENCE = "staff-device";

function keyOf(appSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", appSecret, "telemed-portal", "staff-device-cookie", 32));
}

/** The cookie's value: a signed token naming the person and a random id for this browser. */
export async function signDeviceCookie(appSecret: string, device: KnownDevice, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(device.userId)
    .setJti(device.deviceId)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + DEVICE_COOKIE_DAYS * 86_400)
    .sign(keyOf(appSecret));
}

/** The device a cookie names, or null when it is missing, forged, expired or malformed. */
export async function readDeviceCookie(appSecret: string, value: string | undefined | null, now = new Date()): Promise<KnownDevice | null> {
  if (!value || value.length > 1000) return null;
  try {
    const { payload } = await jwtVerify(value, keyOf(appSecret), { algorithms: ["HS256"], audience: AUDIENCE, currentDate: now });
    if (typeof payload.sub !== "string" || typeof payload.jti !== "string" || !/^[\w-]{16,64}$/.test(payload.jti)) return null;
    return { userId: payload.sub, deviceId: payload.jti };
  } catch {
    return null;
  }
}

export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}
