import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { privilegeFor, roomGroupsOf, type RoomPrivilege } from "@/lib/rooms/groups";
import { formatLocal } from "@/lib/time";
import type { ChatSessionState } from "./access";

/**
 * The dashboard's list of an organization's chat consultations (the chat-sessions API's, not a
 * call's own chat), in the order a clinician works them: those waiting for acceptance first
 * (the longest waiting on top), then those in progress, then the rest, most recent activity first.
 */

export type ChatListParticipant = { externalId: string; name: string; privilege: RoomPrivilege | null };

export type ChatListRow = {
  chatSessionId: string;
  title: string | null;
  state: ChatSessionState;
  /** In the order they were named. */
  participants: ChatListParticipant[];
  /** What "when" means for the row: asked (waiting), else the last message or change. */
  at: Date;
  atLocal: string;
  /** Messages from others the viewer has not seen; null when the viewer does not take part. */
  unread: number | null;
  hasCall: boolean;
};

export type ChatListContext = {
  organizationId: string;
  timeZone: string;
  /** The viewer's directory user (staffChatUser), for their unread counts. */
  roomUserId: string | null;
  /** Only the sessions the viewer takes part in (a provider: a clinician sees their own patients' chats, as with consultations). */
  ownOnly?: boolean;
};

/**
 * A provider reads only the chats they take part in (as they see only their own consultations);
 * an admin reads the clinic's, without acting in those they are not in.
 */
export function staffSeesOwnChatsOnly(staff: { role: string }): boolean {
  return staff.role !== "admin";
}

/** How many rows the list shows: every waiting and active one comes first, so this cuts only old ones. */
export const CHAT_LIST_SIZE = 100;

type Row = {
  id: string;
  title: string | null;
  state: ChatSessionState;
  room_id: string | null;
  at_ms: number;
  unread: number | null;
};

export async function listChatSessionsForStaff(db: Db, ctx: ChatListContext, limit = CHAT_LIST_SIZE): Promise<{ rows: ChatListRow[]; more: boolean }> {
  const records = await db.execute<Row>(sql`
    select s.id, s.title, s.state, s.room_id,
      extract(epoch from case when s.state = 'started' then s.started_at else greatest(s.updated_at, last.sent_at) end)::float8 * 1000 as at_ms,
      case when me.room_user_id is null then null else (
        select count(*)::int from chat_messages m
        where m.chat_session_id = s.id and m.organization_id = s.organization_id and m.id > me.last_seen_message_id
          and m.sender_user_id is distinct from me.room_user_id
          -- what they wrote themselves in the linked call's chat is not news to them either
          and not exists (select 1 from room_participants rp where rp.id = m.sender_id and rp.room_user_id = me.room_user_id)
      ) end as unread
    from chat_sessions s
    left join chat_session_participants me
      on me.chat_session_id = s.id and me.organization_id = s.organization_id and me.room_user_id = ${ctx.roomUserId}
    left join lateral (
      select max(m.sent_at) as sent_at from chat_messages m where m.chat_session_id = s.id and m.organization_id = s.organization_id
    ) last on true
    where s.organization_id = ${ctx.organizationId} and s.origin = 'api'
      and (${!ctx.ownOnly} or me.room_user_id is not null)
    order by case s.state when 'started' then 0 when 'accepted' then 1 else 2 end,
      case when s.state = 'started' then s.started_at end asc,
      greatest(s.updated_at, last.sent_at) desc, s.id
    limit ${limit + 1}`);
  const page = records.slice(0, limit);
  const people = await participantsOf(
    db,
    ctx.organizationId,
    page.map((r) => r.id),
  );
  return {
    rows: page.map((r) => {
      const at = new Date(Number(r.at_ms));
      return {
        chatSessionId: r.id,
        title: r.title,
        state: r.state,
        participants: people.get(r.id) ?? [],
        at,
        atLocal: formatLocal(at, ctx.timeZone),
        unread: r.unread === null ? null : Number(r.unread),
        hasCall: r.room_id !== null,
      };
    }),
    more: records.length > limit,
  };
}

async function participantsOf(db: Db, organizationId: string, ids: string[]): Promise<Map<string, ChatListParticipant[]>> {
  const bySession = new Map<string, ChatListParticipant[]>();
  if (ids.length === 0) return bySession;
  const [groups, rows] = await Promise.all([
    roomGroupsOf(db, organizationId),
    db.execute<{ chat_session_id: string; external_id: string; full_name: string; groups: string[] }>(sql`
      select p.chat_session_id, u.external_id, u.full_name, u.groups
      from chat_session_participants p join room_users u on u.id = p.room_user_id and u.organization_id = p.organization_id
      where p.organization_id = ${organizationId} and p.chat_session_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
      order by p.chat_session_id, p.position`),
  ]);
  for (const row of rows) {
    const list = bySession.get(row.chat_session_id) ?? [];
    list.push({ externalId: row.external_id, name: row.full_name, privilege: privilegeFor(row.groups, groups) });
    bySession.set(row.chat_session_id, list);
  }
  return bySession;
}

/** The session's participants by name and privilege, in order, for its page (the session itself was found by the caller, in this organization). */
export async function chatSessionPeople(db: Db, organizationId: string, chatSessionId: string): Promise<ChatListParticipant[]> {
  return (await participantsOf(db, organizationId, [chatSessionId])).get(chatSessionId) ?? [];
}
