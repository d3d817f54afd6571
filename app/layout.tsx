import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/i18n/ClientMessages";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Metadata");
  return { title: { default: "Telemed Portal", template: "%s · Telemed Portal" }, description: t("siteDescription") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  // A page built ahead of time would have none, and its scripts would be refused.
  await connection();
  // The request's language (i18n/request.ts): the link's, the person's choice, the participant's, the clinic's, the browser's.
  return (
    <html lang={await getLocale()}>
      <body>
        {/* The error page (app/error.tsx) is a client component: it needs its words everywhere. */}
        <ClientMessages namespaces={["Errors"]}>{children}</ClientMessages>
      </body>
    </html>
  );
}
