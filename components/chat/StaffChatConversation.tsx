"use client";

import { useMemo } from "react";
import { ChatConversation } from "./ChatConversation";
import { staffTransport, type StaffChatActions } from "./staff-transport";
import type { ChatMessageView, ChatPeople, ChatSessionView, ChatViewer } from "./types";

/** A chat consultation on the dashboard, as the signed-in staff member (a participant acts; other staff read along). */
export function StaffChatConversation({
  chatSessionId,
  actions,
  viewer,
  people,
  initial,
}: {
  chatSessionId: string;
  actions: StaffChatActions;
  viewer: ChatViewer;
  people: ChatPeople;
  initial: { session: ChatSessionView; messages: ChatMessageView[] };
}) {
  const transport = useMemo(() => staffTransport(chatSessionId, actions), [chatSessionId, actions]);
  return <ChatConversation transport={transport} viewer={viewer} people={people} initial={initial} variant="panel" />;
}
