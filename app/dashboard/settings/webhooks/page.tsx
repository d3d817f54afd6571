import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import styles from "@/components/dashboard/dashboard.module.css";
import { DATE_TIME } from "@/components/dashboard/formats";
import css from "@/components/dashboard/integrations.module.css";
import { WebhookEndpointForm } from "@/components/dashboard/WebhookEndpointForm";
import { WebhookEndpointsTable } from "@/components/dashboard/WebhookEndpointsTable";
import { eventLabels, webhookWords } from "@/components/dashboard/WebhookStatus";
import { staffRequest } from "@/lib/auth/staff-action";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { latestDeliveries } from "@/lib/webhooks/deliveries";
import { listEndpoints } from "@/lib/webhooks/endpoints";
import { MAX_ENDPOINTS_PER_ORGANIZATION } from "@/lib/webhooks/schema";
import { createEndpointAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Webhooks");
  return { title: t("title") };
}

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db, organization } = await staffRequest("settings.manage");
  const scope = { organizationId: member.organizationId };
  const [endpoints, latest, params, t, tTables, format] = await Promise.all([
    listEndpoints(db, scope),
    latestDeliveries(db, scope),
    searchParams,
    getTranslations("Webhooks"),
    getTranslations("Tables"),
    getFormatter(),
  ]);
  const local = (iso: string) => format.dateTime(new Date(iso), DATE_TIME);

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
      </div>
      <p className={css.intro}>{t("intro")}</p>
      {params.deleted === "1" && (
        <p className={styles.notice} role="status">
          {t("deleted")}
        </p>
      )}
      <p className={styles.muted}>
        {t("count", { count: endpoints.length, max: MAX_ENDPOINTS_PER_ORGANIZATION })} · {tTables("timesIn", { timeZone: organization.timezone })}
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
      <section className={`${styles.panel} ${css.spaced}`} aria-label={t("addEndpoint")}>
        <WebhookEndpointForm save={createEndpointAction} mode="create" events={DOMAIN_EVENTS} eventLabels={eventLabels(webhookWords(t))} />
      </section>
    </>
  );
}
