import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { privilegeFor, roomGroupsOf, type RoomPrivilege } from "@/lib/rooms/groups";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { chatLinkOpens, readChatLink } from "./link";

/** How long the chat page's user token lasts: a working day in one tab, however old the link was when it was opened. */
export const CHAT_PAGE_TOKEN_SECONDS = 12 * 3600;

/**
 * What opening a chat link gives: the page, as the room user it names, with a user token for the
 * chat-sessions API; or why not. `not_found` says nothing more (a forged link, another secret's,
 * a session, user or credential that is gone); `expired` carries the session id only, so a tab
 * that already holds a token for that session keeps working after a reload.
 */
export type ChatLinkOpening =
  | { status: "not_found" }
  | { status: "expired"; chatSessionId: string }
  | {
      status: "open";
      chatSessionId: string;
      organizationName: string;
      /** The organization's timezone and default language, and the user's own language (the directory's), for the page. */
      timeZone: string;
      organizationLanguage: string;
      language: string | null;
      /** The user the link names, with what their groups let them do (plus: accept, reject, host the call). */
      user: { externalId: string; fullName: string; privilege: RoomPrivilege | null };
      /** Everyone in the session, in order, by their directory names. */
      people: { externalId: string; fullName: string }[];
      userToken: { accessToken: string; expiresAt: Date };
    };

type Row = { organization_id: string; organization_name: string; time_zone: string; organization_language: string; language: string | null; external_id: string; full_name: string; groups: string[] };

/**
 * A participant opens their chat link. It must be signed by us and younger than `ttlSeconds`; the
 * credential that minted it still live; the session still there, in that credential's
 * organization, with the user still among its participants. A finished or rejected session still
 * opens: its transcript stays readable.
 */
export async function openChatLink(db: Db, input: { appSecret: string; token: string; now: Date; ttlSeconds: number }): Promise<ChatLinkOpening> {
  const link = readChatLink(input.appSecret, input.token);
  if (!link) return { status: "not_found" };
  if (!chatLinkOpens(link, input.now, input.ttlSeconds)) return { status: "expired", chatSessionId: link.chatSessionId };
  const [row] = await db.execute<Row>(sql`
    select k.organization_id, o.name as organization_name, o.timezone as time_zone, o.language as organization_language,
      u.language, u.external_id, u.full_name, u.groups
    from api_keys k
    join organizations o on o.id = k.organization_id
    join chat_sessions s on s.id = ${link.chatSessionId} and s.organization_id = k.organization_id and s.origin = 'api'
    join chat_session_participants p on p.chat_session_id = s.id and p.room_user_id = ${link.roomUserId} and p.organization_id = k.organization_id
    join room_users u on u.id = p.room_user_id and u.organization_id = k.organization_id
    where k.id = ${link.apiKeyId} and k.revoked_at is null`);
  if (!row) return { status: "not_found" };
  const [groups, people] = await Promise.all([
    roomGroupsOf(db, row.organization_id),
    db.execute<{ external_id: string; full_name: string }>(sql`
      select u.external_id, u.full_name from chat_session_participants p join room_users u on u.id = p.room_user_id and u.organization_id = p.organization_id
      where p.chat_session_id = ${link.chatSessionId} and p.organization_id = ${row.organization_id}
      order by p.position`),
  ]);
  const userToken = await mintUserToken(
    input.appSecret,
    { roomUserId: link.roomUserId, organizationId: row.organization_id, apiKeyId: link.apiKeyId },
    input.now,
    CHAT_PAGE_TOKEN_SECONDS,
  );
  return {
    status: "open",
    chatSessionId: link.chatSessionId,
    organizationName: row.organization_name,
    timeZone: row.time_zone,
    organizationLanguage: row.organization_language,
    language: row.language,
    user: { externalId: row.external_id, fullName: row.full_name, privilege: privilegeFor(row.groups, groups) },
    people: people.map((p) => ({ externalId: p.external_id, fullName: p.full_name })),
    userToken,
  };
}
