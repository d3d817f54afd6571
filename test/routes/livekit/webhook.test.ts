import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/livekit/webhook/route";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { livekitConfig } from "@/lib/config";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { closeEventStreams, join, newConsultation, openVideoRoom, roomCall, signIn, type Participant } from "@/test/rooms";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { consultationOf, livekitSignature, outboxOf, staysOf } from "@/test/livekit";
import { livekitWebhookResultSchema } from "@/lib/livekit/schema";

// LiveKit for this file's process; read when the configuration is first loaded.
process.env.LIVEKIT_URL = "wss://livekit.portal.test";
process.env.LIVEKIT_API_KEY = "APIwebhookTests";
process.env.LIVEKIT_API_SECRET = "the-livekit-secret-for-the-webhook-tests-0123";

const test = setupTestDatabase();
let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});
afterEach(closeEventStreams);

const KEYS = { apiKey: process.env.LIVEKIT_API_KEY!, apiSecret: process.env.LIVEKIT_API_SECRET! };
const seconds = (at = Date.now()) => String(Math.floor(at / 1000));

/** A LiveKit WebhookEvent as LiveKit serialises it (protobuf JSON: int64 as strings, enums by name). */
function livekitEvent(event: string, roomName: string, extra: { participant?: Record<string, unknown>; roomEndReason?: string; createdAt?: string; id?: string } = {}) {
  return {
    event,
    room: { sid: "RM_tests", name: roomName, emptyTimeout: 300, creationTime: seconds() },
    ...(extra.participant ? { participant: { sid: `PA_${randomUUID().slice(0, 8)}`, state: "ACTIVE", joinedAt: seconds(), ...extra.participant } } : {}),
    ...(extra.roomEndReason ? { roomEndReason: extra.roomEndReason } : {}),
    id: extra.id ?? `EV_${randomUUID()}`,
    createdAt: extra.createdAt ?? seconds(),
  };
}

async function deliver(body: string | object, options: { authorization?: string | null; keys?: { apiKey: string; apiSecret: string } } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const authorization = options.authorization === undefined ? await livekitSignature(options.keys ?? KEYS, text) : options.authorization;
  return call(webhookRoute, {
    path: "/api/livekit/webhook",
    headers: { "content-type": "application/webhook+json", ...(authorization ? { authorization } : {}) },
    body: text,
  });
}

async function delivered(body: object) {
  const res = await deliver(body);
  expect(res.status, res.text).toBe(200);
  return livekitWebhookResultSchema.parse(res.json.data);
}

/** A consultation whose provider joined through our API (so its room is on LiveKit); the patient has signed in only. */
async function liveCall(): Promise<{ consultationId: string; roomId: string; provider: Participant; patient: Participant }> {
  const link = await newConsultation(tenant);
  const provider = await signIn(link, "provider");
  const patient = await signIn(link, "patient");
  expect((await join(provider)).json.data.transport).toBe("livekit");
  return { consultationId: link.consultationId, roomId: provider.roomId, provider, patient };
}

const storedEvents = async () => Number((await test.db.execute<{ n: number }>(sql`select count(*)::int as n from livekit_webhook_events`))[0]!.n);

describe("LiveKit's webhooks", () => {
  it("is configured for this file", () => {
    expect(livekitConfig()?.apiKey).toBe(KEYS.apiKey);
  });

  it("opens a stay on participant_joined and closes it on participant_left, with session events, once per event id", async () => {
    const c = await liveCall();
    const joined = livekitEvent("participant_joined", c.roomId, { participant: { identity: c.patient.id, name: "María" } });
    expect(await delivered(joined)).toEqual({ event: "participant_joined", outcome: "applied" });
    expect((await staysOf(test.db, c.roomId)).map((s) => [s.participantId, s.open])).toEqual([
      [c.provider.id, true],
      [c.patient.id, true],
    ]);
    const afterJoin = await outboxOf(test.db, c.consultationId);
    expect(afterJoin.slice(1)).toEqual([
      { event: "session_started", participantId: c.provider.id, firstJoin: true },
      { event: "session_started", participantId: c.patient.id, firstJoin: false },
    ]);

    // LiveKit (or a proxy) sends the same event again: nothing happens twice.
    expect(await delivered(joined)).toEqual({ event: "participant_joined", outcome: "duplicate" });
    expect(await outboxOf(test.db, c.consultationId)).toEqual(afterJoin);
    // The provider joined through our API already: their stay is kept, not doubled.
    expect(await delivered(livekitEvent("participant_joined", c.roomId, { participant: { identity: c.provider.id } }))).toMatchObject({ outcome: "unchanged" });
    expect(await outboxOf(test.db, c.consultationId)).toEqual(afterJoin);

    // A second tab took the identity over: not a leave.
    const takenOver = livekitEvent("participant_left", c.roomId, { participant: { identity: c.patient.id, state: "DISCONNECTED", disconnectReason: "DUPLICATE_IDENTITY" } });
    expect(await delivered(takenOver)).toMatchObject({ outcome: "ignored" });
    expect((await staysOf(test.db, c.roomId)).every((s) => s.open)).toBe(true);

    const hungUp = livekitEvent("participant_left", c.roomId, { participant: { identity: c.patient.id, state: "DISCONNECTED", disconnectReason: "CLIENT_INITIATED" } });
    expect(await delivered(hungUp)).toEqual({ event: "participant_left", outcome: "applied" });
    const lost = livekitEvent("participant_left", c.roomId, { participant: { identity: c.provider.id, state: "DISCONNECTED", disconnectReason: "SIGNAL_CLOSE" } });
    expect(await delivered(lost)).toMatchObject({ outcome: "applied" });
    expect(await delivered(lost)).toMatchObject({ outcome: "duplicate" });
    expect((await staysOf(test.db, c.roomId)).map((s) => [s.participantId, s.open, s.endReason])).toEqual([
      [c.provider.id, false, "disconnected"],
      [c.patient.id, false, "left"],
    ]);
    expect((await outboxOf(test.db, c.consultationId)).slice(3)).toEqual([
      { event: "session_ended", participantId: c.patient.id, reason: "left" },
      { event: "session_ended", participantId: c.provider.id, reason: "disconnected" },
    ]);
    // Leaving is not ending: the consultation stays live and the links work again.
    expect(await consultationOf(test.db, c.consultationId)).toEqual({ status: "InProgress", completionReason: null });
  });

  it("moves a Pending consultation to InProgress when LiveKit reports its first participant", async () => {
    const link = await newConsultation(tenant);
    const provider = await signIn(link, "provider");
    expect(await consultationOf(test.db, link.consultationId)).toMatchObject({ status: "Pending" });
    expect(await delivered(livekitEvent("participant_joined", provider.roomId, { participant: { identity: provider.id } }))).toMatchObject({ outcome: "applied" });
    expect(await consultationOf(test.db, link.consultationId)).toMatchObject({ status: "InProgress" });
    expect((await outboxOf(test.db, link.consultationId)).slice(1)).toEqual([{ event: "session_started", participantId: provider.id, firstJoin: true }]);
  });

  it("does not let a late event undo a newer stay, in either direction", async () => {
    const c = await liveCall();
    // The provider left LiveKit 10 s ago, but their stay began now (they came back): the old leave is not theirs.
    const staleLeave = livekitEvent("participant_left", c.roomId, {
      participant: { identity: c.provider.id, state: "DISCONNECTED", disconnectReason: "CLIENT_INITIATED" },
      createdAt: seconds(Date.now() - 10_000),
    });
    expect(await delivered(staleLeave)).toMatchObject({ outcome: "unchanged" });
    expect((await staysOf(test.db, c.roomId)).map((s) => s.open)).toEqual([true]);

    // The provider hangs up through our API; LiveKit's news that they had joined arrives after.
    expect((await roomCall(leaveRoute, "leave", c.provider)).status).toBe(200);
    const staleJoin = livekitEvent("participant_joined", c.roomId, { participant: { identity: c.provider.id }, createdAt: seconds(Date.now() - 10_000) });
    expect(await delivered(staleJoin)).toMatchObject({ outcome: "unchanged" });
    expect((await staysOf(test.db, c.roomId)).map((s) => s.open)).toEqual([false]);
  });

  it("closes the stays left open when LiveKit closes an empty room, and keeps the consultation live", async () => {
    const c = await liveCall();
    expect(await delivered(livekitEvent("participant_joined", c.roomId, { participant: { identity: c.patient.id } }))).toMatchObject({ outcome: "applied" });

    // LiveKit shutting down is not the end of anything: the browsers reconnect.
    const shutdown = livekitEvent("room_finished", c.roomId, { roomEndReason: "ROOM_END_SERVER_SHUTDOWN" });
    expect(await delivered(shutdown)).toMatchObject({ outcome: "ignored" });
    expect((await staysOf(test.db, c.roomId)).map((s) => s.open)).toEqual([true, true]);

    // The leaves were lost; the room stood empty and LiveKit closed it.
    const finished = livekitEvent("room_finished", c.roomId, { roomEndReason: "ROOM_END_IDLE_TIMEOUT" });
    expect(await delivered(finished)).toEqual({ event: "room_finished", outcome: "applied" });
    expect((await staysOf(test.db, c.roomId)).map((s) => [s.open, s.endReason])).toEqual([
      [false, "disconnected"],
      [false, "disconnected"],
    ]);
    const events = await outboxOf(test.db, c.consultationId);
    expect(events.filter((e) => e.event === "session_ended")).toHaveLength(2);
    expect(events.map((e) => e.event)).not.toContain("consultation.completed");
    expect(await consultationOf(test.db, c.consultationId)).toMatchObject({ status: "InProgress" });

    expect(await delivered(finished)).toMatchObject({ outcome: "duplicate" });
    // Another room_finished for the room (LiveKit opened and closed it again) changes nothing either.
    expect(await delivered(livekitEvent("room_finished", c.roomId))).toMatchObject({ outcome: "unchanged" });
    expect(await outboxOf(test.db, c.consultationId)).toEqual(events);

    // The consultation can be joined again, on LiveKit, until its end.
    const again = await openVideoRoom(c.patient, { cookie: c.patient.cookie });
    expect(again.status, again.text).toBe(200);
    expect(again.json.data.transport).toBe("livekit");
  });

  it("answers 401 to a changed body, another key or secret, or no signature, and changes nothing", async () => {
    const c = await liveCall();
    const stays = await staysOf(test.db, c.roomId);
    const outbox = await outboxOf(test.db, c.consultationId);
    const stored = await storedEvents();
    const body = JSON.stringify(livekitEvent("participant_left", c.roomId, { participant: { identity: c.provider.id, disconnectReason: "CLIENT_INITIATED" } }));

    const tampered = body.replace("CLIENT_INITIATED", "SIGNAL_CLOSE");
    const attempts = [
      await deliver(tampered, { authorization: await livekitSignature(KEYS, body) }),
      await deliver(body, { keys: { apiKey: KEYS.apiKey, apiSecret: "not-the-secret-of-this-deployment-0123456" } }),
      await deliver(body, { keys: { apiKey: "APIsomeoneElse", apiSecret: KEYS.apiSecret } }),
      await deliver(body, { authorization: null }),
    ];
    for (const res of attempts) {
      expect(res.status, res.text).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: { code: "invalid_signature" } });
    }
    expect(await staysOf(test.db, c.roomId)).toEqual(stays);
    expect(await outboxOf(test.db, c.consultationId)).toEqual(outbox);
    expect(await storedEvents()).toBe(stored);

    // The same body, signed right, is taken.
    expect((await deliver(body)).json.data).toMatchObject({ outcome: "applied" });
  });

  it("ignores events it does not act on and rooms or participants that are not ours, with a 200", async () => {
    const c = await liveCall();
    const stored = await storedEvents();
    const ignored = [
      livekitEvent("participant_joined", randomUUID(), { participant: { identity: c.patient.id } }),
      livekitEvent("participant_joined", "lobby", { participant: { identity: c.patient.id } }),
      livekitEvent("participant_joined", c.roomId, { participant: { identity: "EG_recorder" } }),
      livekitEvent("room_started", c.roomId),
      livekitEvent("track_published", c.roomId, { participant: { identity: c.provider.id } }),
    ];
    for (const event of ignored) expect(await delivered(event)).toMatchObject({ outcome: "ignored" });
    // Someone else's participant id, in our room: not a participant of this room.
    expect(await delivered(livekitEvent("participant_joined", c.roomId, { participant: { identity: randomUUID() } }))).toMatchObject({ outcome: "unchanged" });
    expect((await staysOf(test.db, c.roomId)).map((s) => s.participantId)).toEqual([c.provider.id]);
    expect(await storedEvents()).toBe(stored + 1);
  });

  it("is documented for LiveKit, with examples the answer's schema accepts", () => {
    const operation = buildOpenApiDocument({ serverUrl: "https://portal.test" }).paths["/api/livekit/webhook"]!.post!;
    expect(operation.security).toEqual([]);
    expect(operation.description).toContain("<APP_URL>/api/livekit/webhook");
    const examples = Object.values((operation.responses["200"] as { content: Record<string, { examples: Record<string, { value: { data: unknown } }> }> }).content["application/json"]!.examples);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) livekitWebhookResultSchema.parse(example.value.data);
  });

  it("refuses a body that is not JSON before looking at it", async () => {
    const res = await deliver("not json");
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_json");
  });
});
