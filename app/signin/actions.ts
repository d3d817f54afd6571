"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import type { SignInState } from "@/components/dashboard/SignInForm";
import { signIn, SignInRateLimited } from "@/lib/auth/staff-auth";

/** "45 seconds", "2 minutes": a wait as the page says it. */
function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Local paths only, so a crafted link cannot send someone elsewhere after signing in. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/dashboard") && !path.startsWith("//") ? path : "/dashboard";
}

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { email, error: "Enter your email and your password." };
  try {
    await signIn("password", { email, password, redirectTo: safeReturnPath(form.get("returnTo")) });
    return {};
  } catch (error) {
    if (error instanceof SignInRateLimited || (error instanceof CredentialsSignin && error.code === "rate_limited")) {
      const seconds = error instanceof SignInRateLimited ? error.retryAfterSeconds : 60;
      return { email, retryAfterSeconds: seconds, error: `Too many failed attempts. For your security, wait ${waitInWords(seconds)} before trying again.` };
    }
    if (error instanceof AuthError) return { email, error: "That email and password do not match an active staff account." };
    throw error; // the redirect that a successful sign-in throws
  }
}

export async function signInWithSso(form: FormData): Promise<void> {
  await signIn("oidc", { redirectTo: safeReturnPath(form.get("returnTo")) });
}
