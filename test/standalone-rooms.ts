/** Standalone rooms (the teleconsultation API's) written straight into the database, for tests of what their links open. */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

export type StandaloneMember = { externalId: string; fullName: string; group: string; privilege: "plus" | "basic" };
export type StandaloneRoom = { roomId: string; participants: (StandaloneMember & { participantId: string; roomUserId: string })[] };

let counter = 0;

/**
 * A Pending standalone room of `organizationId` (consultation_id null) that started a minute
 * before `now` and ends 30 minutes after it (or never, with `endsAt: null`), with one room user
 * and one `member` participant per entry.
 */
export async function insertStandaloneRoom(
  db: Db,
  organizationId: string,
  options: { now?: Date; members?: StandaloneMember[]; endsAt?: Date | null; linksValidFrom?: Date | null } = {},
): Promise<StandaloneRoom> {
  const now = options.now ?? new Date();
  const n = ++counter;
  const members = options.members ?? [
    { externalId: `doctor-${n}`, fullName: "Dr. Ana Martínez", group: "doctor", privilege: "plus" as const },
    { externalId: `patient-${n}`, fullName: "Luis Pérez", group: "patient", privilege: "basic" as const },
  ];
  const endsAt = options.endsAt === undefined ? new Date(now.getTime() + 30 * 60_000) : options.endsAt;
  const [room] = await db.execute<{ id: string }>(sql`
    insert into rooms (organization_id, consultation_id, status, starts_at, ends_at, max_participants, links_valid_from, ready_at)
    values (${organizationId}, null, 'Pending', ${new Date(now.getTime() - 60_000).toISOString()}, ${endsAt?.toISOString() ?? null},
      ${members.length}, ${options.linksValidFrom?.toISOString() ?? null}, ${new Date(now.getTime() - 120_000).toISOString()})
    returning id`);
  const participants: StandaloneRoom["participants"] = [];
  for (const m of members) {
    const [user] = await db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${organizationId}, ${m.externalId}, ${m.fullName}, array[${m.group}]::text[])
      on conflict (organization_id, external_id) do update set full_name = excluded.full_name
      returning id`);
    const [participant] = await db.execute<{ id: string }>(sql`
      insert into room_participants (organization_id, room_id, role, privilege, display_name, room_user_id, group_name)
      values (${organizationId}, ${room!.id}, 'member', ${m.privilege}, ${m.fullName}, ${user!.id}, ${m.group})
      returning id`);
    participants.push({ ...m, participantId: participant!.id, roomUserId: user!.id });
  }
  return { roomId: room!.id, participants };
}
