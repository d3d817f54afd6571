"use client";

import { DataTable, type TableColumn } from "@/components/ui/DataTable";

export type DeliveryTableRow = { id: string; event: string; status: string; attempts: number; last: string; code: number | null; error: string | null };

const columns: TableColumn<DeliveryTableRow>[] = [
  { id: "event", header: "Event", cell: ({ row }) => <code>{row.original.event}</code> },
  { id: "status", header: "Status", cell: ({ row }) => row.original.status },
  { id: "attempts", header: "Attempts", cell: ({ row }) => row.original.attempts },
  { id: "last", header: "Last attempt", cell: ({ row }) => row.original.last || "—" },
  { id: "answer", header: "Answer", cell: ({ row }) => (row.original.code ? `HTTP ${row.original.code}` : (row.original.error ?? "—")) },
];

export function DeliveriesTable({ rows }: { rows: DeliveryTableRow[] }) {
  return <DataTable caption="Webhook deliveries" columns={columns} rows={rows} rowId={(r) => r.id} empty="No webhook endpoint was subscribed to these events." />;
}
