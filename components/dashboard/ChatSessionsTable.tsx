"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { ChatListRow } from "@/lib/chat-sessions/dashboard";
import { DATE_TIME } from "./formats";
import { useDashboardLabels } from "./labels";
import styles from "./dashboard.module.css";
import rooms from "./rooms.module.css";

/** The badge's colours: waiting stands out, in progress is live, closed ones are quiet. */
const STATE_TONE: Record<ChatListRow["state"], string> = {
  created: "Completed",
  started: "Pending",
  accepted: "InProgress",
  rejected: "Expired",
  finished: "Completed",
};

export function ChatSessionsTable({ rows, timeZone }: { rows: ChatListRow[]; timeZone: string }) {
  const t = useTranslations("Chats");
  const format = useFormatter();
  const labels = useDashboardLabels();
  const columns = useMemo<TableColumn<ChatListRow>[]>(
    () => [
      {
        id: "title",
        header: t("columns.consultation"),
        cell: ({ row }) => {
          const r = row.original;
          const patient = r.participants.find((p) => p.privilege !== "plus") ?? r.participants[0];
          const label = r.title ?? (patient ? t("chatWith", { name: patient.name }) : t("untitled"));
          return (
            <Link href={"/dashboard/chat/" + r.chatSessionId} data-testid="chat-row-link">
              {label}
            </Link>
          );
        },
      },
      {
        id: "state",
        header: t("columns.state"),
        cell: ({ row }) => (
          <>
            <span className={ui.badge + " " + ui[STATE_TONE[row.original.state]]}>{labels.chatState(row.original.state)}</span>
            {row.original.hasCall ? <small className={rooms.roomNote}>{t("hasCall")}</small> : null}
          </>
        ),
      },
      {
        id: "participants",
        header: t("columns.participants"),
        cell: ({ row }) => (
          <ul className={rooms.people}>
            {row.original.participants.map((p) => (
              <li key={p.externalId}>
                {p.name}
                {p.privilege === "plus" ? <span className={styles.muted}> · {t("clinician")}</span> : null}
              </li>
            ))}
          </ul>
        ),
      },
      {
        id: "at",
        header: t("columns.when"),
        cell: ({ row }) => {
          const at = format.dateTime(row.original.at, DATE_TIME);
          return row.original.state === "started" ? t.rich("askedAt", { time: at, muted: (chunks) => <span className={styles.muted}>{chunks}</span> }) : at;
        },
      },
      {
        id: "unread",
        header: t("columns.unread"),
        cell: ({ row }) =>
          row.original.unread === null ? (
            <span className={styles.muted}>{t("notInIt")}</span>
          ) : row.original.unread === 0 ? (
            <span className={styles.muted}>{t("noneUnread")}</span>
          ) : (
            <strong>{t("unread", { count: row.original.unread })}</strong>
          ),
      },
    ],
    [t, format, labels],
  );
  return <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(row) => row.chatSessionId} empty={t("empty")} />;
}
