"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useRef } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import css from "./integrations.module.css";
import { ConfirmButton } from "./IntegrationsConfirm";

export type RotateSecretState = FormState & { secret?: string; previousUntil?: string };

export type TestEventState = FormState & {
  result?: { deliveryId: string; event: string; delivered: boolean; statusCode: number | null; latencyMs: number | null; error: string | null; responseExcerpt: string | null };
};

export type DeleteEndpointState = FormState;

/** A new signing secret, shown once; the old one keeps signing alongside for 24 hours. */
export function WebhookRotateSecret({ rotate, endpointId, rotatingUntil }: { rotate: FormAction<RotateSecretState>; endpointId: string; rotatingUntil: string | null }) {
  const [state, action, pending] = useActionState<RotateSecretState, FormData>(rotate, {});
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.secret || state.formError) shown.current?.focus();
  }, [state]);
  return (
    <form
      onSubmit={submitTo(action)}
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <p>
        Rotating makes a new secret. The current one keeps signing every request too for 24 hours, so the receiver can switch without missing an event.
      </p>
      {rotatingUntil && !state.secret && <p className={styles.notice}>The secret before the last rotation still signs until {rotatingUntil}.</p>}
      <div ref={shown} tabIndex={-1}>
        {state.formError && (
          <p className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
        {state.secret && (
          <div className={`${styles.panel} ${css.secretPanel}`} role="region" aria-label="New signing secret">
            <p className={css.warning}>Copy the new signing secret now: it will not be shown again.</p>
            <code className={css.secret} data-testid="webhook-secret">
              {state.secret}
            </code>
            <CopyButton value={state.secret} label="Copy signing secret" />
            <p className={styles.hint}>The old secret keeps working for 24 hours{state.previousUntil ? `, until ${state.previousUntil}` : ""}.</p>
          </div>
        )}
      </div>
      <button type="submit" className={styles.secondary} disabled={pending}>
        {pending ? "Rotating…" : "Rotate secret"}
      </button>
    </form>
  );
}

/** Sends an example event now, once, and shows what the receiver answered. */
export function WebhookTestEvent({
  sendTest,
  endpointId,
  events,
  eventLabels,
  enabled,
}: {
  sendTest: FormAction<TestEventState>;
  endpointId: string;
  events: string[];
  eventLabels: Record<string, string>;
  enabled: boolean;
}) {
  const [state, action, pending] = useActionState<TestEventState, FormData>(sendTest, {});
  const result = state.result;
  return (
    <form
      className={styles.form}
      onSubmit={submitTo(action)}
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <p className={styles.hint}>The example&apos;s consultation id is all zeros and its data has &quot;test&quot;: true, so the receiver can tell it apart.</p>
      <div className={styles.field}>
        <label htmlFor="test-event">Event</label>
        <select id="test-event" name="event" defaultValue={events[0]}>
          {events.map((event) => (
            <option key={event} value={event}>
              {eventLabels[event] ?? event} ({event})
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" className={styles.primary} disabled={pending || !enabled}>
          {pending ? "Sending…" : "Send test event"}
        </button>
        {!enabled && <p className={styles.hint}>Enable the endpoint to send a test event.</p>}
      </div>
      <div role="status" aria-live="polite" className={css.result}>
        {state.formError && <p className={styles.formError}>{state.formError}</p>}
        {result && (
          <div data-testid="test-result">
            <p className={result.delivered ? styles.notice : styles.formError}>
              {result.delivered ? "Delivered" : "Not delivered"}: {result.statusCode ? `HTTP ${result.statusCode}` : "no answer"}
              {result.latencyMs !== null ? ` in ${result.latencyMs} ms` : ""}
              {result.error ? `. ${result.error}` : "."}
            </p>
            {result.responseExcerpt && (
              <>
                <p className={styles.hint}>The receiver answered:</p>
                <pre className={css.excerpt}>{result.responseExcerpt}</pre>
              </>
            )}
            <p>
              <Link href={`/dashboard/settings/webhooks/${endpointId}/deliveries/${result.deliveryId}`}>See this delivery</Link>
            </p>
          </div>
        )}
      </div>
    </form>
  );
}

/** Deletes the endpoint and its delivery log, after a confirmation. */
export function WebhookDeleteEndpoint({ remove, endpointId, url }: { remove: FormAction<DeleteEndpointState>; endpointId: string; url: string }) {
  const [state, action, pending] = useActionState<DeleteEndpointState, FormData>(remove, {});
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} onSubmit={(event) => event.preventDefault()}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <p>Events stop going to this address at once, and its delivery log is deleted with it.</p>
      {state.formError && (
        <p className={styles.formError} role="alert">
          {state.formError}
        </p>
      )}
      <ConfirmButton
        label="Delete endpoint"
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        pending={pending}
        onConfirm={() => {
          const data = new FormData(form.current!);
          startTransition(() => action(data));
        }}
      >
        <p className={css.url}>
          <code>{url}</code> stops receiving events, and its delivery log is deleted. This cannot be undone.
        </p>
      </ConfirmButton>
    </form>
  );
}
