import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { listChatSessionsForStaff } from "./dashboard";

const test = setupTestDatabase();

let tenant: Tenant;
let other: Tenant;
const users: Record<string, string> = {};

async function user(t: Tenant, externalId: string, fullName: string, group: string): Promise<string> {
  const [row] = await test.db.execute<{ id: string }>(sql`
    insert into room_users (organization_id, external_id, full_name, groups) values (${t.organization.id}, ${externalId}, ${fullName}, array[${group}]::text[]) returning id`);
  return row!.id;
}

/** A session in `state`, its stamps minutes ago, with these participants. */
async function session(t: Tenant, state: string, minutesAgo: number, people: string[], title: string | null = null): Promise<string> {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const [row] = await test.db.execute<{ id: string }>(sql`
    insert into chat_sessions (organization_id, state, title, created_at, updated_at, started_at)
    values (${t.organization.id}, ${state}::chat_session_state, ${title}, ${at}, ${at}, ${state === "created" ? null : at}) returning id`);
  for (const [position, id] of people.entries()) {
    await test.db.execute(sql`
      insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position) values (${row!.id}, ${id}, ${t.organization.id}, ${position})`);
  }
  return row!.id;
}

async function message(t: Tenant, chatSessionId: string, senderUserId: string, minutesAgo: number): Promise<number> {
  const [row] = await test.db.execute<{ id: number }>(sql`
    insert into chat_messages (organization_id, chat_session_id, sender_user_id, sender_role, sender_name, body, sent_at)
    values (${t.organization.id}, ${chatSessionId}, ${senderUserId}, 'member', 'x', 'hello', ${new Date(Date.now() - minutesAgo * 60_000).toISOString()}) returning id`);
  return Number(row!.id);
}

beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
  users.ana = await user(tenant, "ana@clinic.example", "Dr. Ana Martínez", "doctor");
  users.luis = await user(tenant, "patient-1", "Luis Pérez", "patient");
  users.marta = await user(tenant, "patient-2", "Marta Gómez", "patient");
});

describe("listChatSessionsForStaff", () => {
  it("puts those waiting for acceptance first (longest waiting on top), then those in progress, then the rest by latest activity", async () => {
    const finished = await session(tenant, "finished", 5, [users.luis!, users.ana!], "Old one");
    const created = await session(tenant, "created", 50, [users.marta!, users.ana!]);
    const waitingNew = await session(tenant, "started", 2, [users.luis!, users.ana!], "Rash");
    const waitingOld = await session(tenant, "started", 30, [users.marta!, users.ana!], "Fever");
    const activeQuiet = await session(tenant, "accepted", 60, [users.luis!, users.ana!]);
    const activeBusy = await session(tenant, "accepted", 90, [users.marta!, users.ana!]);
    await message(tenant, activeBusy, users.marta!, 1);
    await session(other, "started", 1, [await user(other, "x", "X", "patient")]);

    const { rows, more } = await listChatSessionsForStaff(test.db, {
      organizationId: tenant.organization.id,
      timeZone: "America/Bogota",
      roomUserId: users.ana!,
    });
    expect(more).toBe(false);
    expect(rows.map((r) => r.chatSessionId)).toEqual([waitingOld, waitingNew, activeBusy, activeQuiet, finished, created]);
    expect(rows[0]).toMatchObject({
      title: "Fever",
      state: "started",
      participants: [
        { externalId: "patient-2", name: "Marta Gómez", privilege: "basic" },
        { externalId: "ana@clinic.example", name: "Dr. Ana Martínez", privilege: "plus" },
      ],
      hasCall: false,
    });
    expect(rows[0]!.atLocal).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it("counts the viewer's unread messages from others after their read mark, and none for a viewer who does not take part", async () => {
    const s = await session(tenant, "accepted", 10, [users.luis!, users.ana!]);
    const first = await message(tenant, s, users.luis!, 9);
    await message(tenant, s, users.luis!, 8);
    await message(tenant, s, users.ana!, 7);
    await message(tenant, s, users.luis!, 6);
    await test.db.execute(
      sql`update chat_session_participants set last_seen_message_id = ${first} where chat_session_id = ${s} and room_user_id = ${users.ana!}`,
    );
    const ctx = { organizationId: tenant.organization.id, timeZone: "UTC" };
    const mine = (await listChatSessionsForStaff(test.db, { ...ctx, roomUserId: users.ana! })).rows.find((r) => r.chatSessionId === s);
    expect(mine!.unread).toBe(2);
    const reader = (await listChatSessionsForStaff(test.db, { ...ctx, roomUserId: users.marta! })).rows.find((r) => r.chatSessionId === s);
    expect(reader!.unread).toBeNull();
    const nobody = (await listChatSessionsForStaff(test.db, { ...ctx, roomUserId: null })).rows.find((r) => r.chatSessionId === s);
    expect(nobody!.unread).toBeNull();
    // A provider's list holds only their own chats: another clinician's is not in it.
    const own = (await listChatSessionsForStaff(test.db, { ...ctx, roomUserId: users.marta!, ownOnly: true })).rows;
    expect(own.some((r) => r.chatSessionId === s)).toBe(false);
    expect((await listChatSessionsForStaff(test.db, { ...ctx, roomUserId: users.ana!, ownOnly: true })).rows.some((r) => r.chatSessionId === s)).toBe(true);
  });

  it("cuts the list at its size and says there is more; another organization's sessions are never in it", async () => {
    const ctx = { organizationId: tenant.organization.id, timeZone: "UTC", roomUserId: null };
    const all = await listChatSessionsForStaff(test.db, ctx);
    const cut = await listChatSessionsForStaff(test.db, ctx, 3);
    expect(cut.more).toBe(true);
    expect(cut.rows.map((r) => r.chatSessionId)).toEqual(all.rows.slice(0, 3).map((r) => r.chatSessionId));
    const theirs = await listChatSessionsForStaff(test.db, { ...ctx, organizationId: other.organization.id });
    expect(theirs.rows).toHaveLength(1);
    expect(all.rows.some((r) => r.chatSessionId === theirs.rows[0]!.chatSessionId)).toBe(false);
  });
});
