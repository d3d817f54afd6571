import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { revokeApiCredential } from "@/lib/auth/api-keys";
import { verifyUserToken } from "@/lib/teleconsultation/user-token";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { chatAccessLink, chatLinkOpens, chatLinkUrl, isChatLinkToken, mintChatLink, readChatLink } from "./link";
import { CHAT_PAGE_TOKEN_SECONDS, openChatLink } from "./open-link";

const test = setupTestDatabase();
const SECRET = "chat-link-test-secret-at-least-32-characters";
const DAY = 86_400;

const ids = {
  chatSessionId: "0f0e0d0c-0b0a-4908-8706-050403020100",
  roomUserId: "8d7c3a0e-4b1f-4c2d-9e8f-112233445566",
  apiKeyId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
};

describe("chat link tokens", () => {
  it("carry the session, the user, the credential and the minting time, signed", () => {
    const now = new Date("2026-03-02T14:05:06.789Z");
    const token = mintChatLink(SECRET, ids, now);
    expect(token).toMatch(/^cl_[A-Za-z0-9_-]{94}$/);
    expect(isChatLinkToken(token)).toBe(true);
    expect(readChatLink(SECRET, token)).toEqual({ ...ids, issuedAt: now });
    expect(chatLinkUrl("https://portal.example/", token)).toBe(`https://portal.example/chat/${token}`);
  });

  it("read as nothing when tampered, signed with another secret, cut short or not a chat link", () => {
    const token = mintChatLink(SECRET, ids, new Date());
    for (const at of [3, 20, 40, 60, 80]) {
      const tampered = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
      expect(readChatLink(SECRET, tampered)).toBeUndefined();
    }
    expect(readChatLink("another-secret-at-least-32-characters-long", token)).toBeUndefined();
    expect(readChatLink(SECRET, token.slice(0, -1))).toBeUndefined();
    expect(readChatLink(SECRET, `rl_${token.slice(3)}`)).toBeUndefined();
    expect(readChatLink(SECRET, `${token.slice(0, -1)}=`)).toBeUndefined();
    expect(readChatLink(SECRET, "")).toBeUndefined();
  });

  it("open while younger than the TTL, and not when minted in the future", () => {
    const now = new Date("2026-03-02T14:00:00Z");
    const at = (ms: number) => readChatLink(SECRET, mintChatLink(SECRET, ids, new Date(now.getTime() + ms)))!;
    expect(chatLinkOpens(at(-(DAY * 1000 - 1000)), now, DAY)).toBe(true);
    expect(chatLinkOpens(at(-DAY * 1000), now, DAY)).toBe(false);
    expect(chatLinkOpens(at(30_000), now, DAY)).toBe(true);
    expect(chatLinkOpens(at(5 * 60_000), now, DAY)).toBe(false);
  });
});

describe("chatAccessLink", () => {
  const session = { id: ids.chatSessionId, participants: ["patient-1", "doctor-1"] };
  const ctx = { caller: { apiKeyId: ids.apiKeyId }, room: { now: new Date("2026-03-02T14:00:00Z") } };

  it("is the named participant's chat page, minted now with the request's credential", () => {
    const url = chatAccessLink(ctx, session, { roomUserId: ids.roomUserId, externalId: "patient-1" });
    expect(url).toMatch(/^https:\/\/portal\.test\/chat\/cl_[A-Za-z0-9_-]{94}$/);
    expect(readChatLink(process.env.APP_SECRET!, url!.split("/chat/")[1]!)).toEqual({ ...ids, issuedAt: ctx.room.now });
  });

  it("is null for someone who does not take part", () => {
    expect(chatAccessLink(ctx, session, { roomUserId: ids.roomUserId, externalId: "patient-2" })).toBeNull();
  });
});

/** A chat session of the API (origin api) with these room users as participants, in order. */
async function insertChatSession(db: Db, organizationId: string, people: { externalId: string; fullName: string; group: string }[]) {
  const users: string[] = [];
  for (const p of people) {
    const [row] = await db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${organizationId}, ${p.externalId}, ${p.fullName}, array[${p.group}]::text[])
      on conflict (organization_id, external_id) do update set full_name = excluded.full_name returning id`);
    users.push(row!.id);
  }
  const [session] = await db.execute<{ id: string }>(sql`
    insert into chat_sessions (organization_id, title, created_by) values (${organizationId}, 'Follow-up', ${users[0]!}) returning id`);
  for (const [position, roomUserId] of users.entries()) {
    await db.execute(sql`
      insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position) values (${session!.id}, ${roomUserId}, ${organizationId}, ${position})`);
  }
  return { chatSessionId: session!.id, users };
}

describe("openChatLink", () => {
  let tenant: Tenant;
  let other: Tenant;
  let session: Awaited<ReturnType<typeof insertChatSession>>;
  beforeAll(async () => {
    tenant = await createTenant(test.db, { name: "Clínica Norte" });
    other = await createTenant(test.db);
    session = await insertChatSession(test.db, tenant.organization.id, [
      { externalId: "patient-1", fullName: "Luis Pérez", group: "patient" },
      { externalId: "doctor-1", fullName: "Dr. Ana Martínez", group: "doctor" },
    ]);
  });

  const open = (token: string, now = new Date()) => openChatLink(test.db, { appSecret: SECRET, token, now, ttlSeconds: DAY });
  const linkFor = (roomUserId: string, overrides: Partial<typeof ids> = {}, now = new Date()) =>
    mintChatLink(SECRET, { chatSessionId: session.chatSessionId, roomUserId, apiKeyId: tenant.credential.id, ...overrides }, now);

  it("opens as the participant it names, with a user token for the chat-sessions API that lasts 12 hours", async () => {
    const now = new Date();
    const opened = await open(linkFor(session.users[0]!, {}, new Date(now.getTime() - 3 * 3600_000)), now);
    expect(opened).toMatchObject({
      status: "open",
      chatSessionId: session.chatSessionId,
      organizationName: "Clínica Norte",
      user: { externalId: "patient-1", fullName: "Luis Pérez", privilege: "basic" },
      people: [
        { externalId: "patient-1", fullName: "Luis Pérez" },
        { externalId: "doctor-1", fullName: "Dr. Ana Martínez" },
      ],
    });
    if (opened.status !== "open") throw new Error("not opened");
    expect(opened.userToken.expiresAt.getTime() - Math.floor(now.getTime() / 1000) * 1000).toBe(CHAT_PAGE_TOKEN_SECONDS * 1000);
    expect(await verifyUserToken(SECRET, opened.userToken.accessToken, now)).toEqual({
      roomUserId: session.users[0],
      organizationId: tenant.organization.id,
      apiKeyId: tenant.credential.id,
    });
  });

  it("says expired, with the session id only, once the link is older than its TTL", async () => {
    const now = new Date();
    expect(await open(linkFor(session.users[0]!, {}, new Date(now.getTime() - DAY * 1000 - 1)), now)).toEqual({
      status: "expired",
      chatSessionId: session.chatSessionId,
    });
  });

  it("finds nothing for a forged link, a user who does not take part, another organization's credential or session, or a revoked credential", async () => {
    expect(await open("cl_" + "A".repeat(94))).toEqual({ status: "not_found" });
    const [stranger] = await test.db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${tenant.organization.id}, 'stranger', 'Someone Else', array['patient']) returning id`);
    expect(await open(linkFor(stranger!.id))).toEqual({ status: "not_found" });
    // Another organization's credential with this session, and this credential with another organization's session.
    expect(await open(linkFor(session.users[0]!, { apiKeyId: other.credential.id }))).toEqual({ status: "not_found" });
    const theirs = await insertChatSession(test.db, other.organization.id, [
      { externalId: "patient-1", fullName: "Luis Pérez", group: "patient" },
      { externalId: "doctor-1", fullName: "Dr. Ana Martínez", group: "doctor" },
    ]);
    expect(await open(linkFor(theirs.users[0]!, { chatSessionId: theirs.chatSessionId }))).toEqual({ status: "not_found" });
    // The same link opens until its credential is revoked.
    const token = linkFor(session.users[1]!);
    expect(await open(token)).toMatchObject({ status: "open", user: { externalId: "doctor-1", privilege: "plus" } });
    const spare = await createTenant(test.db);
    const spareSession = await insertChatSession(test.db, spare.organization.id, [{ externalId: "p", fullName: "P", group: "patient" }]);
    const spareToken = mintChatLink(
      SECRET,
      { chatSessionId: spareSession.chatSessionId, roomUserId: spareSession.users[0]!, apiKeyId: spare.credential.id },
      new Date(),
    );
    expect((await open(spareToken)).status).toBe("open");
    await revokeApiCredential(test.db, spare.organization.id, spare.credential.keyId);
    expect(await open(spareToken)).toEqual({ status: "not_found" });
  });

  it("finds nothing once the user is no longer a participant, and still opens a finished session (its transcript stays readable)", async () => {
    const s = await insertChatSession(test.db, tenant.organization.id, [
      { externalId: "patient-2", fullName: "Marta Gómez", group: "patient" },
      { externalId: "doctor-1", fullName: "Dr. Ana Martínez", group: "doctor" },
    ]);
    const patient = mintChatLink(SECRET, { chatSessionId: s.chatSessionId, roomUserId: s.users[0]!, apiKeyId: tenant.credential.id }, new Date());
    await test.db.execute(sql`update chat_sessions set state = 'finished', finished_at = now() where id = ${s.chatSessionId}`);
    expect((await open(patient)).status).toBe("open");
    await test.db.execute(sql`delete from chat_session_participants where chat_session_id = ${s.chatSessionId} and room_user_id = ${s.users[0]!}`);
    expect(await open(patient)).toEqual({ status: "not_found" });
  });
});
