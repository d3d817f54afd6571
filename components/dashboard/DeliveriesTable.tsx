"use client";

import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import styles from "./dashboard.module.css";
import { DeliveryStatusBadge } from "./WebhookStatus";

export type DeliveryTableRow = {
  id: string;
  event: string;
  status: string;
  attempts: number;
  last: string;
  code: number | null;
  error: string | null;
  /** The endpoint's delivery log only: where the delivery's detail is, its consultation, and its next retry. */
  href?: string;
  consultationId?: string | null;
  next?: string;
  test?: boolean;
};

const answer: TableColumn<DeliveryTableRow> = { id: "answer", header: "Answer", cell: ({ row }) => (row.original.code ? `HTTP ${row.original.code}` : (row.original.error ?? "—")) };

// A consultation's deliveries (its detail page).
const columns: TableColumn<DeliveryTableRow>[] = [
  { id: "event", header: "Event", cell: ({ row }) => <code>{row.original.event}</code> },
  { id: "status", header: "Status", cell: ({ row }) => row.original.status },
  { id: "attempts", header: "Attempts", cell: ({ row }) => row.original.attempts },
  { id: "last", header: "Last attempt", cell: ({ row }) => row.original.last || "—" },
  answer,
];

// One endpoint's delivery log: each delivery opens its detail.
const logColumns: TableColumn<DeliveryTableRow>[] = [
  {
    id: "event",
    header: "Event",
    cell: ({ row }) => (
      <>
        {row.original.href ? (
          <Link href={row.original.href}>
            <code>{row.original.event}</code>
          </Link>
        ) : (
          <code>{row.original.event}</code>
        )}
        {row.original.test && <span className={styles.muted}> · test</span>}
      </>
    ),
  },
  {
    id: "consultation",
    header: "Consultation",
    cell: ({ row }) =>
      row.original.consultationId && !row.original.test ? (
        <Link href={`/dashboard/consultations/${row.original.consultationId}`} aria-label={`Consultation ${row.original.consultationId}`}>
          <code>{row.original.consultationId.slice(0, 8)}</code>
        </Link>
      ) : (
        "—"
      ),
  },
  { id: "status", header: "Status", cell: ({ row }) => <DeliveryStatusBadge status={row.original.status} /> },
  { id: "attempts", header: "Attempts", cell: ({ row }) => row.original.attempts },
  { id: "last", header: "Last attempt", cell: ({ row }) => row.original.last || "—" },
  { id: "next", header: "Next retry", cell: ({ row }) => row.original.next || "—" },
  answer,
];

export function DeliveriesTable({ rows, log }: { rows: DeliveryTableRow[]; log?: { caption: string; empty: string } }) {
  if (log) return <DataTable caption={log.caption} columns={logColumns} rows={rows} rowId={(r) => r.id} empty={log.empty} />;
  return <DataTable caption="Webhook deliveries" columns={columns} rows={rows} rowId={(r) => r.id} empty="No webhook endpoint was subscribed to these events." />;
}
