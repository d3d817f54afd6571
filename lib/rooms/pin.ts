import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { safeEqual, sha256, type Sealer } from "@/lib/crypto";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { parseAddress } from "@/lib/security/client-address";
import { recordAudit } from "@/lib/staff/audit";
import { findJoinLink, type JoinLink } from "./join-link";
import { enterPinSchema, PIN_FORMAT_MESSAGE } from "./schema";
import type { ParticipantSession } from "./session";
import { refusalFor } from "./window";

/** Wrong PINs a link takes before each further try must wait. */
export const PIN_FREE_ATTEMPTS = 5;
/** The first wait; it doubles with every further wrong PIN. */
export const PIN_FIRST_DELAY_SECONDS = 30;
/** Wrong PINs a link takes in 24 hours; then it is locked until the oldest is a day old. */
export const PIN_DAILY_LIMIT = 10;

/** The advisory-lock class (the first of two int4 keys) of the per-address PIN limit. */
const ADDRESS_LOCK_CLASS = 7_340_031;

const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

export type PinLimits = { opensMinutesBefore: number; addressLimitPerHour: number };

export type PinAccepted = { session: ParticipantSession; link: JoinLink };

/** The wait a link must keep after `failures` wrong PINs since its last right one (0 while free). */
export function pinDelaySeconds(failures: number): number {
  if (failures < PIN_FREE_ATTEMPTS) return 0;
  return PIN_FIRST_DELAY_SECONDS * 2 ** (failures - PIN_FREE_ATTEMPTS);
}

function tooMany(code: "pin_attempts_delayed" | "pin_locked" | "too_many_attempts", message: string, retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(code, message, [{ field: "pin", code, message: `try again in ${seconds} seconds` }], { "Retry-After": String(seconds) });
}

/**
 * Checks the PIN typed at a join link. Guessing is held back three ways: after
 * PIN_FREE_ATTEMPTS wrong PINs each try waits longer (30 s, 60 s, 2 min, ...), a link takes
 * at most PIN_DAILY_LIMIT wrong PINs in 24 hours, and one address at most
 * `addressLimitPerHour` across every link. Every attempt is recorded, refused ones too.
 * Attempts at one link are serialized (the participant row is locked), and so are attempts
 * from one address (an advisory lock), so parallel guesses cannot slip past a limit.
 *
 * A counted attempt is never undone by what comes after it: the audit row is written in a
 * savepoint of its own, and any error while checking (whatever its cause) is itself counted as
 * a wrong PIN and answered as one, so no failure switches the limits off, and the answer to a
 * wrong PIN never depends on a fault (no 500 beside the 401 for an attacker to read).
 */
export async function enterPin(
  db: Database,
  input: { token: string; role: string | null; pin: unknown; address: string | null; userAgent?: string | null; now: Date; sealer: Sealer; limits: PinLimits },
): Promise<PinAccepted> {
  const { now } = input;
  // Whatever the caller passes, only an address (or none) is counted and written.
  const address = input.address ? parseAddress(input.address) : null;
  const link = await findJoinLink(db, input.token);
  // A link opened with the other role's `type` is treated as unknown: never reveal which links exist.
  if (!link || (input.role !== null && input.role !== link.role)) throw new AppError("link_not_found", "This link is not valid. Check that you opened the whole link you were sent.");
  const refusal = refusalFor(link, now, input.limits.opensMinutesBefore);
  if (refusal) throw refusal;
  const typed = enterPinSchema.safeParse({ pin: input.pin });
  if (!typed.success) throw AppError.validation([{ field: "pin", code: "invalid_pin_format", message: PIN_FORMAT_MESSAGE }]);
  const { pin } = typed.data;

  const attempt = { link, address, userAgent: input.userAgent, now };
  const outcome = await db.transaction(async (tx) => {
    // Locked with the consultation's current PIN and link: staff may have reissued them since findJoinLink.
    const [current] = await tx.execute<{ pin_sealed: string; pin_issued_at: string | null; same_link: boolean }>(sql`
      select c.access_pin_sealed as pin_sealed, c.pin_issued_at::text as pin_issued_at, rp.access_token_hash = ${sha256(input.token)} as same_link
      from room_participants rp join rooms r on r.id = rp.room_id join consultations c on c.id = r.consultation_id
      where rp.id = ${link.participantId} for update of rp`);
    if (!current?.same_link) return { kind: "gone" as const };
    // Attempts from one address at different links are serialized too, or parallel guesses at
    // many links would all read the same count and slip past the per-address limit.
    if (address) await tx.execute(sql`select pg_advisory_xact_lock(${ADDRESS_LOCK_CLASS}, hashtext(${address}))`);
    const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
    const [stats] = (await tx.execute<{ daily: number; oldest_ms: number | null; since_ok: number; last_ms: number | null }>(sql`
      with recent as (
        -- Wrong PINs typed before staff reissued the PIN no longer count toward this link's limits.
        select outcome, attempted_at from pin_attempts where participant_id = ${link.participantId} and attempted_at > ${dayAgo}
          and attempted_at >= coalesce(${current.pin_issued_at}::timestamptz, '-infinity')
      ), last_ok as (select max(attempted_at) as at from recent where outcome = 'accepted')
      select
        count(*) filter (where outcome = 'rejected')::int as daily,
        extract(epoch from min(attempted_at) filter (where outcome = 'rejected'))::float8 * 1000 as oldest_ms,
        count(*) filter (where outcome = 'rejected' and attempted_at > coalesce((select at from last_ok), '-infinity'))::int as since_ok,
        extract(epoch from max(attempted_at) filter (where outcome = 'rejected'))::float8 * 1000 as last_ms
      from recent`)) as unknown as [{ daily: number; oldest_ms: number | null; since_ok: number; last_ms: number | null }];

    const record = (result: AttemptOutcome) => recordAttempt(tx, attempt, result);

    if (stats.daily >= PIN_DAILY_LIMIT) {
      await record("throttled");
      const unlockAt = Number(stats.oldest_ms) + DAY_MS;
      return { kind: "locked" as const, retryAfter: (unlockAt - now.getTime()) / 1000 };
    }
    const delay = pinDelaySeconds(stats.since_ok);
    if (delay > 0 && stats.last_ms !== null && now.getTime() < Number(stats.last_ms) + delay * 1000) {
      await record("throttled");
      return { kind: "delayed" as const, retryAfter: (Number(stats.last_ms) + delay * 1000 - now.getTime()) / 1000 };
    }
    if (address) {
      const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
      const [fromAddress] = (await tx.execute<{ n: number; oldest_ms: number | null }>(sql`
        select count(*)::int as n, extract(epoch from min(attempted_at))::float8 * 1000 as oldest_ms
        from pin_attempts where address = ${address} and outcome = 'rejected' and attempted_at > ${hourAgo}`)) as unknown as [{ n: number; oldest_ms: number | null }];
      if (fromAddress.n >= input.limits.addressLimitPerHour) {
        await record("throttled");
        return { kind: "address" as const, retryAfter: (Number(fromAddress.oldest_ms) + HOUR_MS - now.getTime()) / 1000 };
      }
    }
    if (safeEqual(pin, input.sealer.open(current.pin_sealed))) {
      await record("accepted");
      return { kind: "accepted" as const };
    }
    await record("rejected");
    return { kind: "rejected" as const, failures: stats.since_ok + 1, daily: stats.daily + 1 };
  }).catch(async (error: unknown) => {
    // Nothing above throws on purpose: whatever failed, this try counts as a wrong PIN, in a
    // transaction of its own. If even that cannot be written the database is down for everyone,
    // and the error goes up (a 500 that says nothing about the PIN).
    console.error(`[pin] checking a PIN failed (${errorCodeOf(error)}); counted as a wrong PIN for participant ${link.participantId}`);
    await db.transaction((tx) => recordAttempt(tx, attempt, "rejected")).catch(() => {
      throw error;
    });
    return { kind: "failed" as const };
  });

  switch (outcome.kind) {
    case "gone":
      throw new AppError("link_not_found", "This link is not valid. Check that you opened the whole link you were sent.");
    case "accepted":
      return {
        link,
        session: {
          participantId: link.participantId,
          roomId: link.roomId,
          consultationId: link.consultationId,
          organizationId: link.organizationId,
          role: link.role,
        },
      };
    case "locked":
      throw tooMany("pin_locked", "Too many wrong PINs for this link today. Ask the clinic for a new PIN: it opens the link again at once.", outcome.retryAfter);
    case "delayed":
      throw tooMany("pin_attempts_delayed", "Too many wrong PINs. Wait a moment before trying again.", outcome.retryAfter);
    case "address":
      throw tooMany("too_many_attempts", "Too many wrong PINs from this network. Try again later.", outcome.retryAfter);
    case "failed":
      throw new AppError("invalid_pin", "That PIN is not right.", [{ field: "pin", code: "invalid_pin", message: "does not match this consultation's PIN" }]);
    case "rejected": {
      const left = PIN_DAILY_LIMIT - outcome.daily;
      const wait = pinDelaySeconds(outcome.failures);
      const free = PIN_FREE_ATTEMPTS - outcome.failures;
      const hint = left <= 0 ? "This link is now locked for today." : wait > 0 ? `Wait ${wait} seconds before the next try.` : `${free} ${free === 1 ? "try" : "tries"} left before a waiting time.`;
      throw new AppError("invalid_pin", `That PIN is not right. ${hint}`, [{ field: "pin", code: "invalid_pin", message: "does not match this consultation's PIN" }], wait > 0 ? { "Retry-After": String(wait) } : {});
    }
  }
}

type AttemptOutcome = "accepted" | "rejected" | "throttled";
type Attempt = { link: JoinLink; address: string | null; userAgent?: string | null; now: Date };

/**
 * Records one attempt; a refused one also goes to the clinic's audit log (bounded by the limits,
 * never with the PIN typed). The audit row is written in a savepoint: if it fails, the attempt
 * is still recorded and counted, and the failure is logged.
 */
async function recordAttempt(tx: Db, attempt: Attempt, result: AttemptOutcome): Promise<void> {
  const { link, address, now } = attempt;
  await tx.execute(sql`
    insert into pin_attempts (organization_id, participant_id, address, outcome, attempted_at)
    values (${link.organizationId}, ${link.participantId}, ${address}, ${result}, ${now.toISOString()})`);
  if (result === "accepted") return;
  try {
    await tx.transaction((savepoint) =>
      recordAudit(savepoint, {
        organizationId: link.organizationId,
        action: "pin.failed",
        actor: { label: `${link.role} link` },
        target: { type: "consultation", id: link.consultationId },
        ip: address,
        userAgent: attempt.userAgent,
        detail: { role: link.role, outcome: result },
      }),
    );
  } catch (error) {
    console.error(`[pin] the audit row of a refused PIN was not written (${errorCodeOf(error)}) for participant ${link.participantId}`);
  }
}

/** An error's code for the log (a PostgreSQL SQLSTATE, or the error's name): never its message, which may quote data. */
function errorCodeOf(error: unknown): string {
  return postgresErrorOf(error)?.code ?? (error instanceof Error ? error.name : "unknown");
}

export type LinkPinStatus = { role: "patient" | "provider"; wrongPins: number; locked: boolean; lockedUntil: Date | null };

/**
 * For the clinic: the wrong PINs each link of a consultation took in the last 24 hours that
 * still count (since the PIN was last issued), and whether that locked the link.
 */
export async function linkPinStatus(db: Db, organizationId: string, consultationId: string, now: Date): Promise<LinkPinStatus[]> {
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const rows = await db.execute<{ role: LinkPinStatus["role"]; wrong: number; oldest_ms: number | null }>(sql`
    select rp.role, count(a.id)::int as wrong, extract(epoch from min(a.attempted_at))::float8 * 1000 as oldest_ms
    from consultations c
    join rooms r on r.consultation_id = c.id
    join room_participants rp on rp.room_id = r.id
    left join pin_attempts a on a.participant_id = rp.id and a.outcome = 'rejected' and a.attempted_at > ${dayAgo}
      and a.attempted_at >= coalesce(c.pin_issued_at, '-infinity')
    where c.id = ${consultationId} and c.organization_id = ${organizationId}
    group by rp.role order by rp.role`);
  return rows.map((row) => {
    const locked = row.wrong >= PIN_DAILY_LIMIT;
    return { role: row.role, wrongPins: row.wrong, locked, lockedUntil: locked && row.oldest_ms !== null ? new Date(Number(row.oldest_ms) + DAY_MS) : null };
  });
}
