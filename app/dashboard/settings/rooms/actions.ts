"use server";

import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { RoomGroupsState } from "@/components/dashboard/RoomGroupsForm";
import { staffAction } from "@/lib/auth/staff-action";
import type { FormWording } from "@/lib/forms/form-state";
import { formText } from "@/lib/forms/read";
import { updateRoomGroups } from "@/lib/rooms/groups";

// The form's two texts as typed; updateRoomGroups checks them with the setting's one schema (roomGroupsSchema).
const groupsForm = z.object({ plus: formText, basic: formText });

/** The setting's own rules (lib/rooms/groups.ts), said with the names they are about. */
async function wording(): Promise<FormWording> {
  const t = await getTranslations("RoomGroupsForm");
  return {
    message: ({ code, params = {} }) => {
      const names = String(params.names ?? "");
      if (code === "invalid_group") return t("errors.invalidGroup", { names });
      if (code === "group_in_both") return t("errors.groupInBoth", { names });
      if (code === "no_plus_group") return t("errors.noPlusGroup");
      if (code === "too_many_groups") return t("errors.tooManyGroups", { maximum: Number(params.maximum) || 0 });
      return undefined;
    },
  };
}

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
}, wording);
