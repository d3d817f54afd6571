import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { AppError } from "@/lib/errors";

export type ParticipantRole = "patient" | "provider" | "guest" | "member";
const ROLES: readonly string[] = ["patient", "provider", "guest", "member"] satisfies ParticipantRole[];

/**
 * What a participant holds after the PIN (or a room user's personal link): one room, one
 * role, until shortly after the call's end. `consultationId` is null in a standalone room.
 */
export type ParticipantSession = {
  participantId: string;
  roomId: string;
  consultationId: string | null;
  organizationId: string;
  role: ParticipantRole;
};

const ISSUER = "telemed-portal";
const AUDIENCE = "room-participant";
const COOKIE_PREFIX = "tm_p_";
/** Past the call's scheduled end, so a call running into its last minutes keeps working. */
const AFTER_END_MINUTES = 15;
/** A call with no end (an unlimited room) still gets a session that ends: a day, and the link again after it. */
const OPEN_ENDED_HOURS = 24;

const keys = new Map<string, Uint8Array>();
function keyFor(appSecret: string): Uint8Array {
  let key = keys.get(appSecret);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", appSecret, "telemed-portal", "participant-session", 32));
    keys.set(appSecret, key);
  }
  return key;
}

/** One cookie per participant, so a patient and a provider link opened in one browser do not clash. */
export function sessionCookieName(participantId: string): string {
  return `${COOKIE_PREFIX}${participantId}`;
}

export async function signParticipantSession(
  appSecret: string,
  session: ParticipantSession,
  callEndsAt: Date | null,
  now: Date,
): Promise<{ token: string; maxAgeSeconds: number }> {
  const expires = callEndsAt
    ? Math.floor(callEndsAt.getTime() / 1000) + AFTER_END_MINUTES * 60
    : Math.floor(now.getTime() / 1000) + OPEN_ENDED_HOURS * 3600;
  const issued = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ rid: session.roomId, cid: session.consultationId, org: session.organizationId, role: session.role })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(session.participantId)
    .setIssuedAt(issued)
    .setExpirationTime(expires)
    .sign(keyFor(appSecret));
  return { token, maxAgeSeconds: Math.max(60, expires - issued) };
}

export async function verifyParticipantSession(appSecret: string, token: string, now: Date): Promise<ParticipantSession | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(appSecret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      currentDate: now,
    });
    const role = payload.role;
    if (typeof payload.sub !== "string" || typeof payload.rid !== "string" || typeof payload.org !== "string") return null;
    if (typeof payload.cid !== "string" && payload.cid !== null) return null;
    if (typeof role !== "string" || !ROLES.includes(role)) return null;
    return { participantId: payload.sub, roomId: payload.rid, consultationId: payload.cid, organizationId: payload.org, role: role as ParticipantRole };
  } catch {
    return null;
  }
}

/**
 * The session cookie. As a page: Lax, not Strict, because the link is opened from an e-mail
 * or SMS, a cross-site navigation, and a reload must still find the session; state-changing
 * calls need a JSON body, so a cross-site form cannot make them. `embedded` (the room inside a
 * clinic's iframe, where only a third-party cookie reaches us): SameSite=None, Secure and
 * Partitioned (CHIPS), so it lives only under that clinic's site and survives browsers that
 * block ordinary third-party cookies.
 */
export function sessionCookieHeader(participantId: string, token: string, maxAgeSeconds: number, options: { secure: boolean; embedded?: boolean }): string {
  const attributes = options.embedded ? ["SameSite=None", "Secure", "Partitioned"] : ["SameSite=Lax", ...(options.secure ? ["Secure"] : [])];
  return [`${sessionCookieName(participantId)}=${token}`, "Path=/", `Max-Age=${maxAgeSeconds}`, "HttpOnly", ...attributes].join("; ");
}

/** Reads a named cookie from a Cookie header. */
export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The session a request carries for `participantId`, or a 401. `roomId`, when given, must be
 * the session's room: a session never reaches another room.
 */
export async function requireParticipantSession(
  appSecret: string,
  cookieHeader: string | null,
  participantId: string | null,
  now: Date,
  scope: { roomId?: string; consultationId?: string } = {},
): Promise<ParticipantSession> {
  const refuse = () =>
    new AppError("session_required", "Enter the consultation PIN on the join page to take part in this call.", [
      { field: "participantId", code: "session_required", message: "has no valid session in this browser" },
    ]);
  if (!participantId || !/^[0-9a-f-]{36}$/i.test(participantId)) {
    throw AppError.badRequest("invalid_participant", "participantId must be the id returned when the PIN was accepted.", "participantId");
  }
  const token = cookieValue(cookieHeader, sessionCookieName(participantId));
  if (!token) throw refuse();
  const session = await verifyParticipantSession(appSecret, token, now);
  if (!session || session.participantId !== participantId) throw refuse();
  if ((scope.roomId && scope.roomId !== session.roomId) || (scope.consultationId && scope.consultationId !== session.consultationId)) {
    throw AppError.notFound("The room");
  }
  return session;
}
