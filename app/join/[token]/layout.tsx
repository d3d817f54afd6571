import { ClientMessages } from "@/components/i18n/ClientMessages";

/** The join page's client components (PIN, device check, the call, its chat) get the words they use. */
export default function JoinLayout({ children }: { children: React.ReactNode }) {
  return (
    <ClientMessages
      namespaces={[
        "Common",
        "Chat",
      ]}
    >
      {children}
    </ClientMessages>
  );
}
