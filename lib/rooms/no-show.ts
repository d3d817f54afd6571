import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { noShow } from "@/db/schema";

/** Which side never joined a consultation that ended: the patient, the provider, or both. */
export type NoShow = (typeof noShow.enumValues)[number];

/**
 * Who never joined the consultation whose call is `roomId`, from its stays (room_attendances):
 * any stay counts, however short. Guests (companions, interpreters) are neither side. Null
 * when the patient and the provider both joined; `both` when neither did (an expired
 * consultation, or one only a guest joined). Read inside the call's lock, when it completes or
 * expires; the migration that added the column (0016) backfilled with the same rule.
 */
export function noShowOfRoom(roomId: SQL | string): SQL {
  return sql`(
    select case
      when coalesce(bool_or(p.role = 'patient'), false) and coalesce(bool_or(p.role = 'provider'), false) then null
      when coalesce(bool_or(p.role = 'patient'), false) then 'provider'
      when coalesce(bool_or(p.role = 'provider'), false) then 'patient'
      else 'both'
    end::no_show
    from room_attendances a join room_participants p on p.id = a.participant_id
    where a.room_id = ${roomId})`;
}

/** Who never joined the consultation whose call is `roomId` (see noShowOfRoom). */
export async function noShowOf(tx: Db, roomId: string): Promise<NoShow | null> {
  const [row] = await tx.execute<{ no_show: NoShow | null }>(sql`select ${noShowOfRoom(roomId)} as no_show`);
  return row?.no_show ?? null;
}
