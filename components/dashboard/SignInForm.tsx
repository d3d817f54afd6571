"use client";

import { useActionState } from "react";
import { signInWithPassword, type SignInState } from "@/app/signin/actions";
import styles from "./dashboard.module.css";

export function SignInForm({ returnTo, notice }: { returnTo: string; notice?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, {});
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
        <span>Email</span>
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
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required aria-invalid={state.error ? true : undefined} />
      </label>
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
