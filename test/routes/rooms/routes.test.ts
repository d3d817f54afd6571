import { createHmac } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as endRoute } from "@/app/api/rooms/[roomId]/end/route";
import { GET as eventsRoute } from "@/app/api/rooms/[roomId]/events/route";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { POST as signalsRoute } from "@/app/api/rooms/[roomId]/signals/route";
import { POST as enterPinRoute } from "@/app/api/join/[token]/session/route";
import { PUT as videoRoomRoute } from "@/app/api/v3/appointments/[appointmentId]/video-room/route";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { closeEventStreams, enterPin, inCall as inCallOf, join, newConsultation as newConsultationOf, openEvents, openVideoRoom, roomCall, signIn, type Participant, type SseEvent } from "@/test/rooms";
import { videoRoomSchema } from "@/lib/rooms/schema";
import { signParticipantSession } from "@/lib/rooms/session";

// ICE servers for this file's process; read when the configuration is first loaded.
process.env.STUN_URLS = "stun:stun.portal.test:3478";
process.env.TURN_URLS = "turn:turn.portal.test:3478?transport=udp,turns:turn.portal.test:5349";
process.env.TURN_SECRET = "turn-shared-secret-for-the-tests";

const test = setupTestDatabase();
const APP_SECRET = process.env.APP_SECRET!;

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

const newConsultation = () => newConsultationOf(tenant);
const inCall = () => inCallOf(tenant);

const CONNECTION = "0b6e3c61-2a8f-4d1e-9a44-6f1d2c3b4a59";
const offer = (to: string, sdp = "v=0") => ({ kind: "description", to, connectionId: CONNECTION, description: { type: "offer", sdp } });

afterEach(closeEventStreams);

describe("POST /api/join/{token}/session", () => {
  it("accepts the PIN with 201 and sets an HttpOnly, SameSite=Lax session cookie named for the participant", async () => {
    const link = await newConsultation();
    const res = await enterPin(link.patientToken, "patient", link.pin);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ success: true, data: { consultationId: link.consultationId, role: "patient" } });
    const { participantId, roomId } = res.json.data;
    expect(participantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(roomId).toMatch(/^[0-9a-f-]{36}$/);

    const cookie = res.headers.get("set-cookie")!;
    const [pair, ...attributes] = cookie.split("; ");
    expect(pair).toMatch(new RegExp(`^tm_p_${participantId}=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(attributes).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Secure"]));
    // It lasts through the call (20 minutes) and a little after, not for days.
    const maxAge = Number(attributes.find((a) => a.startsWith("Max-Age="))!.slice(8));
    expect(maxAge).toBeGreaterThan(20 * 60);
    expect(maxAge).toBeLessThanOrEqual(36 * 60);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a wrong PIN, a wrong type and a bad body in the error envelope", async () => {
    const link = await newConsultation();
    const wrong = await enterPin(link.patientToken, "patient", link.pin === "000000" ? "111111" : "000000");
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ success: false, error: { code: "invalid_pin", details: [{ field: "pin", code: "invalid_pin" }] } });
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const otherType = await enterPin(link.patientToken, "provider", link.pin);
    expect(otherType.status).toBe(404);
    expect(otherType.json.error.code).toBe("link_not_found");

    const notJson = await call(enterPinRoute, {
      path: `/api/join/${link.patientToken}/session?type=patient`,
      headers: { "content-type": "text/plain" },
      body: link.pin,
      params: { token: link.patientToken },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe("unsupported_content_type");
  });

  it("counts wrong PINs per client address from X-Forwarded-For", async () => {
    const link = await newConsultation();
    const wrong = link.pin === "000000" ? "111111" : "000000";
    const from = (address: string) => ({ "x-forwarded-for": address });
    for (let i = 0; i < 5; i++) expect((await enterPin(link.patientToken, "patient", wrong, from("192.0.2.44"))).status).toBe(401);
    const delayed = await enterPin(link.patientToken, "patient", link.pin, from("192.0.2.45"));
    expect(delayed.status).toBe(429);
    expect(delayed.json.error.code).toBe("pin_attempts_delayed");
    expect(Number(delayed.headers.get("retry-after"))).toBeGreaterThan(25);
    const rows = await test.db.$client<{ address: string; outcome: string }[]>`
      select a.address, a.outcome::text from pin_attempts a join room_participants p on p.id = a.participant_id
      join rooms r on r.id = p.room_id where r.consultation_id = ${link.consultationId} order by a.id`;
    expect(rows.map((r) => `${r.outcome}@${r.address}`)).toEqual([...Array(5).fill("rejected@192.0.2.44"), "throttled@192.0.2.45"]);
  });
});

describe("PUT /api/v3/appointments/{id}/video-room", () => {
  it("needs the session cookie: 401 session_required in the error envelope, 400 without participantId", async () => {
    const link = await newConsultation();
    const patient = await signIn(link, "patient");
    const res = await openVideoRoom(patient, {});
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({
      success: false,
      error: { code: "session_required", details: [{ field: "participantId", code: "session_required" }] },
      metadata: { version: "v1" },
    });
    expect(res.headers.get("x-request-id")).toBe(res.json.metadata.requestId);

    const noId = await call(videoRoomRoute, {
      method: "PUT",
      path: `/api/v3/appointments/${link.consultationId}/video-room`,
      headers: { cookie: patient.cookie },
      params: { appointmentId: link.consultationId },
    });
    expect(noId.status).toBe(400);
    expect(noId.json.error).toMatchObject({ code: "invalid_participant", details: [{ field: "participantId" }] });
  });

  it("joins the caller and returns the VideoRoom: transport, role, ICE servers, timer and signaling", async () => {
    const link = await newConsultation();
    const provider = await signIn(link, "provider");
    const before = Date.now();
    const res = await join(provider);
    const room = videoRoomSchema.parse(res.json.data);
    expect(room).toMatchObject({
      consultationId: link.consultationId,
      roomId: provider.roomId,
      status: "InProgress",
      transport: "p2p",
      maxParticipants: 2,
      participant: { participantId: provider.id, role: "provider", displayName: "Dr. Ana Martínez" },
      iceTransportPolicy: "all",
      signaling: {
        events: `/api/rooms/${provider.roomId}/events?participantId=${provider.id}`,
        send: `/api/rooms/${provider.roomId}/signals?participantId=${provider.id}`,
        lastEventId: 0,
      },
      timer: { durationMinutes: 20 },
    });

    const [stun, turn] = room.iceServers;
    expect(stun).toEqual({ urls: ["stun:stun.portal.test:3478"] });
    expect(turn!.urls).toEqual(["turn:turn.portal.test:3478?transport=udp", "turns:turn.portal.test:5349"]);
    const [expiry, who] = turn!.username!.split(":");
    expect(who).toBe(provider.id);
    expect(Number(expiry) * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 4 * 3600_000);
    expect(turn!.credential).toBe(createHmac("sha1", process.env.TURN_SECRET!).update(turn!.username!).digest("base64"));

    const endsAt = Date.parse(room.timer.endsAt!);
    expect(Date.parse(room.timer.warnAt!)).toBe(endsAt - 2 * 60_000);
    expect(endsAt - Date.parse(room.timer.startedAt)).toBeGreaterThan(19 * 60_000);
    expect(Math.abs(Date.parse(room.timer.serverTime) - Date.now())).toBeLessThan(5_000);

    // The patient joining next starts its stream after the provider's join.
    const patient = await signIn(link, "patient");
    const patientRoom = videoRoomSchema.parse((await join(patient)).json.data);
    expect(patientRoom.participant.role).toBe("patient");
    expect(patientRoom.timer.startedAt).toBe(room.timer.startedAt);
    expect(patientRoom.signaling.lastEventId).toBeGreaterThan(0);
    expect(patientRoom.connectionId).not.toBe(room.connectionId);
  });

  it("refuses a forged cookie, another participant's cookie, an expired one, and another consultation's id", async () => {
    const link = await newConsultation();
    const patient = await signIn(link, "patient");
    const provider = await signIn(link, "provider");
    const token = (p: Participant) => p.cookie.split("=")[1]!;
    const session = { participantId: provider.id, roomId: provider.roomId, consultationId: link.consultationId, organizationId: tenant.organization.id, role: "provider" as const };
    const inAnHour = new Date(Date.now() + 3600_000);

    const forged = await signParticipantSession("a-different-secret-of-at-least-32-chars", session, inAnHour, new Date());
    const expired = await signParticipantSession(APP_SECRET, session, new Date(Date.now() - 3600_000), new Date(Date.now() - 2 * 3600_000));
    for (const [what, cookie] of [
      ["forged", `tm_p_${provider.id}=${forged.token}`],
      ["patient's token under the provider's name", `tm_p_${provider.id}=${token(patient)}`],
      ["patient's cookie only", patient.cookie],
      ["tampered", `tm_p_${provider.id}=${token(provider).slice(0, -2)}xx`],
      ["expired", `tm_p_${provider.id}=${expired.token}`],
    ] as const) {
      const res = await openVideoRoom(provider, { cookie: cookie });
      expect(res.status, what).toBe(401);
      expect(res.json.error.code, what).toBe("session_required");
    }

    // A valid session reaches only its own consultation.
    const other = await newConsultation();
    const res = await openVideoRoom({ id: provider.id, consultationId: other.consultationId }, { cookie: provider.cookie });
    expect(res.status).toBe(404);
    // Nobody got in.
    const stays = await test.db.$client`select 1 from room_attendances a join rooms r on r.id = a.room_id where r.consultation_id in (${link.consultationId}, ${other.consultationId})`;
    expect(stays).toHaveLength(0);
  });
});

describe("POST /api/rooms/{roomId}/signals", () => {
  it("relays a signal to the peer (202) and refuses bad bodies with the field, and unknown recipients", async () => {
    const { patient, provider } = await inCall();
    const ok = await roomCall(signalsRoute, "signals", provider, offer(patient.id));
    expect(ok.status, ok.text).toBe(202);
    expect(ok.json.data.eventId).toBeGreaterThan(0);

    const batch = await roomCall(signalsRoute, "signals", provider, { signals: [offer(patient.id), offer(patient.id)] });
    expect(batch.status, batch.text).toBe(202);
    expect(batch.json.data.eventIds).toHaveLength(2);
    expect(batch.json.data.eventIds[1]).toBeGreaterThan(batch.json.data.eventIds[0]);
    const badInBatch = await roomCall(signalsRoute, "signals", provider, { signals: [offer(patient.id), offer("nope")] });
    expect(badInBatch.status).toBe(400);
    expect(badInBatch.json.error.details[0].field).toBe("signals.1.to");

    const badTo = await roomCall(signalsRoute, "signals", provider, offer("not-a-uuid"));
    expect(badTo.status).toBe(400);
    expect(badTo.json.error).toMatchObject({ code: "validation_error", details: [expect.objectContaining({ field: "to" })] });

    const badKind = await roomCall(signalsRoute, "signals", provider, { kind: "shout", connectionId: CONNECTION });
    expect(badKind.status).toBe(400);
    expect(badKind.json.error.details.map((d: { field: string }) => d.field)).toContain("kind");

    // The recipient's connection goes with the signal (a reloaded page ignores one for its predecessor); it must be a connection id.
    const addressed = await roomCall(signalsRoute, "signals", provider, { ...offer(patient.id), toConnectionId: CONNECTION });
    expect(addressed.status, addressed.text).toBe(202);
    const badConnection = await roomCall(signalsRoute, "signals", provider, { ...offer(patient.id), toConnectionId: "the-old-page" });
    expect(badConnection.status).toBe(400);
    expect(badConnection.json.error).toMatchObject({ code: "validation_error", details: [expect.objectContaining({ field: "toConnectionId" })] });

    const badSdp = await roomCall(signalsRoute, "signals", provider, { ...offer(patient.id), description: { type: "offer", sdp: "x".repeat(60_001) } });
    expect(badSdp.status).toBe(400);
    expect(badSdp.json.error.details[0].field).toBe("description.sdp");

    const notJson = await roomCall(signalsRoute, "signals", provider, "{", {});
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe("invalid_json");

    const toSelf = await roomCall(signalsRoute, "signals", provider, offer(provider.id));
    expect(toSelf.status).toBe(400);
    expect(toSelf.json.error).toMatchObject({ code: "unknown_recipient", details: [{ field: "to" }] });

    const elsewhere = await inCall();
    const toOtherRoom = await roomCall(signalsRoute, "signals", provider, offer(elsewhere.patient.id));
    expect(toOtherRoom.status).toBe(400);
    expect(toOtherRoom.json.error).toMatchObject({ code: "unknown_recipient", details: [{ field: "to" }] });

    // A session is for its own room only, whatever the path says.
    const wrongRoom = await call(signalsRoute, {
      method: "POST",
      path: `/api/rooms/${elsewhere.patient.roomId}/signals?participantId=${provider.id}`,
      headers: { cookie: provider.cookie },
      body: offer(elsewhere.patient.id),
      params: { roomId: elsewhere.patient.roomId },
    });
    expect(wrongRoom.status).toBe(404);
  });

  it("refuses signals from a participant who has not joined, or has left", async () => {
    const link = await newConsultation();
    const patient = await signIn(link, "patient");
    const provider = await signIn(link, "provider");
    const early = await roomCall(signalsRoute, "signals", patient, offer(provider.id));
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("not_in_call");

    await join(patient);
    expect((await roomCall(signalsRoute, "signals", patient, offer(provider.id))).status).toBe(202);
    const left = await roomCall(leaveRoute, "leave", patient);
    expect(left.status).toBe(200);
    expect(left.json.data).toEqual({ left: true, ended: false });
    expect((await roomCall(signalsRoute, "signals", patient, offer(provider.id))).status).toBe(409);
  });
});

describe("GET /api/rooms/{roomId}/events", () => {
  it("says hello with who else is in the call, then relays the peer's signals with ids", async () => {
    const { patient, provider, providerRoom } = await inCall();
    const stream = await openEvents(patient);
    expect(await stream.frame()).toEqual({ retry: 1500 });
    const hello = await stream.event();
    expect(hello).toEqual({
      event: "hello",
      data: {
        participantId: patient.id,
        participants: [
          { participantId: provider.id, role: "provider", displayName: "Dr. Ana Martínez", group: null, privilege: "plus", connectionId: providerRoom.json.data.connectionId, audio: true, video: true },
        ],
      },
    });

    // Everything since the room opened follows; the patient's own join is not echoed back.
    const backlog = await stream.event();
    expect(backlog).toMatchObject({ event: "presence", data: { state: "joined", participantId: provider.id, senderId: provider.id } });

    const sent = await roomCall(signalsRoute, "signals", provider, offer(patient.id, "v=0 offer-1"));
    const signal = await stream.event();
    expect(signal).toEqual({
      id: sent.json.data.eventId,
      event: "signal",
      data: { kind: "description", connectionId: CONNECTION, description: { type: "offer", sdp: "v=0 offer-1" }, from: provider.id, senderId: provider.id },
    });
    expect(signal!.id).toBeGreaterThan(backlog!.id!);

    const addressed = await roomCall(signalsRoute, "signals", provider, { kind: "candidate", to: patient.id, connectionId: CONNECTION, toConnectionId: CONNECTION, candidate: null });
    expect(await stream.event()).toEqual({
      id: addressed.json.data.eventId,
      event: "signal",
      data: { kind: "candidate", connectionId: CONNECTION, toConnectionId: CONNECTION, candidate: null, from: provider.id, senderId: provider.id },
    });

    // The patient's own signals go to the provider, not back to the patient; media state goes to everyone.
    await roomCall(signalsRoute, "signals", patient, offer(provider.id, "v=0 answer"));
    await roomCall(signalsRoute, "signals", provider, { kind: "media", connectionId: CONNECTION, audio: false, video: true });
    expect(await stream.event()).toMatchObject({ event: "media", data: { participantId: provider.id, audio: false, video: true } });
    // A reconnecting patient is told the provider's microphone is off.
    const again = await openEvents(patient);
    expect((await again.event())!.data.participants).toEqual([expect.objectContaining({ participantId: provider.id, audio: false, video: true })]);

    const providerStream = await openEvents(provider);
    await providerStream.event(); // hello
    const forProvider: SseEvent[] = [];
    for (let i = 0; i < 2; i++) forProvider.push((await providerStream.event())!);
    expect(forProvider.map((e) => e.event)).toEqual(["presence", "signal"]);
    expect(forProvider[1]!.data.description.sdp).toBe("v=0 answer");
  });

  it("resumes after Last-Event-ID (or ?after=) with only the events that came later", async () => {
    const { patient, provider, patientRoom } = await inCall();
    const send = async (sdp: string) => (await roomCall(signalsRoute, "signals", provider, offer(patient.id, sdp))).json.data.eventId as number;

    // From the cursor the join returned: the provider's join came before it, the patient's own is not echoed.
    const first = await openEvents(patient, {}, `&after=${patientRoom.json.data.signaling.lastEventId}`);
    expect((await first.event())!.event).toBe("hello");
    const s1 = await send("one");
    const s2 = await send("two");
    expect(await first.event()).toMatchObject({ id: s1, event: "signal", data: { description: { sdp: "one" } } });
    expect(await first.event()).toMatchObject({ id: s2, event: "signal", data: { description: { sdp: "two" } } });
    await first.close();

    // Sent while the patient's connection was down.
    const s3 = await send("three");

    // The browser reconnects with the last id it got before the drop (here: the first signal).
    const resumed = await openEvents(patient, { "last-event-id": String(s1) });
    expect((await resumed.event())!.event).toBe("hello");
    expect(await resumed.event()).toMatchObject({ id: s2, data: { description: { sdp: "two" } } });
    expect(await resumed.event()).toMatchObject({ id: s3, data: { description: { sdp: "three" } } });
    const s4 = await send("four");
    expect(await resumed.event()).toMatchObject({ id: s4, data: { description: { sdp: "four" } } });
    expect(s1).toBeLessThan(s2);
    expect(s2).toBeLessThan(s3);
    expect(s3).toBeLessThan(s4);
  });

  it("tells every stream the call ended and closes it; a stream of someone not in the call says rejoin", async () => {
    const { patient, provider } = await inCall();
    const stream = await openEvents(patient, {}, "&after=0");
    expect((await stream.event())!.event).toBe("hello");
    expect((await stream.event())!.data).toMatchObject({ state: "joined", participantId: provider.id });

    // The patient may not end the call for everyone, nor claim a timeout early.
    const byPatient = await roomCall(endRoute, "end", patient, {});
    expect(byPatient.status).toBe(403);
    expect(byPatient.json.error.code).toBe("forbidden");
    const early = await roomCall(endRoute, "end", patient, { reason: "timeout" });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("consultation_time_left");
    const badReason = await roomCall(endRoute, "end", provider, { reason: "bored" });
    expect(badReason.status).toBe(400);
    expect(badReason.json.error.details[0].field).toBe("reason");

    const ended = await roomCall(endRoute, "end", provider, { reason: "ended_by_provider" });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json.data).toEqual({ status: "Completed", completedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });

    expect(await stream.event()).toMatchObject({ event: "presence", data: { state: "left", participantId: provider.id, reason: "ended" } });
    const last = await stream.event();
    expect(last).toMatchObject({ event: "room-ended", data: { reason: "ended_by_provider", senderId: null } });
    expect(last!.id).toBeGreaterThan(0);
    expect(await stream.frame()).toBeNull();

    // Reconnecting after the end: the patient is no longer in the call.
    const after = await openEvents(patient);
    expect((await after.frame())!.retry).toBe(1500);
    expect(await after.event()).toEqual({ event: "rejoin", data: { reason: "not_in_call" } });
    expect(await after.frame()).toBeNull();

    // Ending twice answers the same.
    const again = await roomCall(endRoute, "end", provider, {});
    expect(again.status).toBe(200);
    expect(again.json.data.completedAt).toBe(ended.json.data.completedAt);
  });

  it("needs the participant's session for the room, like every room route", async () => {
    const { patient } = await inCall();
    const res = await call(eventsRoute, { path: `/api/rooms/${patient.roomId}/events?participantId=${patient.id}`, params: { roomId: patient.roomId } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("session_required");
    const other = await inCall();
    const elsewhere = await call(eventsRoute, {
      path: `/api/rooms/${other.patient.roomId}/events?participantId=${patient.id}`,
      headers: { cookie: patient.cookie },
      params: { roomId: other.patient.roomId },
    });
    expect(elsewhere.status).toBe(404);
  });
});
