import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/dashboard/SignInForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { currentStaff } from "@/lib/auth/current-staff";
import { env } from "@/lib/config";
import { signInWithPassword, signInWithSso } from "./actions";

export const metadata: Metadata = { title: "Staff sign-in" };

const NOTICES: Record<string, string> = {
  idle: "You were signed out after a period without activity. Sign in again to continue.",
  signed_out: "You are signed out.",
  password_set: "Your password is set. Sign in with your email and your new password.",
};

/** Auth.js's error codes; AccessDenied is single sign-on refused by our own rule, not by the provider. */
const errors = (ssoName: string): Record<string, string> => ({
  AccessDenied: `Your sign-in with ${ssoName} worked, but that account is not an active staff member here. Ask your clinic's admin to add you, or to reactivate your account.`,
  OAuthCallbackError: `Signing in with ${ssoName} was cancelled or did not finish. Try again.`,
  OAuthAccountNotLinked: "That account is not an active staff member of any clinic here.",
  Configuration: "Sign-in is not available right now. Try again in a moment.",
});

/** Own keys only: `?error=__proto__` must not render Object.prototype (a server error). */
function messageFor(messages: Record<string, string>, key: string | string[] | undefined): string | undefined {
  return typeof key === "string" && Object.hasOwn(messages, key) ? messages[key] : undefined;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  if (await currentStaff()) redirect("/dashboard");
  const e = env();
  const sso = Boolean(e.AUTH_OIDC_ISSUER);
  const returnTo = typeof params.returnTo === "string" ? params.returnTo : "/dashboard";
  const reason = messageFor(NOTICES, params.reason);
  // A sign-in posted straight to Auth.js (no JavaScript) comes back here with the refusal's code.
  const rateLimited = params.error === "CredentialsSignin" && params.code === "rate_limited";
  const error = rateLimited
    ? "Too many failed attempts. For your security, wait a few minutes before trying again."
    : typeof params.error === "string"
      ? (messageFor(errors(e.AUTH_OIDC_NAME), params.error) ?? "Signing in did not work. Try again.")
      : undefined;
  return (
    <main className={styles.signInPage}>
      <div className={styles.signInCard}>
        <h1>Staff sign-in</h1>
        <p className={styles.muted}>For clinic staff: admins, schedulers and providers.</p>
        {error && (
          <p className={styles.formError} role="alert">
            {error}
          </p>
        )}
        <SignInForm signIn={signInWithPassword} returnTo={returnTo} notice={reason} />
        {sso && (
          <form action={signInWithSso} className={styles.sso}>
            <input type="hidden" name="returnTo" value={returnTo} />
            <p className={styles.muted}>or</p>
            <button type="submit" className={styles.secondary}>
              Sign in with {e.AUTH_OIDC_NAME}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
