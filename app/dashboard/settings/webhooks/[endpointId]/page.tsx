import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { DeliveriesTable } from "@/components/dashboard/DeliveriesTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { DATE_TIME } from "@/components/dashboard/formats";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookDeleteEndpoint, WebhookRotateSecret, WebhookTestEvent } from "@/components/dashboard/WebhookEndpointActions";
import { WebhookEndpointForm } from "@/components/dashboard/WebhookEndpointForm";
import { DELIVERY_STATUS_KEYS, EndpointStateBadge, eventLabels, webhookWords } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { AppError } from "@/lib/errors";
import { isNotFound } from "@/lib/forms/form-state";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { listDeliveriesQuerySchema } from "@/lib/webhooks/schema";
import { deleteEndpointAction, rotateSecretAction, sendTestEventAction, updateEndpointAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Webhooks.endpoint");
  return { title: t("title") };
}

const PAGE_SIZE = 20;
const STATUSES = ["pending", "delivered", "failed"] as const;

/** Another organization's (or no) endpoint reads as not found, never as its data. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
}

export default async function WebhookEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ endpointId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const [{ endpointId }, search, t, tTables, format] = await Promise.all([params, searchParams, getTranslations("Webhooks"), getTranslations("Tables"), getFormatter()]);
  const words = webhookWords(t);
  const scope = { organizationId: member.organizationId };
  const endpoint = await orNotFound(getEndpoint(db, scope, endpointId));
  const tz = organization.timezone;
  const local = (iso: string | null) => (iso ? format.dateTime(new Date(iso), DATE_TIME) : "");

  // The log's filter and page live in the URL; a cursor that is not ours starts from the newest.
  const status = typeof search.status === "string" && (STATUSES as readonly string[]).includes(search.status) ? (search.status as (typeof STATUSES)[number]) : undefined;
  const cursor = typeof search.cursor === "string" && search.cursor ? search.cursor : undefined;
  const query = listDeliveriesQuerySchema.parse({ status, cursor, limit: PAGE_SIZE });
  let log: Awaited<ReturnType<typeof listDeliveries>>;
  let badCursor = false;
  try {
    log = await orNotFound(listDeliveries(db, scope, endpoint.id, query));
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_cursor") throw error;
    badCursor = true;
    log = await listDeliveries(db, scope, endpoint.id, { ...query, cursor: undefined });
  }
  const base = "/dashboard/settings/webhooks/" + endpoint.id;
  const href = (change: { status?: string; cursor?: string }) => {
    const q = new URLSearchParams({ ...(change.status ? { status: change.status } : {}), ...(change.cursor ? { cursor: change.cursor } : {}) }).toString();
    return q ? base + "?" + q + "#deliveries" : base + "#deliveries";
  };

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/settings/webhooks">{t("back")}</Link>
      </p>
      <div className={styles.pageHead}>
        <h1>{t("endpoint.title")}</h1>
        <EndpointStateBadge enabled={endpoint.enabled} />
      </div>
      <p className={css.url}>
        <code>{endpoint.url}</code>
        {endpoint.description ? " · " + endpoint.description : ""}
      </p>
      {!endpoint.enabled && endpoint.disabledReason && (
        <p className={styles.notice}>
          {endpoint.disabledAt
            ? t("endpoint.disabledOn", { time: local(endpoint.disabledAt), reason: words.disabledReason(endpoint.disabledReason) })
            : t("endpoint.disabled", { reason: words.disabledReason(endpoint.disabledReason) })}
        </p>
      )}
      <p className={styles.muted}>
        {t("endpoint.created", { time: local(endpoint.createdAt) })} · {tTables("timesIn", { timeZone: tz })}
      </p>

      <div className={styles.detailGrid}>
        <section className={styles.panel} aria-label={t("endpoint.settings")}>
          <WebhookEndpointForm
            save={updateEndpointAction}
            mode="edit"
            endpointId={endpoint.id}
            initial={{ url: endpoint.url, description: endpoint.description ?? "", events: endpoint.events, enabled: endpoint.enabled }}
            events={DOMAIN_EVENTS}
            eventLabels={eventLabels(words)}
          />
        </section>
        <div>
          <section className={styles.panel} aria-labelledby="test-title">
            <h2 id="test-title">{t("endpoint.testEvent")}</h2>
            <WebhookTestEvent sendTest={sendTestEventAction} endpointId={endpoint.id} events={endpoint.events} eventLabels={eventLabels(words)} enabled={endpoint.enabled} />
          </section>
          <section className={styles.panel} aria-labelledby="secret-title">
            <h2 id="secret-title">{t("endpoint.secret")}</h2>
            <WebhookRotateSecret rotate={rotateSecretAction} endpointId={endpoint.id} rotatingUntil={endpoint.previousSecretExpiresAt ? local(endpoint.previousSecretExpiresAt) : null} />
          </section>
        </div>
      </div>

      <section className={styles.panel} aria-labelledby="deliveries">
        <div className={css.sectionHead}>
          <h2 id="deliveries">{t("endpoint.log")}</h2>
        </div>
        <nav aria-label={t("endpoint.filter")}>
          <ul className={css.statusLinks}>
            {[undefined, ...STATUSES].map((s) => (
              <li key={s ?? "all"}>
                <Link href={href({ status: s })} aria-current={s === status ? "page" : undefined}>
                  {s ? t(DELIVERY_STATUS_KEYS[s]) : t("endpoint.all")}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {badCursor && (
          <p className={styles.notice} role="status">
            {t("endpoint.badCursor")}
          </p>
        )}
        <p className={styles.muted}>
          {t("endpoint.shown", { status: status ?? "all", older: cursor && !badCursor ? "yes" : "no" })}
        </p>
        <DeliveriesTable
          log={{ caption: t("endpoint.caption", { timeZone: tz }), empty: t("endpoint.empty", { status: status ?? "all" }) }}
          rows={log.items.map((d) => ({
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attemptCount,
            last: local(d.lastAttemptAt),
            next: d.status === "pending" ? local(d.nextAttemptAt) : "",
            code: d.lastStatusCode,
            error: d.lastError,
            consultationId: d.consultationId,
            test: d.test,
            href: base + "/deliveries/" + d.id,
          }))}
        />
        <nav aria-label={t("endpoint.pages")} className={styles.pager}>
          {cursor && !badCursor ? <Link href={href({ status })}>{tTables("pager.newest")}</Link> : <span aria-hidden="true" />}
          {log.nextCursor ? <Link href={href({ status, cursor: log.nextCursor })}>{tTables("pager.older")}</Link> : <span aria-hidden="true" />}
        </nav>
      </section>

      <section className={styles.panel + " " + css.danger} aria-labelledby="delete-title">
        <h2 id="delete-title">{t("endpoint.delete")}</h2>
        <WebhookDeleteEndpoint remove={deleteEndpointAction} endpointId={endpoint.id} url={endpoint.url} />
      </section>
    </>
  );
}
