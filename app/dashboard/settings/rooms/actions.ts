"use server";

import { z } from "zod";
import type { RoomGroupsState } from "@/components/dashboard/RoomGroupsForm";
import { staffAction } from "@/lib/auth/staff-action";
import { formText } from "@/lib/forms/read";
import { updateRoomGroups } from "@/lib/rooms/groups";

// The form's two texts as typed; updateRoomGroups checks them with the setting's one schema (roomGroupsSchema).
const groupsForm = z.object({ plus: formText, basic: formText });

export const saveRoomGroups = staffAction("settings.manage", groupsForm, async (values, { staff, audited }): Promise<RoomGroupsState> => {
  const { groups, changes } = await audited(
    (tx) => updateRoomGroups(tx, staff.organizationId, values),
    (saved) =>
      Object.keys(saved.changes).length > 0
        ? { action: "organization.room_groups_updated", detail: saved.changes, target: { type: "organization", id: staff.organizationId } }
        : null,
  );
  // What is now in force, written back the way the form shows it.
  return { values: { plus: groups.plus.join(", "), basic: groups.basic.join(", ") }, saved: Object.keys(changes) };
});
