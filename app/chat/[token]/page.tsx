import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChatLinkPage } from "@/components/chat/ChatLinkPage";
import { chatLinkOf } from "@/lib/chat-sessions/page-link";

export const dynamic = "force-dynamic";
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ChatPage");
  return { title: t("title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

type Props = { params: Promise<{ token: string }> };

/**
 * A participant's chat link (`accessLinkURL` of the chat-sessions API): the conversation as that
 * room user, with a user token for this tab. A link that is not ours, or whose session, user or
 * credential is gone, is not found (404); an aged one is 410 (proxy.ts) and opens only in a tab
 * that opened it while it was young.
 */
export default async function ChatPage({ params }: Props) {
  const { token } = await params;
  const opening = await chatLinkOf(token);
  if (opening.status === "not_found") notFound();
  if (opening.status === "expired") return <ChatLinkPage chatSessionId={opening.chatSessionId} access={null} />;
  return (
    <ChatLinkPage
      chatSessionId={opening.chatSessionId}
      access={{
        accessToken: opening.userToken.accessToken,
        expiresAt: opening.userToken.expiresAt.getTime(),
        viewer: { externalId: opening.user.externalId, fullName: opening.user.fullName, privilege: opening.user.privilege ?? "basic" },
        people: Object.fromEntries(opening.people.map((p) => [p.externalId, p.fullName])),
        organizationName: opening.organizationName,
      }}
    />
  );
}
