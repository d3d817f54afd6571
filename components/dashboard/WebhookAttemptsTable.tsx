"use client";

import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import css from "./integrations.module.css";
import { ATTEMPT_TRIGGER_LABELS } from "./WebhookStatus";

export type WebhookAttemptRow = { id: string; at: string; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null; trigger: string };

const columns: TableColumn<WebhookAttemptRow>[] = [
  { id: "at", header: "Time", cell: ({ row }) => row.original.at },
  { id: "statusCode", header: "Status code", cell: ({ row }) => row.original.statusCode ?? "—" },
  { id: "latency", header: "Latency", cell: ({ row }) => `${row.original.latencyMs} ms` },
  {
    id: "response",
    header: "Response",
    cell: ({ row }) => (row.original.responseExcerpt ? <pre className={css.excerpt}>{row.original.responseExcerpt}</pre> : "—"),
  },
  { id: "error", header: "Error", cell: ({ row }) => <span className={css.cellText}>{row.original.error ?? "—"}</span> },
  { id: "trigger", header: "Trigger", cell: ({ row }) => ATTEMPT_TRIGGER_LABELS[row.original.trigger] ?? row.original.trigger },
];

export function WebhookAttemptsTable({ rows, timeZone }: { rows: WebhookAttemptRow[]; timeZone: string }) {
  return <DataTable caption={`Attempts, oldest first, times in ${timeZone}`} columns={columns} rows={rows} rowId={(r) => r.id} empty="No attempt yet." />;
}
