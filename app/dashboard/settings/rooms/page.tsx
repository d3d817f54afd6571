import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RoomGroupsForm } from "@/components/dashboard/RoomGroupsForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { MAX_GROUPS_PER_PRIVILEGE, roomGroupsOf } from "@/lib/rooms/groups";
import { saveRoomGroups } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Settings");
  return { title: t("sections.rooms") };
}

export default async function RoomSettingsPage() {
  const { db, staff } = await staffRequest("settings.manage");
  const [groups, t] = await Promise.all([roomGroupsOf(db, staff.organizationId), getTranslations("Settings")]);
  return (
    <>
      <h1>{t("sections.rooms")}</h1>
      <p className={styles.muted}>{t("roomsIntro")}</p>
      <RoomGroupsForm
        save={saveRoomGroups}
        initial={{ plus: groups.plus.join(", "), basic: groups.basic.join(", ") }}
        usingDefaults={!groups.configured}
        maxGroups={MAX_GROUPS_PER_PRIVILEGE}
      />
    </>
  );
}
