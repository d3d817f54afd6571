import type { Metadata } from "next";
import { RoomGroupsForm } from "@/components/dashboard/RoomGroupsForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { MAX_GROUPS_PER_PRIVILEGE, roomGroupsOf } from "@/lib/rooms/groups";
import { saveRoomGroups } from "./actions";

export const metadata: Metadata = { title: "Rooms" };

export default async function RoomSettingsPage() {
  const { db, staff } = await staffRequest("settings.manage");
  const groups = await roomGroupsOf(db, staff.organizationId);
  return (
    <>
      <h1>Rooms</h1>
      <p className={styles.muted}>
        Rooms made through the teleconsultation API name each person&apos;s groups. A person in a host group (plus) can end the call for everyone; a person in a
        participant group (basic) takes part. Someone in both kinds of group is a host; someone in neither cannot be added to a room.
      </p>
      <RoomGroupsForm
        save={saveRoomGroups}
        initial={{ plus: groups.plus.join(", "), basic: groups.basic.join(", ") }}
        usingDefaults={!groups.configured}
        maxGroups={MAX_GROUPS_PER_PRIVILEGE}
      />
    </>
  );
}
