import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appSealer, appUrl } from "@/lib/config";
import { providerDay } from "@/lib/consultations/agenda";
import { createConsultation } from "@/lib/consultations/create";
import { consultationFeed } from "@/lib/consultations/live-feed";
import { listConsultationTable } from "@/lib/consultations/table";
import { parseConsultationTableQuery } from "@/lib/consultations/table-query";
import { openBoss } from "@/lib/jobs/boss";
import type { OrganizationRow } from "@/lib/organizations";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { sendTestEvent } from "@/lib/webhooks/deliveries";
import { dispatchOutbox } from "@/lib/webhooks/dispatch";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_BODIES } from "@/lib/webhooks/events";
import { createWebhookEndpointSchema } from "@/lib/webhooks/schema";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { startReceiver, type Receiver } from "@/test/receiver";
import { recordMediaPresence } from "./attendance";
import { endCall, leaveCall } from "./completion";
import { joinCall } from "./join";
import { enterPin } from "./pin";
import type { ParticipantSession } from "./session";

/**
 * "Waiting for the provider": a consultation's patient in the call before the provider. What
 * My day and the consultations table show (read from the call's presence), and the
 * `participant.waiting` webhook, once per wait, ids only, to the organization's own endpoints.
 */

const test = setupTestDatabase();
const SECOND = 1000;
// 10:00 in Bogotá (UTC-5), the test organizations' timezone.
const T0 = new Date("2030-03-04T15:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * SECOND);
const JOIN = { opensMinutesBefore: 15, livekitConfigured: false };

let tenant: Tenant;
let boss: PgBoss;
let receiver: Receiver;
beforeAll(async () => {
  tenant = await createTenant(test.db, { timezone: "America/Bogota" });
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 2 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await receiver?.close();
});

type Call = { consultationId: string; roomId: string; providerId: string; patientName: string; documentNumber: string; pin: string; patient: ParticipantSession; provider: ParticipantSession };

let people = 0;
/** An immediate consultation at T0 through the real create path, and both participants' sessions through the real PIN check. */
async function newCall(organization: OrganizationRow = tenant.organization): Promise<Call> {
  const example = immediateGeneralExample();
  const n = ++people;
  const view = await createConsultation(
    test.db,
    { organizationId: organization.id, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer(), now: T0 },
    { ...example, provider: { ...example.provider, documentNumber: String(70_000_000 + n) }, patient: { ...example.patient, documentNumber: String(80_000_000 + n) } },
  );
  const session = async (url: string, role: "patient" | "provider") =>
    (
      await enterPin(test.db, {
        token: new URL(url).pathname.split("/").pop()!,
        role,
        pin: view.accessPin,
        address: null,
        now: T0,
        sealer: appSealer(),
        limits: { opensMinutesBefore: 15, addressLimitPerHour: 100 },
      })
    ).session;
  const patient = await session(view.participantAccess.patientUrl, "patient");
  const provider = await session(view.participantAccess.providerUrl, "provider");
  const [row] = await test.db.execute<{ provider_id: string }>(sql`select provider_id from consultations where id = ${view.consultationId}`);
  return {
    consultationId: view.consultationId,
    roomId: patient.roomId,
    providerId: row!.provider_id,
    patientName: view.patient.name,
    documentNumber: view.patient.documentNumber,
    pin: view.accessPin,
    patient,
    provider,
  };
}

/** What the provider's My day says about the consultation's wait, at `now`. */
async function myDayWaiting(c: Call, now: Date, organization: OrganizationRow = tenant.organization): Promise<number | null | undefined> {
  const day = await providerDay(test.db, { organizationId: organization.id, providerId: c.providerId, timeZone: organization.timezone }, now, 15);
  const entry = [...day.now, ...day.later].find((e) => e.consultationId === c.consultationId);
  return entry === undefined ? undefined : (entry.waitingSince?.getTime() ?? null);
}

/** What the clinic's consultations table says about it (scoped to `organization`). */
async function tableWaiting(c: Call, organization: OrganizationRow = tenant.organization): Promise<number | null | undefined> {
  const { query } = parseConsultationTableQuery({ provider: c.providerId });
  const page = await listConsultationTable(test.db, { organizationId: organization.id, timeZone: organization.timezone }, query);
  const row = page.rows.find((r) => r.consultationId === c.consultationId);
  return row === undefined ? undefined : (row.waitingSince?.getTime() ?? null);
}

/** Both views agree; the one answer. */
async function waitingSince(c: Call, now: Date): Promise<number | null | undefined> {
  const [day, table] = await Promise.all([myDayWaiting(c, now), tableWaiting(c)]);
  expect(table).toBe(day);
  return day;
}

type Waited = { role: string; participantId: string; waitingSince: string; at: number };
async function waitingEvents(consultationId: string): Promise<Waited[]> {
  const rows = await test.db.execute<{ payload: Record<string, any>; at: number; organization_id: string; aggregate_type: string }>(sql`
    select payload, organization_id, aggregate_type, extract(epoch from occurred_at)::float8 * 1000 as at
    from outbox_events where aggregate_id = ${consultationId} and event = 'participant.waiting' order by sequence`);
  return rows.map((r) => {
    expect(r.aggregate_type).toBe("consultation");
    expect(r.payload.consultationId).toBe(consultationId);
    return { role: r.payload.participant.role, participantId: r.payload.participant.participantId, waitingSince: r.payload.waitingSince, at: Number(r.at) };
  });
}

describe("a patient waiting for the provider", () => {
  it("waits from their join until the provider joins; a reload keeps the time; participant.waiting is recorded once", async () => {
    const c = await newCall();
    expect(await waitingSince(c, at(1))).toBeNull(); // Pending: nobody in the call

    await joinCall(test.db, c.patient, { ...JOIN, now: at(30) });
    expect(await waitingSince(c, at(31))).toBe(at(30).getTime());
    // A reload (the same stay) neither moves the time nor says it again.
    await joinCall(test.db, c.patient, { ...JOIN, now: at(90) });
    expect(await waitingSince(c, at(91))).toBe(at(30).getTime());

    await joinCall(test.db, c.provider, { ...JOIN, now: at(120) });
    expect(await waitingSince(c, at(121))).toBeNull();
    // The provider stepping out does not make the patient wait anew: they have met.
    await leaveCall(test.db, c.provider, at(150));
    expect(await waitingSince(c, at(151))).toBeNull();

    expect(await waitingEvents(c.consultationId)).toEqual([{ role: "patient", participantId: c.patient.participantId, waitingSince: at(30).toISOString(), at: at(30).getTime() }]);
  });

  it("is not waiting when the provider is there first", async () => {
    const c = await newCall();
    await joinCall(test.db, c.provider, { ...JOIN, now: at(10) });
    await joinCall(test.db, c.patient, { ...JOIN, now: at(20) });
    expect(await waitingSince(c, at(21))).toBeNull();
    expect(await waitingEvents(c.consultationId)).toEqual([]);
  });

  it("stops waiting when they leave; waits anew (and is said anew) when they come back alone", async () => {
    const c = await newCall();
    await joinCall(test.db, c.patient, { ...JOIN, now: at(10) });
    await leaveCall(test.db, c.patient, at(40));
    expect(await waitingSince(c, at(41))).toBeNull();

    await joinCall(test.db, c.patient, { ...JOIN, now: at(60) });
    expect(await waitingSince(c, at(61))).toBe(at(60).getTime());
    expect((await waitingEvents(c.consultationId)).map((e) => e.waitingSince)).toEqual([at(10).toISOString(), at(60).toISOString()]);
  });

  it("stops waiting when the consultation ends", async () => {
    const c = await newCall();
    await joinCall(test.db, c.patient, { ...JOIN, now: at(10) });
    expect(await waitingSince(c, at(11))).toBe(at(10).getTime());
    await endCall(test.db, c.patient, "timeout", at(20 * 60));
    expect(await tableWaiting(c)).toBeNull();
    expect((await waitingEvents(c.consultationId)).length).toBe(1);
  });

  it("waits when the media server (LiveKit) reports the patient in the call first, and not when it reports both together", async () => {
    const alone = await newCall();
    expect(await recordMediaPresence(test.db, { organizationId: tenant.organization.id, roomId: alone.roomId }, [alone.patient.participantId], at(5), at(5))).toEqual([alone.patient.participantId]);
    expect(await waitingSince(alone, at(6))).toBe(at(5).getTime());
    expect((await waitingEvents(alone.consultationId)).length).toBe(1);

    const together = await newCall();
    await recordMediaPresence(test.db, { organizationId: tenant.organization.id, roomId: together.roomId }, [together.patient.participantId, together.provider.participantId], at(5), at(5));
    expect(await waitingSince(together, at(6))).toBeNull();
    expect(await waitingEvents(together.consultationId)).toEqual([]);
  });

  it("is shown only to the consultation's own organization", async () => {
    const other = await createTenant(test.db, { timezone: "America/Bogota" });
    const c = await newCall();
    await joinCall(test.db, c.patient, { ...JOIN, now: at(10) });
    expect(await tableWaiting(c)).toBe(at(10).getTime());
    expect(await tableWaiting(c, other.organization)).toBeUndefined();
    expect(await myDayWaiting(c, at(11), other.organization)).toBeUndefined();
  });

  it("wakes the clinic's open dashboards when the patient joins, so My day shows them without a reload", async () => {
    const c = await newCall();
    let woken = 0;
    const stop = await consultationFeed(test.db).subscribe(tenant.organization.id, () => woken++);
    try {
      await joinCall(test.db, c.patient, { ...JOIN, now: at(10) });
      const started = Date.now();
      while (woken === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(woken).toBeGreaterThan(0);
    } finally {
      stop();
    }
  });
});

async function drainOutbox() {
  while ((await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })) > 0);
}

/** Every delivery to the endpoint, attempted once against the receiver, as the receiver got them. */
async function deliverAll(endpointId: string) {
  const deliveries = await test.db.execute<{ id: string; event: string; consultation_id: string | null }>(sql`
    select d.id, d.event, d.consultation_id from webhook_deliveries d join outbox_events e on e.id = d.event_id
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

describe("the participant.waiting webhook", () => {
  it("can be subscribed to", () => {
    expect(createWebhookEndpointSchema.parse({ url: "https://his.example/hooks", events: ["participant.waiting"] }).events).toEqual(["participant.waiting"]);
  });

  it("goes once per wait to the endpoints of the organization that subscribed to it, signed, with ids only", async () => {
    await drainOutbox(); // earlier tests' events, before there were endpoints
    const ctx = { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true };
    const subscribed = await createEndpoint(test.db, ctx, { url: `${receiver.url}/waiting`, events: ["participant.waiting"] });
    const joinsOnly = await createEndpoint(test.db, ctx, { url: `${receiver.url}/joins`, events: ["session_started"] });
    const other = await createTenant(test.db, { timezone: "America/Bogota" });
    const strangers = await createEndpoint(test.db, { ...ctx, organizationId: other.organization.id }, { url: `${receiver.url}/strangers`, events: ["participant.waiting"] });

    const c = await newCall();
    await joinCall(test.db, c.patient, { ...JOIN, now: at(65) });
    await joinCall(test.db, c.patient, { ...JOIN, now: at(70) }); // a reload
    await joinCall(test.db, c.provider, { ...JOIN, now: at(200) });
    // Another clinic's patient waits too: their own endpoints hear of it, ours do not.
    const theirs = await newCall(other.organization);
    await joinCall(test.db, theirs.patient, { ...JOIN, now: at(80) });
    await drainOutbox();

    const sent = await deliverAll(subscribed.id);
    expect(sent.map((s) => s.body.event)).toEqual(["participant.waiting"]);
    const [waiting] = sent;
    expect(() => new Webhook(subscribed.secret).verify(waiting!.raw, waiting!.headers)).not.toThrow();
    expect(waiting!.headers["x-telehealth-event"]).toBe("participant.waiting");
    // In the consultation's delivery log.
    expect(waiting!.consultationId).toBe(c.consultationId);
    expect(waiting!.body).toEqual({
      event: "participant.waiting",
      timestamp: "2030-03-04 10:01",
      organizationId: tenant.organization.id,
      data: { consultationId: c.consultationId, roomId: c.roomId, participant: { participantId: c.patient.participantId, role: "patient" }, waitingSince: "2030-03-04 10:01" },
      version: "1",
    });
    // Exactly what the OpenAPI document describes.
    expect(WEBHOOK_EVENT_BODIES["participant.waiting"].parse(waiting!.body)).toEqual(waiting!.body);
    // No name, document or PIN: not the patient's, not the provider's.
    for (const word of [...c.patientName.split(" "), "Martínez"]) expect(waiting!.raw).not.toContain(word);
    expect(waiting!.raw).not.toContain(c.documentNumber);
    expect(waiting!.raw).not.toContain(c.pin);
    expect(waiting!.raw).not.toMatch(/name|document|pin|participantAccess|join\//i);

    // Subscribed to joins only: the joins, not the wait.
    expect((await deliverAll(joinsOnly.id)).map((s) => `${s.body.event}:${s.body.data.participant.role}:${s.body.data.consultationId === c.consultationId}`)).toEqual([
      "session_started:patient:true",
      "session_started:provider:true",
    ]);
    // The other clinic's endpoint got their patient's wait, and nothing of ours.
    const theirsSent = await deliverAll(strangers.id);
    expect(theirsSent.map((s) => s.body.data.consultationId)).toEqual([theirs.consultationId]);
    expect(theirsSent[0]!.body.organizationId).toBe(other.organization.id);
  });

  it("sends a participant.waiting test event shaped like a real one, marked as a test", async () => {
    const ctx = { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true };
    const endpoint = await createEndpoint(test.db, ctx, { url: `${receiver.url}/test-event`, events: ["participant.waiting"] });
    const before = receiver.received.length;
    const detail = await sendTestEvent(test.db, { ...ctx, timeZone: tenant.organization.timezone, appUrl: appUrl() }, endpoint.id, {}, { allowInsecure: true, timeoutMs: 5000 });
    expect(detail).toMatchObject({ event: "participant.waiting", test: true, status: "delivered" });
    const got = receiver.received[before]!;
    expect(() => new Webhook(endpoint.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    const body = JSON.parse(got.body);
    const zeros = "00000000-0000-0000-0000-000000000000";
    expect(body.data).toMatchObject({ test: true, consultationId: zeros, roomId: zeros, participant: { participantId: zeros, role: "patient" } });
    expect(Object.keys(body.data).sort()).toEqual(["consultationId", "participant", "roomId", "test", "waitingSince"]);
    WEBHOOK_EVENT_BODIES["participant.waiting"].parse(body);
  });
});
