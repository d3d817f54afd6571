// Locks of a call against the room's event log, on real PostgreSQL: a join (row lock, then the
// log) and a signal (the log, then an event row whose foreign key reads the room row) at once.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { lockRoom, publishRoomEvent } from "@/lib/realtime/events";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { insertStandaloneRoom } from "@/test/standalone-rooms";
import { joinCall } from "./join";
import type { ParticipantSession } from "./session";

const test = setupTestDatabase();
const JOIN = { opensMinutesBefore: 15, livekitConfigured: false };

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

/** Transactions waiting for a room's event log (an advisory lock) right now. */
async function waitingForTheLog(): Promise<number> {
  const [row] = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
  return row!.n;
}

describe("lockCall", () => {
  it("a standalone room's join and a signal sent meanwhile both go through: no deadlock", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const [doctor, patient] = room.participants.map(
      (p): ParticipantSession => ({ participantId: p.participantId, roomId: room.roomId, consultationId: null, organizationId: tenant.organization.id, role: "member" }),
    ) as [ParticipantSession, ParticipantSession];
    await joinCall(test.db, doctor, { now: new Date(), ...JOIN });

    // The doctor's signal holds the room's log (as sendSignals does) when the patient's join locks the room and waits for the log.
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let proceed!: () => void;
    const go = new Promise<void>((resolve) => (proceed = resolve));
    const signal = test.db.transaction(async (tx) => {
      await lockRoom(tx, room.roomId);
      holding();
      await go;
      // The event's foreign key reads the room row the join has locked.
      return publishRoomEvent(tx, { organizationId: tenant.organization.id, roomId: room.roomId, kind: "signal", senderId: doctor.participantId, recipientId: patient.participantId, payload: { kind: "candidate", candidate: null } });
    });
    await held;
    const join = joinCall(test.db, patient, { now: new Date(), ...JOIN });
    await expect.poll(waitingForTheLog, { timeout: 5_000 }).toBe(1);
    proceed();

    const [eventId, joined] = await Promise.all([signal, join]);
    expect(eventId).toBeGreaterThan(0);
    expect(joined.participant.id).toBe(patient.participantId);
    // The join came after the signal: its cursor includes it.
    expect(joined.cursor).toBeGreaterThanOrEqual(eventId);
  });
});
