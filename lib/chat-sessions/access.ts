import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { privilegeFor, roomGroupsOf, type RoomPrivilege } from "@/lib/rooms/groups";
import type { RoomUserRef } from "@/lib/teleconsultation/users";
import { isUuid } from "@/lib/validation/uuid";

/**
 * Who acts on a chat session, however they came: the organization's API credential (an
 * integrator; `user` is `X-User-Id`'s directory entry, if any), a user token or a chat page's
 * token (`user` is that room user, who sees only their own sessions), or the clinic's staff on
 * the dashboard (`user` is the directory entry linked to their account, if any).
 */
export type ChatActor = {
  organizationId: string;
  kind: "integrator" | "user" | "staff";
  user: RoomUserRef | undefined;
};

export type ChatSessionState = "created" | "started" | "accepted" | "rejected" | "finished";

export type ChatSessionParticipant = { roomUserId: string; externalId: string; fullName: string; privilege: RoomPrivilege | null };

/** A chat session as the rules need it: its state, its call and who takes part (in order). */
export type ChatSessionRef = {
  id: string;
  organizationId: string;
  state: ChatSessionState;
  roomId: string | null;
  participants: ChatSessionParticipant[];
};

/**
 * The chat session `id` as `actor` may see it: the organization's (origin `api`), and for a
 * room user only one they take part in. Anything else is the same 404, so ids of other
 * organizations' or other users' sessions cannot be told apart from ids that do not exist.
 * `lock`: take the row for update (the caller's transaction), so directives and messages of
 * one session are serialized.
 */
export async function findChatSession(db: Db, actor: ChatActor, id: string, options: { lock?: boolean } = {}): Promise<ChatSessionRef> {
  if (!isUuid(id)) throw AppError.notFound("The chat session");
  const [row] = await db.execute<{ id: string; organization_id: string; state: ChatSessionState; room_id: string | null }>(sql`
    select id, organization_id, state, room_id from chat_sessions
    where id = ${id} and organization_id = ${actor.organizationId} and origin = 'api'
    ${options.lock ? sql`for update` : sql``}`);
  if (!row) throw AppError.notFound("The chat session");
  const [groups, people] = await Promise.all([
    roomGroupsOf(db, actor.organizationId),
    db.execute<{ room_user_id: string; external_id: string; full_name: string; groups: string[] }>(sql`
      select p.room_user_id, u.external_id, u.full_name, u.groups
      from chat_session_participants p join room_users u on u.id = p.room_user_id
      where p.chat_session_id = ${id} and p.organization_id = ${actor.organizationId}
      order by p.position`),
  ]);
  const participants = people.map((p) => ({ roomUserId: p.room_user_id, externalId: p.external_id, fullName: p.full_name, privilege: privilegeFor(p.groups, groups) }));
  if (actor.kind === "user" && !participants.some((p) => p.roomUserId === actor.user?.roomUserId)) throw AppError.notFound("The chat session");
  return { id: row.id, organizationId: row.organization_id, state: row.state, roomId: row.room_id, participants };
}

/**
 * The participant `actor` acts as: only participants may act on a session (write, upload,
 * direct it). An integrator or staff member without a directory user, or with one that does not
 * take part, is refused with 403 naming why.
 */
export function actingParticipant(session: ChatSessionRef, actor: ChatActor): ChatSessionParticipant {
  const participant = actor.user && session.participants.find((p) => p.roomUserId === actor.user!.roomUserId);
  if (participant) return participant;
  if (!actor.user) {
    throw new AppError(
      "chat_user_required",
      actor.kind === "staff"
        ? "Your account has no chat identity in this organization yet."
        : "Name the user who acts with X-User-Id (a user of the directory who takes part in the session), or use their user token.",
    );
  }
  throw new AppError("not_a_participant", "Only the session's participants may act on it.");
}
