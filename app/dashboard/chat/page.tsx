import type { Metadata } from "next";
import { ChatSessionsTable } from "@/components/dashboard/ChatSessionsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { staffRequest } from "@/lib/auth/staff-action";
import { CHAT_LIST_SIZE, listChatSessionsForStaff, staffSeesOwnChatsOnly } from "@/lib/chat-sessions/dashboard";
import { staffChatUser } from "@/lib/chat-sessions/staff-user";

export const metadata: Metadata = { title: "Chats" };

/**
 * The clinic's chat consultations, waiting ones first. Opening it gives the signed-in clinician
 * their directory user (so an integrator can name them by e-mail); every chat event of the
 * organization renders it again (LiveRefresh).
 */
export default async function ChatSessionsPage() {
  const { db, staff, organization } = await staffRequest("chats.view");
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
        <h1>Chats</h1>
      </div>
      <p className={styles.muted}>
        Text consultations made through the chat-sessions API. Open one to read it, accept or decline a request, write, share files and start a video call.
        {me ? (
          <>
            {" "}
            The clinic&apos;s app names you in a session with <strong>{me.externalId}</strong>.
          </>
        ) : null}
      </p>
      <p className={styles.muted} aria-live="polite" data-testid="chat-summary">
        {rows.length === 0 ? "No chats" : `${waiting === 0 ? "None" : waiting} waiting for acceptance · ${rows.length} ${rows.length === 1 ? "chat" : "chats"}`}{" "}
        · times in {organization.timezone}
      </p>
      <ChatSessionsTable rows={rows} timeZone={organization.timezone} />
      {more ? (
        <p className={styles.muted}>
          Showing the {CHAT_LIST_SIZE} most pressing and most recent chats; older ones are still in the API (<code>GET /api/chat-sessions</code>).
        </p>
      ) : null}
      <LiveRefresh />
    </>
  );
}
