"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import settings from "./settings.module.css";

/** The set-password form's answer; `linkInvalid` replaces the form with the way back to sign-in. */
export type SetPasswordState = FormState & { linkInvalid?: boolean };

export function SetPasswordForm({ setPassword, token, email }: { setPassword: FormAction<SetPasswordState>; token: string; email: string }) {
  const t = useTranslations("SetPassword");
  const forms = useTranslations("Forms");
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPassword, {});
  const errors = state.fieldErrors ?? {};
  const summary = useFocusOnAnswer(state, Boolean(state.formError));

  if (state.linkInvalid) {
    return (
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        <p>
          <Link href="/signin">{t("goToSignIn")}</Link>
        </p>
      </FormSummary>
    );
  }

  // A form action resets the fields after a refusal: the person types the password again, which
  // is what a password form should ask anyway.
  return (
    <form action={action} className={styles.form} noValidate>
      <FormSummary ref={summary} error={state.formError} className={settings.summary} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: which account this password is for. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <FormField name="password" label={t("newPassword")} error={errors.password} hint={t("newPasswordHint")}>
        {(f) => <input {...f} type="password" autoComplete="new-password" required />}
      </FormField>
      <FormField name="confirmation" label={t("repeat")} error={errors.confirmation}>
        {(f) => <input {...f} type="password" autoComplete="new-password" required />}
      </FormField>
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? forms("pending.saving") : t("submit")}
      </button>
    </form>
  );
}
