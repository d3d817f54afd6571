"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import css from "./integrations.module.css";

export type RedeliverState = FormState & { queued?: boolean };

/** Queues the delivery again (the API's 202): the worker sends it shortly, with the same webhook-id. */
export function WebhookRedeliver({ redeliver, endpointId, deliveryId }: { redeliver: FormAction<RedeliverState>; endpointId: string; deliveryId: string }) {
  const t = useTranslations("Webhooks.actions");
  const [state, action, pending] = useActionState<RedeliverState, FormData>(redeliver, {});
  return (
    <form
      className={css.actions}
      onSubmit={submitTo(action)}
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? t("queuing") : t("redeliver")}
      </button>
      <span role="status" aria-live="polite">
        {state.queued && !pending && <span className={styles.notice}>{t("queued")}</span>}
      </span>
      {state.formError && (
        <p className={styles.formError} role="alert">
          {state.formError}
        </p>
      )}
    </form>
  );
}
