import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CopyButton } from "@/components/dashboard/CopyButton";
import styles from "@/components/dashboard/dashboard.module.css";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookAttemptsTable } from "@/components/dashboard/WebhookAttemptsTable";
import { WebhookRedeliver } from "@/components/dashboard/WebhookRedeliver";
import { DeliveryStatusBadge, WEBHOOK_EVENT_LABELS } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { appSealer } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { formatLocal } from "@/lib/time";
import { getDelivery } from "@/lib/webhooks/deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { redeliverAction } from "../../../actions";

export const metadata: Metadata = { title: "Webhook delivery" };

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ endpointId: string; deliveryId: string }> }) {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const { endpointId, deliveryId } = await params;
  const scope = { organizationId: member.organizationId };
  let found;
  try {
    // Both ids must be the organization's, and the delivery the endpoint's: anything else is not found.
    found = await Promise.all([getEndpoint(db, scope, endpointId), getDelivery(db, { ...scope, sealer: appSealer() }, endpointId, deliveryId)]);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
  const [endpoint, delivery] = found;
  const tz = organization.timezone;
  const local = (iso: string | null) => (iso ? formatLocal(new Date(iso), tz) : "—");
  const endpointPage = `/dashboard/settings/webhooks/${endpoint.id}`;

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href={`${endpointPage}#deliveries`}>← Delivery log</Link>
      </p>
      <div className={styles.pageHead}>
        <h1>
          Delivery of <code>{delivery.event}</code>
        </h1>
        <DeliveryStatusBadge status={delivery.status} />
      </div>

      <div className={styles.detailGrid}>
        <section className={styles.panel} aria-labelledby="delivery-facts">
          <h2 id="delivery-facts">Delivery</h2>
          <dl className={styles.facts}>
            <dt>Event</dt>
            <dd>
              {WEBHOOK_EVENT_LABELS[delivery.event] ?? delivery.event}
              {delivery.test ? " (test)" : ""}
            </dd>
            <dt>Endpoint</dt>
            <dd className={css.url}>
              <Link href={endpointPage}>{endpoint.url}</Link>
            </dd>
            <dt>Consultation</dt>
            <dd>
              {delivery.consultationId && !delivery.test ? (
                <Link href={`/dashboard/consultations/${delivery.consultationId}`}>
                  <code>{delivery.consultationId}</code>
                </Link>
              ) : (
                "—"
              )}
            </dd>
            <dt>webhook-id</dt>
            <dd className={styles.linkValue}>
              <code>{delivery.id}</code> <CopyButton value={delivery.id} label="Copy webhook-id" />
            </dd>
            <dt>Created</dt>
            <dd>{local(delivery.createdAt)}</dd>
            <dt>Attempts</dt>
            <dd>{delivery.attemptCount} in the current round</dd>
            <dt>Last attempt</dt>
            <dd>{local(delivery.lastAttemptAt)}</dd>
            <dt>Next retry</dt>
            <dd>{delivery.status === "pending" ? local(delivery.nextAttemptAt) : "—"}</dd>
            <dt>Delivered</dt>
            <dd>{local(delivery.deliveredAt)}</dd>
          </dl>
          <p className={styles.muted}>Times in {tz}.</p>
        </section>

        <section className={styles.panel} aria-labelledby="redeliver-title">
          <h2 id="redeliver-title">Redeliver</h2>
          {delivery.test ? (
            <p>A test delivery is sent once. To try the endpoint again, send a new test event from the endpoint&apos;s page.</p>
          ) : (
            <>
              <p>Sends the same body again with the same webhook-id (a receiver that keeps ids sees it is the same event), with a new round of retries.</p>
              {!endpoint.enabled && <p className={styles.notice}>The endpoint is disabled: enable it before redelivering.</p>}
              <WebhookRedeliver redeliver={redeliverAction} endpointId={endpoint.id} deliveryId={delivery.id} />
            </>
          )}
        </section>
      </div>

      <section className={styles.panel} aria-labelledby="body-title">
        <h2 id="body-title">Body</h2>
        <pre className={css.body} tabIndex={0} aria-labelledby="body-title">
          {JSON.stringify(delivery.payload, null, 2)}
        </pre>
      </section>

      <section className={styles.panel} aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        <WebhookAttemptsTable
          timeZone={tz}
          rows={delivery.attempts.map((a, i) => ({
            id: String(i),
            at: local(a.attemptedAt),
            statusCode: a.statusCode,
            latencyMs: a.latencyMs,
            responseExcerpt: a.responseExcerpt,
            error: a.error,
            trigger: a.trigger,
          }))}
        />
      </section>
    </>
  );
}
