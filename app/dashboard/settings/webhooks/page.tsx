import type { Metadata } from "next";
import styles from "@/components/dashboard/dashboard.module.css";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookEndpointForm } from "@/components/dashboard/WebhookEndpointForm";
import { WebhookEndpointsTable } from "@/components/dashboard/WebhookEndpointsTable";
import { WEBHOOK_EVENT_LABELS } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { formatLocal } from "@/lib/time";
import { latestDeliveries } from "@/lib/webhooks/deliveries";
import { listEndpoints } from "@/lib/webhooks/endpoints";
import { MAX_ENDPOINTS_PER_ORGANIZATION } from "@/lib/webhooks/schema";
import { createEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const scope = { organizationId: member.organizationId };
  const [endpoints, latest, params] = await Promise.all([listEndpoints(db, scope), latestDeliveries(db, scope), searchParams]);
  const local = (iso: string) => formatLocal(new Date(iso), organization.timezone);

  return (
    <>
      <div className={styles.pageHead}>
        <h1>Webhooks</h1>
      </div>
      <p className={css.intro}>
        The portal POSTs each event to these addresses, signed with the endpoint&apos;s secret, and retries for three days when a receiver fails.
      </p>
      {params.deleted === "1" && (
        <p className={styles.notice} role="status">
          The endpoint was deleted, with its delivery log.
        </p>
      )}
      <p className={styles.muted}>
        {endpoints.length} of at most {MAX_ENDPOINTS_PER_ORGANIZATION} endpoints · times in {organization.timezone}
      </p>
      <WebhookEndpointsTable
        timeZone={organization.timezone}
        rows={endpoints.map((e) => {
          const last = latest.get(e.id);
          return {
            id: e.id,
            url: e.url,
            description: e.description,
            events: e.events,
            enabled: e.enabled,
            disabledReason: e.disabledReason,
            created: local(e.createdAt),
            last: last ? { status: last.status, code: last.lastStatusCode, at: local(last.lastAttemptAt ?? last.createdAt), test: last.test } : null,
          };
        })}
      />
      <section className={`${styles.panel} ${css.spaced}`} aria-label="Add an endpoint">
        <WebhookEndpointForm save={createEndpointAction} mode="create" events={DOMAIN_EVENTS} eventLabels={WEBHOOK_EVENT_LABELS} />
      </section>
    </>
  );
}
