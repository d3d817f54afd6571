"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ProviderView } from "@/lib/providers";
import own from "./providers.module.css";

export function ProviderStatusBadge({ active }: { active: boolean }) {
  const t = useTranslations("Providers");
  return <span className={ui.badge + " " + (active ? own.active : own.inactive)}>{active ? t("active") : t("inactive")}</span>;
}

export function ProvidersTable({ rows, empty }: { rows: ProviderView[]; empty: React.ReactNode }) {
  const t = useTranslations("Providers");
  const columns = useMemo<TableColumn<ProviderView>[]>(
    () => [
      {
        id: "name",
        header: t("columns.name"),
        cell: ({ row }) => <Link href={"/dashboard/providers/" + row.original.providerId}>{row.original.name}</Link>,
      },
      { id: "professionalType", header: t("columns.professionalType"), cell: ({ row }) => row.original.professionalTypeName },
      { id: "specialty", header: t("columns.specialty"), cell: ({ row }) => row.original.specialty?.specialtyName ?? "—" },
      { id: "document", header: t("columns.document"), cell: ({ row }) => row.original.documentType + " " + row.original.documentNumber },
      { id: "phone", header: t("columns.phone"), cell: ({ row }) => row.original.phone },
      { id: "email", header: t("columns.email"), cell: ({ row }) => <span className={own.wrap}>{row.original.email}</span> },
      { id: "status", header: t("columns.status"), cell: ({ row }) => <ProviderStatusBadge active={row.original.active} /> },
    ],
    [t],
  );
  return <DataTable caption={t("title")} columns={columns} rows={rows} rowId={(row) => row.providerId} empty={empty} />;
}
