import { NextIntlClientProvider, type Messages } from "next-intl";
import { getMessages } from "next-intl/server";

type Namespace = keyof Messages;

/**
 * Hands the client components below it the request's locale, the clinic's timezone and only
 * the message namespaces they use: a patient's page carries the call's words, not the
 * dashboard's. Server components read every namespace themselves (getTranslations).
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly Namespace[]; children: React.ReactNode }) {
  const messages = await getMessages();
  const picked = Object.fromEntries(namespaces.map((namespace) => [namespace, messages[namespace]]));
  return <NextIntlClientProvider messages={picked}>{children}</NextIntlClientProvider>;
}
