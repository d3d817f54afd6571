import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as sessionRoute } from "@/app/api/join/[token]/session/route";
import { GET as download } from "@/app/api/chat-files/[fileId]/route";
import { POST as uploadToSession } from "@/app/api/chat-sessions/[chatSessionId]/files/route";
import { POST as uploadToCall } from "@/app/api/rooms/[roomId]/chat/files/route";
import { GET as chatGet, POST as chatPost } from "@/app/api/rooms/[roomId]/chat/route";
import { PUT as roomVideoRoute } from "@/app/api/rooms/[roomId]/video-room/route";
import { DELETE as deleteUploads } from "@/app/api/teleconsultation/[roomId]/uploads/route";
import { DELETE as deleteRoom, GET as readRoom } from "@/app/api/teleconsultation/[roomId]/route";
import { POST as createRoom } from "@/app/api/teleconsultation/route";
import { LocalDiskStorage, setFileStorage, type FileStorage } from "@/lib/storage";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { call, createTenant, type Tenant } from "@/test/api";
import { filesUnder, makeUndeletable, pdf, png, sendFile, type FileToSend } from "@/test/chat-files";
import { insertChatSession } from "@/test/chat-sessions";
import { setupTestDatabase } from "@/test/db";
import { startLocalS3, type LocalS3 } from "@/test/s3";

// The teleconsultation contract's switch, on for this file (read once per process).
process.env.TELECONSULTATION_DELETE_UPLOADS = "true";

const test = setupTestDatabase();
const directory = mkdtempSync(path.join(tmpdir(), "telemed-uploads-"));
const disk = new LocalDiskStorage(directory);

let tenant: Tenant;
let other: Tenant;
let s3: LocalS3;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.close();
  rmSync(directory, { recursive: true, force: true });
});

let rooms = 0;
/** A teleconsultation room made through the API, its two participants in the call through their personal links. */
async function roomInCall() {
  const n = ++rooms;
  const created = await call(createRoom, {
    path: "/api/teleconsultation",
    headers: tenant.headers,
    body: {
      participants: {
        number: 2,
        data: [
          { userExternalId: `del-doc-${n}`, groups: ["doctor"], fullName: "Dr. Ana Martínez" },
          { userExternalId: `del-pat-${n}`, groups: ["patient"], fullName: "Luis Pérez" },
        ],
      },
      start_date: new Date(Date.now() - 60_000).toISOString(),
      duration_in_seconds: 1800,
    },
  });
  expect(created.status, created.text).toBe(201);
  const roomId: string = created.json.roomId;
  const enter = async (userExternalId: string) => {
    const view = await call(readRoom, { path: `/api/teleconsultation/${roomId}`, headers: { ...tenant.headers, "x-user-id": userExternalId }, params: { roomId } });
    const token = new URL(view.json.accessLinkURL).pathname.split("/").pop()!;
    const opened = await call(sessionRoute, { path: `/api/join/${token}/session`, body: {}, params: { token } });
    const participantId: string = opened.json.data.participantId;
    const cookie = opened.headers.get("set-cookie")!.split(";")[0]!;
    const joined = await call(roomVideoRoute, { method: "PUT", path: `/api/rooms/${roomId}/video-room?participantId=${participantId}`, headers: { cookie }, params: { roomId } });
    expect(joined.status, joined.text).toBe(200);
    return { participantId, cookie };
  };
  const doctor = await enter(`del-doc-${n}`);
  const patient = await enter(`del-pat-${n}`);
  const upload = async (who: { participantId: string; cookie: string }, file: FileToSend) => {
    const res = await sendFile(uploadToCall, { path: `/api/rooms/${roomId}/chat/files?participantId=${who.participantId}`, params: { roomId }, headers: { cookie: who.cookie }, file });
    expect(res.status, res.text).toBe(201);
    return res.json.data as { id: string; url: string };
  };
  return { roomId, doctor, patient, upload, n };
}

async function uploadToChatSession(chatSessionId: string, externalId: string, file: FileToSend) {
  const res = await sendFile(uploadToSession, { path: `/api/chat-sessions/${chatSessionId}/files`, params: { chatSessionId }, headers: { ...tenant.headers, "x-user-id": externalId }, file });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; url: string };
}

const deleteAll = (roomId: string, headers: Record<string, string> = tenant.headers) =>
  call(deleteUploads, {
    method: "DELETE",
    path: `/api/teleconsultation/${roomId}/uploads`,
    headers: { ...headers, "user-agent": "clinic-his/2.1", "x-forwarded-for": "203.0.113.7" },
    params: { roomId },
  });

async function fetchStatus(url: string): Promise<number> {
  const parsed = new URL(url, "https://portal.test");
  const fileId = parsed.pathname.split("/").pop()!;
  const response = await download(new Request(`http://localhost${parsed.pathname}${parsed.search}`), { params: Promise.resolve({ fileId }) });
  await response.arrayBuffer();
  return response.status;
}

const deletedAt = async (ids: string[]) =>
  Object.fromEntries(
    (await test.db.execute<{ id: string; deleted: boolean }>(sql`select id, deleted_at is not null as deleted from chat_files where id in ${sql.raw(`('${ids.join("','")}')`)}`)).map((r) => [
      r.id,
      r.deleted,
    ]),
  );

const storageKeyOf = async (fileId: string) => (await test.db.execute<{ storage_key: string }>(sql`select storage_key from chat_files where id = ${fileId}`))[0]!.storage_key;

describe("DELETE /api/teleconsultation/{roomId}/uploads (TELECONSULTATION_DELETE_UPLOADS=true)", () => {
  it("deletes every file of the room, counts the one it could not, and a retry finishes it", async () => {
    setFileStorage(disk);
    const room = await roomInCall();
    const fromDoctor = await room.upload(room.doctor, { bytes: pdf(), name: "plan.pdf" });
    const fromPatient = await room.upload(room.patient, { bytes: await png(), name: "photo.png" });
    const sent = await call(chatPost, {
      path: `/api/rooms/${room.roomId}/chat?participantId=${room.patient.participantId}`,
      headers: { cookie: room.patient.cookie },
      params: { roomId: room.roomId },
      body: { fileId: fromPatient.id },
    });
    expect(sent.status, sent.text).toBe(201);
    // A chat session that turned into this call: its files are the room's too.
    const linked = await insertChatSession(test.db, tenant.organization.id, { roomId: room.roomId });
    const fromChat = await uploadToChatSession(linked.id, linked.participants[1]!.externalId, { bytes: pdf(), name: "labs.pdf" });
    // Files of another room and of an unlinked session stay.
    const elsewhere = await roomInCall();
    const kept = await elsewhere.upload(elsewhere.doctor, { bytes: pdf(), name: "other-room.pdf" });
    const unlinked = await insertChatSession(test.db, tenant.organization.id);
    const keptToo = await uploadToChatSession(unlinked.id, unlinked.participants[0]!.externalId, { bytes: pdf(), name: "unlinked.pdf" });
    const ours = [fromDoctor.id, fromPatient.id, fromChat.id];

    // One file cannot be deleted, for real: the disk refuses.
    const undo = makeUndeletable(disk.pathOf(await storageKeyOf(fromChat.id)));
    let first;
    try {
      first = await deleteAll(room.roomId);
    } finally {
      undo();
    }
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ total: 3, deleted: 2 });
    expect(await deletedAt(ours)).toEqual({ [fromDoctor.id]: true, [fromPatient.id]: true, [fromChat.id]: false });
    expect(await fetchStatus(fromDoctor.url)).toBe(404);
    expect(await fetchStatus(fromChat.url)).toBe(200);
    expect(filesUnder(directory)).toContain(disk.pathOf(await storageKeyOf(fromChat.id)));
    expect(filesUnder(directory)).not.toContain(disk.pathOf(await storageKeyOf(fromDoctor.id)));

    // The same request again finds only what is left, and finishes.
    const retry = await deleteAll(room.roomId);
    expect(retry.json).toEqual({ total: 1, deleted: 1 });
    expect(await deletedAt(ours)).toEqual({ [fromDoctor.id]: true, [fromPatient.id]: true, [fromChat.id]: true });
    expect(await fetchStatus(fromChat.url)).toBe(404);
    expect((await deleteAll(room.roomId)).json).toEqual({ total: 0, deleted: 0 });

    // Nothing else was touched.
    expect(await fetchStatus(kept.url)).toBe(200);
    expect(await fetchStatus(keptToo.url)).toBe(200);

    // The transcript still says a file was there, with no link to it.
    const history = await call(chatGet, {
      path: `/api/rooms/${room.roomId}/chat?participantId=${room.doctor.participantId}`,
      headers: { cookie: room.doctor.cookie },
      params: { roomId: room.roomId },
    });
    expect(history.json.data[0].file).toEqual({ id: fromPatient.id, name: "photo.png", contentType: "image/png", size: expect.any(Number), url: null });

    // Each request is in the audit log: the credential, where from, the counts, the file that failed.
    const audit = await test.db.execute<{ actor_label: string; target_type: string; target_id: string; ip: string; user_agent: string; detail: Record<string, unknown> }>(sql`
      select actor_label, target_type, target_id, host(ip) as ip, user_agent, detail from audit_log
      where organization_id = ${tenant.organization.id} and action = 'teleconsultation.uploads_deleted' order by id`);
    expect(audit).toHaveLength(3);
    expect(audit[0]).toEqual({
      actor_label: `API credential ${tenant.credential.keyId}`,
      target_type: "room",
      target_id: room.roomId,
      ip: "203.0.113.7",
      user_agent: "clinic-his/2.1",
      detail: { total: 3, deleted: 2, failedFileIds: [fromChat.id] },
    });
    expect(audit[1]!.detail).toEqual({ total: 1, deleted: 1, failedFileIds: [] });
  });

  it("works on a room already deleted (TRASH keeps the files until asked), never on another organization's", async () => {
    setFileStorage(disk);
    const room = await roomInCall();
    const file = await room.upload(room.doctor, { bytes: pdf(), name: "a.pdf" });
    expect((await call(deleteRoom, { method: "DELETE", path: `/api/teleconsultation/${room.roomId}`, headers: tenant.headers, params: { roomId: room.roomId } })).status).toBe(204);

    const otherOrg = await deleteAll(room.roomId, other.headers);
    expect(otherOrg.status).toBe(404);
    expect(otherOrg.json).toEqual({ error: `Room with id ${room.roomId} not found on CRUD`, code: "room_not_found" });
    for (const roomId of ["3f2a9c1e-4b7d-4e2a-9c1f-0a1b2c3d4e5f", "room_xyz"]) {
      const missing = await deleteAll(roomId);
      expect([missing.status, missing.json.code]).toEqual([404, "room_not_found"]);
    }
    const [user] = await test.db.execute<{ id: string }>(sql`select id from room_users where organization_id = ${tenant.organization.id} and external_id = ${`del-doc-${room.n}`}`);
    const token = await mintUserToken(process.env.APP_SECRET!, { roomUserId: user!.id, organizationId: tenant.organization.id, apiKeyId: tenant.credential.id }, new Date(), 600);
    const byUser = await deleteAll(room.roomId, { authorization: `Bearer ${token.accessToken}` });
    expect([byUser.status, byUser.json.code]).toEqual([403, "user_token_not_allowed"]);
    expect(await fetchStatus(file.url)).toBe(200);

    expect((await deleteAll(room.roomId)).json).toEqual({ total: 1, deleted: 1 });
    expect(await fetchStatus(file.url)).toBe(404);
  });

  it("with an S3-compatible store: files round-trip, and a store that is down is counted, then a retry finishes", async () => {
    const storage: FileStorage = s3.storage();
    setFileStorage(storage);
    const room = await roomInCall();
    const document = pdf(200_000);
    const a = await room.upload(room.doctor, { bytes: document, name: "a.pdf" });
    const b = await room.upload(room.patient, { bytes: await png(), name: "b.png" });
    const parsed = new URL(a.url, "https://portal.test");
    const got = await download(new Request(`http://localhost${parsed.pathname}${parsed.search}`), { params: Promise.resolve({ fileId: a.id }) });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-disposition")).toContain("attachment;");
    expect(Buffer.from(await got.arrayBuffer()).equals(document)).toBe(true);
    expect(await storage.exists(await storageKeyOf(a.id))).toBe(true);

    await s3.stop();
    let down;
    try {
      down = await deleteAll(room.roomId);
    } finally {
      await s3.restart();
    }
    expect(down.status).toBe(200);
    expect(down.json).toEqual({ total: 2, deleted: 0 });
    expect(await deletedAt([a.id, b.id])).toEqual({ [a.id]: false, [b.id]: false });

    expect((await deleteAll(room.roomId)).json).toEqual({ total: 2, deleted: 2 });
    expect(await storage.exists(await storageKeyOf(a.id))).toBe(false);
    expect(await storage.exists(await storageKeyOf(b.id))).toBe(false);
    expect(await fetchStatus(a.url)).toBe(404);
  });
});
