"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import { API_CREDENTIAL_NAME_MAX_LENGTH } from "@/lib/limits";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import css from "./integrations.module.css";

/** Names a new credential, then shows its token once: only this browser tab ever has it. */
export type NewApiCredentialState = FormState<{ name: string }> & {
  /** The token, in this answer only: it is never stored in plain, nor shown again. */
  created?: { name: string; keyId: string; secret: string; bearerToken: string };
};

export function ApiCredentialForm({ create }: { create: FormAction<NewApiCredentialState> }) {
  const t = useTranslations("ApiCredentialForm");
  const forms = useTranslations("Forms");
  const [state, action, pending] = useActionState<NewApiCredentialState, FormData>(create, {});
  const [dismissed, setDismissed] = useState<string | null>(null);
  const shown = useRef<HTMLDivElement>(null);
  const errorSummary = useRef<HTMLParagraphElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const created = state.created && state.created.keyId !== dismissed ? state.created : undefined;
  const error = state.fieldErrors?.name;

  useEffect(() => {
    if (state.created) shown.current?.focus();
    else if (state.fieldErrors?.name) input.current?.focus();
    else if (state.formError) errorSummary.current?.focus();
  }, [state]);

  return (
    <>
      {created && (
        <div ref={shown} tabIndex={-1} className={`${styles.panel} ${css.secretPanel}`} role="region" aria-labelledby="token-title">
          <h2 id="token-title">{t("created.title", { name: created.name })}</h2>
          <p className={css.warning}>{t("created.copyNow")}</p>
          <p className={styles.muted}>{t("created.hashOnly")}</p>
          <code className={css.secret} data-testid="api-token">
            {created.bearerToken}
          </code>
          <CopyButton value={created.bearerToken} label={t("created.copy")} />
          <p className={styles.hint}>
            {t.rich("created.howToSend", {
              bearer: () => <code>Authorization: Bearer &lt;token&gt;</code>,
              key: () => <code>X-API-Key: {created.keyId}</code>,
              secret: () => <code>X-API-Secret</code>,
            })}
          </p>
          <p>
            <button type="button" className={styles.secondary} onClick={() => setDismissed(created.keyId)}>
              {t("created.stored")}
            </button>
          </p>
        </div>
      )}

      <form
        className={`${styles.form} ${css.flush}`}
        noValidate
        aria-labelledby="new-credential"
        onSubmit={submitTo(action)}
      >
        <h2 id="new-credential">{t("title")}</h2>
        {state.formError && (
          <p ref={errorSummary} tabIndex={-1} className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
        <div className={styles.field}>
          <label htmlFor="credential-name">{t("name")}</label>
          <input
            id="credential-name"
            name="name"
            ref={input}
            // A new, empty field once a credential is created; what was typed stays on an error.
            key={state.created?.keyId ?? "new"}
            autoComplete="off"
            maxLength={API_CREDENTIAL_NAME_MAX_LENGTH}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "credential-name-error credential-name-hint" : "credential-name-hint"}
          />
          <p id="credential-name-hint" className={styles.hint}>
            {t("nameHint")}
          </p>
          {error && (
            <p id="credential-name-error" className={styles.fieldError}>
              {forms("fieldError", { label: t("name"), message: error })}
            </p>
          )}
        </div>
        <div>
          <button type="submit" className={styles.primary} disabled={pending}>
            {pending ? forms("pending.creating") : t("submit")}
          </button>
        </div>
      </form>
    </>
  );
}
