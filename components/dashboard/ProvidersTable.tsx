"use client";

import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ProviderView } from "@/lib/providers";
import own from "./providers.module.css";

export function ProviderStatusBadge({ active }: { active: boolean }) {
  return <span className={`${ui.badge} ${active ? own.active : own.inactive}`}>{active ? "Active" : "Inactive"}</span>;
}

const columns: TableColumn<ProviderView>[] = [
  {
    id: "name",
    header: "Name",
    cell: ({ row }) => <Link href={`/dashboard/providers/${row.original.providerId}`}>{row.original.name}</Link>,
  },
  { id: "professionalType", header: "Professional type", cell: ({ row }) => row.original.professionalTypeName },
  { id: "specialty", header: "Specialty", cell: ({ row }) => row.original.specialty?.specialtyName ?? "—" },
  { id: "document", header: "Document", cell: ({ row }) => `${row.original.documentType} ${row.original.documentNumber}` },
  { id: "phone", header: "Phone", cell: ({ row }) => row.original.phone },
  { id: "email", header: "Email", cell: ({ row }) => <span className={own.wrap}>{row.original.email}</span> },
  { id: "status", header: "Status", cell: ({ row }) => <ProviderStatusBadge active={row.original.active} /> },
];

export function ProvidersTable({ rows, empty }: { rows: ProviderView[]; empty: React.ReactNode }) {
  return <DataTable caption="Providers" columns={columns} rows={rows} rowId={(row) => row.providerId} empty={empty} />;
}
