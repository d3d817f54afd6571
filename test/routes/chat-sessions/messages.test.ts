import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as eventsRoute } from "@/app/api/chat-sessions/[chatSessionId]/events/route";
import { GET as listRoute, POST as sendRoute } from "@/app/api/chat-sessions/[chatSessionId]/messages/route";
import { verifyChatFileUrl } from "@/lib/chat-files/url";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/chat/schema";
import type { ChatActor } from "@/lib/chat-sessions/access";
import { chatSessionMessageSchema, sendSessionMessageSchema } from "@/lib/chat-sessions/message-schema";
import { sendSessionMessage } from "@/lib/chat-sessions/messages";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { chatSessionMessageExamples } from "@/lib/openapi/paths/chat-session-messages";
import { notifyChatSession } from "@/lib/chat-sessions/notify";
import { chatSessionEventStream } from "@/lib/chat-sessions/stream";
import { CHAT_MESSAGES_PER_MINUTE } from "@/lib/limits";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { call, createTenant, refusal, type Tenant } from "@/test/api";
import { insertChatFile, insertChatSession, type InsertedChatSession } from "@/test/chat-sessions";
import { setupTestDatabase } from "@/test/db";
import { POST as callChatRoute } from "@/app/api/rooms/[roomId]/chat/route";
import { EventReader, inCall, roomCall } from "@/test/rooms";
import { insertStandaloneRoom } from "@/test/standalone-rooms";

const test = setupTestDatabase();
const APP_SECRET = process.env.APP_SECRET!;

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});

let n = 0;
/** A doctor and a patient (new directory users each time), in `state`. */
async function newSession(options: { state?: "created" | "started" | "accepted" | "rejected" | "finished"; roomId?: string } = {}, t: Tenant = tenant): Promise<InsertedChatSession> {
  const i = ++n;
  return insertChatSession(test.db, t.organization.id, {
    members: [
      { externalId: `patient-${i}`, fullName: "Luis Pérez", group: "patient" },
      { externalId: `doctor-${i}`, fullName: "Dra. Ana Martínez", group: "doctor" },
    ],
    state: options.state ?? "accepted",
    roomId: options.roomId ?? null,
  });
}

const asUser = (externalId: string, t: Tenant = tenant) => ({ ...t.headers, "x-user-id": externalId });

async function tokenOf(roomUserId: string, t: Tenant = tenant): Promise<Record<string, string>> {
  const { accessToken } = await mintUserToken(APP_SECRET, { roomUserId, organizationId: t.organization.id, apiKeyId: t.credential.id }, new Date(), 600);
  return { authorization: `Bearer ${accessToken}` };
}

const send = (id: string, headers: Record<string, string>, body: unknown) =>
  call(sendRoute, { method: "POST", path: `/api/chat-sessions/${id}/messages`, headers, body, params: { chatSessionId: id } });
const list = (id: string, headers: Record<string, string>, query = "") => call(listRoute, { path: `/api/chat-sessions/${id}/messages${query}`, headers, params: { chatSessionId: id } });

const streams: EventReader[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

/** The session's stream as a browser opens it (fetch with headers): the answer, and a reader when it is a stream. */
async function openStream(id: string, headers: Record<string, string>, query = ""): Promise<{ response: Response; reader?: EventReader }> {
  const request = new Request(`http://localhost/api/chat-sessions/${id}/events${query}`, { headers });
  const response = await eventsRoute(request, { params: Promise.resolve({ chatSessionId: id }) });
  if (response.status !== 200) return { response };
  const reader = new EventReader(response);
  streams.push(reader);
  return { response, reader };
}

describe("chat session messages: sending and reading", () => {
  it("stores messages in order, for the participants, and reads them back in pages", async () => {
    const session = await newSession();
    const [patient, doctor] = session.participants;
    const patientToken = await tokenOf(patient!.roomUserId);

    const first = await send(session.id, patientToken, { text: "  Buenas tardes, doctora.\r\nTengo fiebre.  " });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({
      id: expect.any(Number),
      chatSessionId: session.id,
      clientId: null,
      sender: patient!.externalId,
      senderName: "Luis Pérez",
      role: "member",
      text: "Buenas tardes, doctora.\nTengo fiebre.",
      file: null,
      sentAt: expect.any(Number),
    });
    expect(Math.abs(first.json.sentAt - Date.now())).toBeLessThan(10_000);
    const second = await send(session.id, asUser(doctor!.externalId), { text: "<b>not bold</b> & <script>alert(1)</script>" });
    expect(second.status, second.text).toBe(201);
    const third = await send(session.id, patientToken, { text: "👨‍👩‍👧 ok" });
    expect(third.json.id).toBeGreaterThan(second.json.id);
    expect(second.json.id).toBeGreaterThan(first.json.id);

    // Every reader sees the same transcript, in the order it was stored, text exactly as written.
    for (const headers of [patientToken, asUser(doctor!.externalId), tenant.headers]) {
      const all = await list(session.id, headers);
      expect(all.status, all.text).toBe(200);
      expect(all.json).toEqual([first.json, second.json, third.json]);
    }
    const later = await list(session.id, patientToken, `?after=${first.json.id}`);
    expect(later.json.map((m: { text: string }) => m.text)).toEqual(["<b>not bold</b> & <script>alert(1)</script>", "👨‍👩‍👧 ok"]);

    const page = await list(session.id, patientToken, "?limit=2");
    expect(page.json).toHaveLength(2);
    expect(page.headers.get("link")).toBe(`</api/chat-sessions/${session.id}/messages?after=${second.json.id}&limit=2>; rel="next"`);
    const rest = await list(session.id, patientToken, `?after=${second.json.id}&limit=2`);
    expect(rest.json).toEqual([third.json]);
    expect(rest.headers.get("link")).toBeNull();

    for (const bad of ["?after=-1", "?after=abc", "?limit=0", "?limit=501", "?limit=2.5"]) {
      const res = await list(session.id, patientToken, bad);
      expect(res.status, bad).toBe(400);
      expect(res.json.details[0].field, bad).toBe(bad.slice(1).split("=")[0]);
    }
  });

  it("accepts messages while created, started or accepted; a rejected or finished session is read-only (409 naming its state)", async () => {
    for (const state of ["created", "started", "accepted"] as const) {
      const session = await newSession({ state });
      expect((await send(session.id, asUser(session.participants[0]!.externalId), { text: `hello while ${state}` })).status).toBe(201);
    }
    for (const state of ["rejected", "finished"] as const) {
      const session = await newSession({ state });
      const res = await send(session.id, asUser(session.participants[0]!.externalId), { text: "one more thing" });
      expect(res.status, res.text).toBe(409);
      expect(res.json.code).toBe("chat_session_closed");
      expect(res.json.error).toContain(`is ${state}`);
      expect((await list(session.id, tenant.headers)).json).toEqual([]);
    }
  });

  it("stores a retried send once, even when both copies arrive together (one webhook event each, no text), and answers the retry after the session closed", async () => {
    const session = await newSession();
    const headers = asUser(session.participants[0]!.externalId);
    const clientId = randomUUID();
    const once = await send(session.id, headers, { text: "¿Está lista la receta?", clientId });
    const again = await send(session.id, headers, { text: "¿Está lista la receta?", clientId });
    expect([once.status, again.status]).toEqual([201, 200]);
    expect(again.json).toEqual(once.json);
    expect(once.json.clientId).toBe(clientId);

    const racing = randomUUID();
    const both = await Promise.all([0, 1].map(() => send(session.id, headers, { text: "sent twice at once", clientId: racing })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0]!.json).toEqual(both[1]!.json);
    const [{ count }] = (await test.db.execute(sql`select count(*)::int as count from chat_messages where client_id = ${racing}`)) as unknown as [{ count: number }];
    expect(count).toBe(1);

    // The same clientId from the other participant is their own message.
    const doctor = await send(session.id, asUser(session.participants[1]!.externalId), { text: "Sí", clientId });
    expect(doctor.status).toBe(201);

    // One webhook event per stored message (a retry records none), with ids and who, never the text.
    const events = (await test.db.execute(sql`
      select payload from outbox_events where event = 'chat_message.created' and aggregate_type = 'chat_session' and aggregate_id = ${session.id}
      order by sequence`)) as unknown as { payload: Record<string, unknown> }[];
    expect(events.map((e) => e.payload)).toEqual([
      { messageId: once.json.id, sender: session.participants[0]!.externalId, hasFile: false },
      { messageId: both.find((r) => r.status === 201)!.json.id, sender: session.participants[0]!.externalId, hasFile: false },
      { messageId: doctor.json.id, sender: session.participants[1]!.externalId, hasFile: false },
    ]);

    await test.db.execute(sql`update chat_sessions set state = 'finished' where id = ${session.id}`);
    const late = await send(session.id, headers, { text: "¿Está lista la receta?", clientId });
    expect(late.status).toBe(200);
    expect(late.json).toEqual(once.json);
    expect((await list(session.id, headers)).json).toHaveLength(3);
  });

  it("lets only participants write, and shows a user only their own sessions", async () => {
    const session = await newSession();
    const outsider = await newSession(); // its participants are directory users who are not in `session`
    const stranger = outsider.participants[0]!;

    const notParticipant = await send(session.id, asUser(stranger.externalId), { text: "let me in" });
    expect(notParticipant.status, notParticipant.text).toBe(403);
    expect(notParticipant.json.code).toBe("not_a_participant");
    const nobody = await send(session.id, tenant.headers, { text: "from the integrator itself" });
    expect(nobody.status).toBe(403);
    expect(nobody.json.code).toBe("chat_user_required");
    const unknown = await send(session.id, asUser("nobody-in-the-directory"), { text: "hi" });
    expect(unknown.status).toBe(401);

    // Reading for a user (token or X-User-Id) is their own sessions only: anything else is not found.
    const strangerToken = await tokenOf(stranger.roomUserId);
    for (const headers of [strangerToken, asUser(stranger.externalId)]) {
      const read = await list(session.id, headers);
      expect(read.status, read.text).toBe(404);
      expect(read.json.code).toBe("not_found");
      expect((await openStream(session.id, headers)).response.status).toBe(404);
    }
    expect((await send(session.id, strangerToken, { text: "let me in" })).status).toBe(404);
    expect((await list(session.id, asUser("nobody-in-the-directory"))).status).toBe(401);
    const [{ count }] = (await test.db.execute(sql`select count(*)::int as count from chat_messages where chat_session_id = ${session.id}`)) as unknown as [{ count: number }];
    expect(count).toBe(0);
  });

  it("never reaches another organization's session, and answers 404 for ids that are not sessions", async () => {
    const session = await newSession();
    // The other organization has a user with the same external id.
    await insertChatSession(test.db, other.organization.id, { members: [{ externalId: session.participants[0]!.externalId, fullName: "Someone Else", group: "patient" }] });
    for (const headers of [other.headers, asUser(session.participants[0]!.externalId, other)]) {
      expect((await list(session.id, headers)).status).toBe(404);
      expect((await send(session.id, headers, { text: "crossing over" })).status).toBe(404);
      expect((await openStream(session.id, headers)).response.status).toBe(404);
    }
    for (const bad of ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "-".repeat(36)]) {
      expect((await list(bad, tenant.headers)).status, bad).toBe(404);
      expect((await send(bad, asUser(session.participants[0]!.externalId), { text: "x" })).status, bad).toBe(404);
    }
    expect((await list(session.id, {})).status).toBe(401);
  });

  it("says what is wrong with a message, on the field, never with a 5xx", async () => {
    const session = await newSession();
    const [patient, doctor] = session.participants;
    const headers = asUser(patient!.externalId);
    const otherSession = await newSession();
    const foreignFile = await insertChatFile(test.db, tenant.organization.id, { chatSessionId: otherSession.id, uploadedBy: otherSession.participants[0]!.roomUserId });
    const doctorsFile = await insertChatFile(test.db, tenant.organization.id, { chatSessionId: session.id, uploadedBy: doctor!.roomUserId });
    const deletedFile = await insertChatFile(test.db, tenant.organization.id, { chatSessionId: session.id, uploadedBy: patient!.roomUserId, deleted: true });

    const cases: [unknown, string, string?][] = [
      [{}, "text", "must not be empty: send text, a file, or both"],
      [{ text: "   " }, "text", "must not be empty: send text, a file, or both"],
      [{ text: "" }, "text"],
      [{ text: "x".repeat(CHAT_MESSAGE_MAX_LENGTH + 1) }, "text", `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters`],
      [{ text: "hola\u0007mundo" }, "text", "must not contain control or invisible formatting characters"],
      [{ text: "hola\u202emundo" }, "text"],
      [{ text: "hola\u0000mundo" }, "text"],
      [{ text: 42 }, "text", "must be a string"],
      [{ text: ["a"] }, "text"],
      [{ text: "ok", fileId: "not-a-uuid" }, "fileId"],
      [{ text: "ok", fileId: 7 }, "fileId"],
      [{ text: "ok", clientId: "abc" }, "clientId"],
      [{ fileId: foreignFile }, "fileId", "must be the id of a file you uploaded to this chat session"],
      [{ fileId: doctorsFile }, "fileId", "must be the id of a file you uploaded to this chat session"],
      [{ fileId: randomUUID() }, "fileId", "must be the id of a file you uploaded to this chat session"],
      [{ fileId: deletedFile }, "fileId", "the file was deleted; upload it again"],
      ["just a string", "body"],
      [[{ text: "in an array" }], "body"],
    ];
    for (const [body, field, message] of cases) {
      const res = await send(session.id, headers, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.details?.[0]?.field, JSON.stringify(body)).toBe(field);
      if (message) expect(res.json.details[0].message).toBe(message);
    }
    expect((await send(session.id, headers, "{not json")).status).toBe(400);
    expect((await send(session.id, { ...headers, "content-type": "text/plain" }, "hola")).status).toBe(400);
    expect((await send(session.id, headers, { text: "x".repeat(CHAT_MESSAGE_MAX_LENGTH) })).status).toBe(201);
    expect((await list(session.id, headers)).json).toHaveLength(1);
  });

  it("carries a file the sender uploaded, once, with a signed short-lived link", async () => {
    const session = await newSession();
    const [patient, doctor] = session.participants;
    const fileId = await insertChatFile(test.db, tenant.organization.id, { chatSessionId: session.id, uploadedBy: patient!.roomUserId, name: "examen.pdf", size: 48213 });
    const sent = await send(session.id, asUser(patient!.externalId), { fileId });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json.text).toBe("");
    expect(sent.json.file).toEqual({ id: fileId, name: "examen.pdf", contentType: "application/pdf", size: 48213, url: expect.stringMatching(`^/api/chat-files/${fileId}\\?expires=\\d+&signature=[\\w-]+$`) });

    const read = await list(session.id, asUser(doctor!.externalId));
    const url = new URL(read.json[0].file.url, "http://localhost");
    const expires = url.searchParams.get("expires")!;
    expect(Number(expires) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(verifyChatFileUrl(APP_SECRET, fileId, expires, url.searchParams.get("signature")!, new Date())).toBe(true);
    expect(verifyChatFileUrl(APP_SECRET, fileId, String(Number(expires) + 1), url.searchParams.get("signature")!, new Date())).toBe(false);
    expect(verifyChatFileUrl(APP_SECRET, fileId, expires, url.searchParams.get("signature")!, new Date(Number(expires) + 1))).toBe(false);

    const twice = await send(session.id, asUser(patient!.externalId), { text: "again", fileId });
    expect(twice.status).toBe(400);
    expect(twice.json.details[0]).toMatchObject({ field: "fileId", code: "file_already_sent" });

    // Once its bytes are deleted, the transcript still says a file was there, with no link.
    await test.db.execute(sql`update chat_files set deleted_at = now() where id = ${fileId}`);
    expect((await list(session.id, asUser(doctor!.externalId))).json[0].file).toMatchObject({ id: fileId, name: "examen.pdf", url: null });
  });

  it("holds back a flood from one sender, and says when to send again", async () => {
    const session = await newSession();
    const patient = asUser(session.participants[0]!.externalId);
    for (let i = 0; i < CHAT_MESSAGES_PER_MINUTE; i++) expect((await send(session.id, patient, { text: `message ${i}` })).status).toBe(201);
    const flooded = await send(session.id, patient, { text: "one too many" });
    expect(flooded.status).toBe(429);
    expect(flooded.json.code).toBe("chat_rate_limited");
    const retryAfter = Number(flooded.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(30);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await send(session.id, asUser(session.participants[1]!.externalId), { text: "The doctor can still write" })).status).toBe(201);
  });

  it("shows what was written in the linked call, named by the directory user behind the call's participant", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const session = await insertChatSession(test.db, tenant.organization.id, {
      members: room.participants.map((p) => ({ externalId: p.externalId, fullName: p.fullName, group: p.group })),
      roomId: room.roomId,
    });
    const [doctor, patient] = room.participants;
    const sent = await send(session.id, asUser(patient!.externalId), { text: "Before the call" });
    expect(sent.status).toBe(201);
    await test.db.execute(sql`
      insert into chat_messages (organization_id, chat_session_id, room_id, sender_id, sender_role, sender_name, body, sent_at)
      values (${tenant.organization.id}, ${session.id}, ${room.roomId}, ${doctor!.participantId}, 'member', ${doctor!.fullName}, 'In the call', now())`);
    const all = await list(session.id, asUser(patient!.externalId));
    expect(all.json.map((m: { sender: string; text: string }) => [m.sender, m.text])).toEqual([
      [patient!.externalId, "Before the call"],
      [doctor!.externalId, "In the call"],
    ]);
    const [stored] = (await test.db.execute(sql`select room_id from chat_messages where id = ${sent.json.id}`)) as unknown as [{ room_id: string }];
    expect(stored.room_id).toBe(room.roomId);
  });

  it("refuses staff who take no part in the session, with 403", async () => {
    const session = await newSession();
    const staff: ChatActor = { organizationId: tenant.organization.id, kind: "staff", user: undefined };
    expect((await refusal(sendSessionMessage(test.db, staff, session.id, { text: "hi" }, new Date()))).code).toBe("chat_user_required");
    const outsider = (await newSession()).participants[1]!;
    const linked: ChatActor = { ...staff, user: { roomUserId: outsider.roomUserId, externalId: outsider.externalId } };
    expect((await refusal(sendSessionMessage(test.db, linked, session.id, { text: "hi" }, new Date()))).code).toBe("not_a_participant");
  });
});

describe("chat session messages: the live stream", () => {
  it("sends the session, then each new message as it is stored; resumes after Last-Event-ID with nothing lost or repeated", async () => {
    const session = await newSession({ state: "started" });
    const [patient, doctor] = session.participants;
    const doctorToken = await tokenOf(doctor!.roomUserId);
    const before = await send(session.id, asUser(patient!.externalId), { text: "Written before the page opened" });

    const { response, reader } = await openStream(session.id, doctorToken);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect((await reader!.frame())?.retry).toBe(1500);
    const hello = await reader!.event();
    expect(hello).toMatchObject({ event: "hello", data: { id: session.id, state: "started", room: null, startedAt: null, finishedAt: null } });
    expect(typeof hello!.data.createdAt).toBe("number");
    expect(await reader!.event()).toEqual({ event: "message", id: before.json.id, data: before.json });

    const sent = await send(session.id, asUser(patient!.externalId), { text: "¿Me escucha, doctora?" });
    expect(await reader!.event()).toEqual({ event: "message", id: sent.json.id, data: sent.json });
    const own = await send(session.id, doctorToken, { text: "Sí, la escucho." });
    expect(await reader!.event()).toEqual({ event: "message", id: own.json.id, data: own.json });

    // A reconnect with the last id it got sees only what came after.
    await reader!.close();
    const third = await send(session.id, asUser(patient!.externalId), { text: "Written while the page was away" });
    const resumed = (await openStream(session.id, { ...doctorToken, "last-event-id": String(sent.json.id) })).reader!;
    expect((await resumed.event())?.event).toBe("hello");
    expect((await resumed.event())?.data.text).toBe("Sí, la escucho.");
    expect((await resumed.event())?.data.text).toBe("Written while the page was away");
    await expect(resumed.event(400)).rejects.toThrow(/no event/);
    const byQuery = (await openStream(session.id, doctorToken, `?after=${own.json.id}`)).reader!;
    expect((await byQuery.event())?.event).toBe("hello");
    expect(await byQuery.event()).toMatchObject({ event: "message", id: third.json.id });

    for (const [headers, query, field] of [
      [{ ...doctorToken, "last-event-id": "abc" }, "", "Last-Event-ID"],
      [doctorToken, "?after=-3", "after"],
    ] as const) {
      const bad = await openStream(session.id, headers, query);
      expect(bad.response.status).toBe(400);
      expect((await bad.response.json()).details[0].field).toBe(field);
    }
  });

  it("says when the session's state or call changes, as a directive's transaction does", async () => {
    const session = await newSession({ state: "started" });
    const reader = (await openStream(session.id, asUser(session.participants[0]!.externalId))).reader!;
    expect((await reader.event())?.data.state).toBe("started");

    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    await test.db.transaction(async (tx) => {
      await tx.execute(sql`update chat_sessions set state = 'accepted', accepted_at = now(), room_id = ${room.roomId} where id = ${session.id}`);
      await notifyChatSession(tx, session.id);
    });
    const changed = await reader.event();
    expect(changed).toMatchObject({ event: "session", data: { id: session.id, state: "accepted", room: room.roomId } });
    expect(changed!.id).toBeUndefined();
    expect(Math.abs(changed!.data.acceptedAt - Date.now())).toBeLessThan(10_000);

    // A message then follows as usual; a wake-up without a change sends nothing.
    await test.db.transaction((tx) => notifyChatSession(tx, session.id));
    const sent = await send(session.id, asUser(session.participants[1]!.externalId), { text: "Aceptada" });
    expect(await reader.event()).toMatchObject({ event: "message", id: sent.json.id });
  });

  it("carries what is written in the linked call's chat, in the same order", async () => {
    const { patient, provider } = await inCall(tenant);
    const session = await newSession({ roomId: patient.roomId });
    const reader = (await openStream(session.id, asUser(session.participants[0]!.externalId))).reader!;
    expect((await reader.event())?.event).toBe("hello");
    const inTheCall = await roomCall(callChatRoute, "chat", provider, { text: "Written in the call" });
    expect(inTheCall.status, inTheCall.text).toBe(201);
    const sent = await send(session.id, asUser(session.participants[0]!.externalId), { text: "Written on the chat page" });
    const first = await reader.event();
    // A consultation's provider has no directory user: no sender id, their name and role as in the call.
    expect(first).toMatchObject({ event: "message", id: inTheCall.json.data.id, data: { sender: null, senderName: inTheCall.json.data.displayName, role: "provider", text: "Written in the call", file: null } });
    expect(await reader.event()).toMatchObject({ event: "message", id: sent.json.id });
    expect(sent.json.id).toBeGreaterThan(inTheCall.json.data.id);
  });

  it("serves the dashboard's staff the same stream, without a route", async () => {
    const session = await newSession();
    const staff: ChatActor = { organizationId: tenant.organization.id, kind: "staff", user: undefined };
    const abort = new AbortController();
    const stream = await chatSessionEventStream(test.db, { actor: staff, chatSessionId: session.id, after: 0, signal: abort.signal });
    const reader = new EventReader(new Response(stream));
    streams.push(reader);
    expect((await reader.event())?.event).toBe("hello");
    const sent = await send(session.id, asUser(session.participants[0]!.externalId), { text: "Para la clínica" });
    expect(await reader.event()).toMatchObject({ event: "message", data: { text: "Para la clínica" }, id: sent.json.id });
    abort.abort();
    expect(await reader.event()).toBeNull();

    const elsewhere: ChatActor = { organizationId: other.organization.id, kind: "staff", user: undefined };
    expect((await refusal(chatSessionEventStream(test.db, { actor: elsewhere, chatSessionId: session.id, after: 0 }))).code).toBe("not_found");
  });
});

describe("chat session messages: the API reference", () => {
  it("documents the routes with examples their schemas accept", () => {
    const doc = buildOpenApiDocument({ serverUrl: "https://portal.test" });
    const messages = doc.paths["/api/chat-sessions/{chatSessionId}/messages"]!;
    expect(Object.keys(messages).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/api/chat-sessions/{chatSessionId}/events"]!.get!.responses["200"]).toBeDefined();
    for (const value of Object.values(chatSessionMessageExamples(2026))) chatSessionMessageSchema.strict().parse(value);
    const body = messages.post!.requestBody as { content: Record<string, { examples: Record<string, { value: unknown }> }> };
    for (const { value } of Object.values(body.content["application/json"]!.examples)) sendSessionMessageSchema.parse(value);
  });
});
