import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError, type FieldError } from "@/lib/errors";
import { privilegeFor, type RoomGroups, type RoomPrivilege } from "@/lib/rooms/groups";
import type { ParticipantData, Participants } from "./schema";

/** A participant as a room takes them: who in the directory, with the privilege their groups give. */
export type Member = {
  roomUserId: string;
  externalId: string;
  fullName: string;
  privilege: RoomPrivilege;
  /** The group that gave the privilege. */
  group: string;
  language: string | null;
};

/** A room user as a request names them (`X-User-Id`, a user token). */
export type RoomUserRef = { roomUserId: string; externalId: string };

type UserRow = { id: string; external_id: string; full_name: string; groups: string[]; language: string | null };

/** The directory entry of `X-User-Id`, if the organization has one. */
export async function findRoomUser(db: Db, organizationId: string, externalId: string): Promise<RoomUserRef | undefined> {
  const [row] = await db.execute<{ id: string }>(sql`
    select id from room_users where organization_id = ${organizationId} and external_id = ${externalId}`);
  return row ? { roomUserId: row.id, externalId } : undefined;
}

/** The directory entry a user token names (gone if the organization removed it). */
export async function roomUserById(db: Db, organizationId: string, roomUserId: string): Promise<RoomUserRef | undefined> {
  const [row] = await db.execute<{ external_id: string }>(sql`
    select external_id from room_users where organization_id = ${organizationId} and id = ${roomUserId}`);
  return row ? { roomUserId, externalId: row.external_id } : undefined;
}

/**
 * The participants of a request as members, in order: the array form names users already in
 * the directory; the object form creates a user on first sight (then `fullName` and `groups`
 * are required) and updates what it gives for a known one. Every problem is reported at once,
 * each at its field; nothing is written unless all are right (the caller's transaction).
 */
export async function resolveParticipants(
  tx: Db,
  organizationId: string,
  participants: Participants,
  groups: RoomGroups,
  field = "participants",
): Promise<{ expected: number; members: Member[] }> {
  const items: Item[] = Array.isArray(participants)
    ? participants.map((userExternalId, i) => ({ data: { userExternalId }, field: `${field}[${i}]`, byIdOnly: true }))
    : participants.data.map((data, i) => ({ data, field: `${field}.data[${i}]`, byIdOnly: false }));
  const members = await resolveMembers(tx, organizationId, items, groups);
  return { expected: Array.isArray(participants) ? participants.length : participants.number, members };
}

/** One participant (`POST …/participants/data`), its fields at the body's top level. */
export async function resolveParticipant(tx: Db, organizationId: string, data: ParticipantData, groups: RoomGroups): Promise<Member> {
  const [member] = await resolveMembers(tx, organizationId, [{ data, field: "", byIdOnly: false }], groups);
  return member!;
}

/** A participant as the request gives them, with the field to blame; `byIdOnly`: the array form. */
type Item = { data: ParticipantData; field: string; byIdOnly: boolean };

async function resolveMembers(tx: Db, organizationId: string, items: Item[], groups: RoomGroups): Promise<Member[]> {
  const at = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);
  const ids = items.map((item) => item.data.userExternalId);
  const found = ids.length
    ? await tx.execute<UserRow>(sql`
        select id, external_id, full_name, groups, language from room_users
        where organization_id = ${organizationId} and external_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)
    : [];
  const known = new Map(found.map((row) => [row.external_id, row]));
  const problems: FieldError[] = [];
  const members: Member[] = [];
  for (const { data, field, byIdOnly } of items) {
    const existing = known.get(data.userExternalId);
    const fullName = data.fullName ?? existing?.full_name;
    const userGroups = data.groups ?? existing?.groups;
    if (!fullName || !userGroups) {
      const missing = [!fullName && "fullName", !userGroups && "groups"].filter(Boolean).join(" and ");
      problems.push({
        field: byIdOnly ? field : at(field, fullName ? "groups" : "fullName"),
        code: "unknown_room_user",
        message: `no room user with userExternalId ${JSON.stringify(data.userExternalId)}; give their ${missing} the first time they take part`,
      });
      continue;
    }
    const privilege = privilegeFor(userGroups, groups);
    if (!privilege) {
      problems.push({
        field: at(field, "groups"),
        code: "unknown_group",
        message: `none of the groups ${JSON.stringify(userGroups)} is configured; plus: ${groups.plus.join(", ")}; basic: ${groups.basic.join(", ")}`,
      });
      continue;
    }
    const language = data.language ?? existing?.language ?? null;
    const changed = !existing || existing.full_name !== fullName || existing.language !== language || existing.groups.join(",") !== userGroups.join(",");
    let roomUserId = existing?.id;
    if (changed) {
      // Created on first sight; a later room's data is the newest word on the person.
      const [row] = await tx.execute<{ id: string }>(sql`
        insert into room_users (organization_id, external_id, full_name, groups, language)
        values (${organizationId}, ${data.userExternalId}, ${fullName}, ${`{${userGroups.join(",")}}`}::text[], ${language})
        on conflict (organization_id, external_id) do update
          set full_name = excluded.full_name, groups = excluded.groups, language = excluded.language, updated_at = now()
        returning id`);
      roomUserId = row!.id;
    }
    members.push({
      roomUserId: roomUserId!,
      externalId: data.userExternalId,
      fullName,
      privilege,
      group: userGroups.find((g) => (privilege === "plus" ? groups.plus : groups.basic).includes(g))!,
      language,
    });
  }
  if (problems.length > 0) {
    const unknown = problems.find((p) => p.code === "unknown_room_user");
    throw new AppError(unknown ? "unknown_room_user" : "unknown_group", problems.map((p) => `${p.field}: ${p.message}`).join("; "), problems);
  }
  return members;
}
