import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Telemed Portal", template: "%s · Telemed Portal" },
  description: "Video consultations for clinics: one API call, two links, a call in seconds.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  // A page built ahead of time would have none, and its scripts would be refused.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
