"use client";

import { useEffect, useMemo, useState } from "react";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import { userTokenTransport } from "./api-transport";
import { ChatConversation } from "./ChatConversation";
import styles from "./chat.module.css";
import { ChatLinkProblem } from "./ChatLinkProblem";
import type { ChatPeople, ChatViewer } from "./types";

/** What a chat link gives this tab: the user token for the chat-sessions API and who the person is. */
export type ChatPageAccess = {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  viewer: Extract<ChatViewer, { externalId: string }>;
  people: ChatPeople;
  organizationName: string;
};

const storageKey = (chatSessionId: string) => `tm_chat_session_${chatSessionId}`;

// Where a third-party iframe's storage is blocked, touching sessionStorage throws: then the link
// simply does not outlive its own age in this tab.
function remembered(chatSessionId: string): ChatPageAccess | null {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(storageKey(chatSessionId)) ?? "null") as ChatPageAccess | null;
    return stored && typeof stored.accessToken === "string" && stored.expiresAt > Date.now() + 60_000 ? stored : null;
  } catch {
    return null;
  }
}

function remember(chatSessionId: string, access: ChatPageAccess): void {
  try {
    window.sessionStorage.setItem(storageKey(chatSessionId), JSON.stringify(access));
  } catch {
    // see remembered
  }
}

/**
 * A participant's chat page, reached through their chat link. A fresh link brings this tab a user
 * token, kept in sessionStorage for this session, so a reload after the link aged still works in
 * this tab (and only in it). An aged link without one says what to do.
 */
export function ChatLinkPage({ chatSessionId, access }: { chatSessionId: string; access: ChatPageAccess | null }) {
  const [current, setCurrent] = useState<ChatPageAccess | null | undefined>(access ?? undefined);

  useEffect(() => {
    if (access) {
      remember(chatSessionId, access);
      return;
    }
    // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage exists only in the browser
    setCurrent(remembered(chatSessionId));
  }, [access, chatSessionId]);

  const transport = useMemo(() => (current ? userTokenTransport(chatSessionId, current.accessToken) : null), [chatSessionId, current]);

  if (current === null) return <ChatLinkProblem kind="expired" />;
  return (
    <main className={styles.pageMain}>
      {current && transport ? (
        <ChatConversation
          transport={transport}
          viewer={current.viewer}
          people={current.people}
          organizationName={current.organizationName}
          variant="page"
          headerAside={<LanguageSwitcher />}
        />
      ) : null}
    </main>
  );
}
