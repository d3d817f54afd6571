"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("Webhooks.actions");
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
      <p>{t("rotateExplained")}</p>
      {rotatingUntil && !state.secret && <p className={styles.notice}>{t("previousStillSigns", { time: rotatingUntil })}</p>}
      <div ref={shown} tabIndex={-1}>
        {state.formError && (
          <p className={styles.formError} role="alert">
            {state.formError}
          </p>
        )}
        {state.secret && (
          <div className={styles.panel + " " + css.secretPanel} role="region" aria-label={t("newSecret")}>
            <p className={css.warning}>{t("copyNow")}</p>
            <code className={css.secret} data-testid="webhook-secret">
              {state.secret}
            </code>
            <CopyButton value={state.secret} label={t("copySecret")} />
            <p className={styles.hint}>{state.previousUntil ? t("oldWorksUntil", { time: state.previousUntil }) : t("oldWorks")}</p>
          </div>
        )}
      </div>
      <button type="submit" className={styles.secondary} disabled={pending}>
        {pending ? t("rotating") : t("rotate")}
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
  const t = useTranslations("Webhooks.actions");
  const [state, action, pending] = useActionState<TestEventState, FormData>(sendTest, {});
  const result = state.result;
  return (
    <form
      className={styles.form}
      onSubmit={submitTo(action)}
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <p className={styles.hint}>{t("testExplained")}</p>
      <div className={styles.field}>
        <label htmlFor="test-event">{t("event")}</label>
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
          {pending ? t("sending") : t("sendTest")}
        </button>
        {!enabled && <p className={styles.hint}>{t("enableToTest")}</p>}
      </div>
      <div role="status" aria-live="polite" className={css.result}>
        {state.formError && <p className={styles.formError}>{state.formError}</p>}
        {result && (
          <div data-testid="test-result">
            <p className={result.delivered ? styles.notice : styles.formError}>
              {t("testResult", {
                delivered: result.delivered ? "yes" : "no",
                answer: result.statusCode ? "HTTP " + result.statusCode : t("noAnswer"),
                timed: result.latencyMs !== null ? "yes" : "no",
                ms: result.latencyMs ?? 0,
              })}
              {result.error ? " " + result.error : ""}
            </p>
            {result.responseExcerpt && (
              <>
                <p className={styles.hint}>{t("receiverAnswered")}</p>
                <pre className={css.excerpt}>{result.responseExcerpt}</pre>
              </>
            )}
            <p>
              <Link href={"/dashboard/settings/webhooks/" + endpointId + "/deliveries/" + result.deliveryId}>{t("seeDelivery")}</Link>
            </p>
          </div>
        )}
      </div>
    </form>
  );
}

/** Deletes the endpoint and its delivery log, after a confirmation. */
export function WebhookDeleteEndpoint({ remove, endpointId, url }: { remove: FormAction<DeleteEndpointState>; endpointId: string; url: string }) {
  const t = useTranslations("Webhooks.actions");
  const [state, action, pending] = useActionState<DeleteEndpointState, FormData>(remove, {});
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} onSubmit={(event) => event.preventDefault()}>
      <input type="hidden" name="endpointId" value={endpointId} />
      <p>{t("deleteExplained")}</p>
      {state.formError && (
        <p className={styles.formError} role="alert">
          {state.formError}
        </p>
      )}
      <ConfirmButton
        label={t("delete")}
        title={t("deleteQuestion")}
        confirmLabel={t("delete")}
        pending={pending}
        onConfirm={() => {
          const data = new FormData(form.current!);
          startTransition(() => action(data));
        }}
      >
        <p className={css.url}>
          {t.rich("deleteWhat", { url, code: (chunks) => <code>{chunks}</code> })}
        </p>
      </ConfirmButton>
    </form>
  );
}
