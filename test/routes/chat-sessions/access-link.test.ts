import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as readOne } from "@/app/api/chat-sessions/[chatSessionId]/route";
import { POST as create } from "@/app/api/chat-sessions/route";
import { POST as credentials } from "@/app/api/credentials/route";
import { readChatLink } from "@/lib/chat-sessions/link";
import { openChatLink } from "@/lib/chat-sessions/open-link";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";

const test = setupTestDatabase();
const SECRET = process.env.APP_SECRET!;

let tenant: Tenant;
let sessionId: string;
const users: Record<string, string> = {};

beforeAll(async () => {
  tenant = await createTenant(test.db);
  for (const [externalId, group] of [
    ["patient-1", "patient"],
    ["ana@clinic.example", "doctor"],
    ["patient-2", "patient"],
  ]) {
    const [row] = await test.db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${tenant.organization.id}, ${externalId}, ${externalId}, array[${group}]::text[]) returning id`);
    users[externalId!] = row!.id;
  }
  const created = await call(create, {
    path: "/api/chat-sessions",
    headers: tenant.headers,
    body: { participants: ["patient-1", "ana@clinic.example"], title: "Hello" },
  });
  expect(created.status, created.text).toBe(200);
  sessionId = created.json.id;
});

const get = (headers: Record<string, string>) => call(readOne, { path: `/api/chat-sessions/${sessionId}`, headers, params: { chatSessionId: sessionId } });

describe("GET /api/chat-sessions/{id}: the named user's chat page (accessLinkURL)", () => {
  it("gives a participant named with X-User-Id their link, minted now with this credential, which opens the page as them", async () => {
    const before = Date.now();
    const read = await get({ ...tenant.headers, "x-user-id": "patient-1" });
    expect(read.status, read.text).toBe(200);
    expect(read.json.accessLinkURL).toMatch(/^https:\/\/portal\.test\/chat\/cl_[A-Za-z0-9_-]{94}$/);
    const token = read.json.accessLinkURL.split("/chat/")[1];
    const link = readChatLink(SECRET, token)!;
    expect(link).toMatchObject({ chatSessionId: sessionId, roomUserId: users["patient-1"], apiKeyId: tenant.credential.id });
    expect(link.issuedAt.getTime()).toBeGreaterThanOrEqual(before);
    const opened = await openChatLink(test.db, { appSecret: SECRET, token, now: new Date(), ttlSeconds: 86_400 });
    expect(opened).toMatchObject({ status: "open", chatSessionId: sessionId, user: { externalId: "patient-1", privilege: "basic" } });
  });

  it("gives a user token its own user's link too; the integrator alone gets none", async () => {
    const minted = await call(credentials, { path: "/api/credentials", headers: { ...tenant.headers, "x-user-id": "ana@clinic.example" }, body: {} });
    expect(minted.status, minted.text).toBe(201);
    const read = await get({ authorization: `Bearer ${minted.json.accessToken}` });
    expect(read.status, read.text).toBe(200);
    expect(readChatLink(SECRET, read.json.accessLinkURL.split("/chat/")[1])).toMatchObject({
      roomUserId: users["ana@clinic.example"],
      apiKeyId: tenant.credential.id,
    });
    const alone = await get(tenant.headers);
    expect(alone.json).not.toHaveProperty("accessLinkURL");
  });

  it("gives no link to a user who does not take part (they do not see the session at all)", async () => {
    const read = await get({ ...tenant.headers, "x-user-id": "patient-2" });
    expect(read.status).toBe(404);
    expect(read.text).not.toContain("/chat/");
  });
});
