import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveriesTable } from "@/components/dashboard/DeliveriesTable";
import styles from "@/components/dashboard/dashboard.module.css";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookDeleteEndpoint, WebhookRotateSecret, WebhookTestEvent } from "@/components/dashboard/WebhookEndpointActions";
import { WebhookEndpointForm } from "@/components/dashboard/WebhookEndpointForm";
import { DELIVERY_STATUS_LABELS, DISABLED_REASON_LABELS, EndpointStateBadge, WEBHOOK_EVENT_LABELS } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { AppError } from "@/lib/errors";
import { isNotFound } from "@/lib/forms/form-state";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { formatLocal } from "@/lib/time";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { listDeliveriesQuerySchema } from "@/lib/webhooks/schema";
import { deleteEndpointAction, rotateSecretAction, sendTestEventAction, updateEndpointAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

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
  const [{ endpointId }, search] = await Promise.all([params, searchParams]);
  const scope = { organizationId: member.organizationId };
  const endpoint = await orNotFound(getEndpoint(db, scope, endpointId));
  const tz = organization.timezone;
  const local = (iso: string | null) => (iso ? formatLocal(new Date(iso), tz) : "");

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
  const base = `/dashboard/settings/webhooks/${endpoint.id}`;
  const href = (change: { status?: string; cursor?: string }) => {
    const q = new URLSearchParams({ ...(change.status ? { status: change.status } : {}), ...(change.cursor ? { cursor: change.cursor } : {}) }).toString();
    return q ? `${base}?${q}#deliveries` : `${base}#deliveries`;
  };

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/settings/webhooks">← Webhooks</Link>
      </p>
      <div className={styles.pageHead}>
        <h1>Webhook endpoint</h1>
        <EndpointStateBadge enabled={endpoint.enabled} />
      </div>
      <p className={css.url}>
        <code>{endpoint.url}</code>
        {endpoint.description ? ` · ${endpoint.description}` : ""}
      </p>
      {!endpoint.enabled && endpoint.disabledReason && (
        <p className={styles.notice}>
          Disabled{endpoint.disabledAt ? ` on ${local(endpoint.disabledAt)}` : ""}: {DISABLED_REASON_LABELS[endpoint.disabledReason] ?? endpoint.disabledReason}. Events are not sent
          until it is enabled again.
        </p>
      )}
      <p className={styles.muted}>
        Created {local(endpoint.createdAt)} · times in {tz}
      </p>

      <div className={styles.detailGrid}>
        <section className={styles.panel} aria-label="Endpoint settings">
          <WebhookEndpointForm
            save={updateEndpointAction}
            mode="edit"
            endpointId={endpoint.id}
            initial={{ url: endpoint.url, description: endpoint.description ?? "", events: endpoint.events, enabled: endpoint.enabled }}
            events={DOMAIN_EVENTS}
            eventLabels={WEBHOOK_EVENT_LABELS}
          />
        </section>
        <div>
          <section className={styles.panel} aria-labelledby="test-title">
            <h2 id="test-title">Test event</h2>
            <WebhookTestEvent sendTest={sendTestEventAction} endpointId={endpoint.id} events={endpoint.events} eventLabels={WEBHOOK_EVENT_LABELS} enabled={endpoint.enabled} />
          </section>
          <section className={styles.panel} aria-labelledby="secret-title">
            <h2 id="secret-title">Signing secret</h2>
            <WebhookRotateSecret rotate={rotateSecretAction} endpointId={endpoint.id} rotatingUntil={endpoint.previousSecretExpiresAt ? local(endpoint.previousSecretExpiresAt) : null} />
          </section>
        </div>
      </div>

      <section className={styles.panel} aria-labelledby="deliveries">
        <div className={css.sectionHead}>
          <h2 id="deliveries">Delivery log</h2>
        </div>
        <nav aria-label="Filter deliveries by status">
          <ul className={css.statusLinks}>
            {[undefined, ...STATUSES].map((s) => (
              <li key={s ?? "all"}>
                <Link href={href({ status: s })} aria-current={s === status ? "page" : undefined}>
                  {s ? DELIVERY_STATUS_LABELS[s] : "All"}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {badCursor && (
          <p className={styles.notice} role="status">
            The page in the address was not understood; showing the newest deliveries.
          </p>
        )}
        <p className={styles.muted}>
          {status ? `${DELIVERY_STATUS_LABELS[status]} deliveries` : "All deliveries"}, newest first{cursor && !badCursor ? " (older page)" : ""}
        </p>
        <DeliveriesTable
          log={{ caption: `Deliveries to this endpoint, newest first, times in ${tz}`, empty: status ? `No ${status} deliveries.` : "Nothing delivered yet. Send a test event to try the endpoint." }}
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
            href: `${base}/deliveries/${d.id}`,
          }))}
        />
        <nav aria-label="Delivery log pages" className={styles.pager}>
          {cursor && !badCursor ? <Link href={href({ status })}>← Newest</Link> : <span aria-hidden="true" />}
          {log.nextCursor ? <Link href={href({ status, cursor: log.nextCursor })}>Older →</Link> : <span aria-hidden="true" />}
        </nav>
      </section>

      <section className={`${styles.panel} ${css.danger}`} aria-labelledby="delete-title">
        <h2 id="delete-title">Delete endpoint</h2>
        <WebhookDeleteEndpoint remove={deleteEndpointAction} endpointId={endpoint.id} url={endpoint.url} />
      </section>
    </>
  );
}
