import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { organizations } from "@/db/schema";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { DEFAULT_ROOM_GROUPS, privilegeFor, roomGroupsOf, roomGroupsSchema, updateRoomGroups } from "./groups";

const ctx = setupTestDatabase();

describe("privilegeFor", () => {
  const config = { plus: ["doctor", "nurse"], basic: ["patient", "customer"] };
  test.each([
    [["doctor"], "plus"],
    [["patient"], "basic"],
    [["customer"], "basic"],
    // Several groups: the highest wins, whatever the order.
    [["patient", "doctor"], "plus"],
    [["doctor", "patient"], "plus"],
    [["interpreter", "customer"], "basic"],
    // None matching: no privilege (the API refuses such a user).
    [["interpreter"], null],
    [[], null],
    // Exact names: case and blanks matter.
    [["Doctor"], null],
    [[" doctor"], null],
  ] as const)("%j is %s", (groups, expected) => {
    expect(privilegeFor(groups, config)).toBe(expected);
  });

  test("the defaults make the seed's examples work", () => {
    expect(DEFAULT_ROOM_GROUPS).toEqual({ plus: ["doctor"], basic: ["patient", "customer"] });
    expect(privilegeFor(["doctor"], DEFAULT_ROOM_GROUPS)).toBe("plus");
    expect(privilegeFor(["patient"], DEFAULT_ROOM_GROUPS)).toBe("basic");
    expect(privilegeFor(["customer"], DEFAULT_ROOM_GROUPS)).toBe("basic");
    expect(privilegeFor(["interpreter"], DEFAULT_ROOM_GROUPS)).toBeNull();
    expect(Object.isFrozen(DEFAULT_ROOM_GROUPS.plus)).toBe(true);
  });
});

describe("the groups schema", () => {
  test("reads a form's text (commas, spaces, new lines) or an array, without blanks and repeats", () => {
    expect(roomGroupsSchema.parse({ plus: " doctor, nurse\nnurse ,, ", basic: ["patient", " customer ", "", "patient"] })).toEqual({
      plus: ["doctor", "nurse"],
      basic: ["patient", "customer"],
    });
    expect(roomGroupsSchema.parse({ plus: "doctor", basic: "" })).toEqual({ plus: ["doctor"], basic: [] });
  });

  test.each([
    ["plus", { plus: "", basic: "patient" }, "must name at least one group: a room needs a host"],
    ["plus", { plus: "Doctor", basic: "patient" }, 'must be lower-case words of 1 to 40 letters, digits, _ or - (such as doctor, nurse_2); not "Doctor"'],
    ["basic", { plus: "doctor", basic: "pa.tient" }, 'must be lower-case words of 1 to 40 letters, digits, _ or - (such as doctor, nurse_2); not "pa.tient"'],
    ["basic", { plus: "doctor", basic: "x".repeat(41) }, `must be lower-case words of 1 to 40 letters, digits, _ or - (such as doctor, nurse_2); not "${"x".repeat(40)}…"`],
    ["basic", { plus: "doctor, nurse", basic: "patient nurse doctor" }, "must not also list a plus group: nurse, doctor"],
    ["plus", { plus: Array.from({ length: 51 }, (_, i) => `g${i}`), basic: "" }, "must name at most 50 groups"],
  ])("refuses a wrong %s: %j", async (field, input, message) => {
    const { organization } = await createTenant(ctx.db);
    const refused = await refusal(updateRoomGroups(ctx.db, organization.id, input));
    expect([refused.status, refused.code]).toEqual([400, "validation_error"]);
    expect(refused.details).toEqual([expect.objectContaining({ field, message })]);
    expect((await roomGroupsOf(ctx.db, organization.id)).configured).toBe(false);
  });

  test("fifty in each list is allowed", () => {
    const fifty = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}`);
    expect(roomGroupsSchema.safeParse({ plus: fifty("p"), basic: fifty("b") }).success).toBe(true);
  });
});

describe("an organization's groups", () => {
  test("are the defaults until an admin saves them, then what was saved; changes are reported list by list", async () => {
    const { organization } = await createTenant(ctx.db);
    expect(await roomGroupsOf(ctx.db, organization.id)).toEqual({ ...DEFAULT_ROOM_GROUPS, configured: false });

    const first = await updateRoomGroups(ctx.db, organization.id, { plus: "doctor, nurse", basic: "patient, customer, interpreter" });
    expect(first.groups).toEqual({ plus: ["doctor", "nurse"], basic: ["patient", "customer", "interpreter"] });
    expect(first.changes).toEqual({
      plus: { from: ["doctor"], to: ["doctor", "nurse"] },
      basic: { from: ["patient", "customer"], to: ["patient", "customer", "interpreter"] },
    });
    expect(await roomGroupsOf(ctx.db, organization.id)).toEqual({ plus: ["doctor", "nurse"], basic: ["patient", "customer", "interpreter"], configured: true });

    // The same again changes nothing; one list at a time is reported alone.
    expect((await updateRoomGroups(ctx.db, organization.id, { plus: ["doctor", "nurse"], basic: "patient customer interpreter" })).changes).toEqual({});
    expect((await updateRoomGroups(ctx.db, organization.id, { plus: "doctor", basic: "patient customer interpreter" })).changes).toEqual({
      plus: { from: ["doctor", "nurse"], to: ["doctor"] },
    });
  });

  test("saving the defaults the first time stores them, with nothing changed", async () => {
    const { organization } = await createTenant(ctx.db);
    const saved = await updateRoomGroups(ctx.db, organization.id, { plus: "doctor", basic: "patient, customer" });
    expect(saved.changes).toEqual({});
    expect(await roomGroupsOf(ctx.db, organization.id)).toEqual({ ...DEFAULT_ROOM_GROUPS, configured: true });
  });

  test("belong to one organization; an unknown one is not found; a malformed stored value reads as the defaults", async () => {
    const mine = await createTenant(ctx.db);
    const theirs = await createTenant(ctx.db);
    await updateRoomGroups(ctx.db, mine.organization.id, { plus: "host", basic: "guest" });
    expect(await roomGroupsOf(ctx.db, theirs.organization.id)).toEqual({ ...DEFAULT_ROOM_GROUPS, configured: false });
    expect(await roomGroupsOf(ctx.db, mine.organization.id)).toMatchObject({ plus: ["host"], basic: ["guest"] });

    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await refusal(roomGroupsOf(ctx.db, unknown))).status).toBe(404);
    expect((await refusal(updateRoomGroups(ctx.db, unknown, { plus: "doctor", basic: "" }))).status).toBe(404);

    await ctx.db
      .update(organizations)
      .set({ roomGroups: { plus: [], basic: ["patient"] } })
      .where(eq(organizations.id, theirs.organization.id));
    expect(await roomGroupsOf(ctx.db, theirs.organization.id)).toEqual({ ...DEFAULT_ROOM_GROUPS, configured: false });
  });
});
