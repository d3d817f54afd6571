import { AppError } from "@/lib/errors";
import type { RoomUserRef } from "@/lib/teleconsultation/users";
import type { ChatActor } from "./access";

/** What an API request tells about who acts (lib/http/room-api.ts's context has these). */
export type ApiRequester = {
  caller: { organizationId: string };
  user: RoomUserRef | undefined;
  userExternalId: string | null;
  viaUserToken: boolean;
};

/**
 * The actor of a chat-sessions API request: a user token acts as its user; the organization's
 * credential is an integrator, acting as the user `X-User-Id` names, if any. An `X-User-Id` the
 * directory does not know is refused (401, as the rooms' routes do) rather than read as "no
 * user", which would widen the request to the whole organization.
 */
export function chatActorOf(request: ApiRequester): ChatActor {
  const organizationId = request.caller.organizationId;
  if (request.viaUserToken)
    return { organizationId, kind: "user", user: request.user };
  if (request.userExternalId !== null && !request.user) {
    throw AppError.unauthorized(
      "unauthorized_user",
      "Unauthorized user: X-User-Id names nobody in the organization's user directory.",
    );
  }
  return { organizationId, kind: "integrator", user: request.user };
}

/**
 * Whether `actor` reads only the sessions their user takes part in: a room user always (any
 * other session is 404, as if it did not exist); an integrator naming a user (`X-User-Id`)
 * reads as that user too. Staff, and an integrator naming nobody, read the organization's.
 */
export function seesOnlyOwn(actor: ChatActor): boolean {
  return (
    actor.kind === "user" ||
    (actor.kind === "integrator" && actor.user !== undefined)
  );
}
