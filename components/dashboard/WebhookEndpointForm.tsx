"use client";

import Link from "next/link";
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

/** The rule's message on its field: the schema's short ones ("is required") read after the label, the URL checks' are sentences. */
function message(label: string, text: string): string {
  return /^[A-Z]/.test(text) ? text : `${label} ${text}`;
}

/** Adds (create) or changes (edit) an endpoint; the server applies the API's own schema and URL checks. */
export function WebhookEndpointForm(props: Props) {
  const [state, action, pending] = useActionState<EndpointFormState, FormData>(props.save, {});
  const summary = useRef<HTMLParagraphElement>(null);
  const secretPanel = useRef<HTMLDivElement>(null);
  const prefix = props.mode === "create" ? "new-endpoint" : "endpoint";
  const errors = state.fieldErrors ?? {};
  // After a save the fields show what was stored; after an error, what was typed.
  const values: EndpointFormValues = state.values ?? props.initial ?? { url: "", description: "", events: [], enabled: true };
  const fieldsKey = state.created?.id ?? String(state.savedAt ?? "initial");

  useEffect(() => {
    if (state.created) secretPanel.current?.focus();
    else if (state.formError || state.savedAt) summary.current?.focus();
  }, [state]);

  const describedBy = (name: string, hint?: boolean) => [errors[name] ? `${prefix}-${name}-error` : "", hint ? `${prefix}-${name}-hint` : ""].filter(Boolean).join(" ") || undefined;

  return (
    <>
      {state.created && (
        <div ref={secretPanel} tabIndex={-1} className={`${styles.panel} ${css.secretPanel}`} role="region" aria-labelledby={`${prefix}-secret-title`}>
          <h2 id={`${prefix}-secret-title`}>Endpoint added</h2>
          <p className={css.url}>
            Events now go to <code>{state.created.url}</code>.
          </p>
          <p className={css.warning}>Copy the signing secret now: it will not be shown again.</p>
          <code className={css.secret} data-testid="webhook-secret">
            {state.created.secret}
          </code>
          <CopyButton value={state.created.secret} label="Copy signing secret" />
          <p className={styles.hint}>The receiver checks each request&apos;s signature with it. A lost secret can be replaced by rotating it.</p>
          <p>
            <Link href={`/dashboard/settings/webhooks/${state.created.id}`}>Open the endpoint</Link> to send a test event.
          </p>
        </div>
      )}
      <form
        className={`${styles.form} ${css.flush}`}
        noValidate
        aria-labelledby={`${prefix}-title`}
        onSubmit={submitTo(action)}
      >
        <h2 id={`${prefix}-title`}>{props.mode === "create" ? "Add an endpoint" : "Settings"}</h2>
        {state.formError && (
          <p ref={summary} tabIndex={-1} className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
        {state.savedAt && !state.formError && (
          <p ref={summary} tabIndex={-1} className={styles.notice} role="status">
            Saved.
          </p>
        )}
        {props.endpointId && <input type="hidden" name="endpointId" value={props.endpointId} />}
        <div key={fieldsKey} className={css.stack}>
          <div className={styles.field}>
            <label htmlFor={`${prefix}-url`}>URL</label>
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
              Where events are POSTed. https:// is required, and the address must be public.
            </p>
            {errors.url && (
              <p id={`${prefix}-url-error`} className={styles.fieldError}>
                {message("URL", errors.url)}
              </p>
            )}
          </div>
          <div className={styles.field}>
            <label htmlFor={`${prefix}-description`}>Description (optional)</label>
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
                {message("Description", errors.description)}
              </p>
            )}
          </div>
          <fieldset className={css.checks} aria-describedby={describedBy("events")}>
            <legend>Events</legend>
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
                {message("Events", errors.events)}
              </p>
            )}
          </fieldset>
          <label className={css.toggle}>
            <input type="checkbox" name="enabled" defaultChecked={values.enabled} /> Enabled
          </label>
        </div>
        <div>
          <button type="submit" className={styles.primary} disabled={pending}>
            {pending ? "Saving…" : props.mode === "create" ? "Add endpoint" : "Save changes"}
          </button>
        </div>
      </form>
    </>
  );
}
