"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import css from "./integrations.module.css";

export type EndpointFormValues = { url: string; description: string; events: string[]; enabled: boolean };

export type EndpointFormState = FormState<EndpointFormValues> & {
  /** The signing secret, in this answer only. */
  created?: { id: string; url: string; secret: string };
  /** When the last save succeeded, so the form can say so each time. */
  savedAt?: number;
};

type Props = {
  /** Creates the endpoint, or saves the one being edited. */
  save: FormAction<EndpointFormState>;
  /** Every event an endpoint can subscribe to (the API schema's list). */
  events: readonly string[];
  eventLabels: Record<string, string>;
} & ({ mode: "create"; initial?: undefined; endpointId?: undefined } | { mode: "edit"; initial: EndpointFormValues; endpointId: string });

/** Adds (create) or changes (edit) an endpoint; the server applies the API's own schema and URL checks. */
export function WebhookEndpointForm(props: Props) {
  const t = useTranslations("WebhookForm");
  const forms = useTranslations("Forms");
  /** The rule's message on its field: the schema's short ones ("is required") read after the label, the URL checks' are sentences (capitalized in every language). */
  const message = (label: string, text: string) => (/^\p{Lu}/u.test(text) ? text : forms("fieldError", { label, message: text }));
  const [state, action, pending] = useActionState<EndpointFormState, FormData>(props.save, {});
  const summary = useRef<HTMLParagraphElement>(null);
  const secretPanel = useRef<HTMLDivElement>(null);
  const prefix = props.mode === "create" ? "new-endpoint" : "endpoint";
  const errors = state.fieldErrors ?? {};
  // After a save the fields show what was stored; after an error, what was typed.
  const values: EndpointFormValues = state.values ?? props.initial ?? { url: "", description: "", events: [], enabled: true };
  const created = state.created;
  const fieldsKey = created?.id ?? String(state.savedAt ?? "initial");

  useEffect(() => {
    if (state.created) secretPanel.current?.focus();
    else if (state.formError || state.savedAt) summary.current?.focus();
  }, [state]);

  const describedBy = (name: string, hint?: boolean) => [errors[name] ? `${prefix}-${name}-error` : "", hint ? `${prefix}-${name}-hint` : ""].filter(Boolean).join(" ") || undefined;

  return (
    <>
      {created && (
        <div ref={secretPanel} tabIndex={-1} className={`${styles.panel} ${css.secretPanel}`} role="region" aria-labelledby={`${prefix}-secret-title`}>
          <h2 id={`${prefix}-secret-title`}>{t("created.title")}</h2>
          <p className={css.url}>{t.rich("created.url", { url: created.url, code: (chunks) => <code>{chunks}</code> })}</p>
          <p className={css.warning}>{t("created.copyNow")}</p>
          <code className={css.secret} data-testid="webhook-secret">
            {created.secret}
          </code>
          <CopyButton value={created.secret} label={t("created.copy")} />
          <p className={styles.hint}>{t("created.hint")}</p>
          <p>{t.rich("created.open", { link: (chunks) => <Link href={`/dashboard/settings/webhooks/${created.id}`}>{chunks}</Link> })}</p>
        </div>
      )}
      <form
        className={`${styles.form} ${css.flush}`}
        noValidate
        aria-labelledby={`${prefix}-title`}
        onSubmit={submitTo(action)}
      >
        <h2 id={`${prefix}-title`}>{props.mode === "create" ? t("addTitle") : t("editTitle")}</h2>
        {state.formError && (
          <p ref={summary} tabIndex={-1} className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
        {state.savedAt && !state.formError && (
          <p ref={summary} tabIndex={-1} className={styles.notice} role="status">
            {t("saved")}
          </p>
        )}
        {props.endpointId && <input type="hidden" name="endpointId" value={props.endpointId} />}
        <div key={fieldsKey} className={css.stack}>
          <div className={styles.field}>
            <label htmlFor={`${prefix}-url`}>{t("url")}</label>
            <input
              id={`${prefix}-url`}
              name="url"
              type="url"
              inputMode="url"
              defaultValue={values.url}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.url ? true : undefined}
              aria-describedby={describedBy("url", true)}
            />
            <p id={`${prefix}-url-hint`} className={styles.hint}>
              {t("urlHint")}
            </p>
            {errors.url && (
              <p id={`${prefix}-url-error`} className={styles.fieldError}>
                {message(t("url"), errors.url)}
              </p>
            )}
          </div>
          <div className={styles.field}>
            <label htmlFor={`${prefix}-description`}>{forms("optional", { label: t("description") })}</label>
            <input
              id={`${prefix}-description`}
              name="description"
              defaultValue={values.description}
              autoComplete="off"
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={describedBy("description")}
            />
            {errors.description && (
              <p id={`${prefix}-description-error`} className={styles.fieldError}>
                {message(t("description"), errors.description)}
              </p>
            )}
          </div>
          <fieldset className={css.checks} aria-describedby={describedBy("events")}>
            <legend>{t("events")}</legend>
            {props.events.map((event) => (
              <label key={event}>
                <input type="checkbox" name="events" value={event} defaultChecked={values.events.includes(event)} />
                <span className={css.eventName}>
                  <span>{props.eventLabels[event] ?? event}</span> <code>{event}</code>
                </span>
              </label>
            ))}
            {errors.events && (
              <p id={`${prefix}-events-error`} className={styles.fieldError}>
                {message(t("events"), errors.events)}
              </p>
            )}
          </fieldset>
          <label className={css.toggle}>
            <input type="checkbox" name="enabled" defaultChecked={values.enabled} /> {t("enabled")}
          </label>
        </div>
        <div>
          <button type="submit" className={styles.primary} disabled={pending}>
            {pending ? forms("pending.saving") : props.mode === "create" ? t("add") : t("save")}
          </button>
        </div>
      </form>
    </>
  );
}
