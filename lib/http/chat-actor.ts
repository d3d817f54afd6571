import type { ChatActor } from "@/lib/chat-sessions/access";
import { AppError } from "@/lib/errors";
import type { RoomApiContext } from "./room-api";

/**
 * Who acts on a chat session through the API: a user token is that room user (their own
 * sessions only); the organization's credential is an integrator, acting for `X-User-Id`'s
 * directory user when one is named. An `X-User-Id` the directory does not know is the
 * contract's 401, never the organization-wide view.
 */
export function chatActorOf<P>(ctx: RoomApiContext<P>): ChatActor {
  if (ctx.viaUserToken) return { organizationId: ctx.caller.organizationId, kind: "user", user: ctx.user };
  if (ctx.userExternalId && !ctx.user) throw AppError.unauthorized("unauthorized_user", "Unauthorized user");
  return { organizationId: ctx.caller.organizationId, kind: "integrator", user: ctx.user };
}
