import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { AppError } from "@/lib/errors";
import type { OrganizationRow } from "@/lib/organizations";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { closeStaleAttendances, touchAttendance } from "./attendance";
import { completeOverdueCalls, endCall, expireConsultations, leaveCall } from "./completion";
import { joinCall } from "./join";
import { enterPin } from "./pin";
import type { ParticipantSession } from "./session";
import { sendSignals } from "./video-room";

const test = setupTestDatabase();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const JOIN = { opensMinutesBefore: 15, livekitConfigured: false };

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

type Call = {
  consultationId: string;
  roomId: string;
  startsAt: Date;
  endsAt: Date;
  patient: ParticipantSession;
  provider: ParticipantSession;
};

let people = 0;
/**
 * An immediate consultation made through the real create path (its own provider and patient,
 * so schedules never clash), and both participants' sessions through the real PIN check.
 */
async function newCall(options: { organization?: OrganizationRow; createdAt?: Date } = {}): Promise<Call> {
  const organization = options.organization ?? tenant.organization;
  const now = options.createdAt ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const example = immediateGeneralExample();
  const n = ++people;
  const view = await createConsultation(
    test.db,
    { organizationId: organization.id, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer(), now },
    {
      ...example,
      provider: { ...example.provider, documentNumber: String(30_000_000 + n) },
      patient: { ...example.patient, documentNumber: String(40_000_000 + n) },
    },
  );
  const session = async (url: string, role: "patient" | "provider") => {
    const accepted = await enterPin(test.db, {
      token: new URL(url).pathname.split("/").pop()!,
      role,
      pin: view.accessPin,
      address: null,
      now,
      sealer: appSealer(),
      limits: { opensMinutesBefore: 15, addressLimitPerHour: 100 },
    });
    return accepted.session;
  };
  const patient = await session(view.participantAccess.patientUrl, "patient");
  const provider = await session(view.participantAccess.providerUrl, "provider");
  return { consultationId: view.consultationId, roomId: patient.roomId, startsAt: now, endsAt: new Date(now.getTime() + 20 * MINUTE), patient, provider };
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const hoursAgo = (h: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - h * 3600 * SECOND);

async function consultation(id: string) {
  const [row] = await test.db.execute<{ status: string; completion_reason: string | null; started_ms: number | null; completed_ms: number | null }>(sql`
    select status, completion_reason, extract(epoch from started_at)::float8 * 1000 as started_ms,
      extract(epoch from completed_at)::float8 * 1000 as completed_ms
    from consultations where id = ${id}`);
  return {
    status: row!.status,
    completionReason: row!.completion_reason,
    startedAt: row!.started_ms === null ? null : Number(row!.started_ms),
    completedAt: row!.completed_ms === null ? null : Number(row!.completed_ms),
  };
}

type Stay = { participantId: string; joinedAt: number; leftAt: number | null; endReason: string | null; lastSeenAt: number };
async function attendances(roomId: string): Promise<Stay[]> {
  const rows = await test.db.execute<{ participant_id: string; joined_ms: number; left_ms: number | null; end_reason: string | null; seen_ms: number }>(sql`
    select participant_id, end_reason,
      extract(epoch from joined_at)::float8 * 1000 as joined_ms, extract(epoch from left_at)::float8 * 1000 as left_ms,
      extract(epoch from last_seen_at)::float8 * 1000 as seen_ms
    from room_attendances where room_id = ${roomId} order by joined_at, participant_id`);
  return rows.map((r) => ({
    participantId: r.participant_id,
    joinedAt: Number(r.joined_ms),
    leftAt: r.left_ms === null ? null : Number(r.left_ms),
    endReason: r.end_reason,
    lastSeenAt: Number(r.seen_ms),
  }));
}

type Outboxed = { event: string; at: number; role?: string; participantId?: string; reason?: string; firstJoin?: boolean };
/** The consultation's domain events, ordered by time (and, within one instant, by name and role). */
async function outbox(consultationId: string): Promise<Outboxed[]> {
  const rows = await test.db.execute<{ event: string; payload: Record<string, any>; at: number }>(sql`
    select event, payload, extract(epoch from occurred_at)::float8 * 1000 as at
    from outbox_events where aggregate_id = ${consultationId}
    order by occurred_at, event, payload->'participant'->>'role'`);
  return rows.map((r) => ({
    event: r.event,
    at: Number(r.at),
    ...(r.payload.participant ? { role: r.payload.participant.role, participantId: r.payload.participant.participantId } : {}),
    ...(r.payload.reason !== undefined ? { reason: r.payload.reason } : {}),
    ...(r.payload.firstJoin !== undefined ? { firstJoin: r.payload.firstJoin } : {}),
  }));
}

async function roomLog(roomId: string) {
  const rows = await test.db.execute<{ id: bigint; kind: string; sender_id: string | null; payload: Record<string, any> }>(sql`
    select id, kind, sender_id, payload from room_events where room_id = ${roomId} order by id`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

describe("joining and leaving a call", () => {
  it("moves the consultation Pending → InProgress on the first join only, with session_started per stay and role", async () => {
    const c = await newCall();
    const t1 = at(c.startsAt, 30 * SECOND);
    const t2 = at(c.startsAt, 90 * SECOND);
    expect((await consultation(c.consultationId)).status).toBe("Pending");

    const provider = await joinCall(test.db, c.provider, { ...JOIN, now: t1 });
    expect(provider).toMatchObject({ firstJoin: true, status: "InProgress", transport: "p2p", maxParticipants: 2, roomId: c.roomId });
    expect(provider.participant).toEqual({ id: c.provider.participantId, role: "provider", displayName: "Dr. Ana Martínez", privilege: "plus", group: null });
    expect(provider.startedAt.getTime()).toBe(t1.getTime());
    expect(provider.endsAt!.getTime()).toBe(c.endsAt.getTime());
    expect(await consultation(c.consultationId)).toMatchObject({ status: "InProgress", startedAt: t1.getTime(), completedAt: null });

    const patient = await joinCall(test.db, c.patient, { ...JOIN, now: t2 });
    expect(patient.firstJoin).toBe(false);
    expect(patient.startedAt.getTime()).toBe(t1.getTime());
    expect(patient.connectionId).not.toBe(provider.connectionId);
    expect((await consultation(c.consultationId)).startedAt).toBe(t1.getTime());

    expect(await outbox(c.consultationId)).toEqual([
      { event: "consultation.created", at: c.startsAt.getTime() },
      { event: "session_started", at: t1.getTime(), role: "provider", participantId: c.provider.participantId, firstJoin: true },
      { event: "session_started", at: t2.getTime(), role: "patient", participantId: c.patient.participantId, firstJoin: false },
    ]);
    expect(await attendances(c.roomId)).toEqual([
      { participantId: c.provider.participantId, joinedAt: t1.getTime(), lastSeenAt: t1.getTime(), leftAt: null, endReason: null },
      { participantId: c.patient.participantId, joinedAt: t2.getTime(), lastSeenAt: t2.getTime(), leftAt: null, endReason: null },
    ]);
    // Each join is announced to the room; the cursor a join returns is the log's last event before it.
    const log = await roomLog(c.roomId);
    expect(log.map((e) => [e.kind, e.sender_id, e.payload.state])).toEqual([
      ["presence", c.provider.participantId, "joined"],
      ["presence", c.patient.participantId, "joined"],
    ]);
    expect(provider.cursor).toBe(0);
    expect(patient.cursor).toBe(log[0]!.id);
    expect(log[1]!.payload.connectionId).toBe(patient.connectionId);
  });

  it("keeps one stay through a reload, closes it on leave (session_ended), and opens a second one on rejoin", async () => {
    const c = await newCall();
    const t = (s: number) => at(c.startsAt, s * SECOND);
    await joinCall(test.db, c.provider, { ...JOIN, now: t(1) });
    await joinCall(test.db, c.patient, { ...JOIN, now: t(2) });
    // A reload (or a second tab) joins again without leaving: the same stay, seen again.
    const reload = await joinCall(test.db, c.patient, { ...JOIN, now: t(10) });
    expect(reload.firstJoin).toBe(false);
    let stays = await attendances(c.roomId);
    expect(stays.filter((s) => s.participantId === c.patient.participantId)).toEqual([
      { participantId: c.patient.participantId, joinedAt: t(2).getTime(), lastSeenAt: t(10).getTime(), leftAt: null, endReason: null },
    ]);

    expect(await leaveCall(test.db, c.patient, t(20))).toEqual({ left: true, ended: false });
    // Leaving twice changes nothing more.
    expect(await leaveCall(test.db, c.patient, t(21))).toEqual({ left: false, ended: false });
    expect((await consultation(c.consultationId)).status).toBe("InProgress");

    const rejoin = await joinCall(test.db, c.patient, { ...JOIN, now: t(30) });
    expect(rejoin.firstJoin).toBe(false);
    stays = await attendances(c.roomId);
    expect(stays.filter((s) => s.participantId === c.patient.participantId)).toEqual([
      { participantId: c.patient.participantId, joinedAt: t(2).getTime(), lastSeenAt: t(10).getTime(), leftAt: t(20).getTime(), endReason: "left" },
      { participantId: c.patient.participantId, joinedAt: t(30).getTime(), lastSeenAt: t(30).getTime(), leftAt: null, endReason: null },
    ]);

    const patientId = c.patient.participantId;
    expect((await outbox(c.consultationId)).filter((e) => e.event !== "consultation.created")).toEqual([
      { event: "session_started", at: t(1).getTime(), role: "provider", participantId: c.provider.participantId, firstJoin: true },
      { event: "session_started", at: t(2).getTime(), role: "patient", participantId: patientId, firstJoin: false },
      { event: "session_ended", at: t(20).getTime(), role: "patient", participantId: patientId, reason: "left" },
      { event: "session_started", at: t(30).getTime(), role: "patient", participantId: patientId, firstJoin: false },
    ]);
    const presence = (await roomLog(c.roomId)).filter((e) => e.sender_id === patientId).map((e) => e.payload.state);
    expect(presence).toEqual(["joined", "joined", "left", "joined"]);
  });

  it("starts the call once when both join at the same instant, and keeps one stay for two tabs joining at once", async () => {
    const c = await newCall();
    const now = at(c.startsAt, 5 * SECOND);
    const joins = await Promise.all([
      joinCall(test.db, c.provider, { ...JOIN, now }),
      joinCall(test.db, c.patient, { ...JOIN, now }),
      joinCall(test.db, c.patient, { ...JOIN, now }),
    ]);
    expect(joins.filter((j) => j.firstJoin)).toHaveLength(1);
    expect(await attendances(c.roomId)).toHaveLength(2);
    const started = (await outbox(c.consultationId)).filter((e) => e.event === "session_started");
    expect(started.map((e) => e.role).sort()).toEqual(["patient", "provider"]);
    expect(started.filter((e) => e.firstJoin)).toHaveLength(1);

    const oneSeat = await newCall();
    await test.db.execute(sql`update rooms set max_participants = 1 where id = ${oneSeat.roomId}`);
    const raced = await Promise.allSettled([
      joinCall(test.db, oneSeat.provider, { ...JOIN, now: at(oneSeat.startsAt, SECOND) }),
      joinCall(test.db, oneSeat.patient, { ...JOIN, now: at(oneSeat.startsAt, SECOND) }),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(raced.flatMap((r) => (r.status === "rejected" ? [(r.reason as AppError).code] : []))).toEqual(["room_full"]);
    expect(await attendances(oneSeat.roomId)).toHaveLength(1);
  });

  it("refuses a participant beyond the room's size with room_full, and a mesh room over 4 without LiveKit", async () => {
    const small = await newCall();
    await test.db.execute(sql`update rooms set max_participants = 1 where id = ${small.roomId}`);
    await joinCall(test.db, small.provider, { ...JOIN, now: at(small.startsAt, SECOND) });
    const full = await refusal(joinCall(test.db, small.patient, { ...JOIN, now: at(small.startsAt, 2 * SECOND) }));
    expect(full).toMatchObject({ status: 409, code: "room_full" });
    // The participant already in keeps their stay on a reload, and the refused one left no trace.
    await joinCall(test.db, small.provider, { ...JOIN, now: at(small.startsAt, 3 * SECOND) });
    expect((await attendances(small.roomId)).map((s) => s.participantId)).toEqual([small.provider.participantId]);
    expect((await outbox(small.consultationId)).filter((e) => e.event === "session_started")).toHaveLength(1);
    // Once the provider leaves, the patient fits.
    await leaveCall(test.db, small.provider, at(small.startsAt, 4 * SECOND));
    await joinCall(test.db, small.patient, { ...JOIN, now: at(small.startsAt, 5 * SECOND) });

    const big = await newCall();
    await test.db.execute(sql`update rooms set max_participants = 5 where id = ${big.roomId}`);
    const mesh = await refusal(joinCall(test.db, big.provider, { ...JOIN, now: at(big.startsAt, SECOND) }));
    expect(mesh).toMatchObject({ status: 409, code: "livekit_required" });
    expect(mesh.message).toContain("LIVEKIT_URL");
    expect((await consultation(big.consultationId)).status).toBe("Pending");
    expect(await attendances(big.roomId)).toEqual([]);
    const withLivekit = await joinCall(test.db, big.provider, { ...JOIN, livekitConfigured: true, now: at(big.startsAt, 2 * SECOND) });
    expect(withLivekit.maxParticipants).toBe(5);

    const four = await newCall();
    await test.db.execute(sql`update rooms set max_participants = 4 where id = ${four.roomId}`);
    expect((await joinCall(test.db, four.provider, { ...JOIN, now: at(four.startsAt, SECOND) })).maxParticipants).toBe(4);
  });

  it("refuses to join a call past its end: expired when nobody joined, completed when it was live", async () => {
    const missed = await newCall();
    expect(await refusal(joinCall(test.db, missed.patient, { ...JOIN, now: missed.endsAt }))).toMatchObject({ status: 410, code: "consultation_expired" });
    const live = await newCall();
    await joinCall(test.db, live.provider, { ...JOIN, now: at(live.startsAt, SECOND) });
    expect(await refusal(joinCall(test.db, live.patient, { ...JOIN, now: live.endsAt }))).toMatchObject({ status: 410, code: "consultation_completed" });
  });
});

describe("ending a call", () => {
  it("lets only the provider end it for everyone: Completed, every stay closed, consultation.completed and room-ended", async () => {
    const c = await newCall();
    const t = (s: number) => at(c.startsAt, s * SECOND);
    await joinCall(test.db, c.provider, { ...JOIN, now: t(1) });
    await joinCall(test.db, c.patient, { ...JOIN, now: t(2) });

    const forbidden = await refusal(endCall(test.db, c.patient, "ended_by_provider", t(60)));
    expect(forbidden).toMatchObject({ status: 403, code: "forbidden" });
    expect((await consultation(c.consultationId)).status).toBe("InProgress");

    const ended = await endCall(test.db, c.provider, "ended_by_provider", t(120));
    expect(ended).toEqual({ status: "Completed", completedAt: t(120), changed: true });
    expect(await consultation(c.consultationId)).toEqual({
      status: "Completed",
      completionReason: "ended_by_provider",
      startedAt: t(1).getTime(),
      completedAt: t(120).getTime(),
    });
    expect((await attendances(c.roomId)).map((s) => [s.participantId, s.leftAt, s.endReason])).toEqual([
      [c.provider.participantId, t(120).getTime(), "ended"],
      [c.patient.participantId, t(120).getTime(), "ended"],
    ]);
    const events = (await outbox(c.consultationId)).filter((e) => e.at === t(120).getTime());
    expect(events).toEqual([
      { event: "consultation.completed", at: t(120).getTime(), reason: "ended_by_provider" },
      { event: "session_ended", at: t(120).getTime(), role: "patient", participantId: c.patient.participantId, reason: "ended" },
      { event: "session_ended", at: t(120).getTime(), role: "provider", participantId: c.provider.participantId, reason: "ended" },
    ]);
    const log = await roomLog(c.roomId);
    expect(log.at(-1)).toMatchObject({ kind: "room-ended", sender_id: null, payload: { reason: "ended_by_provider" } });
    expect(log.slice(-3, -1).map((e) => e.payload.state)).toEqual(["left", "left"]);

    // Ending again (the patient's timer, a double click) changes nothing.
    const outboxBefore = (await outbox(c.consultationId)).length;
    const logBefore = log.length;
    expect(await endCall(test.db, c.provider, "ended_by_provider", t(130))).toEqual({ status: "Completed", completedAt: t(120), changed: false });
    expect(await endCall(test.db, c.patient, "timeout", c.endsAt)).toEqual({ status: "Completed", completedAt: t(120), changed: false });
    expect((await outbox(c.consultationId)).length).toBe(outboxBefore);
    expect((await roomLog(c.roomId)).length).toBe(logBefore);
    expect((await consultation(c.consultationId)).completionReason).toBe("ended_by_provider");

    // Nobody gets back in.
    expect(await refusal(joinCall(test.db, c.patient, { ...JOIN, now: t(140) }))).toMatchObject({ status: 410, code: "consultation_completed" });
  });

  it("refuses a timeout before the consultation's end and accepts it from either participant once reached", async () => {
    const c = await newCall();
    await joinCall(test.db, c.provider, { ...JOIN, now: at(c.startsAt, SECOND) });
    await joinCall(test.db, c.patient, { ...JOIN, now: at(c.startsAt, 2 * SECOND) });

    for (const early of [at(c.startsAt, 5 * MINUTE), at(c.endsAt, -MINUTE), at(c.endsAt, -6 * SECOND)]) {
      const error = await refusal(endCall(test.db, c.patient, "timeout", early));
      expect(error, early.toISOString()).toMatchObject({ status: 409, code: "consultation_time_left" });
    }
    expect((await consultation(c.consultationId)).status).toBe("InProgress");

    const ended = await endCall(test.db, c.patient, "timeout", c.endsAt);
    expect(ended).toMatchObject({ status: "Completed", changed: true });
    expect(await consultation(c.consultationId)).toMatchObject({ status: "Completed", completionReason: "timeout", completedAt: c.endsAt.getTime() });
    expect((await attendances(c.roomId)).map((s) => s.endReason)).toEqual(["timeout", "timeout"]);
    expect((await outbox(c.consultationId)).filter((e) => e.event === "consultation.completed")).toEqual([
      { event: "consultation.completed", at: c.endsAt.getTime(), reason: "timeout" },
    ]);
  });

  it("refuses to end a consultation nobody has joined", async () => {
    const c = await newCall();
    expect(await refusal(endCall(test.db, c.provider, "ended_by_provider", at(c.startsAt, SECOND)))).toMatchObject({
      status: 409,
      code: "consultation_not_in_progress",
    });
    expect((await consultation(c.consultationId)).status).toBe("Pending");
  });
});

describe("the lifecycle sweep", () => {
  // These calls happened hours ago, so the sweeps below reach no other test's call.

  it("closes, as disconnected, only stays not seen within the grace", async () => {
    const c = await newCall({ createdAt: hoursAgo(5) });
    const t = (s: number) => at(c.startsAt, s * SECOND);
    await joinCall(test.db, c.provider, { ...JOIN, now: t(1) });
    await joinCall(test.db, c.patient, { ...JOIN, now: t(2) });
    // The patient's stream keeps their stay fresh; the provider's browser vanished.
    expect(await touchAttendance(test.db, c.patient.participantId, t(30))).toBe(true);

    expect(await closeStaleAttendances(test.db, t(40), 40)).toBe(0);
    expect(await closeStaleAttendances(test.db, t(45), 40)).toBe(1);
    expect((await attendances(c.roomId)).map((s) => [s.participantId, s.leftAt, s.endReason])).toEqual([
      [c.provider.participantId, t(45).getTime(), "disconnected"],
      [c.patient.participantId, null, null],
    ]);
    expect((await outbox(c.consultationId)).filter((e) => e.event === "session_ended")).toEqual([
      { event: "session_ended", at: t(45).getTime(), role: "provider", participantId: c.provider.participantId, reason: "disconnected" },
    ]);
    expect(await closeStaleAttendances(test.db, t(46), 40)).toBe(0);
    // The call goes on, and the provider can come back.
    expect((await consultation(c.consultationId)).status).toBe("InProgress");
    expect(await touchAttendance(test.db, c.provider.participantId, t(50))).toBe(false);
    await joinCall(test.db, c.provider, { ...JOIN, now: t(60) });
    expect(await touchAttendance(test.db, c.provider.participantId, t(61))).toBe(true);
    await endCall(test.db, c.provider, "ended_by_provider", t(62));
  });

  it("completes, as timeout, live calls past their end plus the grace, and leaves pending ones alone", async () => {
    const live = await newCall({ createdAt: hoursAgo(8) });
    const pending = await newCall({ createdAt: hoursAgo(8) });
    await joinCall(test.db, live.provider, { ...JOIN, now: at(live.startsAt, SECOND) });

    expect(await completeOverdueCalls(test.db, at(live.endsAt, 60 * SECOND), 60)).toBe(0);
    expect((await consultation(live.consultationId)).status).toBe("InProgress");
    expect(await completeOverdueCalls(test.db, at(live.endsAt, 61 * SECOND), 60)).toBe(1);
    expect(await consultation(live.consultationId)).toMatchObject({ status: "Completed", completionReason: "timeout", completedAt: at(live.endsAt, 61 * SECOND).getTime() });
    expect((await attendances(live.roomId)).map((s) => s.endReason)).toEqual(["timeout"]);
    expect((await roomLog(live.roomId)).at(-1)).toMatchObject({ kind: "room-ended", payload: { reason: "timeout" } });
    expect((await consultation(pending.consultationId)).status).toBe("Pending");
    expect(await completeOverdueCalls(test.db, at(live.endsAt, 62 * SECOND), 60)).toBe(0);
  });
});

describe("expiry", () => {
  it("expires, once, a pending consultation whose time passed without anyone joining, and leaves live ones alone", async () => {
    const unused = await newCall({ createdAt: hoursAgo(9) });
    const live = await newCall({ createdAt: hoursAgo(9) });
    await joinCall(test.db, live.patient, { ...JOIN, now: at(live.startsAt, SECOND) });

    expect(await expireConsultations(test.db, at(unused.endsAt, -SECOND))).toBe(0);
    expect((await consultation(unused.consultationId)).status).toBe("Pending");
    // Two sweepers at the same instant (two app instances): one expiry, one event.
    const counts = await Promise.all([expireConsultations(test.db, unused.endsAt), expireConsultations(test.db, unused.endsAt)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await consultation(unused.consultationId)).status).toBe("Expired");
    expect((await outbox(unused.consultationId)).map((e) => e.event)).toEqual(["consultation.created", "consultation.expired"]);
    expect((await outbox(unused.consultationId)).at(-1)!.at).toBe(unused.endsAt.getTime());
    expect(await expireConsultations(test.db, at(unused.endsAt, MINUTE))).toBe(0);
    expect((await consultation(live.consultationId)).status).toBe("InProgress");
  });
});

describe("organization scoping", () => {
  it("never lets a session of one organization reach another organization's room", async () => {
    const other = await createTenant(test.db, { name: "Clínica Otra" });
    const theirs = await newCall({ organization: other.organization });
    const ours = await newCall();
    const now = at(ours.startsAt, SECOND);
    await joinCall(test.db, theirs.provider, { ...JOIN, now });

    // Our session, pointed at their room (as a forged or confused session would be).
    const confused: ParticipantSession = { ...ours.provider, roomId: theirs.roomId, consultationId: theirs.consultationId };
    for (const work of [
      () => joinCall(test.db, confused, { ...JOIN, now }),
      () => leaveCall(test.db, confused, now),
      () => endCall(test.db, confused, "ended_by_provider", now),
      () => endCall(test.db, confused, "timeout", theirs.endsAt),
    ]) {
      expect(await refusal(work())).toMatchObject({ status: 404, code: "not_found" });
    }
    // Their participant, named in our organization and room, is not found either.
    const borrowed: ParticipantSession = { ...ours.provider, participantId: theirs.patient.participantId };
    expect(await refusal(joinCall(test.db, borrowed, { ...JOIN, now }))).toMatchObject({ status: 404 });

    // A signal from our call cannot be addressed to their participant.
    await joinCall(test.db, ours.provider, { ...JOIN, now });
    const signal = await refusal(
      sendSignals(test.db, ours.provider, [
        {
          kind: "description",
          to: theirs.provider.participantId,
          connectionId: "6f1c3c1e-2b1f-4f5e-9d55-1f8f7a9a1b11",
          description: { type: "offer", sdp: "v=0" },
        },
      ]),
    );
    expect(signal).toMatchObject({ status: 400, code: "unknown_recipient" });

    expect(await consultation(theirs.consultationId)).toMatchObject({ status: "InProgress" });
    expect((await attendances(theirs.roomId)).map((s) => [s.participantId, s.leftAt])).toEqual([[theirs.provider.participantId, null]]);
  });
});
