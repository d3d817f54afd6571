"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import styles from "./dashboard.module.css";
import css from "./integrations.module.css";
import { DeliveryStatusBadge, EndpointStateBadge, useWebhookWords } from "./WebhookStatus";

export type WebhookEndpointRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  created: string;
  last: { status: string; code: number | null; at: string; test: boolean } | null;
};

export function WebhookEndpointsTable({ rows, timeZone }: { rows: WebhookEndpointRow[]; timeZone: string }) {
  const t = useTranslations("Webhooks");
  const words = useWebhookWords();
  const columns = useMemo<TableColumn<WebhookEndpointRow>[]>(
    () => [
      {
        id: "url",
        header: t("columns.url"),
        cell: ({ row }) => (
          <>
            <Link href={"/dashboard/settings/webhooks/" + row.original.id} className={css.url}>
              {row.original.url}
            </Link>
            {row.original.description && <div className={styles.muted}>{row.original.description}</div>}
          </>
        ),
      },
      // The events' codes: what the receiver reads in each body.
      { id: "events", header: t("columns.events"), cell: ({ row }) => <span className={css.cellText}>{row.original.events.join(", ")}</span> },
      {
        id: "enabled",
        header: t("columns.state"),
        cell: ({ row }) => (
          <>
            <EndpointStateBadge enabled={row.original.enabled} />
            {row.original.disabledReason && <div className={styles.muted}>{words.disabledReason(row.original.disabledReason)}</div>}
          </>
        ),
      },
      { id: "created", header: t("columns.created"), cell: ({ row }) => row.original.created },
      {
        id: "last",
        header: t("columns.lastDelivery"),
        cell: ({ row }) => {
          const last = row.original.last;
          if (!last) return <span className={styles.muted}>{t("noneYet")}</span>;
          return (
            <>
              <DeliveryStatusBadge status={last.status} /> {last.code ? "HTTP " + last.code : ""}
              <div className={styles.muted}>{last.test ? t("atTest", { time: last.at }) : last.at}</div>
            </>
          );
        },
      },
    ],
    [t, words],
  );
  return <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(r) => r.id} empty={t("empty")} />;
}
