import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { CopyButton } from "@/components/dashboard/CopyButton";
import styles from "@/components/dashboard/dashboard.module.css";
import { DATE_TIME } from "@/components/dashboard/formats";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookAttemptsTable } from "@/components/dashboard/WebhookAttemptsTable";
import { WebhookRedeliver } from "@/components/dashboard/WebhookRedeliver";
import { DeliveryStatusBadge, webhookWords } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { appSealer } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { getDelivery } from "@/lib/webhooks/deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { redeliverAction } from "../../../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Webhooks.delivery");
  return { title: t("title") };
}

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ endpointId: string; deliveryId: string }> }) {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const [{ endpointId, deliveryId }, t, format] = await Promise.all([params, getTranslations("Webhooks"), getFormatter()]);
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
  const local = (iso: string | null) => (iso ? format.dateTime(new Date(iso), DATE_TIME) : "—");
  const endpointPage = "/dashboard/settings/webhooks/" + endpoint.id;

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href={endpointPage + "#deliveries"}>{t("delivery.back")}</Link>
      </p>
      <div className={styles.pageHead}>
        <h1>{t.rich("delivery.heading", { event: delivery.event, code: (chunks) => <code>{chunks}</code> })}</h1>
        <DeliveryStatusBadge status={delivery.status} />
      </div>

      <div className={styles.detailGrid}>
        <section className={styles.panel} aria-labelledby="delivery-facts">
          <h2 id="delivery-facts">{t("delivery.facts")}</h2>
          <dl className={styles.facts}>
            <dt>{t("columns.event")}</dt>
            <dd>{delivery.test ? t("delivery.testEvent", { event: webhookWords(t).event(delivery.event) }) : webhookWords(t).event(delivery.event)}</dd>
            <dt>{t("delivery.endpoint")}</dt>
            <dd className={css.url}>
              <Link href={endpointPage}>{endpoint.url}</Link>
            </dd>
            <dt>{t("columns.consultation")}</dt>
            <dd>
              {delivery.consultationId && !delivery.test ? (
                <Link href={"/dashboard/consultations/" + delivery.consultationId}>
                  <code>{delivery.consultationId}</code>
                </Link>
              ) : (
                "—"
              )}
            </dd>
            <dt>webhook-id</dt>
            <dd className={styles.linkValue}>
              <code>{delivery.id}</code> <CopyButton value={delivery.id} label={t("delivery.copyId")} />
            </dd>
            <dt>{t("delivery.created")}</dt>
            <dd>{local(delivery.createdAt)}</dd>
            <dt>{t("columns.attempts")}</dt>
            <dd>{t("delivery.attemptsInRound", { count: delivery.attemptCount })}</dd>
            <dt>{t("columns.lastAttempt")}</dt>
            <dd>{local(delivery.lastAttemptAt)}</dd>
            <dt>{t("columns.nextRetry")}</dt>
            <dd>{delivery.status === "pending" ? local(delivery.nextAttemptAt) : "—"}</dd>
            <dt>{t("delivery.delivered")}</dt>
            <dd>{local(delivery.deliveredAt)}</dd>
          </dl>
          <p className={styles.muted}>{t("delivery.timesIn", { timeZone: tz })}</p>
        </section>

        <section className={styles.panel} aria-labelledby="redeliver-title">
          <h2 id="redeliver-title">{t("delivery.redeliver")}</h2>
          {delivery.test ? (
            <p>{t("delivery.testOnce")}</p>
          ) : (
            <>
              <p>{t("delivery.redeliverExplained")}</p>
              {!endpoint.enabled && <p className={styles.notice}>{t("delivery.enableFirst")}</p>}
              <WebhookRedeliver redeliver={redeliverAction} endpointId={endpoint.id} deliveryId={delivery.id} />
            </>
          )}
        </section>
      </div>

      <section className={styles.panel} aria-labelledby="body-title">
        <h2 id="body-title">{t("delivery.body")}</h2>
        <pre className={css.body} tabIndex={0} aria-labelledby="body-title">
          {JSON.stringify(delivery.payload, null, 2)}
        </pre>
      </section>

      <section className={styles.panel} aria-labelledby="attempts-title">
        <h2 id="attempts-title">{t("columns.attempts")}</h2>
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
