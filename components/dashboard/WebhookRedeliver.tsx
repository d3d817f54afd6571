"use client";

import { useActionState } from "react";
import { redeliverAction, type RedeliverState } from "@/app/dashboard/settings/webhooks/actions";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import css from "./integrations.module.css";

/** Queues the delivery again (the API's 202): the worker sends it shortly, with the same webhook-id. */
export function WebhookRedeliver({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const [state, action, pending] = useActionState<RedeliverState, FormData>(redeliverAction, {});
  return (
    <form
      className={css.actions}
      onSubmit={submitTo(action)}
    >
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? "Queuing…" : "Redeliver"}
      </button>
      <span role="status" aria-live="polite">
        {state.queued && !pending && <span className={styles.notice}>Queued: it will be sent again shortly. Reload to see the new attempt.</span>}
      </span>
      {state.formError && (
        <p className={styles.formError} role="alert">
          {state.formError}
        </p>
      )}
    </form>
  );
}
