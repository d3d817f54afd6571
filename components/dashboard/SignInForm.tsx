"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import type { FormAction } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";

/** The sign-in form's answer: why it was refused, what was typed, and how long to wait after too many tries. */
export type SignInState = { error?: string; email?: string; retryAfterSeconds?: number };

export function SignInForm({ signIn, returnTo, notice }: { signIn: FormAction<SignInState>; returnTo: string; notice?: string }) {
  const t = useTranslations("SignIn");
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, {});
  const waiting = useWait(state);
  return (
    <form action={action} className={styles.form} noValidate>
      {notice && !state.error && (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      )}
      {state.error && (
        <p className={styles.formError} role="alert" id="signin-error">
          {state.error}
        </p>
      )}
      <input type="hidden" name="returnTo" value={returnTo} />
      <label className={styles.field}>
        <span>{t("email")}</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-describedby={state.error ? "signin-error" : undefined}
          aria-invalid={state.error ? true : undefined}
        />
      </label>
      <label className={styles.field}>
        <span>{t("password")}</span>
        <input name="password" type="password" autoComplete="current-password" required aria-invalid={state.error ? true : undefined} />
      </label>
      <button type="submit" className={styles.primary} disabled={pending || waiting > 0}>
        {pending ? t("signingIn") : waiting > 0 ? t("submitWaiting", { seconds: waiting }) : t("submit")}
      </button>
    </form>
  );
}

/** Seconds left of the wait the server asked for (0 when none): the button stays off until then. */
function useWait(state: SignInState): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!state.retryAfterSeconds) return;
    const until = Date.now() + state.retryAfterSeconds * 1000;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [state]);
  return left;
}
