import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { StaffChatConversation } from "@/components/chat/StaffChatConversation";
import styles from "@/components/dashboard/dashboard.module.css";
import { ClientMessages } from "@/components/i18n/ClientMessages";
import { chatSessionPeople } from "@/lib/chat-sessions/dashboard";
import { listSessionMessages } from "@/lib/chat-sessions/messages";
import { getChatSession } from "@/lib/chat-sessions/sessions";
import { AppError } from "@/lib/errors";
import { changeChatSession, openChatCall, readChatMessages, readChatSession, sendChatMessage } from "./actions";
import { staffChat } from "./staff-chat";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("StaffChat");
  return { title: t("title") };
}

/**
 * One chat consultation on the dashboard: the conversation as the signed-in clinician (who acts
 * when they take part: accept or decline, write, share files, start the call, finish), or read
 * along by the clinic's other staff. Another organization's session is not found.
 */
export default async function ChatSessionPage({ params }: { params: Promise<{ chatSessionId: string }> }) {
  const { chatSessionId } = await params;
  const { db, staff, me, actor } = await staffChat();
  let session;
  try {
    session = await getChatSession(db, actor, chatSessionId);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
  const [messages, people] = await Promise.all([
    listSessionMessages(db, actor, chatSessionId, { after: 0, limit: 500 }),
    chatSessionPeople(db, staff.organizationId, chatSessionId),
  ]);
  const t = await getTranslations("StaffChat");
  const mine = me ? people.find((p) => p.externalId === me.externalId) : undefined;
  return (
    <>
      <p className={styles.muted}>
        <Link href="/dashboard/chat">
          <span aria-hidden="true">← </span>
          {t("allChats")}
        </Link>
      </p>
      <ClientMessages namespaces={["Chat"]}>
        <StaffChatConversation
          chatSessionId={chatSessionId}
          actions={{ session: readChatSession, messages: readChatMessages, send: sendChatMessage, change: changeChatSession, callLink: openChatCall }}
          viewer={
            mine && me
              ? { externalId: me.externalId, fullName: me.fullName, privilege: mine.privilege ?? "basic" }
              : { externalId: null, fullName: staff.name ?? staff.email, privilege: null }
          }
          people={Object.fromEntries(people.map((p) => [p.externalId, p.name]))}
          initial={{ session, messages }}
        />
      </ClientMessages>
    </>
  );
}
