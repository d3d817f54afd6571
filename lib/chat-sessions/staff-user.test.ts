import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { updateRoomGroups } from "@/lib/rooms/groups";
import { createStaffMember, type StaffMember } from "@/lib/staff";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { staffChatUser } from "./staff-user";

const test = setupTestDatabase();

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});

let n = 0;
async function admin(t: Tenant, name: string | null = "Dr. Ana Martínez"): Promise<StaffMember> {
  const member = await createStaffMember(test.db, t.organization.id, { email: `Ana.Martinez${++n}@Clinic.example`, name: name ?? "x", role: "admin" });
  if (name === null) await test.db.execute(sql`update users set name = null where id = ${member.userId}`);
  return name === null ? { ...member, name: null } : member;
}

const entry = async (roomUserId: string) =>
  (
    await test.db.execute<{ organization_id: string; external_id: string; full_name: string; groups: string[]; staff_user_id: string | null }>(sql`
    select organization_id, external_id, full_name, groups, staff_user_id from room_users where id = ${roomUserId}`)
  )[0];

describe("staffChatUser", () => {
  it("makes the staff member's directory user on first need: their e-mail in lower case, their name, the first plus group; then finds the same one", async () => {
    await updateRoomGroups(test.db, tenant.organization.id, { plus: ["clinician", "doctor"], basic: ["patient"] });
    const staff = await admin(tenant);
    const user = await staffChatUser(test.db, tenant.organization.id, staff);
    expect(user).toEqual({ roomUserId: expect.any(String), externalId: staff.email.toLowerCase(), fullName: "Dr. Ana Martínez" });
    expect(await entry(user!.roomUserId)).toEqual({
      organization_id: tenant.organization.id,
      external_id: staff.email.toLowerCase(),
      full_name: "Dr. Ana Martínez",
      groups: ["clinician"],
      staff_user_id: staff.userId,
    });
    expect(await staffChatUser(test.db, tenant.organization.id, staff)).toEqual(user);
    // Two first page loads at once make one entry.
    const twin = await admin(tenant);
    const [a, b] = await Promise.all([staffChatUser(test.db, tenant.organization.id, twin), staffChatUser(test.db, tenant.organization.id, twin)]);
    expect(a).toEqual(b);
    const [{ count }] = (await test.db.execute<{ count: number }>(
      sql`select count(*)::int as count from room_users where staff_user_id = ${twin.userId}`,
    )) as unknown as [{ count: number }];
    expect(count).toBe(1);
  });

  it("links the entry an integrator already made with the staff member's e-mail, keeping its name and groups", async () => {
    const staff = await admin(other);
    const [made] = await test.db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${other.organization.id}, ${staff.email.toLowerCase()}, 'Ana M.', array['doctor','nurse'])
      returning id`);
    const user = await staffChatUser(test.db, other.organization.id, staff);
    expect(user).toEqual({ roomUserId: made!.id, externalId: staff.email.toLowerCase(), fullName: "Ana M." });
    expect(await entry(made!.id)).toMatchObject({ groups: ["doctor", "nurse"], staff_user_id: staff.userId });
  });

  it("names a staff member without a name by their e-mail, and takes nothing from another staff account's entry", async () => {
    const nameless = await admin(other, null);
    const user = await staffChatUser(test.db, other.organization.id, nameless);
    expect(user?.fullName).toBe(nameless.email.toLowerCase());
    // An account whose e-mail's entry is already another account's gets none (it cannot act, and says so).
    const impostor = { userId: (await admin(other)).userId, email: nameless.email, name: "Someone" };
    expect(await staffChatUser(test.db, other.organization.id, impostor)).toBeUndefined();
    expect(await entry(user!.roomUserId)).toMatchObject({ staff_user_id: nameless.userId });
  });

  it("keeps organizations apart: the same e-mail's entry in another organization is not linked", async () => {
    const staff = await admin(tenant);
    await test.db.execute(sql`
      insert into room_users (organization_id, external_id, full_name, groups) values (${other.organization.id}, ${staff.email.toLowerCase()}, 'Elsewhere', array['doctor'])`);
    const user = await staffChatUser(test.db, tenant.organization.id, staff);
    expect(await entry(user!.roomUserId)).toMatchObject({ organization_id: tenant.organization.id, full_name: "Dr. Ana Martínez" });
    const [theirs] = await test.db.execute<{ staff_user_id: string | null }>(sql`
      select staff_user_id from room_users where organization_id = ${other.organization.id} and external_id = ${staff.email.toLowerCase()}`);
    expect(theirs!.staff_user_id).toBeNull();
  });
});
