import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatSessionsTable } from "@/components/dashboard/ChatSessionsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { staffRequest } from "@/lib/auth/staff-action";
import { CHAT_LIST_SIZE, listChatSessionsForStaff, staffSeesOwnChatsOnly } from "@/lib/chat-sessions/dashboard";
import { staffChatUser } from "@/lib/chat-sessions/staff-user";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Chats");
  return { title: t("title") };
}

/**
 * The clinic's chat consultations, waiting ones first. Opening it gives the signed-in clinician
 * their directory user (so an integrator can name them by e-mail); every chat event of the
 * organization renders it again (LiveRefresh).
 */
export default async function ChatSessionsPage() {
  const { db, staff, organization } = await staffRequest("chats.view");
  const [t, tTables] = await Promise.all([getTranslations("Chats"), getTranslations("Tables")]);
  const me = await staffChatUser(db, staff.organizationId, staff);
  const { rows, more } = await listChatSessionsForStaff(db, {
    organizationId: staff.organizationId,
    timeZone: organization.timezone,
    roomUserId: me?.roomUserId ?? null,
    ownOnly: staffSeesOwnChatsOnly(staff),
  });
  const waiting = rows.filter((r) => r.state === "started").length;
  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
      </div>
      <p className={styles.muted}>
        {t("intro")}
        {me ? (
          <>
            {" "}
            {t.rich("yourName", { name: me.externalId, strong: (chunks) => <strong>{chunks}</strong> })}
          </>
        ) : null}
      </p>
      <p className={styles.muted} aria-live="polite" data-testid="chat-summary">
        {rows.length === 0 ? t("countNone") : t("count", { waiting, count: rows.length })} · {tTables("timesIn", { timeZone: organization.timezone })}
      </p>
      <ChatSessionsTable rows={rows} timeZone={organization.timezone} />
      {more ? <p className={styles.muted}>{t.rich("more", { count: CHAT_LIST_SIZE, code: (chunks) => <code>{chunks}</code> })}</p> : null}
      <LiveRefresh />
    </>
  );
}
