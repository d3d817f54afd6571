"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { getTranslations } from "next-intl/server";
import type { SignInState } from "@/components/dashboard/SignInForm";
import { signIn, SignInRateLimited } from "@/lib/auth/staff-auth";

/** Local paths only, so a crafted link cannot send someone elsewhere after signing in. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/dashboard") && !path.startsWith("//") ? path : "/dashboard";
}

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const t = await getTranslations("SignIn");
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { email, error: t("errors.missing") };
  try {
    await signIn("password", { email, password, redirectTo: safeReturnPath(form.get("returnTo")) });
    return {};
  } catch (error) {
    if (error instanceof SignInRateLimited || (error instanceof CredentialsSignin && error.code === "rate_limited")) {
      const seconds = error instanceof SignInRateLimited ? error.retryAfterSeconds : 60;
      // "45 seconds", "2 minutes": a wait as the page says it.
      const wait = seconds < 90 ? { unit: "seconds", count: seconds } : { unit: "minutes", count: Math.ceil(seconds / 60) };
      return { email, retryAfterSeconds: seconds, error: t("errors.rateLimited", wait) };
    }
    if (error instanceof AuthError) return { email, error: t("errors.wrongPassword") };
    throw error; // the redirect that a successful sign-in throws
  }
}

export async function signInWithSso(form: FormData): Promise<void> {
  await signIn("oidc", { redirectTo: safeReturnPath(form.get("returnTo")) });
}
