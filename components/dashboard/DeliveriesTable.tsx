"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import styles from "./dashboard.module.css";
import css from "./integrations.module.css";
import { DeliveryStatusBadge } from "./WebhookStatus";

export type DeliveryTableRow = {
  id: string;
  event: string;
  status: string;
  attempts: number;
  /** The last attempt, as the page wrote it. */
  last: string;
  code: number | null;
  error: string | null;
  /** The endpoint's delivery log only: where the delivery's detail is, its consultation, and its next retry. */
  href?: string;
  consultationId?: string | null;
  next?: string;
  test?: boolean;
};

/** A consultation's deliveries (its detail page), or with `log` one endpoint's delivery log, where each delivery opens its detail. */
export function DeliveriesTable({ rows, log }: { rows: DeliveryTableRow[]; log?: { caption: string; empty: string } }) {
  const t = useTranslations("Webhooks");
  const columns = useMemo(() => {
    const answer: TableColumn<DeliveryTableRow> = {
      id: "answer",
      header: t("columns.answer"),
      // The receiver's status, or the network's own words (a long one breaks anywhere rather than widening the table).
      cell: ({ row }) => <span className={css.cellText}>{row.original.code ? "HTTP " + row.original.code : (row.original.error ?? "—")}</span>,
    };
    const consultation: TableColumn<DeliveryTableRow>[] = [
      { id: "event", header: t("columns.event"), cell: ({ row }) => <code>{row.original.event}</code> },
      { id: "status", header: t("columns.status"), cell: ({ row }) => <DeliveryStatusBadge status={row.original.status} /> },
      { id: "attempts", header: t("columns.attempts"), cell: ({ row }) => row.original.attempts },
      { id: "last", header: t("columns.lastAttempt"), cell: ({ row }) => row.original.last || "—" },
      answer,
    ];
    const endpoint: TableColumn<DeliveryTableRow>[] = [
      {
        id: "event",
        header: t("columns.event"),
        cell: ({ row }) => (
          <>
            {row.original.href ? (
              <Link href={row.original.href}>
                <code>{row.original.event}</code>
              </Link>
            ) : (
              <code>{row.original.event}</code>
            )}
            {row.original.test && <span className={styles.muted}> · {t("test")}</span>}
          </>
        ),
      },
      {
        id: "consultation",
        header: t("columns.consultation"),
        cell: ({ row }) =>
          row.original.consultationId && !row.original.test ? (
            <Link href={"/dashboard/consultations/" + row.original.consultationId} aria-label={t("consultationNamed", { id: row.original.consultationId })}>
              <code>{row.original.consultationId.slice(0, 8)}</code>
            </Link>
          ) : (
            "—"
          ),
      },
      { id: "status", header: t("columns.status"), cell: ({ row }) => <DeliveryStatusBadge status={row.original.status} /> },
      { id: "attempts", header: t("columns.attempts"), cell: ({ row }) => row.original.attempts },
      { id: "last", header: t("columns.lastAttempt"), cell: ({ row }) => row.original.last || "—" },
      { id: "next", header: t("columns.nextRetry"), cell: ({ row }) => row.original.next || "—" },
      answer,
    ];
    return { consultation, endpoint };
  }, [t]);
  if (log) return <DataTable caption={log.caption} columns={columns.endpoint} rows={rows} rowId={(r) => r.id} empty={log.empty} />;
  return <DataTable caption={t("consultationCaption")} columns={columns.consultation} rows={rows} rowId={(r) => r.id} empty={t("consultationEmpty")} />;
}
