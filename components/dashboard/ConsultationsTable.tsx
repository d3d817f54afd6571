"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn, type TableSorting } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ConsultationTableRow } from "@/lib/consultations/table";
import { ConsultationRowActions, type ConsultationActions } from "./ConsultationRowActions";
import { DATE_TIME } from "./formats";
import styles from "./dashboard.module.css";
import { useDashboardLabels } from "./labels";
import { WaitingSince } from "./WaitingSince";

export function StatusBadge({ status }: { status: ConsultationTableRow["status"] }) {
  const labels = useDashboardLabels();
  return <span className={ui.badge + " " + ui[status]}>{labels.status(status)}</span>;
}

/** Who never joined a consultation that ended, beside its status. */
export function NoShowBadge({ noShow }: { noShow: NonNullable<ConsultationTableRow["noShow"]> }) {
  const t = useTranslations("Consultations");
  return <span className={ui.badge + " " + ui.noShow}>{t(NO_SHOW_KEYS[noShow])}</span>;
}

const NO_SHOW_KEYS = { patient: "noShow.patient", provider: "noShow.provider", both: "noShow.both" } as const;

/**
 * `actions`: the row actions (links, PIN, end, cancel), handed only to staff who manage consultations.
 * `renderedAt`: the server's now, where a waiting patient's minutes start counting.
 */
export function ConsultationsTable({
  rows,
  sorting,
  timeZone,
  actions,
  renderedAt,
}: {
  rows: ConsultationTableRow[];
  sorting: TableSorting;
  timeZone: string;
  actions?: ConsultationActions;
  renderedAt: Date;
}) {
  const t = useTranslations("Consultations");
  const format = useFormatter();
  const columns = useMemo<TableColumn<ConsultationTableRow>[]>(() => {
    const when = (row: ConsultationTableRow) => format.dateTime(row.startsAt, DATE_TIME);
    const shown: TableColumn<ConsultationTableRow>[] = [
      {
        id: "startsAt",
        header: t("columns.time"),
        cell: ({ row }) => (
          <Link href={"/dashboard/consultations/" + row.original.consultationId}>
            {t("timeCell", { time: when(row.original), immediate: row.original.immediate ? "yes" : "no" })}
          </Link>
        ),
      },
      {
        id: "status",
        header: t("columns.status"),
        cell: ({ row }) => (
          <span className={row.original.waitingSince ? styles.statusWaiting : undefined}>
            <StatusBadge status={row.original.status} />
            {row.original.waitingSince && <WaitingSince since={row.original.waitingSince} renderedAt={renderedAt} />}
            {row.original.noShow && (
              <>
                {" "}
                <NoShowBadge noShow={row.original.noShow} />
              </>
            )}
          </span>
        ),
      },
      { id: "provider", header: t("columns.provider"), cell: ({ row }) => row.original.provider.name },
      {
        id: "patient",
        header: t("columns.patient"),
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
      { id: "type", header: t("columns.type"), cell: ({ row }) => row.original.consultationType.name },
      { id: "duration", header: t("columns.duration"), cell: ({ row }) => t("minutes", { minutes: row.original.durationMinutes }) },
    ];
    if (!actions) return shown;
    return [
      ...shown,
      {
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) => (
          <ConsultationRowActions
            actions={actions}
            consultationId={row.original.consultationId}
            status={row.original.status}
            label={t("rowLabel", { patient: row.original.patient.name, time: when(row.original) })}
          />
        ),
      },
    ];
  }, [t, format, actions, renderedAt]);
  return (
    <DataTable
      caption={t("caption", { timeZone })}
      columns={columns}
      rows={rows}
      rowId={(row) => row.consultationId}
      sorting={sorting}
      empty={t("empty")}
    />
  );
}
