"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { RoomDirectoryRow, RoomParticipantSummary } from "@/lib/rooms/directory";
import { spokenDuration } from "@/lib/rooms/duration";
import { DATE_TIME } from "./formats";
import { useDashboardLabels } from "./labels";
import styles from "./dashboard.module.css";
import rooms from "./rooms.module.css";

/** The room's state; a room still missing participants says so (its links do not exist yet). */
export function RoomStatusBadge({ row }: { row: Pick<RoomDirectoryRow, "status" | "waitingForParticipants" | "participants" | "expectedParticipants"> }) {
  const t = useTranslations("Rooms");
  const labels = useDashboardLabels();
  return (
    <>
      <span className={ui.badge + " " + ui[row.status]}>{labels.status(row.status)}</span>
      {row.waitingForParticipants && <small className={rooms.roomNote}>{t("waiting", { known: row.participants.length, expected: row.expectedParticipants })}</small>}
    </>
  );
}

/** A participant's name, group and, for a plus user, a "Host" mark. */
export function ParticipantName({ participant: p }: { participant: RoomParticipantSummary }) {
  const labels = useDashboardLabels();
  return (
    <>
      {p.name}
      {p.group ? <span className={styles.muted}> · {p.group}</span> : null}
      {p.privilege === "plus" ? (
        <>
          {" "}
          <span className={rooms.host}>{labels.privilege("plus")}</span>
        </>
      ) : null}
    </>
  );
}

function Attendance({ participants }: { participants: RoomParticipantSummary[] }) {
  const t = useTranslations("Rooms");
  const came = participants.filter((p) => p.stays > 0);
  if (came.length === 0) return <span className={styles.muted}>{t("nobodyJoined")}</span>;
  return (
    <ul className={rooms.people}>
      {came.map((p) => (
        <li key={p.participantId}>{t("attended", { name: p.name, duration: spokenDuration(p.attendedSeconds), stays: p.stays, present: p.present ? "yes" : "no" })}</li>
      ))}
    </ul>
  );
}

export function RoomsTable({ rows, timeZone }: { rows: RoomDirectoryRow[]; timeZone: string }) {
  const t = useTranslations("Rooms");
  const format = useFormatter();
  const labels = useDashboardLabels();
  const columns = useMemo<TableColumn<RoomDirectoryRow>[]>(
    () => [
      {
        id: "startsAt",
        header: t("columns.start"),
        cell: ({ row }) => {
          const time = format.dateTime(row.original.startsAt, DATE_TIME);
          return (
            <Link href={"/dashboard/rooms/" + row.original.roomId} aria-label={t("open", { time })}>
              {time}
            </Link>
          );
        },
      },
      { id: "duration", header: t("columns.duration"), cell: ({ row }) => (row.original.durationMinutes === null ? t("noLimit") : spokenDuration(row.original.durationMinutes * 60)) },
      { id: "status", header: t("columns.status"), cell: ({ row }) => <RoomStatusBadge row={row.original} /> },
      {
        id: "participants",
        header: t("columns.participants"),
        cell: ({ row }) =>
          row.original.participants.length === 0 ? (
            <span className={styles.muted}>{t("noneYet")}</span>
          ) : (
            <ul className={rooms.people}>
              {row.original.participants.map((p) => (
                <li key={p.participantId}>
                  <ParticipantName participant={p} />
                </li>
              ))}
            </ul>
          ),
      },
      { id: "attendance", header: t("columns.attendance"), cell: ({ row }) => <Attendance participants={row.original.participants} /> },
      { id: "callType", header: t("columns.callType"), cell: ({ row }) => labels.callType(row.original.callType) },
    ],
    [t, format, labels],
  );
  return <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(row) => row.roomId} empty={t("empty")} />;
}
