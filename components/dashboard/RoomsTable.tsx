"use client";

import Link from "next/link";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { RoomDirectoryRow, RoomParticipantSummary } from "@/lib/rooms/directory";
import { spokenDuration } from "@/lib/rooms/duration";
import { CALL_TYPE_LABELS, PRIVILEGE_LABELS, STATUS_LABELS } from "./labels";
import styles from "./dashboard.module.css";
import rooms from "./rooms.module.css";

/** The room's state; a room still missing participants says so (its links do not exist yet). */
export function RoomStatusBadge({ row }: { row: Pick<RoomDirectoryRow, "status" | "waitingForParticipants" | "participants" | "expectedParticipants"> }) {
  return (
    <>
      <span className={`${ui.badge} ${ui[row.status]}`}>{STATUS_LABELS[row.status]}</span>
      {row.waitingForParticipants && (
        <small className={rooms.roomNote}>
          Waiting for participants ({row.participants.length} of {row.expectedParticipants} known)
        </small>
      )}
    </>
  );
}

/** A participant's name, group and, for a plus user, a "Host" mark. */
export function ParticipantName({ participant: p }: { participant: RoomParticipantSummary }) {
  return (
    <>
      {p.name}
      {p.group ? <span className={styles.muted}> · {p.group}</span> : null}
      {p.privilege === "plus" ? (
        <>
          {" "}
          <span className={rooms.host}>{PRIVILEGE_LABELS.plus}</span>
        </>
      ) : null}
    </>
  );
}

function Attendance({ participants }: { participants: RoomParticipantSummary[] }) {
  const came = participants.filter((p) => p.stays > 0);
  if (came.length === 0) return <span className={styles.muted}>Nobody joined</span>;
  return (
    <ul className={rooms.people}>
      {came.map((p) => (
        <li key={p.participantId}>
          {p.name}: {spokenDuration(p.attendedSeconds)}
          {p.stays > 1 ? ` (${p.stays} stays)` : ""}
          {p.present ? " · in the call now" : ""}
        </li>
      ))}
    </ul>
  );
}

const columns: TableColumn<RoomDirectoryRow>[] = [
  {
    id: "startsAt",
    header: "Start",
    cell: ({ row }) => (
      <Link href={`/dashboard/rooms/${row.original.roomId}`} aria-label={`Room at ${row.original.startsAtLocal}: details and attendance`}>
        {row.original.startsAtLocal}
      </Link>
    ),
  },
  { id: "duration", header: "Duration", cell: ({ row }) => (row.original.durationMinutes === null ? "No limit" : spokenDuration(row.original.durationMinutes * 60)) },
  { id: "status", header: "Status", cell: ({ row }) => <RoomStatusBadge row={row.original} /> },
  {
    id: "participants",
    header: "Participants",
    cell: ({ row }) =>
      row.original.participants.length === 0 ? (
        <span className={styles.muted}>None yet</span>
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
  { id: "attendance", header: "Attendance", cell: ({ row }) => <Attendance participants={row.original.participants} /> },
  { id: "callType", header: "Call type", cell: ({ row }) => CALL_TYPE_LABELS[row.original.callType] },
];

export function RoomsTable({ rows, timeZone }: { rows: RoomDirectoryRow[]; timeZone: string }) {
  return (
    <DataTable
      caption={`Rooms, newest start first, times in ${timeZone}`}
      columns={columns}
      rows={rows}
      rowId={(row) => row.roomId}
      empty="No rooms yet. Rooms made through the teleconsultation API appear here."
    />
  );
}
