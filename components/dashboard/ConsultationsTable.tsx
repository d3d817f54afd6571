"use client";

import Link from "next/link";
import { DataTable, type TableColumn, type TableSorting } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ConsultationTableRow } from "@/lib/consultations/table";
import { ConsultationRowActions, type ConsultationActions } from "./ConsultationRowActions";
import { STATUS_LABELS } from "./labels";

export function StatusBadge({ status }: { status: ConsultationTableRow["status"] }) {
  return <span className={`${ui.badge} ${ui[status]}`}>{STATUS_LABELS[status]}</span>;
}

const columns: TableColumn<ConsultationTableRow>[] = [
  {
    id: "startsAt",
    header: "Time",
    cell: ({ row }) => (
      <Link href={`/dashboard/consultations/${row.original.consultationId}`}>
        {row.original.startsAtLocal}
        {row.original.immediate ? " · now" : ""}
      </Link>
    ),
  },
  { id: "status", header: "Status", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  { id: "provider", header: "Provider", cell: ({ row }) => row.original.provider.name },
  {
    id: "patient",
    header: "Patient",
    cell: ({ row }) => (
      <>
        {row.original.patient.name}
        <br />
        <small>
          {row.original.patient.documentType} {row.original.patient.documentNumber}
        </small>
      </>
    ),
  },
  { id: "type", header: "Type", cell: ({ row }) => row.original.consultationType.name },
  { id: "duration", header: "Duration", cell: ({ row }) => `${row.original.durationMinutes} min` },
];

const actionsColumn = (actions: ConsultationActions): TableColumn<ConsultationTableRow> => ({
  id: "actions",
  header: "Actions",
  cell: ({ row }) => (
    <ConsultationRowActions
      actions={actions}
      consultationId={row.original.consultationId}
      status={row.original.status}
      label={`${row.original.patient.name}, ${row.original.startsAtLocal}`}
    />
  ),
});

/** `actions`: the row actions (links, PIN, end, cancel), handed only to staff who manage consultations. */
export function ConsultationsTable({ rows, sorting, timeZone, actions }: { rows: ConsultationTableRow[]; sorting: TableSorting; timeZone: string; actions?: ConsultationActions }) {
  return (
    <DataTable
      caption={`Consultations, times in ${timeZone}`}
      columns={actions ? [...columns, actionsColumn(actions)] : columns}
      rows={rows}
      rowId={(row) => row.consultationId}
      sorting={sorting}
      empty="No consultations match these filters."
    />
  );
}
