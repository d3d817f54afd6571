"use client";

import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import { AUDIT_ACTION_LABELS } from "./labels";

export type AuditTableRow = { id: number; at: string; action: string; who: string; target: string; from: string; detail: string };

const columns: TableColumn<AuditTableRow>[] = [
  { id: "at", header: "When", cell: ({ row }) => row.original.at },
  { id: "action", header: "What", cell: ({ row }) => AUDIT_ACTION_LABELS[row.original.action] ?? row.original.action },
  { id: "who", header: "Who", cell: ({ row }) => row.original.who },
  { id: "target", header: "On", cell: ({ row }) => row.original.target || "—" },
  { id: "from", header: "From", cell: ({ row }) => row.original.from || "—" },
  { id: "detail", header: "Details", cell: ({ row }) => row.original.detail || "—" },
];

export function AuditTable({ rows, timeZone }: { rows: AuditTableRow[]; timeZone: string }) {
  return <DataTable caption={`Audit log, times in ${timeZone}`} columns={columns} rows={rows} rowId={(r) => String(r.id)} empty="Nothing recorded yet." />;
}
