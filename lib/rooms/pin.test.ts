import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { AppError } from "@/lib/errors";
import { clientAddress } from "@/lib/security/client-address";
import { formatLocal } from "@/lib/time";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { enterPin as enterPinAtRoute, newConsultation as newConsultationByApi } from "@/test/rooms";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { completeCall } from "./completion";
import { joinCall } from "./join";
import { enterPin, PIN_DAILY_LIMIT, PIN_FREE_ATTEMPTS, type PinLimits } from "./pin";

const test = setupTestDatabase();
const LIMITS: PinLimits = { opensMinutesBefore: 15, addressLimitPerHour: 1000 };
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

type Made = { consultationId: string; pin: string; patientToken: string; providerToken: string; startsAt: Date; endsAt: Date };

/** Whole seconds keep the Retry-After arithmetic exact. */
function wholeSecondNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

let people = 0;
/** A consultation through the real create path, with its own provider and patient so schedules never clash. */
async function newConsultation(options: { now?: Date; scheduledInMinutes?: number; durationMinutes?: number } = {}): Promise<Made> {
  const now = options.now ?? wholeSecondNow();
  const example = immediateGeneralExample();
  const n = ++people;
  const view = await createConsultation(
    test.db,
    { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer(), now },
    {
      ...example,
      durationMinutes: options.durationMinutes ?? 20,
      provider: { ...example.provider, documentNumber: String(10_000_000 + n) },
      patient: { ...example.patient, documentNumber: String(20_000_000 + n) },
      ...(options.scheduledInMinutes !== undefined
        ? { scheduledAt: formatLocal(new Date(now.getTime() + options.scheduledInMinutes * 60_000), tenant.organization.timezone) }
        : {}),
    },
  );
  const token = (url: string) => new URL(url).pathname.split("/").pop()!;
  const [times] = await test.db.execute<{ starts_ms: number; ends_ms: number }>(sql`
    select extract(epoch from starts_at)::float8 * 1000 as starts_ms, extract(epoch from ends_at)::float8 * 1000 as ends_ms
    from consultations where id = ${view.consultationId}`);
  return {
    consultationId: view.consultationId,
    pin: view.accessPin,
    patientToken: token(view.participantAccess.patientUrl),
    providerToken: token(view.participantAccess.providerUrl),
    startsAt: new Date(Number(times!.starts_ms)),
    endsAt: new Date(Number(times!.ends_ms)),
  };
}

/** Gives a consultation a longer slot, for tests whose clock runs past a day. */
async function stretch(c: Made, days: number): Promise<void> {
  await test.db.execute(sql`update consultations set ends_at = starts_at + make_interval(days => ${days}) where id = ${c.consultationId}`);
}

function wrongPin(pin: string): string {
  return pin === "000000" ? "111111" : "000000";
}

type Try = { token: string; pin: unknown; now: Date; role?: string | null; address?: string | null; limits?: PinLimits };

function tryPin(t: Try) {
  return enterPin(test.db, {
    token: t.token,
    role: t.role === undefined ? "patient" : t.role,
    pin: t.pin,
    address: t.address === undefined ? null : t.address,
    now: t.now,
    sealer: appSealer(),
    limits: t.limits ?? LIMITS,
  });
}

/** The AppError an attempt is refused with (fails the test when it is accepted). */
async function refusal(t: Try): Promise<AppError> {
  try {
    await tryPin(t);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`PIN ${String(t.pin)} at ${t.now.toISOString()} was accepted`);
}

async function outcomes(participantToken: string): Promise<{ outcome: string; address: string | null; at: number }[]> {
  return test.db.execute<{ outcome: string; address: string | null; at: number }>(sql`
    select a.outcome, a.address, extract(epoch from a.attempted_at)::float8 * 1000 as at
    from pin_attempts a join room_participants p on p.id = a.participant_id
    where p.access_token_hash = encode(sha256(convert_to(${participantToken}, 'UTF8')), 'hex')
    order by a.id`);
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe("enterPin", () => {
  it("gives a session for the link's participant, room and role with the right PIN", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, 60 * SECOND);
    const patient = await tryPin({ token: c.patientToken, pin: c.pin, now, address: "198.51.100.1" });
    expect(patient.session).toMatchObject({ consultationId: c.consultationId, organizationId: tenant.organization.id, role: "patient" });
    expect(patient.session.participantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(patient.link.endsAt.getTime()).toBe(c.endsAt.getTime());

    const provider = await tryPin({ token: c.providerToken, pin: c.pin, now, role: "provider" });
    expect(provider.session.role).toBe("provider");
    expect(provider.session.roomId).toBe(patient.session.roomId);
    expect(provider.session.participantId).not.toBe(patient.session.participantId);

    // A link opened without ?type= still works: only a contradicting type is refused.
    expect((await tryPin({ token: c.patientToken, pin: c.pin, now, role: null })).session.role).toBe("patient");
  });

  it("refuses a wrong PIN with 401 invalid_pin on the field pin, and a malformed one with 400", async () => {
    const c = await newConsultation();
    const error = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(c.startsAt, SECOND) });
    expect(error).toMatchObject({ status: 401, code: "invalid_pin" });
    expect(error.details).toEqual([expect.objectContaining({ field: "pin", code: "invalid_pin" })]);
    expect(error.headers["Retry-After"]).toBeUndefined();

    for (const pin of ["12345", "1234567", "abcdef", 123456, undefined]) {
      const bad = await refusal({ token: c.patientToken, pin, now: at(c.startsAt, 2 * SECOND) });
      expect(bad, String(pin)).toMatchObject({ status: 400, code: "validation_error" });
      expect(bad.details[0]!.field).toBe("pin");
    }
    // Malformed PINs are not guesses: only the one wrong PIN counts.
    expect((await outcomes(c.patientToken)).map((a) => a.outcome)).toEqual(["rejected"]);
  });

  it("after 5 wrong PINs makes the next try wait 30 s, even with the right PIN, then lets it in", async () => {
    const c = await newConsultation();
    const t0 = at(c.startsAt, 10 * SECOND);
    for (let i = 0; i < PIN_FREE_ATTEMPTS; i++) {
      const error = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(t0, i * SECOND) });
      expect(error.status).toBe(401);
      // The fifth wrong PIN already says how long the next try must wait.
      expect(error.headers["Retry-After"]).toBe(i === PIN_FREE_ATTEMPTS - 1 ? "30" : undefined);
      // The message counts down the free tries in words a person reads ("1 try left", not "1 tries").
      const free = PIN_FREE_ATTEMPTS - 1 - i;
      if (free > 0) expect(error.message).toContain(free === 1 ? "1 try left before a waiting time." : `${free} tries left before a waiting time.`);
    }
    const lastWrong = at(t0, 4 * SECOND);

    const early = await refusal({ token: c.patientToken, pin: c.pin, now: at(lastWrong, 1 * SECOND) });
    expect(early).toMatchObject({ status: 429, code: "pin_attempts_delayed" });
    expect(early.headers["Retry-After"]).toBe("29");
    expect(early.details[0]!.field).toBe("pin");

    const almost = await refusal({ token: c.patientToken, pin: c.pin, now: at(lastWrong, 29_999) });
    expect(almost.code).toBe("pin_attempts_delayed");
    expect(almost.headers["Retry-After"]).toBe("1");

    const accepted = await tryPin({ token: c.patientToken, pin: c.pin, now: at(lastWrong, 30 * SECOND) });
    expect(accepted.session.role).toBe("patient");
  });

  it("doubles the wait with every further wrong PIN, and a right PIN starts the count again", async () => {
    const c = await newConsultation({ durationMinutes: 60 });
    let now = at(c.startsAt, SECOND);
    for (let i = 0; i < PIN_FREE_ATTEMPTS; i++) await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now });

    for (const wait of [30, 60, 120, 240]) {
      const tooSoon = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(now, (wait - 1) * SECOND) });
      expect(tooSoon.code, `wait ${wait}`).toBe("pin_attempts_delayed");
      expect(tooSoon.headers["Retry-After"]).toBe("1");
      now = at(now, wait * SECOND);
      const wrong = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now });
      expect(wrong.code).toBe("invalid_pin");
      expect(wrong.headers["Retry-After"]).toBe(String(wait * 2));
    }
    // 9 wrong PINs so far (5 free, then after 30, 60, 120 and 240 s); the next wait is 480 s.
    now = at(now, 480 * SECOND);
    await tryPin({ token: c.patientToken, pin: c.pin, now });
    // The right PIN resets the waits: five more free tries... but only one is left today.
    const tenth = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(now, SECOND) });
    expect(tenth.code).toBe("invalid_pin");
    expect(tenth.message).toContain("locked");
    expect((await refusal({ token: c.patientToken, pin: c.pin, now: at(now, 2 * SECOND) })).code).toBe("pin_locked");
  });

  it("locks a link after 10 wrong PINs in 24 h, even for the right PIN, until the oldest is a day old", async () => {
    const c = await newConsultation({ durationMinutes: 60 });
    await stretch(c, 3);
    const first = at(c.startsAt, SECOND);
    let now = first;
    const waits = [0, 0, 0, 0, 0, 30, 60, 120, 240, 480];
    for (const [i, wait] of waits.entries()) {
      now = at(now, wait * SECOND);
      const error = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now });
      expect(error.code, `wrong PIN ${i + 1}`).toBe("invalid_pin");
    }
    expect(waits.length).toBe(PIN_DAILY_LIMIT);

    // Long past any wait: the daily limit holds, for the right PIN as well.
    const locked = await refusal({ token: c.patientToken, pin: c.pin, now: at(now, HOUR) });
    expect(locked).toMatchObject({ status: 429, code: "pin_locked" });
    const retryAfter = Number(locked.headers["Retry-After"]);
    expect(retryAfter).toBe((first.getTime() + DAY - at(now, HOUR).getTime()) / 1000);

    const stillLocked = await refusal({ token: c.patientToken, pin: c.pin, now: at(first, DAY - SECOND) });
    expect(stillLocked.code).toBe("pin_locked");
    expect(stillLocked.headers["Retry-After"]).toBe("1");

    const accepted = await tryPin({ token: c.patientToken, pin: c.pin, now: at(first, DAY) });
    expect(accepted.session.role).toBe("patient");
    // The other link of the same consultation was never locked.
    expect((await tryPin({ token: c.providerToken, pin: c.pin, role: "provider", now: at(now, HOUR) })).session.role).toBe("provider");
  });

  it("limits wrong PINs per address across links, per hour", async () => {
    const limits = { ...LIMITS, addressLimitPerHour: 3 };
    const created = wholeSecondNow();
    const links = await Promise.all([1, 2, 3, 4].map(() => newConsultation({ now: created })));
    const t0 = at(created, SECOND);
    const address = "203.0.113.7";
    for (const [i, c] of links.slice(0, 3).entries()) {
      const error = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(t0, i * SECOND), address, limits });
      expect(error.code).toBe("invalid_pin");
    }
    const fourth = links[3]!;
    await stretch(fourth, 1);
    const limited = await refusal({ token: fourth.patientToken, pin: fourth.pin, now: at(t0, 10 * SECOND), address, limits });
    expect(limited).toMatchObject({ status: 429, code: "too_many_attempts" });
    expect(limited.headers["Retry-After"]).toBe(String(3600 - 10));

    // Another address is not held back, and this one is let in an hour after its first wrong PIN.
    expect((await tryPin({ token: fourth.patientToken, pin: fourth.pin, now: at(t0, 11 * SECOND), address: "203.0.113.8", limits })).session).toBeDefined();
    expect((await tryPin({ token: fourth.providerToken, role: "provider", pin: fourth.pin, now: at(t0, HOUR), address, limits })).session).toBeDefined();
  });

  it("records every attempt with its outcome, address and time", async () => {
    const c = await newConsultation();
    const t0 = at(c.startsAt, SECOND);
    for (let i = 0; i < 5; i++) await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(t0, i * SECOND), address: "192.0.2.1" });
    await refusal({ token: c.patientToken, pin: c.pin, now: at(t0, 5 * SECOND), address: "192.0.2.2" });
    await tryPin({ token: c.patientToken, pin: c.pin, now: at(t0, 40 * SECOND) });
    expect(await outcomes(c.patientToken)).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => ({ outcome: "rejected", address: "192.0.2.1", at: t0.getTime() + i * SECOND })),
      { outcome: "throttled", address: "192.0.2.2", at: t0.getTime() + 5 * SECOND },
      { outcome: "accepted", address: null, at: t0.getTime() + 40 * SECOND },
    ]);
    expect(await outcomes(c.providerToken)).toEqual([]);
  });

  it("answers 404 link_not_found for the other role's type and for an unknown token", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, SECOND);
    for (const t of [
      { token: c.patientToken, role: "provider" },
      { token: c.providerToken, role: "patient" },
      { token: c.patientToken, role: "doctor" },
      { token: `${c.patientToken.slice(0, -1)}${c.patientToken.endsWith("A") ? "B" : "A"}`, role: "patient" },
      { token: "short", role: "patient" },
    ]) {
      const error = await refusal({ ...t, pin: c.pin, now });
      expect(error, JSON.stringify(t)).toMatchObject({ status: 404, code: "link_not_found" });
    }
    // Probing links is not a guess at this link's PIN.
    expect(await outcomes(c.patientToken)).toEqual([]);
  });

  it("refuses a consultation that is not open yet (403), expired (410) or completed (410)", async () => {
    const scheduled = await newConsultation({ scheduledInMinutes: 60 });
    const tooEarly = await refusal({ token: scheduled.patientToken, pin: scheduled.pin, now: at(scheduled.startsAt, -16 * 60 * SECOND) });
    expect(tooEarly).toMatchObject({ status: 403, code: "room_not_open" });
    expect(tooEarly.details[0]!.message).toContain(new Date(scheduled.startsAt.getTime() - 15 * 60_000).toISOString());
    // Within the 15 minutes before the start, the link opens.
    expect((await tryPin({ token: scheduled.patientToken, pin: scheduled.pin, now: at(scheduled.startsAt, -15 * 60 * SECOND) })).session).toBeDefined();

    const missed = await newConsultation();
    expect(await refusal({ token: missed.patientToken, pin: missed.pin, now: missed.endsAt })).toMatchObject({ status: 410, code: "consultation_expired" });

    const done = await newConsultation();
    const { session } = await tryPin({ token: done.providerToken, role: "provider", pin: done.pin, now: at(done.startsAt, SECOND) });
    await joinCall(test.db, session, { now: at(done.startsAt, 2 * SECOND), opensMinutesBefore: 15, livekitConfigured: false });
    await completeCall(test.db, session, "ended_by_provider", at(done.startsAt, 60 * SECOND));
    expect(await refusal({ token: done.patientToken, pin: done.pin, now: at(done.startsAt, 61 * SECOND) })).toMatchObject({
      status: 410,
      code: "consultation_completed",
    });
  });

  it("never lets concurrent wrong guesses at one link past the limits", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, SECOND);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => tryPin({ token: c.patientToken, pin: wrongPin(c.pin), now })));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AppError).code : "accepted"));
    expect(codes.filter((code) => code === "invalid_pin")).toHaveLength(PIN_FREE_ATTEMPTS);
    expect(codes.filter((code) => code === "pin_attempts_delayed")).toHaveLength(20 - PIN_FREE_ATTEMPTS);
    const recorded = (await outcomes(c.patientToken)).map((a) => a.outcome);
    expect(recorded.filter((o) => o === "rejected")).toHaveLength(PIN_FREE_ATTEMPTS);
    expect(recorded.filter((o) => o === "throttled")).toHaveLength(20 - PIN_FREE_ATTEMPTS);
  });

  it("never lets concurrent wrong guesses from one address at many links past the address limit", async () => {
    const limits = { ...LIMITS, addressLimitPerHour: 5 };
    const created = wholeSecondNow();
    const links = await Promise.all(Array.from({ length: 20 }, () => newConsultation({ now: created })));
    const now = at(created, SECOND);
    const results = await Promise.allSettled(
      links.map((c) => tryPin({ token: c.patientToken, pin: wrongPin(c.pin), now, address: "198.51.100.99", limits })),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AppError).code : "accepted"));
    expect(codes.filter((code) => code === "invalid_pin")).toHaveLength(5);
    expect(codes.filter((code) => code === "too_many_attempts")).toHaveLength(15);
    const [row] = await test.db.execute<{ n: number }>(sql`
      select count(*)::int as n from pin_attempts where address = '198.51.100.99' and outcome = 'rejected'`);
    expect(row!.n).toBe(5);
  });
});

describe("the address the per-address limit counts", () => {
  const headers = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

  it("with no trusted proxy, is the address Next.js put in X-Forwarded-For", () => {
    expect(clientAddress(headers("192.0.2.10"), 0)).toBe("192.0.2.10");
    expect(clientAddress(headers(), 0)).toBeNull();
  });

  it("behind trusted proxies, is the entry the nearest trusted proxy appended, whatever the client sent", () => {
    // client → proxy (appends the client's address) → app
    expect(clientAddress(headers("192.0.2.10"), 1)).toBe("192.0.2.10");
    expect(clientAddress(headers("10.9.9.9, 192.0.2.10"), 1)).toBe("192.0.2.10");
    // client → CDN (appends the client) → load balancer (appends the CDN) → app
    expect(clientAddress(headers("10.9.9.9, 192.0.2.10, 198.51.100.2"), 2)).toBe("192.0.2.10");
    expect(clientAddress(headers("192.0.2.10, 198.51.100.2"), 2)).toBe("192.0.2.10");
  });
});

async function pinAudit(consultationId: string): Promise<{ ip: string | null; outcome: string }[]> {
  return test.db.execute<{ ip: string | null; outcome: string }>(sql`
    select host(ip) as ip, detail->>'outcome' as outcome from audit_log where action = 'pin.failed' and target_id = ${consultationId} order by id`);
}

describe("issue 13 item 1: nothing a client sends switches the PIN limit off", () => {
  it("counts and audits 50 wrong PINs sent with X-Forwarded-For: not-an-ip (401, then 429, never 500), and the right PIN then meets the limit", async () => {
    const link = await newConsultationByApi(tenant);
    const wrong = wrongPin(link.pin);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await enterPinAtRoute(link.patientToken, "patient", wrong, { "x-forwarded-for": "not-an-ip" });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, PIN_FREE_ATTEMPTS)).toEqual(Array(PIN_FREE_ATTEMPTS).fill(401));
    expect(statuses.slice(PIN_FREE_ATTEMPTS)).toEqual(Array(50 - PIN_FREE_ATTEMPTS).fill(429));

    const recorded = await outcomes(link.patientToken);
    expect(recorded).toHaveLength(50);
    expect(recorded.filter((a) => a.outcome === "rejected")).toHaveLength(PIN_FREE_ATTEMPTS);
    expect(recorded.every((a) => a.address === null)).toBe(true);
    const audit = await pinAudit(link.consultationId);
    expect(audit).toHaveLength(50);
    expect(audit.every((a) => a.ip === null)).toBe(true);

    const right = await enterPinAtRoute(link.patientToken, "patient", link.pin, { "x-forwarded-for": "not-an-ip" });
    expect(right.status).toBe(429);
    expect(right.json.error.code).toBe("pin_attempts_delayed");
    expect(right.headers.get("set-cookie")).toBeNull();
  });

  it("stores a caller's address that is not one as none, and still counts and audits the try", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, SECOND);
    const refused = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now, address: "not-an-ip" });
    expect([refused.status, refused.code]).toEqual([401, "invalid_pin"]);
    expect(await outcomes(c.patientToken)).toEqual([expect.objectContaining({ outcome: "rejected", address: null })]);
    expect(await pinAudit(c.consultationId)).toEqual([{ ip: null, outcome: "rejected" }]);
    // A valid address in another spelling is counted as the one address it is.
    await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(now, SECOND), address: "::ffff:198.51.100.7" });
    expect((await outcomes(c.patientToken)).map((a) => a.address)).toEqual([null, "198.51.100.7"]);
  });

  it("keeps a wrong PIN counted when its audit row cannot be written, and answers it 401", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, SECOND);
    // Any failure of the audit write will do; a constraint that refuses the row is one.
    await test.db.execute(sql`alter table audit_log add constraint refuse_pin_failed check (action <> 'pin.failed') not valid`);
    try {
      for (let i = 0; i < PIN_FREE_ATTEMPTS; i++) {
        const refused = await refusal({ token: c.patientToken, pin: wrongPin(c.pin), now: at(now, i * SECOND), address: "198.51.100.31" });
        expect([refused.status, refused.code]).toEqual([401, "invalid_pin"]);
      }
      const next = await refusal({ token: c.patientToken, pin: c.pin, now: at(now, PIN_FREE_ATTEMPTS * SECOND), address: "198.51.100.31" });
      expect([next.status, next.code]).toEqual([429, "pin_attempts_delayed"]);
    } finally {
      await test.db.execute(sql`alter table audit_log drop constraint refuse_pin_failed`);
    }
    const recorded = (await outcomes(c.patientToken)).map((a) => a.outcome);
    expect(recorded).toEqual([...Array(PIN_FREE_ATTEMPTS).fill("rejected"), "throttled"]);
    expect(await pinAudit(c.consultationId)).toEqual([]);
  });

  it("counts a try whose check fails for any reason as a wrong PIN, answered as one", async () => {
    const c = await newConsultation();
    const now = at(c.startsAt, SECOND);
    const broken: ReturnType<typeof appSealer> = Object.create(appSealer(), {
      open: {
        value: () => {
          throw new Error("the key is gone");
        },
      },
    });
    for (const pin of [wrongPin(c.pin), c.pin]) {
      const refused = await enterPin(test.db, { token: c.patientToken, role: "patient", pin, address: "198.51.100.32", now, sealer: broken, limits: LIMITS }).then(
        () => Promise.reject(new Error("accepted")),
        (error: unknown) => error as AppError,
      );
      expect([refused.status, refused.code]).toEqual([401, "invalid_pin"]);
    }
    expect((await outcomes(c.patientToken)).map((a) => a.outcome)).toEqual(["rejected", "rejected"]);
    expect(await pinAudit(c.consultationId)).toHaveLength(2);
  });
});
