import { appSealer, appSecret, appUrl, env, splitList } from "@/lib/config";
import { database } from "@/db/runtime";
import { readJsonBody } from "@/lib/http/body";
import { clientAddress } from "@/lib/security/client-address";
import { publicRoute, respond } from "@/lib/http/route";
import { enterPin } from "@/lib/rooms/pin";
import { isRoomLinkToken } from "@/lib/rooms/room-link";
import { openRoomLinkSession } from "@/lib/rooms/room-join-link";
import { sessionCookieHeader, signParticipantSession, type ParticipantSession } from "@/lib/rooms/session";

/**
 * The PIN typed at a join link: a right one gives this browser a session for that one room and
 * role. A room user's personal link (`rl_…`) takes no PIN: a valid link gives the session.
 */
export const POST = publicRoute<{ token: string }>(async (ctx) => {
  const e = env();
  const now = new Date();
  const { value } = await readJsonBody(ctx.request, 4096);
  let session: ParticipantSession;
  let endsAt: Date | null;
  if (isRoomLinkToken(ctx.params.token)) {
    const accepted = await openRoomLinkSession(await database(), {
      appSecret: appSecret(),
      token: ctx.params.token,
      now,
      limits: { ttlSeconds: e.ROOM_LINK_TTL_SECONDS, opensMinutesBefore: e.JOIN_OPENS_MINUTES_BEFORE },
    });
    ({ session } = accepted);
    endsAt = accepted.found.endsAt;
  } else {
    const accepted = await enterPin(await database(), {
      token: ctx.params.token,
      role: new URL(ctx.request.url).searchParams.get("type"),
      pin: (value as { pin?: unknown } | null)?.pin,
      address: clientAddress(ctx.request.headers, e.TRUSTED_PROXY_HOPS),
      userAgent: ctx.request.headers.get("user-agent"),
      now,
      sealer: appSealer(),
      limits: { opensMinutesBefore: e.JOIN_OPENS_MINUTES_BEFORE, addressLimitPerHour: e.PIN_ADDRESS_LIMIT_PER_HOUR },
    });
    ({ session } = accepted);
    endsAt = accepted.link.endsAt;
  }
  const { token, maxAgeSeconds } = await signParticipantSession(appSecret(), session, endsAt, now);
  const { participantId, consultationId, roomId, role } = session;
  // A page inside a clinic's iframe asks for the embeddable cookie; only where embedding is allowed.
  const embedded = new URL(ctx.request.url).searchParams.get("embedded") === "1" && splitList(e.EMBED_ALLOWED_ORIGINS).length > 0;
  return respond(ctx, { participantId, consultationId, roomId, role }, {
    status: 201,
    headers: { "Set-Cookie": sessionCookieHeader(participantId, token, maxAgeSeconds, { secure: appUrl().startsWith("https:"), embedded }) },
  });
});
