import type { Metadata } from "next";
import Link from "next/link";
import { SetPasswordForm } from "@/components/dashboard/SetPasswordForm";
import styles from "@/components/dashboard/dashboard.module.css";
import settings from "@/components/dashboard/settings.module.css";
import { database } from "@/db/runtime";
import { findInvitation, INVITATION_HOURS } from "@/lib/staff";
import { setPasswordAction } from "./actions";

// The link's token is in the address: never send it on as a referrer, never index the page.
export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer", robots: { index: false, follow: false } };

export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const invitation = token ? await findInvitation(await database(), token) : null;
  return (
    <main className={styles.signInPage}>
      <div className={styles.signInCard}>
        {invitation ? (
          <>
            <h1>Set your password</h1>
            <p className={styles.muted}>
              For <strong>{invitation.email}</strong>, to sign in to the clinic dashboard.
            </p>
            <SetPasswordForm setPassword={setPasswordAction} token={token} email={invitation.email} />
          </>
        ) : (
          <div className={settings.linkProblem}>
            <h1>This link does not work</h1>
            <p>
              A set-password link works once, for {INVITATION_HOURS} hours, and only the newest one sent to you. This one has been used, has expired, or was
              replaced by a newer one.
            </p>
            <p>Ask your clinic&apos;s admin to send you a new link from Settings → Staff.</p>
            <p>
              <Link href="/signin">Already set your password? Sign in</Link>
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
