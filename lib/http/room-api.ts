import type { Database } from "@/db/client";
import { database } from "@/db/runtime";
import { authenticateApiRequest, countRequestOfKey, rateLimitHeaders, type ApiCaller } from "@/lib/auth/api-keys";
import { appSecret, env, roomSettings } from "@/lib/config";
import { requestContextFrom } from "@/lib/security/client-address";
import { AppError } from "@/lib/errors";
import type { RoomContext } from "@/lib/teleconsultation/rooms";
import { findRoomUser, roomUserById, type RoomUserRef } from "@/lib/teleconsultation/users";
import { looksLikeUserToken, verifyUserToken } from "@/lib/teleconsultation/user-token";
import { contractErrorResponse, newRequestId } from "./envelope";

export type RoomApiContext<P> = {
  request: Request;
  requestId: string;
  db: Database;
  caller: ApiCaller;
  params: P;
  /** What the teleconsultation domain needs: the organization, the clock, the settings. */
  room: RoomContext;
  /**
   * The end user the request acts for: the user token's, or `X-User-Id`'s entry in the room-user
   * directory. `undefined` with `userExternalId` set: a user the directory does not know.
   */
  user: RoomUserRef | undefined;
  userExternalId: string | null;
  /** The request came with a user token, not the organization's credential. */
  viaUserToken: boolean;
};

type Segment<P> = { params: Promise<P> };

const unauthorizedUser = () => new AppError("unauthorized_user", "Unauthorized user", [], { "WWW-Authenticate": 'Bearer realm="api"' });

export type RoomApiOptions = {
  /** `allowed`: reading the user's own rooms; elsewhere a user token is refused (403). */
  userToken: "allowed" | "refused";
  /**
   * `unauthorized-user`: a missing or invalid credential answers the contract's exact
   * `401 { "error": "Unauthorized user" }` (its `code` still says which), as `/settings/*` write it.
   */
  credentialRefusal?: "unauthorized-user";
};

/** A 401 with the contract's words, its code and headers kept. */
function asUnauthorizedUser(error: unknown): unknown {
  return error instanceof AppError && error.status === 401 ? new AppError(error.code, "Unauthorized user", error.details, error.headers) : error;
}

/**
 * Wraps a route of the teleconsultation contract: the organization's API credential (every
 * form, counted against its rate limit) with `X-User-Id` naming the end user, or a user token
 * from `POST /api/credentials` in its place (see RoomApiOptions). Errors answer in the
 * contract's body, `{ "error": … }`.
 */
export function roomApiRoute<P = Record<string, never>>(handler: (ctx: RoomApiContext<P>) => Promise<Response>, options: RoomApiOptions = { userToken: "refused" }) {
  return async (request: Request, segment?: Segment<P>): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const now = new Date();
      const db = await database();
      const limits = { defaultLimitPerHour: env().API_RATE_LIMIT_PER_HOUR, now };
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "")?.[1];
      let caller: ApiCaller;
      let user: RoomUserRef | undefined;
      let userExternalId: string | null;
      const viaUserToken = bearer !== undefined && looksLikeUserToken(bearer);
      if (viaUserToken) {
        const token = await verifyUserToken(appSecret(), bearer, now);
        if (!token) throw unauthorizedUser();
        if (options.userToken === "refused") {
          throw new AppError("user_token_not_allowed", "A user token can read its own rooms; creating, changing or deleting a room, and the organization's settings, take the organization's API credential.");
        }
        // The credential that minted it must still be live: revoking it ends its tokens.
        const counted = await countRequestOfKey(db, token.apiKeyId, limits);
        if (!counted || counted.organizationId !== token.organizationId) throw unauthorizedUser();
        caller = counted;
        user = await roomUserById(db, caller.organizationId, token.roomUserId);
        if (!user) throw unauthorizedUser();
        userExternalId = user.externalId;
      } else {
        caller = await authenticateApiRequest(db, request.headers, limits);
        userExternalId = request.headers.get("x-user-id")?.trim() || null;
        if (userExternalId && userExternalId.length > 200) throw unauthorizedUser();
        user = userExternalId ? await findRoomUser(db, caller.organizationId, userExternalId) : undefined;
      }
      const params = ((await segment?.params) ?? {}) as P;
      const room: RoomContext = { organizationId: caller.organizationId, now, settings: roomSettings() };
      const response = await handler({ request, requestId, db, caller, params, room, user, userExternalId, viaUserToken });
      response.headers.set("X-Request-Id", requestId);
      // An event stream keeps its own ("no-store, no-transform": no proxy may buffer or compress it).
      if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
      for (const [name, value] of Object.entries(rateLimitHeaders(caller.rateLimit))) response.headers.set(name, value);
      return response;
    } catch (error) {
      return contractErrorResponse(options.credentialRefusal === "unauthorized-user" ? asUnauthorizedUser(error) : error, requestId);
    }
  };
}

/** The user a request must name (`X-User-Id` known to the directory, or a user token), or the contract's 401. */
export function requireUser<P>(ctx: RoomApiContext<P>): RoomUserRef {
  if (!ctx.user) throw unauthorizedUser();
  return ctx.user;
}

/**
 * Wraps a route of the contract's `/settings/*`: the organization's credential only (a user
 * token is refused), and a missing or invalid one answers exactly `401 { "error": "Unauthorized user" }`.
 */
export function settingsApiRoute<P = Record<string, never>>(handler: (ctx: RoomApiContext<P>) => Promise<Response>) {
  return roomApiRoute(handler, { userToken: "refused", credentialRefusal: "unauthorized-user" });
}

/** Who acts on a settings route, for the audit log: the credential, and where the request came from. */
export function settingsActorOf<P>(ctx: RoomApiContext<P>): { organizationId: string; apiKeyId: string; ip: string | null; userAgent: string | null } {
  return { organizationId: ctx.caller.organizationId, apiKeyId: ctx.caller.apiKeyId, ...requestContextFrom(ctx.request.headers, env().TRUSTED_PROXY_HOPS) };
}
