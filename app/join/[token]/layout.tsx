import { ClientMessages } from "@/components/i18n/ClientMessages";

/**
 * The join page's client components (PIN, device check, the call, its chat) get the words they
 * use. LinkProblem is a server component and reads its namespace itself: it is not listed here.
 */
export default function JoinLayout({ children }: { children: React.ReactNode }) {
  return <ClientMessages namespaces={["Common", "Join", "Call", "Chat"]}>{children}</ClientMessages>;
}
