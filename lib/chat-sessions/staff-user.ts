import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { postgresErrorOf } from "@/lib/errors";
import { roomGroupsOf } from "@/lib/rooms/groups";
import type { StaffMember } from "@/lib/staff";
import type { RoomUserRef } from "@/lib/teleconsultation/users";

/** A staff member's entry in the room-user directory: who they are in a chat session. */
export type StaffChatUser = RoomUserRef & { fullName: string };

type Row = { id: string; external_id: string; full_name: string; staff_user_id: string | null };

/**
 * The directory user this staff account acts as in chat sessions (room_users.staff_user_id), made
 * on first need: its external id is the sign-in e-mail in lower case (so an integrator can name
 * the clinician in a session's `participants` by that e-mail), its name the staff member's, its
 * group the organization's first plus group (a clinician accepts, rejects and hosts calls). An
 * entry the integrator already made with that e-mail is linked, keeping its name and groups.
 * Nothing when the e-mail's entry already belongs to another staff account.
 */
export async function staffChatUser(db: Db, organizationId: string, staff: Pick<StaffMember, "userId" | "email" | "name">): Promise<StaffChatUser | undefined> {
  const linked = await linkedEntry(db, organizationId, staff.userId);
  if (linked) return linked;
  const externalId = staff.email.trim().toLowerCase();
  const groups = await roomGroupsOf(db, organizationId);
  // One statement: a new entry, or the integrator's unlinked one now linked. Two first page
  // loads at once meet on the unique keys, and the loser reads what the winner wrote.
  try {
    await db.execute(sql`
      insert into room_users (organization_id, external_id, full_name, groups, staff_user_id)
      values (${organizationId}, ${externalId}, ${staff.name?.trim() || externalId}, ${`{${groups.plus[0]}}`}::text[], ${staff.userId})
      on conflict (organization_id, external_id) do update
        set staff_user_id = excluded.staff_user_id, updated_at = now()
        where room_users.staff_user_id is null`);
  } catch (error) {
    // Another request linked this account first (to an entry of another e-mail): theirs stands.
    if (postgresErrorOf(error)?.code !== "23505") throw error;
  }
  return linkedEntry(db, organizationId, staff.userId);
}

async function linkedEntry(db: Db, organizationId: string, staffUserId: string): Promise<StaffChatUser | undefined> {
  const [row] = await db.execute<Row>(sql`
    select id, external_id, full_name, staff_user_id from room_users
    where organization_id = ${organizationId} and staff_user_id = ${staffUserId}`);
  return row ? { roomUserId: row.id, externalId: row.external_id, fullName: row.full_name } : undefined;
}
