/** Chat sessions (the chat-sessions API's) and their files written straight into the database, for tests of what hangs on them. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ChatSessionState } from "@/lib/chat-sessions/access";

export type ChatSessionMember = { externalId: string; fullName: string; group: string };
export type InsertedChatSession = { id: string; participants: (ChatSessionMember & { roomUserId: string })[] };

let counter = 0;

/**
 * A chat session of `organizationId` (origin `api`) with one room user of the directory per
 * member (made when new), in that order; `state` and `roomId` as given (created, no room by default).
 */
export async function insertChatSession(
  db: Db,
  organizationId: string,
  options: { members?: ChatSessionMember[]; state?: ChatSessionState; roomId?: string | null; title?: string | null } = {},
): Promise<InsertedChatSession> {
  const n = ++counter;
  const members = options.members ?? [
    { externalId: `chat-doctor-${n}`, fullName: "Dr. Ana Martínez", group: "doctor" },
    { externalId: `chat-patient-${n}`, fullName: "Luis Pérez", group: "patient" },
  ];
  const participants: InsertedChatSession["participants"] = [];
  for (const m of members) {
    const [user] = await db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${organizationId}, ${m.externalId}, ${m.fullName}, array[${m.group}]::text[])
      on conflict (organization_id, external_id) do update set full_name = excluded.full_name
      returning id`);
    participants.push({ ...m, roomUserId: user!.id });
  }
  const [session] = await db.execute<{ id: string }>(sql`
    insert into chat_sessions (organization_id, origin, room_id, title, state, created_by)
    values (${organizationId}, 'api', ${options.roomId ?? null}, ${options.title ?? null}, ${options.state ?? "created"}, ${participants[0]?.roomUserId ?? null})
    returning id`);
  for (const [position, p] of participants.entries()) {
    await db.execute(sql`
      insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position)
      values (${session!.id}, ${p.roomUserId}, ${organizationId}, ${position})`);
  }
  return { id: session!.id, participants };
}

/** A file's row (no bytes stored) in a chat session, uploaded by a room user. */
export async function insertChatFile(
  db: Db,
  organizationId: string,
  options: { chatSessionId: string; uploadedBy: string; name?: string; contentType?: string; size?: number; deleted?: boolean },
): Promise<string> {
  const [file] = await db.execute<{ id: string }>(sql`
    insert into chat_files (organization_id, chat_session_id, uploaded_by_user_id, storage_key, content_type, byte_size, file_name, deleted_at)
    values (${organizationId}, ${options.chatSessionId}, ${options.uploadedBy}, ${`test/${randomUUID()}`}, ${options.contentType ?? "application/pdf"},
      ${options.size ?? 1234}, ${options.name ?? "informe.pdf"}, ${options.deleted ? new Date().toISOString() : null})
    returning id`);
  return file!.id;
}
