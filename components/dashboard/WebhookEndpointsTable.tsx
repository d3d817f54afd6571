"use client";

import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import styles from "./dashboard.module.css";
import css from "./integrations.module.css";
import { DeliveryStatusBadge, DISABLED_REASON_LABELS, EndpointStateBadge } from "./WebhookStatus";

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

const columns: TableColumn<WebhookEndpointRow>[] = [
  {
    id: "url",
    header: "URL",
    cell: ({ row }) => (
      <>
        <Link href={`/dashboard/settings/webhooks/${row.original.id}`} className={css.url}>
          {row.original.url}
        </Link>
        {row.original.description && <div className={styles.muted}>{row.original.description}</div>}
      </>
    ),
  },
  { id: "events", header: "Events", cell: ({ row }) => <span className={css.cellText}>{row.original.events.join(", ")}</span> },
  {
    id: "enabled",
    header: "State",
    cell: ({ row }) => (
      <>
        <EndpointStateBadge enabled={row.original.enabled} />
        {row.original.disabledReason && <div className={styles.muted}>{DISABLED_REASON_LABELS[row.original.disabledReason] ?? row.original.disabledReason}</div>}
      </>
    ),
  },
  { id: "created", header: "Created", cell: ({ row }) => row.original.created },
  {
    id: "last",
    header: "Last delivery",
    cell: ({ row }) => {
      const last = row.original.last;
      if (!last) return <span className={styles.muted}>none yet</span>;
      return (
        <>
          <DeliveryStatusBadge status={last.status} /> {last.code ? `HTTP ${last.code}` : ""}
          <div className={styles.muted}>
            {last.at}
            {last.test ? " · test" : ""}
          </div>
        </>
      );
    },
  },
];

export function WebhookEndpointsTable({ rows, timeZone }: { rows: WebhookEndpointRow[]; timeZone: string }) {
  return <DataTable caption={`Webhook endpoints, times in ${timeZone}`} columns={columns} rows={rows} rowId={(r) => r.id} empty="No endpoints yet: add one below." />;
}
