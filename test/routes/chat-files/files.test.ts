import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as download } from "@/app/api/chat-files/[fileId]/route";
import { POST as uploadToSession } from "@/app/api/chat-sessions/[chatSessionId]/files/route";
import { POST as endRoute } from "@/app/api/rooms/[roomId]/end/route";
import { POST as uploadToCall } from "@/app/api/rooms/[roomId]/chat/files/route";
import { GET as chatGet, POST as chatPost } from "@/app/api/rooms/[roomId]/chat/route";
import { DELETE as deleteUploads } from "@/app/api/teleconsultation/[roomId]/uploads/route";
import { consultationTranscript } from "@/lib/chat/messages";
import { chatFileSchema, deletedUploadsSchema } from "@/lib/chat-files/schema";
import { CHAT_FILE_URL_TTL_MS, chatFileUrl } from "@/lib/chat-files/url";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import type { ResponseObject } from "@/lib/openapi/types";
import { CHAT_FILE_MAX_BYTES, CHAT_FILES_PER_HOUR } from "@/lib/limits";
import { LocalDiskStorage, setFileStorage } from "@/lib/storage";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { call, createTenant, type Tenant } from "@/test/api";
import { elfProgram, filesUnder, jpegWithLocation, pdf, sendFile, windowsProgram, type FileToSend } from "@/test/chat-files";
import { insertChatSession } from "@/test/chat-sessions";
import { setupTestDatabase } from "@/test/db";
import { closeEventStreams, inCall, newConsultation, openEvents, roomCall, signIn, type Participant } from "@/test/rooms";
import { insertStandaloneRoom } from "@/test/standalone-rooms";

const test = setupTestDatabase();
const APP_SECRET = process.env.APP_SECRET!;
const directory = mkdtempSync(path.join(tmpdir(), "telemed-files-"));

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  setFileStorage(new LocalDiskStorage(directory));
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(closeEventStreams);

const asUser = (t: Tenant, externalId: string) => ({ ...t.headers, "x-user-id": externalId });
const toSession = (chatSessionId: string, headers: Record<string, string>, file: FileToSend, field?: string) =>
  sendFile(uploadToSession, { path: `/api/chat-sessions/${chatSessionId}/files`, params: { chatSessionId }, headers, file, field });
const toCall = (p: Participant, file: FileToSend) =>
  sendFile(uploadToCall, { path: `/api/rooms/${p.roomId}/chat/files?participantId=${p.id}`, params: { roomId: p.roomId }, headers: { cookie: p.cookie }, file });

/** GETs a download URL as a browser would, the bytes kept. */
async function fetchFile(url: string) {
  const parsed = new URL(url, "https://portal.test");
  const fileId = parsed.pathname.split("/").pop()!;
  const response = await download(new Request(`http://localhost${parsed.pathname}${parsed.search}`), { params: Promise.resolve({ fileId }) });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const filesOf = (chatSessionId: string) =>
  test.db.execute<{
    id: string;
    room_id: string | null;
    uploaded_by_user_id: string | null;
    uploaded_by_participant_id: string | null;
    byte_size: number;
    file_name: string;
    content_type: string;
  }>(sql`
    select id, room_id, uploaded_by_user_id, uploaded_by_participant_id, byte_size, file_name, content_type from chat_files where chat_session_id = ${chatSessionId}`);

/** Nothing of a refused upload may remain: no row, no bytes on disk (temporary files included). */
async function expectNothingStored(chatSessionId: string, filesBefore: string[]) {
  expect(await filesOf(chatSessionId)).toEqual([]);
  expect(filesUnder(directory).sort()).toEqual([...filesBefore].sort());
}

describe("files in a chat session", () => {
  it("takes a participant's photo upright and without its EXIF, and serves it as an attachment", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const [doctor, patient] = session.participants;
    const res = await toSession(session.id, asUser(tenant, patient!.externalId), { bytes: await jpegWithLocation(), name: "C:\\fakepath\\IMG 0001.JPG", type: "image/jpeg" });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      name: "IMG 0001.jpg",
      contentType: "image/jpeg",
      size: expect.any(Number),
      url: expect.stringMatching(/^\/api\/chat-files\/[0-9a-f-]{36}\?expires=\d+&signature=[\w-]{43}$/),
    });
    expect(res.json.url).toContain(res.json.id);
    const [row] = await filesOf(session.id);
    expect(row).toMatchObject({ id: res.json.id, room_id: null, uploaded_by_user_id: patient!.roomUserId, uploaded_by_participant_id: null, byte_size: res.json.size, content_type: "image/jpeg" });

    const got = await fetchFile(res.json.url);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("cache-control")).toBe("private, no-store");
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="IMG 0001.jpg"; filename*=UTF-8''IMG%200001.jpg`);
    expect(got.bytes.length).toBe(res.json.size);
    const metadata = await sharp(got.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([32, 64]);
    expect(got.bytes.toString("latin1")).not.toContain("Serial-12345");

    // The other participant, through a user token, uploads too.
    const token = await mintUserToken(APP_SECRET, { roomUserId: doctor!.roomUserId, organizationId: tenant.organization.id, apiKeyId: tenant.credential.id }, new Date(), 600);
    const byToken = await toSession(session.id, { authorization: `Bearer ${token.accessToken}` }, { bytes: pdf(), name: "informe médico.pdf" });
    expect(byToken.status, byToken.text).toBe(201);
    expect((await fetchFile(byToken.json.url)).headers.get("content-disposition")).toBe(`attachment; filename="informe medico.pdf"; filename*=UTF-8''informe%20m%C3%A9dico.pdf`);
  });

  it("stores a PDF byte for byte, up to exactly 10 MB", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const document = pdf(CHAT_FILE_MAX_BYTES);
    expect(document.length).toBe(10 * 1024 * 1024);
    const res = await toSession(session.id, asUser(tenant, session.participants[1]!.externalId), { bytes: document, name: "estudio.pdf", type: "application/pdf" });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ name: "estudio.pdf", contentType: "application/pdf", size: CHAT_FILE_MAX_BYTES });
    const got = await fetchFile(res.json.url);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-length")).toBe(String(CHAT_FILE_MAX_BYTES));
    expect(got.bytes.equals(document)).toBe(true);
  });

  it("refuses 10 MB + 1 byte with 413, storing nothing", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const headers = asUser(tenant, session.participants[1]!.externalId);
    const before = filesUnder(directory);
    const big = pdf(CHAT_FILE_MAX_BYTES + 1);
    const res = await toSession(session.id, headers, { bytes: big, name: "too-big.pdf" });
    expect(res.status, res.text).toBe(413);
    expect(res.json).toMatchObject({ code: "file_too_large", details: [expect.objectContaining({ field: "file" })] });
    await expectNothingStored(session.id, before);

    // A body far past the limit is dropped while it is read (no Content-Length to trust here)…
    const huge = await toSession(session.id, headers, { bytes: new Uint8Array(CHAT_FILE_MAX_BYTES * 3), name: "huge.pdf" });
    expect(huge.status).toBe(413);
    // … and one that says its size up front is refused before it is read.
    const declared = await uploadToSession(
      new Request(`http://localhost/api/chat-sessions/${session.id}/files`, {
        method: "POST",
        headers: { ...headers, "content-type": "multipart/form-data; boundary=x", "content-length": String(50 * 1024 * 1024) },
        body: "--x--",
      }),
      { params: Promise.resolve({ chatSessionId: session.id }) },
    );
    expect(declared.status).toBe(413);
    await expectNothingStored(session.id, before);
  });

  it("refuses a renamed program, an HTML page or an SVG with 415, storing nothing", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const headers = asUser(tenant, session.participants[0]!.externalId);
    const before = filesUnder(directory);
    const disguised: FileToSend[] = [
      { bytes: elfProgram(), name: "vacaciones.jpg", type: "image/jpeg" },
      { bytes: windowsProgram(), name: "receta.pdf", type: "application/pdf" },
      { bytes: Buffer.from("<html><script>fetch('/api/x')</script></html>"), name: "photo.png", type: "image/png" },
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), name: "chart.svg", type: "image/svg+xml" },
    ];
    for (const file of disguised) {
      const res = await toSession(session.id, headers, file);
      expect(res.status, file.name).toBe(415);
      expect(res.json.code).toBe("file_type_not_allowed");
    }
    await expectNothingStored(session.id, before);
  });

  it("takes files only from the session's participants while it is open; anyone else learns nothing", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const stranger = await insertChatSession(test.db, tenant.organization.id);
    const file = { bytes: pdf(), name: "a.pdf" };
    const before = filesUnder(directory);

    // Another organization: the session does not exist for it.
    const otherOrg = await toSession(session.id, other.headers, file);
    expect([otherOrg.status, otherOrg.json.code]).toEqual([404, "not_found"]);
    // Naming this organization's user there: the other organization's directory does not know them.
    const otherOrgUser = await toSession(session.id, asUser(other, session.participants[0]!.externalId), file);
    expect([otherOrgUser.status, otherOrgUser.json.code]).toEqual([401, "unauthorized_user"]);
    // A user of this organization who is not in it, with their own token: the same 404.
    const outsider = stranger.participants[1]!;
    const token = await mintUserToken(APP_SECRET, { roomUserId: outsider.roomUserId, organizationId: tenant.organization.id, apiKeyId: tenant.credential.id }, new Date(), 600);
    const byToken = await toSession(session.id, { authorization: `Bearer ${token.accessToken}` }, file);
    expect([byToken.status, byToken.json.code]).toEqual([404, "not_found"]);
    // The integrator naming them: they may see it, not act on it.
    const named = await toSession(session.id, asUser(tenant, outsider.externalId), file);
    expect([named.status, named.json.code]).toEqual([403, "not_a_participant"]);
    const nobody = await toSession(session.id, tenant.headers, file);
    expect([nobody.status, nobody.json.code]).toEqual([403, "chat_user_required"]);
    const unknownId = await toSession("3f2a9c1e-4b7d-4e2a-9c1f-0a1b2c3d4e5f", asUser(tenant, session.participants[0]!.externalId), file);
    expect(unknownId.status).toBe(404);
    const notAnId = await toSession("not-a-session", asUser(tenant, session.participants[0]!.externalId), file);
    expect(notAnId.status).toBe(404);
    const noCredential = await toSession(session.id, {}, file);
    expect(noCredential.status).toBe(401);

    for (const state of ["rejected", "finished"] as const) {
      const closed = await insertChatSession(test.db, tenant.organization.id, { state });
      const res = await toSession(closed.id, asUser(tenant, closed.participants[0]!.externalId), file);
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({ code: "chat_session_closed", error: `The chat session is ${state}: it takes no more messages or files.` });
      expect(await filesOf(closed.id)).toEqual([]);
    }
    await expectNothingStored(session.id, before);
  });

  it("holds back a flood of files from one user, before reading it", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const [doctor, patient] = session.participants;
    const earlier = new Date(Date.now() - 30 * 60_000).toISOString();
    for (let i = 0; i < CHAT_FILES_PER_HOUR; i++) {
      await test.db.execute(sql`
        insert into chat_files (organization_id, chat_session_id, uploaded_by_user_id, storage_key, content_type, byte_size, file_name, created_at)
        values (${tenant.organization.id}, ${session.id}, ${patient!.roomUserId}, ${`chat-files/aa/flood-${session.id}-${i}`}, 'application/pdf', 10, 'a.pdf', ${earlier})`);
    }
    const flooded = await toSession(session.id, asUser(tenant, patient!.externalId), { bytes: pdf(), name: "one-more.pdf" });
    expect(flooded.status).toBe(429);
    expect(flooded.json.code).toBe("chat_files_rate_limited");
    const retryAfter = Number(flooded.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(29 * 60);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
    // The other participant is not held back.
    expect((await toSession(session.id, asUser(tenant, doctor!.externalId), { bytes: pdf(), name: "reply.pdf" })).status).toBe(201);
  });

  it("says what is wrong with a malformed upload, on the field", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const headers = asUser(tenant, session.participants[0]!.externalId);
    const json = await call(uploadToSession, { path: `/api/chat-sessions/${session.id}/files`, params: { chatSessionId: session.id }, headers, body: { file: "aGVsbG8=" } });
    expect(json.status).toBe(400);
    expect(json.json).toMatchObject({ code: "unsupported_content_type", details: [{ field: "Content-Type" }] });
    const wrongField = await toSession(session.id, headers, { bytes: pdf(), name: "a.pdf" }, "document");
    expect(wrongField.status).toBe(400);
    expect(wrongField.json).toMatchObject({ code: "validation_error", details: [{ field: "file", code: "required" }] });
    const empty = await toSession(session.id, headers, { bytes: new Uint8Array(), name: "empty.pdf" });
    expect(empty.status).toBe(400);
    expect(empty.json.details).toEqual([expect.objectContaining({ field: "file", code: "empty" })]);
    const garbled = await uploadToSession(
      new Request(`http://localhost/api/chat-sessions/${session.id}/files`, {
        method: "POST",
        headers: { ...headers, "content-type": "multipart/form-data; boundary=abc" },
        body: "not multipart at all",
      }),
      { params: Promise.resolve({ chatSessionId: session.id }) },
    );
    expect(garbled.status).toBe(400);
    expect(await filesOf(session.id)).toEqual([]);
  });
});

describe("a file's download URL", () => {
  it("is refused (404) when forged, changed, for another file, or expired", async () => {
    const session = await insertChatSession(test.db, tenant.organization.id);
    const headers = asUser(tenant, session.participants[0]!.externalId);
    const a = await toSession(session.id, headers, { bytes: pdf(), name: "a.pdf" });
    const b = await toSession(session.id, headers, { bytes: pdf(), name: "b.pdf" });
    expect((await fetchFile(a.json.url)).status).toBe(200);

    const url = new URL(a.json.url, "https://portal.test");
    const signature = url.searchParams.get("signature")!;
    const expires = url.searchParams.get("expires")!;
    const variants = [
      `/api/chat-files/${a.json.id}?expires=${expires}&signature=${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`,
      `/api/chat-files/${a.json.id}?expires=${Number(expires) + 1000}&signature=${signature}`,
      `/api/chat-files/${b.json.id}?expires=${expires}&signature=${signature}`,
      `/api/chat-files/${a.json.id}?expires=${expires}`,
      `/api/chat-files/${a.json.id}`,
      chatFileUrl(APP_SECRET, a.json.id, new Date(Date.now() - CHAT_FILE_URL_TTL_MS - 1000)),
      chatFileUrl("another-secret-of-at-least-32-characters", a.json.id, new Date()),
      `/api/chat-files/not-a-file?expires=${expires}&signature=${signature}`,
    ];
    for (const variant of variants) {
      const got = await fetchFile(variant);
      expect(got.status, variant).toBe(404);
      expect(JSON.parse(got.bytes.toString()).error.code).toBe("not_found");
    }
  });
});

describe("files in the call's chat", () => {
  it("go out in one message, to everyone in the call, each reading them with a URL of their own", async () => {
    const { patient, provider } = await inCall(tenant);
    const providerStream = await openEvents(provider);
    expect((await providerStream.event())?.event).toBe("hello");

    const uploaded = await toCall(patient, { bytes: await jpegWithLocation(), name: "rash.jpg" });
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.json.data).toMatchObject({ name: "rash.jpg", contentType: "image/jpeg", url: expect.stringContaining(uploaded.json.data.id) });
    const [row] = await test.db.execute<{ room_id: string; uploaded_by_participant_id: string; chat_session_id: string | null }>(sql`
      select room_id, uploaded_by_participant_id, chat_session_id from chat_files where id = ${uploaded.json.data.id}`);
    expect(row).toEqual({ room_id: patient.roomId, uploaded_by_participant_id: patient.id, chat_session_id: null });

    const sent = await roomCall(chatPost, "chat", patient, { fileId: uploaded.json.data.id });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json.data).toMatchObject({ text: "", file: { id: uploaded.json.data.id, name: "rash.jpg", contentType: "image/jpeg", url: expect.any(String) } });
    const withText = await roomCall(chatPost, "chat", patient, { text: "And the report", fileId: (await toCall(patient, { bytes: pdf(), name: "report.pdf" })).json.data.id });
    expect(withText.status, withText.text).toBe(201);
    expect(withText.json.data.file).toMatchObject({ name: "report.pdf", contentType: "application/pdf" });

    // The provider's stream carries the message with a URL minted for them; it downloads.
    let relayed;
    for (let e = await providerStream.event(); e; e = await providerStream.event()) {
      if (e.event === "chat") {
        relayed = e.data;
        break;
      }
    }
    expect(relayed.file).toMatchObject({ id: uploaded.json.data.id, url: expect.stringContaining(uploaded.json.data.id) });
    const got = await fetchFile(relayed.file.url);
    expect(got.status).toBe(200);
    expect((await sharp(got.bytes).metadata()).exif).toBeUndefined();
    // The room's log keeps no URL: a capability is not stored.
    const [stored] = await test.db.execute<{ payload: { file: { url: unknown } } }>(sql`select payload from room_events where room_id = ${patient.roomId} and kind = 'chat' order by id limit 1`);
    expect(stored!.payload.file.url).toBeNull();

    // A reload reads the files back with fresh URLs.
    const history = await call(chatGet, { path: `/api/rooms/${provider.roomId}/chat?participantId=${provider.id}`, headers: { cookie: provider.cookie }, params: { roomId: provider.roomId } });
    expect(history.json.data.map((m: { text: string; file: { name: string } | null }) => [m.text, m.file?.name])).toEqual([
      ["", "rash.jpg"],
      ["And the report", "report.pdf"],
    ]);
    expect((await fetchFile(history.json.data[1].file.url)).status).toBe(200);
  });

  it("hands out no URL for a file deleted since: a replayed stream and a reload both say it is gone", async () => {
    const { patient, provider } = await inCall(tenant);
    const kept = (await toCall(patient, { bytes: pdf(), name: "kept.pdf" })).json.data.id;
    const gone = (await toCall(patient, { bytes: pdf(), name: "gone.pdf" })).json.data.id;
    expect((await roomCall(chatPost, "chat", patient, { fileId: kept })).status).toBe(201);
    expect((await roomCall(chatPost, "chat", patient, { fileId: gone })).status).toBe(201);
    await test.db.execute(sql`update chat_files set deleted_at = now() where id = ${gone}`);

    // A stream that resumes from the start (a reconnect) delivers both messages again.
    const stream = await openEvents(provider, {}, "&after=0");
    const relayed: { name: string; url: string | null }[] = [];
    while (relayed.length < 2) {
      const e = await stream.event();
      if (!e) break;
      if (e.event === "chat") relayed.push(e.data.file);
    }
    expect(relayed.map((f) => [f.name, f.url === null])).toEqual([
      ["kept.pdf", false],
      ["gone.pdf", true],
    ]);
    expect((await fetchFile(relayed[0]!.url!)).status).toBe(200);
    const reloaded = await call(chatGet, { path: `/api/rooms/${provider.roomId}/chat?participantId=${provider.id}`, headers: { cookie: provider.cookie }, params: { roomId: provider.roomId } });
    expect(reloaded.json.data.map((m: { file: { url: string | null } }) => m.file.url === null)).toEqual([false, true]);
  });

  it("are in the consultation's transcript for the clinic's staff, with links of their own; another organization's staff see nothing", async () => {
    const { patient, provider } = await inCall(tenant);
    const photo = (await toCall(provider, { bytes: await jpegWithLocation(), name: "dosage.jpg" })).json.data.id;
    expect((await roomCall(chatPost, "chat", provider, { text: "The dosage", fileId: photo })).status).toBe(201);
    const now = new Date();
    const transcript = await consultationTranscript(test.db, tenant.organization.id, patient.consultationId, { appSecret: APP_SECRET, now });
    expect(transcript.map((m) => [m.role, m.text, m.file?.name, m.file?.contentType])).toEqual([["provider", "The dosage", "dosage.jpg", "image/jpeg"]]);
    expect(transcript[0]!.file!.url).toBe(chatFileUrl(APP_SECRET, photo, now));
    expect((await fetchFile(transcript[0]!.file!.url!)).status).toBe(200);
    // Without links (a caller that may not hand them out) there is no URL at all.
    expect((await consultationTranscript(test.db, tenant.organization.id, patient.consultationId))[0]!.file!.url).toBeNull();
    expect(await consultationTranscript(test.db, other.organization.id, patient.consultationId, { appSecret: APP_SECRET, now })).toEqual([]);
  });

  it("sends a file once, only the uploader's own, only from this call", async () => {
    const { patient, provider } = await inCall(tenant);
    const elsewhere = await inCall(tenant);
    const fileId = (await toCall(patient, { bytes: pdf(), name: "a.pdf" })).json.data.id;
    const unknown = (body: { json: { error: { details: { field: string; code: string }[] } } }) => body.json.error.details;

    const byOther = await roomCall(chatPost, "chat", provider, { fileId });
    expect(byOther.status).toBe(400);
    expect(unknown(byOther)).toEqual([expect.objectContaining({ field: "fileId", code: "unknown_file" })]);
    const fromAnotherCall = await roomCall(chatPost, "chat", elsewhere.patient, { fileId });
    expect(fromAnotherCall.status).toBe(400);
    expect((await roomCall(chatPost, "chat", patient, { fileId })).status).toBe(201);
    const again = await roomCall(chatPost, "chat", patient, { fileId, text: "once more" });
    expect(again.status).toBe(400);
    expect(unknown(again)[0]!.field).toBe("fileId");
    const notAnId = await roomCall(chatPost, "chat", patient, { fileId: "not-a-uuid" });
    expect(notAnId.status).toBe(400);
    expect(unknown(notAnId)[0]!.field).toBe("fileId");
    // Neither text nor file: the empty message the chat has always refused.
    const nothing = await roomCall(chatPost, "chat", patient, { text: "  " });
    expect(nothing.json.error.details).toEqual([expect.objectContaining({ field: "text", message: "must not be empty" })]);
  });

  it("takes files only from someone in the call, and not once it is over", async () => {
    const link = await newConsultation(tenant);
    const waiting = await signIn(link, "patient");
    const early = await toCall(waiting, { bytes: pdf(), name: "a.pdf" });
    expect([early.status, early.json.error.code]).toEqual([409, "not_in_call"]);

    const { patient, provider } = await inCall(tenant);
    expect((await roomCall(endRoute, "end", provider, { reason: "ended_by_provider" })).status).toBe(200);
    const late = await toCall(patient, { bytes: pdf(), name: "a.pdf" });
    expect([late.status, late.json.error.code]).toEqual([409, "chat_closed"]);
    const noSession = await sendFile(uploadToCall, {
      path: `/api/rooms/${patient.roomId}/chat/files?participantId=${patient.id}`,
      params: { roomId: patient.roomId },
      file: { bytes: pdf(), name: "a.pdf" },
    });
    expect(noSession.status).toBe(401);
    const refused = await test.db.execute(sql`select id from chat_files where room_id in (${patient.roomId}, ${waiting.roomId})`);
    expect(refused).toEqual([]);
    const tooBig = await toCall((await inCall(tenant)).patient, { bytes: pdf(CHAT_FILE_MAX_BYTES + 1), name: "big.pdf" });
    expect([tooBig.status, tooBig.json.error.code]).toEqual([413, "file_too_large"]);
  });
});

describe("DELETE /api/teleconsultation/{roomId}/uploads with TELECONSULTATION_DELETE_UPLOADS unset", () => {
  it("answers 204 and deletes nothing; an unknown room is still the contract's 404", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const session = await insertChatSession(test.db, tenant.organization.id, { roomId: room.roomId });
    const uploaded = await toSession(session.id, asUser(tenant, session.participants[0]!.externalId), { bytes: pdf(), name: "a.pdf" });
    const res = await call(deleteUploads, { method: "DELETE", path: `/api/teleconsultation/${room.roomId}/uploads`, headers: tenant.headers, params: { roomId: room.roomId } });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await fetchFile(uploaded.json.url)).status).toBe(200);
    const otherOrg = await call(deleteUploads, { method: "DELETE", path: `/api/teleconsultation/${room.roomId}/uploads`, headers: other.headers, params: { roomId: room.roomId } });
    expect(otherOrg.status).toBe(404);
    expect(otherOrg.json).toEqual({ error: `Room with id ${room.roomId} not found on CRUD`, code: "room_not_found" });
  });
});

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument({ serverUrl: "https://portal.test" });
  const examples = (apiPath: string, method: "post" | "delete", status: string) =>
    Object.values((doc.paths[apiPath]![method]!.responses[status] as ResponseObject).content!["application/json"]!.examples!).map((e) => e.value as Record<string, unknown>);

  it("documents the uploads, the download and the uploads' deletion with examples their schemas accept", () => {
    for (const value of examples("/api/chat-sessions/{chatSessionId}/files", "post", "201")) chatFileSchema.strict().parse(value);
    for (const value of examples("/api/rooms/{roomId}/chat/files", "post", "201")) chatFileSchema.strict().parse(value.data);
    for (const value of examples("/api/teleconsultation/{roomId}/uploads", "delete", "200")) deletedUploadsSchema.strict().parse(value);
    expect(Object.keys(doc.paths["/api/teleconsultation/{roomId}/uploads"]!.delete!.responses).sort()).toEqual(["200", "204", "401", "403", "404", "429", "500"]);
    expect(doc.paths["/api/chat-sessions/{chatSessionId}/files"]!.post!.requestBody!.content["multipart/form-data"]).toBeDefined();
    const download = doc.paths["/api/chat-files/{fileId}"]!.get!;
    expect(download.security).toEqual([]);
    expect(Object.keys((download.responses["200"] as ResponseObject).content!)).toEqual(["image/jpeg", "image/png", "image/webp", "application/pdf"]);
    expect(Object.keys((download.responses["200"] as ResponseObject).headers!)).toEqual(expect.arrayContaining(["Content-Disposition", "X-Content-Type-Options", "Cache-Control"]));
  });
});
