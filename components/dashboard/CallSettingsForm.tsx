"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import settings from "./settings.module.css";
import { submitTo } from "./submit";

export type CallSettingsValues = { endCallRedirectUrl: string; endCallRedirectSeconds: string; userDetailsProviderUrl: string };

export type CallSettingsState = FormState<CallSettingsValues> & {
  /** The API's names of the fields that changed with the last save (empty: nothing changed). */
  saved?: string[];
};

/** The end of a call (where participants go, after how long) and the clinic's user-details service. */
export function CallSettingsForm({ save, initial, maxDelaySeconds }: { save: FormAction<CallSettingsState>; initial: CallSettingsValues; maxDelaySeconds: number }) {
  const t = useTranslations("CallSettings");
  const forms = useTranslations("Forms");
  const [state, action, pending] = useActionState<CallSettingsState, FormData>(save, {});
  const values = { ...initial, ...state.values };
  const errors = state.fieldErrors ?? {};
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.saved));
  // A save shows what the server now keeps: the inputs are keyed by the answer so they take it.
  const version = state.saved ? JSON.stringify(state.values) : "initial";

  return (
    <form className={styles.form} noValidate aria-label={t("form.formLabel")} onSubmit={submitTo(action)}>
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        {state.saved && !state.formError && (
          <p className={styles.notice} role="status">
            {state.saved.length > 0 ? t("form.saved") : t("form.nothingChanged")}
          </p>
        )}
      </FormSummary>
      <fieldset className={styles.group} key={version}>
        <legend>{t("form.legend")}</legend>
        <FormField name="endCallRedirectUrl" label={t("form.redirectUrl")} error={errors.endCallRedirectUrl} hint={t("form.redirectUrlHint")} optional>
          {(f) => <input {...f} type="url" inputMode="url" defaultValue={values.endCallRedirectUrl} placeholder="https://clinic.example/after-call" autoComplete="off" maxLength={500} />}
        </FormField>
        <FormField name="endCallRedirectSeconds" label={t("form.delay")} error={errors.endCallRedirectSeconds} hint={t("form.delayHint", { maximum: maxDelaySeconds })}>
          {(f) => <input {...f} type="number" inputMode="decimal" min={0} max={maxDelaySeconds} step="any" defaultValue={values.endCallRedirectSeconds} className={settings.shortInput} />}
        </FormField>
        <FormField name="userDetailsProviderUrl" label={t("form.provider")} error={errors.userDetailsProviderUrl} hint={t("form.providerHint")} optional>
          {(f) => <input {...f} type="url" inputMode="url" defaultValue={values.userDetailsProviderUrl} placeholder="https://clinic.example/api/users" autoComplete="off" maxLength={500} />}
        </FormField>
      </fieldset>
      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.saving") : t("form.submit")}
        </button>
      </div>
    </form>
  );
}
