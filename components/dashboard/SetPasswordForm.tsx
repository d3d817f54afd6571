"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { setPasswordAction, type SetPasswordState } from "@/app/signin/set-password/actions";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import settings from "./settings.module.css";

export function SetPasswordForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPasswordAction, {});
  const errors = state.fieldErrors ?? {};
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.formError) summary.current?.focus();
  }, [state]);

  if (state.linkInvalid) {
    return (
      <div ref={summary} tabIndex={-1} className={settings.summary}>
        <p className={styles.formError} role="alert">
          {state.formError}
        </p>
        <p>
          <Link href="/signin">Go to sign-in</Link>
        </p>
      </div>
    );
  }

  // A form action resets the fields after a refusal: the person types the password again, which
  // is what a password form should ask anyway.
  return (
    <form action={action} className={styles.form} noValidate>
      <div ref={summary} tabIndex={-1} className={settings.summary}>
        {state.formError && (
          <p className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
      </div>
      <input type="hidden" name="token" value={token} />
      {/* For password managers: which account this password is for. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <FormField name="password" label="New password" error={errors.password} hint="At least 12 characters. A few unrelated words are easy to remember and hard to guess.">
        {(f) => <input {...f} type="password" autoComplete="new-password" required />}
      </FormField>
      <FormField name="confirmation" label="Repeat the password" error={errors.confirmation}>
        {(f) => <input {...f} type="password" autoComplete="new-password" required />}
      </FormField>
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
