import { ClientMessages } from "@/components/i18n/ClientMessages";

/** The chat page's client components (the conversation, its link problems, the language switcher) get the words they use. */
export default function ChatLayout({ children }: { children: React.ReactNode }) {
  return <ClientMessages namespaces={["Common", "Chat", "ChatPage"]}>{children}</ClientMessages>;
}
