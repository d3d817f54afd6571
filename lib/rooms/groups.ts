import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { organizations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf, firstPerField } from "@/lib/validation/field-errors";

/**
 * Which room-user groups host a room (plus: can end the call for everyone, admit) and which only
 * take part (basic), per organization (`organizations.room_groups`). A user's groups come from the
 * integrator (`groups` in the teleconsultation API); a group in neither list gives no privilege.
 */
export type RoomGroups = { readonly plus: readonly string[]; readonly basic: readonly string[] };
export type RoomPrivilege = "plus" | "basic";

/** When an organization has configured nothing: the seed's own examples (a doctor hosts; a patient or customer takes part). */
export const DEFAULT_ROOM_GROUPS: RoomGroups = Object.freeze({ plus: Object.freeze(["doctor"]), basic: Object.freeze(["patient", "customer"]) });

export const ROOM_GROUP_PATTERN = /^[a-z0-9_-]{1,40}$/;
export const MAX_GROUPS_PER_PRIVILEGE = 50;
const GROUP_MESSAGE = "must be lower-case words of 1 to 40 letters, digits, _ or - (such as doctor, nurse_2)";

/** A list as a form sends it (one text, names separated by commas, spaces or new lines) or as an array; blanks and repeats go. */
const groupList = z
  .union([z.string().max(4000, "is too long"), z.array(z.string().max(200, "is too long")).max(500, "has too many names")], { error: "must be a list of group names" })
  .transform((value) => {
    const names = (typeof value === "string" ? value.split(/[\s,;]+/) : value.map((name) => name.trim())).filter((name) => name !== "");
    return [...new Set(names)];
  })
  .superRefine((names, ctx) => {
    const wrong = names.filter((name) => !ROOM_GROUP_PATTERN.test(name));
    if (wrong.length > 0) {
      const shown = wrong
        .slice(0, 3)
        .map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name))
        .join(", ");
      ctx.addIssue({ code: "custom", message: `${GROUP_MESSAGE}; not ${shown}`, params: { code: "invalid_group", names: shown } });
    }
    if (names.length > MAX_GROUPS_PER_PRIVILEGE) ctx.addIssue({ code: "custom", message: `must name at most ${MAX_GROUPS_PER_PRIVILEGE} groups`, params: { code: "too_many_groups", maximum: MAX_GROUPS_PER_PRIVILEGE } });
  });

/** The one schema for the setting: the dashboard's form and anything else that changes it. */
export const roomGroupsSchema = z
  .object({ plus: groupList, basic: groupList })
  .superRefine((groups, ctx) => {
    if (groups.plus.length === 0) ctx.addIssue({ code: "custom", path: ["plus"], message: "must name at least one group: a room needs a host", params: { code: "no_plus_group" } });
    const both = groups.basic.filter((name) => groups.plus.includes(name));
    if (both.length > 0) {
      ctx.addIssue({ code: "custom", path: ["basic"], message: `must not also list a plus group: ${both.join(", ")}`, params: { code: "group_in_both", names: both.join(", ") } });
    }
  });

export type RoomGroupsInput = z.input<typeof roomGroupsSchema>;

/**
 * The privilege of a user with these groups: plus when any of them is a plus group, else basic when
 * any is a basic group (a user with several groups takes the highest), else null. Exact names.
 */
export function privilegeFor(groups: readonly string[], config: RoomGroups): RoomPrivilege | null {
  if (groups.some((group) => config.plus.includes(group))) return "plus";
  if (groups.some((group) => config.basic.includes(group))) return "basic";
  return null;
}

/** A stored value as the setting: anything malformed (hand-edited) reads as the defaults. */
function storedGroups(value: unknown): RoomGroups {
  if (value === null || value === undefined) return DEFAULT_ROOM_GROUPS;
  const parsed = roomGroupsSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_ROOM_GROUPS;
}

/** The organization's groups: the configured lists, or the defaults when it has configured none. */
export async function roomGroupsOf(db: Db, organizationId: string): Promise<RoomGroups & { configured: boolean }> {
  const [row] = await db.select({ roomGroups: organizations.roomGroups }).from(organizations).where(eq(organizations.id, organizationId));
  if (!row) throw AppError.notFound("Organization");
  const groups = storedGroups(row.roomGroups);
  return { plus: groups.plus, basic: groups.basic, configured: row.roomGroups !== null && groups !== DEFAULT_ROOM_GROUPS };
}

export type RoomGroupsChanges = Partial<Record<"plus" | "basic", { from: readonly string[]; to: readonly string[] }>>;

/**
 * Saves the organization's groups (always the signed-in admin's own organization). Returns what is
 * now in force and what changed, list by list, for the audit log; nothing changed, nothing written.
 */
export async function updateRoomGroups(db: Db, organizationId: string, input: RoomGroupsInput): Promise<{ groups: RoomGroups; changes: RoomGroupsChanges }> {
  const parsed = roomGroupsSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(firstPerField(fieldErrorsOf(parsed.error)));
  }
  const next = parsed.data;
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ roomGroups: organizations.roomGroups }).from(organizations).where(eq(organizations.id, organizationId)).for("update");
    if (!row) throw AppError.notFound("Organization");
    const current = storedGroups(row.roomGroups);
    const changes: RoomGroupsChanges = {};
    for (const list of ["plus", "basic"] as const) {
      if (current[list].join(",") !== next[list].join(",")) changes[list] = { from: current[list], to: next[list] };
    }
    if (Object.keys(changes).length === 0 && row.roomGroups !== null) return { groups: current, changes };
    await tx.update(organizations).set({ roomGroups: next, updatedAt: new Date() }).where(eq(organizations.id, organizationId));
    return { groups: next, changes };
  });
}
