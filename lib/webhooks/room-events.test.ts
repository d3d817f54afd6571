import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appSealer, appUrl } from "@/lib/config";
import { openBoss } from "@/lib/jobs/boss";
import { recordMediaPresence } from "@/lib/rooms/attendance";
import { leaveCall } from "@/lib/rooms/completion";
import { recordRoomReady } from "@/lib/rooms/ready-event";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { startReceiver, type Receiver } from "@/test/receiver";
import { attemptDelivery } from "./deliver";
import { sendTestEvent } from "./deliveries";
import { dispatchOutbox } from "./dispatch";
import { createEndpoint, type WebhookContext } from "./endpoints";
import { ROOM_WEBHOOK_BODIES } from "./events";

/**
 * A standalone room's webhooks (teleconsultation API): `session_started` / `session_ended`
 * recorded by the real attendance code, and `room.ready`, delivered to a real HTTP receiver and
 * checked as the receiver sees them, signature included.
 */

const test = setupTestDatabase();
const MINUTE = 60_000;
// 10:00 in Bogotá (UTC-5), the test organization's timezone.
const T0 = new Date("2030-03-04T15:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

let tenant: Tenant;
let boss: PgBoss;
let ctx: WebhookContext;
let receiver: Receiver;

beforeAll(async () => {
  tenant = await createTenant(test.db, { timezone: "America/Bogota" });
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 2 });
  ctx = { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true };
  receiver = await startReceiver();
});
afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await receiver?.close();
});

type Person = { externalId: string; fullName: string; groups: string[]; group: string; privilege: "plus" | "basic" };
const PEOPLE: Person[] = [
  { externalId: "doc-ext-1", fullName: "Ana Bermúdez Quintero", groups: ["doctor"], group: "doctor", privilege: "plus" },
  { externalId: "pat-ext-2", fullName: "Luis Ñáñez Pardo", groups: ["patient"], group: "patient", privilege: "basic" },
  { externalId: "int-ext-3", fullName: "Giulia Rossi Interprete", groups: ["interpreter"], group: "interpreter", privilege: "basic" },
];

/** A standalone room as the teleconsultation API leaves it: no consultation, Pending, its users and participants. */
async function standaloneRoom(organizationId: string, people: Person[]) {
  const [room] = await test.db.execute<{ id: string }>(sql`
    insert into rooms (organization_id, consultation_id, status, starts_at, ends_at, max_participants, live)
    values (${organizationId}, null, 'Pending', ${at(0).toISOString()}, ${at(30).toISOString()}, ${people.length}, true) returning id`);
  const participants = [];
  for (const person of people) {
    const [user] = await test.db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups)
      values (${organizationId}, ${person.externalId}, ${person.fullName}, ${`{${person.groups.join(",")}}`}::text[]) returning id`);
    const [participant] = await test.db.execute<{ id: string }>(sql`
      insert into room_participants (organization_id, room_id, role, privilege, display_name, room_user_id, group_name)
      values (${organizationId}, ${room!.id}, 'member', ${person.privilege}, ${person.fullName}, ${user!.id}, ${person.group}) returning id`);
    participants.push({ ...person, participantId: participant!.id, bandyerUserId: user!.id });
  }
  return { roomId: room!.id, participants };
}

async function drainOutbox() {
  while ((await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })) > 0);
}

type Sent = { headers: Record<string, string>; raw: string; body: { event: string; timestamp: string; organizationId: string; data: Record<string, unknown>; version: string } };

/** Every delivery to the endpoint, attempted once against the receiver, as the receiver got them (oldest event first). */
async function deliverAll(endpointId: string): Promise<(Sent & { consultationId: string | null })[]> {
  const deliveries = await test.db.execute<{ id: string; consultation_id: string | null }>(sql`
    select d.id, d.consultation_id from webhook_deliveries d join outbox_events e on e.id = d.event_id
    where d.endpoint_id = ${endpointId} order by e.sequence`);
  const sent = [];
  for (const delivery of deliveries) {
    const before = receiver.received.length;
    const result = await attemptDelivery(test.db, { deliveryId: delivery.id, round: 1, attempt: 1, trigger: "scheduled" }, { sealer: appSealer(), allowInsecure: true, timeoutMs: 5000, boss });
    expect(result.outcome).toBe("delivered");
    const got = receiver.received[before]!;
    sent.push({ headers: got.headers as Record<string, string>, raw: got.body, body: JSON.parse(got.body), consultationId: delivery.consultation_id });
  }
  return sent;
}

describe("a standalone room's webhooks", () => {
  it("sends room.ready, session_started and session_ended with the room's id, status and the participant's ids and group, signed, and never a name", async () => {
    const endpoint = await createEndpoint(test.db, ctx, { url: `${receiver.url}/rooms`, events: ["room.ready", "session_started", "session_ended"] });
    const { roomId, participants } = await standaloneRoom(tenant.organization.id, PEOPLE);
    const [doctor, patient, interpreter] = participants as [(typeof participants)[0], (typeof participants)[0], (typeof participants)[0]];
    const target = { organizationId: tenant.organization.id, roomId };
    const session = (p: typeof doctor) => ({ participantId: p.participantId, roomId, consultationId: null, organizationId: tenant.organization.id, role: "member" as const });

    await test.db.transaction((tx) =>
      recordRoomReady(tx, { organizationId: tenant.organization.id, roomId, startsAt: at(0), endsAt: at(30), participants: participants.map((p) => ({ bandyerUserId: p.bandyerUserId, userExternalId: p.externalId, group: p.group })) }, at(-20)),
    );
    // All three join (the first join starts the call); the interpreter leaves while two remain; then the patient leaves
    // and, the room being live, the call ends for the doctor too.
    for (const [i, p] of [doctor, patient, interpreter].entries()) expect(await recordMediaPresence(test.db, target, [p.participantId], at(1 + i), at(1 + i))).toEqual([p.participantId]);
    expect(await leaveCall(test.db, session(interpreter), at(12))).toEqual({ left: true, ended: false });
    expect(await leaveCall(test.db, session(patient), at(25))).toEqual({ left: true, ended: true });

    await drainOutbox();
    const sent = await deliverAll(endpoint.id);
    expect(sent.map((s) => `${s.body.event}:${(s.body.data.participant as { userExternalId?: string } | undefined)?.userExternalId ?? "-"}`)).toEqual([
      "room.ready:-",
      "session_started:doc-ext-1",
      "session_started:pat-ext-2",
      "session_started:int-ext-3",
      "session_ended:int-ext-3",
      "session_ended:pat-ext-2",
      "session_ended:doc-ext-1",
    ]);

    for (const s of sent) {
      // Signed for Standard Webhooks receivers (the secret shown once at creation).
      expect(() => new Webhook(endpoint.secret).verify(s.raw, s.headers)).not.toThrow();
      expect(s.headers["x-telehealth-event"]).toBe(s.body.event);
      expect(Object.keys(s.body)).toEqual(["event", "timestamp", "organizationId", "data", "version"]);
      expect(s.body).toMatchObject({ organizationId: tenant.organization.id, version: "1" });
      // Not a consultation's delivery: the consultation's log stays its own.
      expect(s.consultationId).toBeNull();
      // The body is exactly what the OpenAPI document describes for a room.
      expect(ROOM_WEBHOOK_BODIES[s.body.event as keyof typeof ROOM_WEBHOOK_BODIES].parse(s.body)).toEqual(s.body);
      for (const person of PEOPLE) for (const word of person.fullName.split(" ")) expect(s.raw).not.toContain(word);
      expect(s.raw).not.toMatch(/displayName|fullName|"name"|nameInitials/);
    }

    const [ready, doctorIn, patientIn, , interpreterOut, patientOut, doctorOut] = sent.map((s) => s.body) as [Sent["body"], Sent["body"], Sent["body"], Sent["body"], Sent["body"], Sent["body"], Sent["body"]];
    expect(ready).toMatchObject({ event: "room.ready", timestamp: "2030-03-04 09:40" });
    expect(ready.data).toEqual({
      roomId,
      startsAt: "2030-03-04 10:00",
      endsAt: "2030-03-04 10:30",
      readyAt: "2030-03-04 09:40",
      participants: participants.map((p) => ({ bandyerUserId: p.bandyerUserId, userExternalId: p.externalId, group: p.group })),
    });

    expect(doctorIn).toMatchObject({ event: "session_started", timestamp: "2030-03-04 10:01" });
    expect(doctorIn.data).toEqual({
      roomId,
      consultationId: null,
      status: "InProgress",
      participant: { participantId: doctor.participantId, userExternalId: "doc-ext-1", group: "doctor" },
      joinedAt: "2030-03-04 10:01",
    });
    expect(patientIn.data).toMatchObject({ status: "InProgress", joinedAt: "2030-03-04 10:02", participant: { participantId: patient.participantId, userExternalId: "pat-ext-2", group: "patient" } });

    // Two still in the call: the room goes on.
    expect(interpreterOut).toMatchObject({ event: "session_ended", timestamp: "2030-03-04 10:12" });
    expect(interpreterOut.data).toEqual({
      roomId,
      consultationId: null,
      status: "InProgress",
      participant: { participantId: interpreter.participantId, userExternalId: "int-ext-3", group: "interpreter" },
      leftAt: "2030-03-04 10:12",
      reason: "left",
    });
    // The patient's leaving ended the live room: both departures say it is Completed.
    expect(patientOut.data).toMatchObject({ status: "Completed", leftAt: "2030-03-04 10:25", reason: "left" });
    expect(doctorOut.data).toMatchObject({ status: "Completed", leftAt: "2030-03-04 10:25", reason: "ended", participant: { participantId: doctor.participantId, userExternalId: "doc-ext-1", group: "doctor" } });
  });

  it("reads the room of the event's own organization only: a room event of another organization's id is not delivered", async () => {
    const endpoint = await createEndpoint(test.db, ctx, { url: `${receiver.url}/scoped`, events: ["session_started"] });
    const stranger = await createTenant(test.db);
    const { roomId, participants } = await standaloneRoom(stranger.organization.id, PEOPLE.map((p) => ({ ...p, externalId: `${p.externalId}-x` })));
    // An outbox row claiming our organization but naming their room.
    await test.db.execute(sql`
      insert into outbox_events (organization_id, event, aggregate_type, aggregate_id, payload, occurred_at)
      values (${tenant.organization.id}, 'session_started', 'room', ${roomId},
        ${JSON.stringify({ consultationId: null, roomId, participant: { participantId: participants[0]!.participantId, role: "member", userExternalId: "x", group: "doctor" }, joinedAt: at(1).toISOString(), firstJoin: true })}::jsonb,
        ${at(1).toISOString()})`);
    await drainOutbox();
    const [row] = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where endpoint_id = ${endpoint.id}`);
    expect(row!.n).toBe(0);
  });

  it("sends a room.ready test event shaped like a real one, marked as a test", async () => {
    const endpoint = await createEndpoint(test.db, ctx, { url: `${receiver.url}/test-event`, events: ["room.ready"] });
    const before = receiver.received.length;
    const detail = await sendTestEvent(
      test.db,
      { ...ctx, timeZone: tenant.organization.timezone, appUrl: appUrl() },
      endpoint.id,
      { event: "room.ready" },
      { allowInsecure: true, timeoutMs: 5000 },
    );
    expect(detail).toMatchObject({ event: "room.ready", test: true, status: "delivered", consultationId: null });
    const got = receiver.received[before]!;
    expect(() => new Webhook(endpoint.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    const body = JSON.parse(got.body);
    expect(body.event).toBe("room.ready");
    expect(body.data).toMatchObject({ test: true, roomId: "00000000-0000-0000-0000-000000000000" });
    expect(body.data).not.toHaveProperty("patient");
    ROOM_WEBHOOK_BODIES["room.ready"].parse(body);
  });
});
