import { ClientMessages } from "@/components/i18n/ClientMessages";

/** Sign-in and set-password: their forms and the language switcher get the words they use. */
export default function SignInLayout({ children }: { children: React.ReactNode }) {
  return <ClientMessages namespaces={["Common", "Forms", "SignIn", "SetPassword"]}>{children}</ClientMessages>;
}
