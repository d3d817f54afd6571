import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import type { ParticipantSession } from "@/lib/rooms/session";
import { waitingSince, waitingSinceMs } from "@/lib/rooms/waiting";
import { callWindow, refusalFor } from "@/lib/rooms/window";
import { formatLocal, nextDate, startOfLocalDay } from "@/lib/time";

/** How far ahead "my day" looks past today, for a provider glancing at what comes next. */
export const MY_DAY_AHEAD_DAYS = 7;

export type MyDayConsultation = {
  consultationId: string;
  status: "Pending" | "InProgress";
  immediate: boolean;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  patientName: string;
  consultationType: string;
  /** Whether Join works now, or when it opens. */
  window: { state: "open" } | { state: "too_early"; opensAt: Date };
  /** Since when the patient (or a guest) has been in the call without the provider; null when nobody waits. */
  waitingSince: Date | null;
};

export type MyDay = { today: string; now: MyDayConsultation[]; later: MyDayConsultation[] };

type Scope = { organizationId: string; providerId: string; timeZone: string };

/**
 * A provider's consultations still to happen: today's (live first, then by time), and the next
 * days' after. Closed ones (Completed, Expired, or past their end) are left out.
 */
export async function providerDay(db: Db, scope: Scope, now: Date, opensMinutesBefore: number): Promise<MyDay> {
  const today = formatLocal(now, scope.timeZone).slice(0, 10);
  const tomorrow = startOfLocalDay(nextDate(today)!, scope.timeZone)!;
  let horizonDay = today;
  for (let i = 0; i <= MY_DAY_AHEAD_DAYS; i++) horizonDay = nextDate(horizonDay)!;
  const horizon = startOfLocalDay(horizonDay, scope.timeZone)!;
  const rows = await db.execute<{
    id: string;
    status: "Pending" | "InProgress";
    immediate: boolean;
    starts_at_ms: number;
    ends_at_ms: number;
    duration_minutes: number;
    patient_name: string;
    type_name: string;
    waiting_since_ms: number | null;
  }>(sql`
    select c.id, c.status, c.immediate, c.duration_minutes, pa.name as patient_name, ct.name as type_name,
      extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms,
      ${waitingSinceMs(sql`c.id`)} as waiting_since_ms
    from consultations c
    join patients pa on pa.id = c.patient_id
    join consultation_types ct on ct.code = c.consultation_type
    where c.organization_id = ${scope.organizationId} and c.provider_id = ${scope.providerId}
      and c.status in ('Pending', 'InProgress') and c.ends_at > ${now.toISOString()} and c.starts_at < ${horizon.toISOString()}
    order by c.status = 'InProgress' desc, c.starts_at, c.id
    limit 200`);
  const day: MyDay = { today, now: [], later: [] };
  for (const r of rows) {
    const c = { status: r.status, immediate: r.immediate, startsAt: new Date(Number(r.starts_at_ms)), endsAt: new Date(Number(r.ends_at_ms)) };
    const window = callWindow(c, now, opensMinutesBefore);
    const entry: MyDayConsultation = {
      consultationId: r.id,
      ...c,
      durationMinutes: r.duration_minutes,
      patientName: r.patient_name,
      consultationType: r.type_name,
      window: window.state === "too_early" ? { state: "too_early", opensAt: window.opensAt } : { state: "open" },
      waitingSince: waitingSince(r.waiting_since_ms),
    };
    (c.startsAt < tomorrow ? day.now : day.later).push(entry);
  }
  return day;
}

/**
 * A signed-in provider's way into their own call without the PIN: their join link's token and
 * the participant session the PIN would have given. Another provider's or clinic's
 * consultation is not found; a call not open yet, ended or expired is refused as the link is.
 */
export async function providerJoin(
  db: Db,
  scope: Omit<Scope, "timeZone"> & { sealer: Sealer },
  consultationId: string,
  now: Date,
  opensMinutesBefore: number,
): Promise<{ token: string; session: ParticipantSession; endsAt: Date }> {
  const [row] = isUuid(consultationId)
    ? await db.execute<{
        participant_id: string;
        room_id: string;
        token_sealed: string;
        status: "Pending" | "InProgress" | "Completed" | "Expired";
        immediate: boolean;
        starts_at_ms: number;
        ends_at_ms: number;
      }>(sql`
        select rp.id as participant_id, rp.room_id, rp.access_token_sealed as token_sealed, c.status, c.immediate,
          extract(epoch from c.starts_at)::float8 * 1000 as starts_at_ms,
          extract(epoch from c.ends_at)::float8 * 1000 as ends_at_ms
        from consultations c
        join rooms r on r.consultation_id = c.id
        join room_participants rp on rp.room_id = r.id and rp.role = 'provider'
        where c.id = ${consultationId} and c.organization_id = ${scope.organizationId} and c.provider_id = ${scope.providerId}`)
    : [];
  if (!row) throw AppError.notFound("The consultation");
  const endsAt = new Date(Number(row.ends_at_ms));
  const refusal = refusalFor({ status: row.status, immediate: row.immediate, startsAt: new Date(Number(row.starts_at_ms)), endsAt }, now, opensMinutesBefore);
  if (refusal) throw refusal;
  return {
    token: scope.sealer.open(row.token_sealed),
    endsAt,
    session: { participantId: row.participant_id, roomId: row.room_id, consultationId, organizationId: scope.organizationId, role: "provider" },
  };
}
