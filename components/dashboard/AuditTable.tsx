"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import { useAuditLabels } from "./labels";

/** One audit entry as the page wrote it (`at` in the reader's language); `action` is the code. */
export type AuditTableRow = { id: number; at: string; action: string; who: string; target: string; targetHref: string | null; from: string; detail: string };

export function AuditTable({ rows, timeZone }: { rows: AuditTableRow[]; timeZone: string }) {
  const t = useTranslations("Audit");
  const labels = useAuditLabels();
  const columns = useMemo<TableColumn<AuditTableRow>[]>(
    () => [
      { id: "at", header: t("columns.when"), cell: ({ row }) => row.original.at },
      { id: "action", header: t("columns.what"), cell: ({ row }) => labels.action(row.original.action) },
      { id: "who", header: t("columns.who"), cell: ({ row }) => row.original.who },
      {
        id: "target",
        header: t("columns.on"),
        cell: ({ row }) => (row.original.targetHref ? <Link href={row.original.targetHref}>{row.original.target}</Link> : row.original.target || "—"),
      },
      { id: "from", header: t("columns.from"), cell: ({ row }) => row.original.from || "—" },
      { id: "detail", header: t("columns.details"), cell: ({ row }) => row.original.detail || "—" },
    ],
    [t, labels],
  );
  return <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(r) => String(r.id)} empty={t("empty")} />;
}
