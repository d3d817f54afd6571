"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import css from "./integrations.module.css";
import { useWebhookWords } from "./WebhookStatus";

/** One attempt as the page wrote it (`at` in the reader's language); `trigger` is the code. */
export type WebhookAttemptRow = { id: string; at: string; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null; trigger: string };

export function WebhookAttemptsTable({ rows, timeZone }: { rows: WebhookAttemptRow[]; timeZone: string }) {
  const t = useTranslations("Webhooks");
  const words = useWebhookWords();
  const columns = useMemo<TableColumn<WebhookAttemptRow>[]>(
    () => [
      { id: "at", header: t("columns.time"), cell: ({ row }) => row.original.at },
      { id: "statusCode", header: t("columns.statusCode"), cell: ({ row }) => row.original.statusCode ?? "—" },
      { id: "latency", header: t("columns.latency"), cell: ({ row }) => t("milliseconds", { ms: row.original.latencyMs }) },
      {
        id: "response",
        header: t("columns.response"),
        cell: ({ row }) => (row.original.responseExcerpt ? <pre className={css.excerpt}>{row.original.responseExcerpt}</pre> : "—"),
      },
      // The receiver's or the network's own words, as recorded.
      { id: "error", header: t("columns.error"), cell: ({ row }) => <span className={css.cellText}>{row.original.error ?? "—"}</span> },
      { id: "trigger", header: t("columns.trigger"), cell: ({ row }) => words.trigger(row.original.trigger) },
    ],
    [t, words],
  );
  return <DataTable caption={t("attemptsCaption", { timeZone })} columns={columns} rows={rows} rowId={(r) => r.id} empty={t("noAttempt")} />;
}
